import Foundation
import LedgerCore

/// One audit as a row of the lists and the head of its page.
struct AuditRow: Sendable {
    let id: Int64
    let estateId: Int64
    let estate: String
    let company: String
    let period: String
    let origin: String
    let objection: String
    let hasObjection: Bool
    let status: String
    let statusCode: String
    let org: String
    let deadline: String
    let households: Int
    let signed: Int
    let threshold: Int
    let needed: Int
    let short: Bool
    let isPetition: Bool
    let requestedAt: String
    let decision: String
    let reason: String
    let decided: Bool
    let bundleOf: String
    let summary: String
    let hasSummary: Bool
    let reportedAt: String
    let rectification: String
    let hasRectification: Bool

    init(_ a: AuditCase) {
        id = a.id
        estateId = a.estateId
        estate = a.estateName
        company = a.companyName ?? "（无物业企业）"
        period = a.quarter.title
        origin = a.origin.title
        objection = a.objection
        hasObjection = !a.objection.isEmpty
        status = a.status.title
        statusCode = a.status.rawValue
        org = a.orgName ?? "—"
        deadline = a.deadline ?? "—"
        households = a.households
        signed = a.signedHouseholds
        threshold = Audits.threshold(households: a.households)
        needed = a.householdsNeeded
        short = a.householdsNeeded > 0
        isPetition = a.origin == .petition
        requestedAt = Timestamp.display(stored: a.requestedAt)
        decision = a.decision?.title ?? ""
        reason = a.reason ?? ""
        decided = a.decision != nil
        bundleOf = a.bundleOf.map { "#\($0)" } ?? ""
        summary = a.summary ?? ""
        hasSummary = a.summary != nil
        reportedAt = a.reportedAt.map { Timestamp.display(stored: $0) } ?? ""
        rectification = a.rectification ?? ""
        hasRectification = a.rectification != nil
    }
}

struct AuditFindingRow: Sendable {
    let line: String
    let issue: String
    let amount: String
    let problemId: Int64
    let hasProblem: Bool
    let status: String
    let rectified: Bool

    init(_ f: AuditFinding) {
        line = f.line
        issue = f.issue
        amount = f.amount.map { "\($0.display) 元" } ?? "—"
        problemId = f.problemId ?? 0
        hasProblem = f.problemId != nil
        status = f.problemStatus
        rectified = f.rectified
    }
}

struct AuditListPage: Sendable {
    struct StatusOption: Sendable { let value: String; let title: String; let selected: Bool }
    let layout: Layout
    let rows: [AuditRow]
    let empty: Bool
    let pager: Pager
    let statuses: [StatusOption]
    let isAuditor: Bool
    let canRequest: Bool
    let isCommittee: Bool
    let canManageOrgs: Bool
    let estate: Field
    let year: Field
    let quarter: Field
    let objection: Field
    let formError: String?
}

struct AuditDetailPage: Sendable {
    struct SignatureRow: Sendable {
        let id: Int64; let building: String; let room: String; let name: String; let phone: String
        let state: String; let awaiting: Bool; let signedAt: String
    }
    struct OrgOption: Sendable { let id: Int64; let name: String; let selected: Bool }
    struct CategoryOption: Sendable { let code: String; let title: String }
    let layout: Layout
    let audit: AuditRow
    let linkEstate: Bool
    let linkProblems: Bool
    let findings: [AuditFindingRow]
    let hasFindings: Bool
    let signatures: [SignatureRow]
    let showPetition: Bool
    let canVerify: Bool
    let codes: [String]
    let hasCodes: Bool
    let canIssueCodes: Bool
    let canDecide: Bool
    let orgs: [OrgOption]
    let canAudit: Bool
    let canClose: Bool
    let hasReport: Bool
    let sheet: DisclosureSheet?
    let hasAccount: Bool
    let accountBank: String
    let accountNumber: String
    let accountOpened: String
    let categories: [CategoryOption]
    let decision: Field, reason: Field, org: Field, deadline: Field, bundle: Field
    let line: Field, issue: Field, amount: Field, category: Field, summary: Field, report: Field, rectification: Field, count: Field
    let formError: String?
}

struct AuditorOrgsPage: Sendable {
    struct Row: Sendable { let id: Int64; let name: String; let uscc: String; let contact: String; let clients: String; let members: String }
    let layout: Layout
    let rows: [Row]
    let empty: Bool
    let canManage: Bool
    let name: Field
    let uscc: Field
    let contact: Field
    let clients: Field
    let username: Field
    let formError: String?
}

/// The public petition page (联名申请审计) and the form that starts one.
struct PublicPetitionPage: Sendable {
    let layout: Layout
    let audit: AuditRow
    let open: Bool
    let awaitingCheck: Int
    let hasAwaiting: Bool
    let receipt: String?
    let name: Field
    let building: Field
    let room: Field
    let phone: Field
    let code: Field
    let formError: String?
}

struct PublicPetitionStartPage: Sendable {
    struct QuarterOption: Sendable { let value: String; let title: String; let selected: Bool }
    let layout: Layout
    let estateId: Int64
    let estateName: String
    let quarters: [QuarterOption]
    let hasQuarters: Bool
    let objection: Field
    let period: Field
    let name: Field
    let building: Field
    let room: Field
    let phone: Field
    let code: Field
    let formError: String?
}

/// The audit section of the public estate page: open petitions to sign, and audits with their results.
struct PublicAuditSection: Sendable {
    struct Result: Sendable { let audit: AuditRow; let findings: [AuditFindingRow]; let hasFindings: Bool }
    let estateId: Int64
    let open: [AuditRow]
    let hasOpen: Bool
    let results: [Result]
    let hasResults: Bool
}

extension PublicAuditSection {
    /// The section for an estate's public page.
    static func load(estateId: Int64, from audits: Audits) async throws -> PublicAuditSection {
        let (open, results) = try await audits.publicAudits(estateId: estateId)
        let rows = results.map { audit, findings in
            Result(audit: AuditRow(audit), findings: findings.map(AuditFindingRow.init), hasFindings: !findings.isEmpty)
        }
        return PublicAuditSection(estateId: estateId, open: open.map(AuditRow.init), hasOpen: !open.isEmpty, results: rows, hasResults: !rows.isEmpty)
    }
}
