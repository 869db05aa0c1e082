import Foundation
import LedgerCore

/// `/credit`: the companies of the jurisdiction with score and grade.
struct CreditListPage: Sendable {
    struct Row: Sendable {
        let id: Int64; let name: String; let uscc: String; let total: Int; let grade: String
        let black: Bool; let red: Bool; let pending: Int; let hasPending: Bool
    }
    struct PendingRow: Sendable { let companyId: Int64; let kind: String; let filedAt: String; let eventId: Int64 }
    let layout: Layout
    let search: String
    let rows: [Row]
    let columns: [SortLink]
    let pager: Pager
    let empty: Bool
    let pending: [PendingRow]
    let hasPending: Bool
    let canEditRules: Bool

    static func row(_ r: CreditFile.RegisterRow) -> Row {
        Row(id: r.companyId, name: r.name, uscc: r.uscc, total: r.score.total, grade: r.blackListed ? "黑名单" : r.score.grade.title,
            black: r.blackListed, red: r.redListed, pending: r.pendingRequests, hasPending: r.pendingRequests > 0)
    }
}

/// `/credit/companies/{id}`: the arithmetic behind the grade, every event with its state, the requests, the grade history,
/// the list decisions and the published cases, with the forms the user's role may use.
struct CreditCompanyPage: Sendable {
    struct EventRow: Sendable {
        let id: Int64; let date: String; let title: String; let points: String; let basis: String; let document: String; let note: String
        let until: String; let state: String; let counts: Bool; let bad: Bool
        let canObject: Bool; let canRepair: Bool; let repairHint: String?
        let reasons: Field; let repairReasons: Field; let filesError: String?
    }
    struct RequestRow: Sendable {
        let id: Int64; let kind: String; let eventId: Int64; let event: String; let reasons: String; let status: String; let filedAt: String
        let decidedAt: String; let note: String; let canDecide: Bool; let decisions: [Option]; let noteField: Field; let decisionError: String?
        let files: [FileLink]
    }
    struct FileLink: Sendable { let href: String; let name: String }
    struct GradeRow: Sendable { let on: String; let old: String; let new: String; let score: Int; let cause: String }
    struct DecisionRow: Sendable {
        let decisionId: Int64; let list: String; let reason: String; let document: String; let period: String; let state: String
        let inForce: Bool; let canRemove: Bool; let black: Bool
    }
    struct RecordFields: Sendable {
        let points: Field, occurredOn: Field, documentNumber: Field, note: Field
        init(_ v: [String: String], _ e: FieldErrors) {
            (points, occurredOn, documentNumber, note) = (Field("points", v, e), Field("occurredOn", v, e), Field("documentNumber", v, e), Field("note", v, e))
        }
    }
    struct ListFields: Sendable {
        let reason: Field, documentNumber: Field, decidedOn: Field, until: Field
        init(_ v: [String: String], _ e: FieldErrors) {
            (reason, documentNumber, decidedOn, until) = (Field("reason", v, e), Field("documentNumber", v, e), Field("decidedOn", v, e), Field("until", v, e))
        }
    }
    struct CaseFields: Sendable {
        let title: Field, situation: Field, facts: Field, basis: Field, outcome: Field, publishedOn: Field
        init(_ v: [String: String], _ e: FieldErrors) {
            (title, situation, facts) = (Field("title", v, e), Field("situation", v, e), Field("facts", v, e))
            (basis, outcome, publishedOn) = (Field("basis", v, e), Field("outcome", v, e), Field("publishedOn", v, e))
        }
    }
    struct CaseRow: Sendable { let title: String; let situation: String; let facts: String; let basis: String; let outcome: String; let publishedOn: String }

    let layout: Layout
    let id: Int64
    let name: String
    let uscc: String
    let grade: String
    let total: Int
    let registration: Int, managing: Int, filing: Int, basic: Int, good: Int, goodCounted: Int, bad: Int, goodCap: Int
    let black: Bool
    let red: Bool
    let events: [EventRow]
    let noEvents: Bool
    let requests: [RequestRow]
    let hasRequests: Bool
    let grades: [GradeRow]
    let hasGrades: Bool
    let decisions: [DecisionRow]
    let hasDecisions: Bool
    let cases: [CaseRow]
    let hasCases: Bool
    let canManage: Bool
    let isCompany: Bool
    let rules: [Option]
    let lists: [Option]
    let record: RecordFields
    let listForm: ListFields
    let caseForm: CaseFields
    let ruleError: String?
    let listError: String?
    let removeError: String?
    let formError: String?
}

/// A confirmation step before a destructive action: what will happen, and the same form again with `confirm=1`.
struct CreditConfirmPage: Sendable {
    struct Hidden: Sendable { let name: String; let value: String }
    let layout: Layout
    let heading: String
    let lines: [String]
    let action: String
    let hidden: [Hidden]
    let back: String
    let button: String
}

/// `/credit/rules`: the rule table of a region, each row its own form.
struct CreditRulesPage: Sendable {
    struct Row: Sendable {
        let code: String; let title: String; let source: String; let basis: String; let setBy: String
        let points: Field; let months: Field; let repairAfterMonths: Field
        let repairAllowed: Bool; let enabled: Bool; let good: Bool; let rowError: String?
    }
    let layout: Layout
    let regionCode: String
    let regionName: String
    let regions: [Option]
    let rows: [Row]
    let canEdit: Bool
}

extension CreditFile.Event {
    /// The state shown beside an event: 有效, 已过期, 已撤销, 已信用修复.
    func stateTitle(on day: Day) -> String {
        switch status {
        case .valid: counts(on: day) ? "有效" : (occurredOn > day.description ? "未生效" : "已过期（不计分）")
        case .withdrawn: "已撤销（不计分）"
        case .repaired: "已信用修复（不计分）"
        }
    }

    var pointsText: String { points > 0 ? "+\(points)" : "−\(-points)" }
}
