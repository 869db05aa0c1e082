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

struct LetterPage: Sendable {
    let title: String
    let letterTitle: String
    let number: String
    let issuedOn: String
    let company: String
    let estate: String
    let region: String
    let category: String
    let description: String
    let deadline: String
    let overdueDays: String
    let issuer: String
    let nextStep: String
    let isInterview: Bool
    let problemId: String
    /// The quarter left undisclosed, for a 约谈 called directly on a W01 (拒不公示).
    let undisclosed: String
    let isUndisclosed: Bool
}

extension CaseListing where Kind == Problems {
    /// The problem ledger.
    static var problems: CaseListing {
        CaseListing(path: "/problems", title: "问题整改", searchPlaceholder: "问题编号、小区或描述", dateLabel: "发现",
                    exportLabel: "问题台账", emptyText: "没有符合条件的问题。", tableId: "problem-table",
                    columns: ["编号", "小区", "物业企业", "类别", "描述", "来源", "整改期限", "状态", "督办"]) { problem, today in
            let r = ProblemRow(problem, today: today)
            return [CaseCell(text: "#\(r.id)", href: "/problems/\(r.id)"), CaseCell(text: r.estate), CaseCell(text: r.company), CaseCell(text: r.category),
                    CaseCell(text: r.description, detail: true), CaseCell(text: r.source),
                    CaseCell(text: r.deadline, warn: r.overdueDays.map { "逾期\($0)天" }), CaseCell(text: r.statusTitle), CaseCell(text: r.level)]
        }
    }
}
