import Foundation
import LedgerCore

/// A published version laid out as the unified format's sections, every amount formatted.
struct DisclosureSheet: Sendable {
    struct VoucherLink: Sendable { let id: Int64; let filename: String }
    struct Line: Sendable {
        let label: String; let description: String; let amount: String; let decision: String
        let vouchers: [VoucherLink]
        let line: String
    }

    let period: String
    let year: Int
    let quarter: Int
    let version: Int
    let corrected: Bool
    let reason: String
    let publishedAt: String
    let income: [Line]
    let incomeTotal: String
    let costs: [Line]
    let costTotal: String
    let surplus: String
    let ownersShare: String
    let companyShare: String
    let expenditures: [Line]
    let expenditureTotal: String
    let transfer: String
    let transferDate: String
    let openingBalance: String
    let closingBalance: String
    let contactName: String
    let contactPhone: String
    let displayFrom: String
    let displayUntil: String
    let leafHash: String
    let leafIndex: Int
    let hasIncome: Bool
    let hasCosts: Bool
    let hasExpenditures: Bool

    /// `decisions`: the titles of the estate's register decisions, so that a cited `D12` reads as what it is (§22).
    init(_ entry: DisclosureHistory.Entry, vouchers: [VoucherStore.Voucher] = [], decisions: [Int64: String] = [:]) {
        let v = entry.version
        func links(_ kind: String, _ position: Int) -> [VoucherLink] {
            vouchers.filter { $0.kind == kind && $0.position == position }.map { VoucherLink(id: $0.id, filename: $0.filename) }
        }
        func money(_ fen: Int64) -> String { Money(fen: fen).display }
        period = v.period.title
        (year, quarter, version) = (v.year, v.quarter, v.version)
        corrected = v.version > 1
        reason = v.reason ?? ""
        publishedAt = Timestamp.display(stored: v.publishedAt)
        income = entry.lines("income").map {
            Line(label: IncomeCategory(rawValue: $0.category ?? "")?.title ?? ($0.category ?? ""), description: $0.description,
                 amount: money($0.amountFen), decision: "", vouchers: links("income", $0.position), line: "income.\($0.position)")
        }
        costs = entry.lines("cost").map {
            Line(label: "", description: $0.description, amount: money($0.amountFen), decision: "", vouchers: links("cost", $0.position),
                 line: "costs.\($0.position)")
        }
        expenditures = entry.lines("expenditure").map {
            let cited = $0.decision ?? ""
            let title = OwnerDecision.citedId(cited).flatMap { decisions[$0] }.map { "（\($0)）" } ?? ""
            return Line(label: "", description: $0.description, amount: money($0.amountFen), decision: cited.isEmpty ? "（未注明）" : cited + title,
                 vouchers: links("expenditure", $0.position), line: "expenditures.\($0.position)")
        }
        incomeTotal = money(v.incomeFen)
        costTotal = money(v.costFen)
        surplus = money(v.incomeFen - v.costFen)
        ownersShare = money(v.ownersShareFen)
        companyShare = money(v.companyShareFen)
        expenditureTotal = money(v.expenditureFen)
        transfer = v.transferFen.map(money) ?? "未转存"
        // A transfer to the 维修资金专户 says so; the dedicated account (absent target) reads as before.
        transferDate = (v.transferDate ?? "") + (v.transferTarget == SurplusAccount.maintenanceFund.rawValue ? "（转入维修资金专户）" : "")
        openingBalance = money(v.openingFen)
        closingBalance = money(v.closingFen)
        (contactName, contactPhone) = (v.contactName, v.contactPhone)
        (displayFrom, displayUntil) = (v.displayFrom, v.displayUntil)
        (leafHash, leafIndex) = (v.leafHash, v.leafIndex)
        (hasIncome, hasCosts, hasExpenditures) = (!income.isEmpty, !costs.isEmpty, !expenditures.isEmpty)
    }
}

/// What the public page says about an estate (no personal data, account number masked).
struct PublicEstate: Sendable {
    let id: Int64
    let name: String
    let address: String
    let place: String
    let company: String
    let hasAccount: Bool
    let accountBank: String
    let accountNumber: String
}

struct PublicEstatePage: Sendable {
    struct QuestionRow: Sendable {
        let period: String; let item: String; let content: String; let askedAt: String; let answer: String; let answeredAt: String
        init(_ q: OwnerQuestions.Question) {
            period = Quarter(year: q.year, quarter: q.quarter)?.title ?? ""
            (item, content, answer) = (q.item, q.content, q.answer ?? "")
            askedAt = Timestamp.display(stored: q.askedAt)
            answeredAt = q.answeredAt.map(Timestamp.display(stored:)) ?? ""
        }
    }
    let layout: Layout
    let estate: PublicEstate
    let quarters: [DisclosureSheet]
    let empty: Bool
    let treeSize: Int
    let treeRoot: String
    let questions: [QuestionRow]
    let hasQuestions: Bool
    let inspections: [PublicInspectionRow]
    let hasInspections: Bool
    let periods: [Option]
    let item: Field
    let content: Field
    let questionError: String?
    /// 自查自纠结果 (`public-self-inspections` partial).
    var selfInspections: [PublicSelfInspectionRow] = []
    var hasSelfInspections = false
    /// Confirmed by the city as a 示范小区.
    var isDemonstration = false
    /// 第三方审计: open petitions and results (`public-audits` partial).
    var audits: PublicAuditSection?
    /// The latest quarter, shown open with its summary; the earlier ones folded.
    var latest: DisclosureSheet?
    var earlier: [DisclosureSheet] = []
    var hasEarlier = false
    /// The question was received: the receipt shows beside the form.
    var asked = false
}

struct NoticePage: Sendable {
    let estate: PublicEstate
    let sheet: DisclosureSheet
    let url: String
    let qrSVG: String
    let printedOn: String
}
