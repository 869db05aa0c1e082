import Foundation
import LedgerCore

/// One problem as a list row.
struct ProblemRow: Sendable {
    let id: Int64
    let estateId: Int64
    let estate: String
    let company: String
    let category: String
    let description: String
    let source: String
    let severity: String
    let deadline: String
    let status: String
    let statusTitle: String
    let overdueDays: Int?
    let level: String

    init(_ p: Problems.Problem, today: Day) {
        id = p.id
        estateId = p.estateId
        estate = p.estateName
        company = p.companyName ?? "—"
        category = p.categoryTitle
        description = CaseCell.detail(p.description).text
        source = p.sourceTitle
        severity = p.severityTitle
        deadline = p.deadline
        status = p.status.rawValue
        statusTitle = p.status.title
        overdueDays = p.daysOverdue(today: today)
        level = ProblemLedger.escalationTitle(p.escalationLevel)
    }
}

struct ProblemFormPage: Sendable {
    let layout: Layout
    let estate: Field
    let description: Field
    let deadline: Field
    let responsible: Field
    let categories: [CategoryGroup]
    let severities: [Option]
    let sources: [Option]
    let categoryError: String?
}

struct ProblemDetailPage: Sendable {
    struct EventRow: Sendable { let at: String; let username: String; let role: String; let action: String; let note: String }
    struct LetterRow: Sendable { let kind: String; let title: String; let number: String; let issuedOn: String }
    struct FileRow: Sendable { let id: Int64; let filename: String; let size: String; let uploadedAt: String }
    struct ActionRow: Sendable { let kind: String; let decidedOn: String; let basis: String; let number: String }
    struct ActionForm: Sendable {
        let action: String
        let title: String
        let withFiles: Bool
        let note: String
        let error: String?
    }

    let layout: Layout
    let row: ProblemRow
    let description: String
    let responsible: String
    let createdAt: String
    let createdBy: String
    let referredTo: String?
    let referralDecision: String?
    let sourceHref: String?
    let events: [EventRow]
    let letters: [LetterRow]
    let hasLetters: Bool
    let files: [FileRow]
    let hasFiles: Bool
    let enforcement: [ActionRow]
    let hasEnforcement: Bool
    let actions: [ActionForm]
    let hasActions: Bool
    let canEnforce: Bool
    let companyId: Int64?
    let formError: String?
}

/// A letter of the ladder in the 公文 layout (GB/T 9704): issuing authority, document number, title, addressee flush
/// left, body, signature with the date in Chinese numerals over the seal's place, and the 版记.
struct LetterPage: Sendable {
    let title: String
    let authority: String
    let number: String
    let heading: String
    let addressee: String
    let paragraphs: [String]
    let signature: String
    let date: String
    let printedBy: String
    let problemId: String

    init(problem: Problems.Problem, letter: Problems.Letter) {
        let f = letter.facts
        let company = f["company"] ?? problem.companyName ?? problem.responsible
        let estate = f["estate"] ?? problem.estateName, category = f["category"] ?? problem.categoryTitle
        let issued = Day(letter.issuedOn).map(InspectionLedgers.chinese) ?? letter.issuedOn
        let deadline = Day(f["deadline"] ?? "").map(InspectionLedgers.chinese) ?? (f["deadline"] ?? "")
        title = "\(letter.title) \(letter.number)"
        authority = f["issuer"] ?? ""
        number = letter.number
        switch letter.kind {
        case "reminder": heading = "关于督促\(estate)“\(category)”问题整改的提醒函"
        case "supervision": heading = "关于\(estate)“\(category)”问题逾期未整改的督办函"
        default: heading = "关于\(estate)公共收益问题的约谈通知书"
        }
        addressee = "\(company)："
        var body: [String] = []
        if let quarter = f["undisclosed"] {
            body.append("经查，你单位服务的\(f["region"] ?? "")\(estate)\(quarter)公共收益收支情况至今未按规定公示，平台逾期未公示预警已持续 \(f["overdueDays"] ?? "") 天，属拒不公示公共收益的情形（问题编号 #\(problem.id)）。")
        } else {
            body.append("经查，你单位服务的\(f["region"] ?? "")\(estate)存在“\(category)”问题：\(f["description"] ?? problem.description)。该问题（编号 #\(problem.id)）整改期限为\(deadline)，截至\(issued)已逾期 \(f["overdueDays"] ?? "") 天，仍未完成整改。")
        }
        if letter.kind == "interview" {
            body.append("根据《物业管理条例》及本地区小区公共收益专项整治工作要求，请你单位法定代表人或主要负责人于收到本通知后五个工作日内，携整改情况书面报告到我局接受约谈。")
            body.append("特此通知。")
        } else {
            body.append("请你单位立即组织整改，并于收到本函之日起五个工作日内将整改情况及佐证材料报送我局。\(f["nextStep"] ?? "")。")
            body.append("特此函告。")
        }
        paragraphs = body
        signature = authority
        date = Gongwen.date(letter.issuedOn)
        printedBy = "\(authority)　　\(issued)印发"
        problemId = "\(problem.id)"
    }
}

extension CaseListing where Kind == Problems {
    /// The problem ledger.
    static var problems: CaseListing {
        CaseListing(path: "/problems", title: "问题整改", searchPlaceholder: "问题编号、小区或描述", dateLabel: "发现",
                    exportLabel: "问题台账", emptyText: "没有符合条件的问题。", tableId: "problem-table",
                    columns: ["编号", "小区", "物业企业", "类别", "描述", "来源", "整改期限", "状态", "督办"],
                    sortKeys: ["编号": "id", "小区": "estate", "整改期限": "deadline", "状态": "status"]) { problem, today in
            let r = ProblemRow(problem, today: today)
            return [CaseCell(text: "#\(r.id)", href: "/problems/\(r.id)"), CaseCell(text: r.estate), CaseCell(text: r.company), CaseCell(text: r.category),
                    CaseCell(text: r.description, detail: true), CaseCell(text: r.source),
                    CaseCell(text: r.deadline, warn: r.overdueDays.map { "逾期\($0)天" }), CaseCell(text: r.statusTitle), CaseCell(text: r.level)]
        }
    }
}
