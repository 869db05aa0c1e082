import Foundation
import LedgerCore

/// The filing form's fields ⇄ the unified format. Field names follow the document's paths (`income.0.amount`), so an
/// error from the checks lands beside the input it is about.
struct FilingForm: Sendable {
    /// Reads the submitted rows; rows left completely blank are dropped (that is how a line is removed without script).
    static func document(from form: [String: String]) -> DisclosureDocument {
        func rows(_ prefix: String, _ keys: [String]) -> [[String: String]] {
            let indices = Set(form.keys.compactMap { key -> Int? in
                let parts = key.split(separator: ".")
                return parts.count == 3 && parts[0] == prefix ? Int(parts[1]) : nil
            }).sorted()
            return indices.compactMap { index in
                let row = Dictionary(uniqueKeysWithValues: keys.map { ($0, (form["\(prefix).\(index).\($0)"] ?? "").trimmingCharacters(in: .whitespaces)) })
                let meaningful = keys.filter { $0 != "category" }
                return meaningful.allSatisfy { row[$0]!.isEmpty } ? nil : row
            }
        }
        func value(_ key: String) -> String { (form[key] ?? "").trimmingCharacters(in: .whitespaces) }
        func optional(_ keys: String...) -> Bool { keys.contains { !value($0).isEmpty } }
        return DisclosureDocument(
            income: rows("income", ["category", "description", "amount"]).map { .init(category: $0["category"]!, description: $0["description"]!, amount: $0["amount"]!) },
            costs: rows("costs", ["description", "amount"]).map { .init(description: $0["description"]!, amount: $0["amount"]!) },
            distribution: optional("ownersShare", "companyShare")
                ? .init(ownersShare: value("ownersShare").isEmpty ? "0" : value("ownersShare"), companyShare: value("companyShare").isEmpty ? "0" : value("companyShare"),
                        decision: value("ratioDecision").isEmpty ? nil : value("ratioDecision"))
                : nil,
            expenditures: rows("expenditures", ["description", "amount", "decision"])
                .map { .init(description: $0["description"]!, amount: $0["amount"]!, decision: $0["decision"]!) },
            transfer: optional("transferAmount", "transferDate")
                ? .init(amount: value("transferAmount"), date: value("transferDate"),
                        target: value("transferTarget").isEmpty || value("transferTarget") == SurplusAccount.dedicated.rawValue ? nil : value("transferTarget"))
                : nil,
            openingBalance: optional("openingBalance") ? value("openingBalance") : nil,
            closingBalance: optional("closingBalance") ? value("closingBalance") : nil,
            contact: optional("contactName", "contactPhone") ? .init(name: value("contactName"), phone: value("contactPhone")) : nil,
            display: optional("displayFrom", "displayUntil") ? .init(from: value("displayFrom"), until: value("displayUntil")) : nil)
    }

    /// Where each document path's error is shown.
    static func formField(for path: String) -> String {
        switch path {
        case "distribution", "distribution.ownersShare": "ownersShare"
        case "distribution.companyShare": "companyShare"
        case "transfer.amount": "transferAmount"
        case "transfer.date": "transferDate"
        case "transfer.target": "transferTarget"
        case "distribution.decision": "ratioDecision"
        case "contact", "contact.name": "contactName"
        case "contact.phone": "contactPhone"
        case "display", "display.from": "displayFrom"
        case "display.until": "displayUntil"
        default: path
        }
    }
}

/// The filing page's view model.
/// The confirmation before publishing (docs/design.md §5.3).
struct FilingConfirmPage: Sendable {
    let layout: Layout
    let estateId: Int64
    let estateName: String
    let period: String
    let year: Int
    let quarter: Int
    let version: Int
    let correction: Bool
    let reason: String
    let changes: [VersionDiff.Change]
    let hasChanges: Bool
    let sheet: DisclosureSheet
}

struct FilingPage: Sendable {
    struct Cell: Sendable { let name: String; let value: String; let error: String? }
    struct Row: Sendable {
        let index: Int
        let category: Cell?
        let categories: [Option]
        let description: Cell
        let amount: Cell
        let decision: Cell?
    }

    let layout: Layout
    let estateId: Int64
    let estateName: String
    let period: String
    let year: Int
    let quarter: Int
    let dueDate: String
    let published: Bool
    let publishedVersion: Int
    let income: [Row]
    let costs: [Row]
    let expenditures: [Row]
    let ownersShare: Cell, companyShare: Cell, transferAmount: Cell, transferDate: Cell, openingBalance: Cell, closingBalance: Cell
    let ratioDecision: Cell
    let transferTargets: [Option]
    let transferTargetError: String?
    let contactName: Cell, contactPhone: Cell, displayFrom: Cell, displayUntil: Cell, reason: Cell
    let incomeTotal: String, costTotal: String, surplus: String, expenditureTotal: String, computedClosing: String
    let ownersShareHint: String
    let notice: String?
    /// The estate's decisions in force in the quarter (`D12 · 业主大会决议：…`), listed beside the expenditures.
    var decisionHints: [String] = []
    var hasDecisionHints = false
    /// Just published (the notice links to the public page and the printable notice).
    var justPublished = false
    let formErrors: [String]
    let hasErrors: Bool

    init(layout: Layout, estate: Estate, quarter: Quarter, document: DisclosureDocument, errors: FieldErrors, publishedVersion: Int,
         notice: String?, reason: String, blankRows: Int = 2) {
        var byField: [String: String] = [:]
        for item in errors.items where byField[FilingForm.formField(for: item.field ?? "")] == nil {
            byField[FilingForm.formField(for: item.field ?? "")] = item.message
        }
        func cell(_ name: String, _ value: String?) -> Cell { Cell(name: name, value: value ?? "", error: byField[name]) }
        self.layout = layout
        estateId = estate.id
        estateName = estate.name
        period = quarter.title
        (year, self.quarter) = (quarter.year, quarter.quarter)
        dueDate = quarter.dueDate.description
        published = publishedVersion > 0
        self.publishedVersion = publishedVersion
        let incomeLines = document.income + Array(repeating: .init(category: "parking", description: "", amount: ""), count: blankRows)
        income = incomeLines.enumerated().map { i, line in
            Row(index: i, category: cell("income.\(i).category", line.category),
                categories: IncomeCategory.allCases.map { Option(value: $0.rawValue, label: $0.title, selected: $0.rawValue == line.category) },
                description: cell("income.\(i).description", line.description), amount: cell("income.\(i).amount", line.amount), decision: nil)
        }
        let costLines = document.costs + Array(repeating: .init(description: "", amount: ""), count: blankRows)
        costs = costLines.enumerated().map { i, line in
            Row(index: i, category: nil, categories: [], description: cell("costs.\(i).description", line.description),
                amount: cell("costs.\(i).amount", line.amount), decision: nil)
        }
        let spendLines = document.expenditures + Array(repeating: .init(description: "", amount: "", decision: ""), count: blankRows)
        expenditures = spendLines.enumerated().map { i, line in
            Row(index: i, category: nil, categories: [], description: cell("expenditures.\(i).description", line.description),
                amount: cell("expenditures.\(i).amount", line.amount), decision: cell("expenditures.\(i).decision", line.decision))
        }
        ownersShare = cell("ownersShare", document.distribution?.ownersShare)
        companyShare = cell("companyShare", document.distribution?.companyShare)
        transferAmount = cell("transferAmount", document.transfer?.amount)
        transferDate = cell("transferDate", document.transfer?.date)
        ratioDecision = cell("ratioDecision", document.distribution?.decision)
        let target = document.transfer?.target ?? SurplusAccount.dedicated.rawValue
        transferTargets = SurplusAccount.allCases.map { Option(value: $0.rawValue, label: $0.title, selected: $0.rawValue == target) }
        transferTargetError = byField["transferTarget"]
        openingBalance = cell("openingBalance", document.openingBalance)
        closingBalance = cell("closingBalance", document.closingBalance)
        contactName = cell("contactName", document.contact?.name)
        contactPhone = cell("contactPhone", document.contact?.phone)
        displayFrom = cell("displayFrom", document.display?.from)
        displayUntil = cell("displayUntil", document.display?.until)
        self.reason = cell("reason", reason)
        let content = try? DisclosureChecks.parse(document)
        incomeTotal = content?.incomeTotal.display ?? "—"
        costTotal = content?.costTotal.display ?? "—"
        surplus = content?.surplus.display ?? "—"
        expenditureTotal = content?.expenditureTotal.display ?? "—"
        computedClosing = content?.closingBalance?.display ?? "—"
        let ratio = percentText(basisPoints: estate.ownersShareBp)
        if let content, content.surplus.fen > 0,
           case let (product, overflow) = content.surplus.fen.multipliedReportingOverflow(by: Int64(estate.ownersShareBp)), !overflow {
            ownersShareHint = "按约定业主分成比例 \(ratio)，业主应得 \(Money(fen: product / 10_000).display) 元"
        } else {
            ownersShareHint = "约定业主分成比例 \(ratio)"
        }
        self.notice = notice
        var placed: Set<String> = ["ownersShare", "companyShare", "transferAmount", "transferDate", "openingBalance", "closingBalance", "ratioDecision", "transferTarget",
                                   "contactName", "contactPhone", "displayFrom", "displayUntil", "reason"]
        for row in income + costs + expenditures {
            placed.insert(row.description.name)
            placed.insert(row.amount.name)
            if let category = row.category { placed.insert(category.name) }
            if let decision = row.decision { placed.insert(decision.name) }
        }
        formErrors = errors.items.filter { !placed.contains(FilingForm.formField(for: $0.field ?? "")) }.map(\.message)
        hasErrors = !errors.isEmpty
    }
}
