import Foundation
import LedgerCore

struct EstateChoice: Sendable {
    let id: Int64
    let label: String
    let selected: Bool
}

struct HiddenField: Sendable {
    let name: String
    let value: String
}

/// The category tree as `<optgroup>`s.
struct CategoryGroup: Sendable {
    let title: String
    let options: [Option]

    static func all(selected: String) -> [CategoryGroup] {
        ProblemCategory.groups.map { group in
            CategoryGroup(title: group, options: ProblemCategory.all.filter { $0.group == group }
                .map { Option(value: $0.code, label: ($0.parent == nil ? "" : "　") + $0.title, selected: $0.code == selected) })
        }
    }
}

struct ComplaintFormPage: Sendable {
    let layout: Layout
    let query: String
    let estates: [EstateChoice]
    let searched: Bool
    let categories: [CategoryGroup]
    let content: Field
    let name: Field
    let phone: Field
    let estateError: String?
    let categoryError: String?
    let formError: String?
}

struct SimilarRow: Sendable {
    let day: String
    let category: String
    let status: String
}

struct ComplaintConfirmPage: Sendable {
    let layout: Layout
    let estateName: String
    let categoryTitle: String
    let fields: [HiddenField]
    let content: String
    let anonymous: Bool
    let similar: [SimilarRow]
    let hasSimilar: Bool
}

struct TrackingView: Sendable {
    struct Step: Sendable { let at: String; let note: String }
    let code: String
    let estate: String
    let category: String
    let source: String
    let receivedAt: String
    let deadline: String
    let status: String
    let statusTitle: String
    let outcome: String?
    let closedAt: String?
    let steps: [Step]
    /// The public reply (of the closure, or the latest given during handling).
    let reply: String?
    let repliedAt: String?
    /// The rating given to this closure: its title, comment and time.
    let rating: String?
    let ratingComment: String?
    let ratedAt: String?
    let canRate: Bool
    let ratingChoices: [Option]
    let comment: String
    let rateUntil: String
    let ratingDays: Int
    let ratingExpired: Bool

    init(_ t: Complaints.Tracking, chosen: String = "", comment: String = "") {
        code = t.trackingCode
        estate = t.estateName
        category = t.categoryTitle
        source = t.sourceTitle
        receivedAt = Timestamp.display(stored: t.receivedAt)
        deadline = t.deadline ?? "—"
        status = t.status.rawValue
        statusTitle = t.status.title
        outcome = t.outcome?.title
        closedAt = t.closedAt.map(Timestamp.display(stored:))
        steps = t.publicEvents.map { Step(at: Timestamp.display(stored: $0.at), note: $0.note) }
        reply = t.reply
        repliedAt = t.repliedAt.map(Timestamp.display(stored:))
        rating = t.rating?.rating.title
        ratingComment = t.rating?.comment
        ratedAt = t.rating.map { Timestamp.display(stored: $0.ratedAt) }
        canRate = t.canRate
        ratingChoices = ComplaintRating.allCases.map { Option(value: $0.rawValue, label: $0.title, selected: $0.rawValue == chosen) }
        self.comment = comment
        rateUntil = t.rateUntil ?? ""
        ratingDays = t.ratingDays
        ratingExpired = t.ratingExpired
    }
}

struct ComplaintTrackPage: Sendable {
    let layout: Layout
    let code: String
    let filed: Bool
    let tracking: TrackingView?
    let lookupError: String?
    /// The rating form's errors, beside their fields; any other refusal (already rated, window passed) above the form.
    let ratingError: String?
    let commentError: String?
    let formError: String?
}

/// One complaint as a list row (personal data masked).
struct ComplaintRow: Sendable {
    let id: Int64
    let code: String
    let source: String
    let estateId: Int64
    let estate: String
    let category: String
    let content: String
    let complainant: String
    let receivedAt: String
    let handlingUnit: String
    let deadline: String
    let status: String
    let statusTitle: String
    let outcome: String
    let overdue: Bool

    init(_ c: Complaints.Complaint, today: Day) {
        id = c.id
        code = c.trackingCode
        source = c.source.title
        estateId = c.estateId
        estate = c.estateName
        category = c.categoryTitle
        content = CaseCell.detail(c.content).text
        complainant = c.maskedName
        receivedAt = Timestamp.display(stored: c.receivedAt)
        handlingUnit = c.handlingRegionName ?? "—"
        deadline = c.deadline ?? "—"
        status = c.status.rawValue
        statusTitle = c.status.title + (c.reopenedCount > 0 ? "（重办\(c.reopenedCount)次）" : "")
        outcome = c.outcome?.title ?? ""
        overdue = c.isOverdue(today: today)
    }
}

struct ComplaintIntakePage: Sendable {
    let layout: Layout
    let sources: [Option]
    let categories: [CategoryGroup]
    let estate: Field
    let sourceRef: Field
    let content: Field
    let name: Field
    let phone: Field
    let sourceError: String?
    let categoryError: String?
}

struct ComplaintDetailPage: Sendable {
    struct EventRow: Sendable { let at: String; let username: String; let role: String; let action: String; let note: String; let isPublic: Bool }
    struct ActionForm: Sendable {
        let action: String
        let title: String
        let isAssign: Bool
        let isClose: Bool
        let isTransfer: Bool
        let isProblem: Bool
        let noteLabel: String
        let noteRequired: Bool
        let note: String
        /// The close form's public reply to the complainant, kept when the form comes back with errors.
        let reply: String
        let error: String?
        let outcomeError: String?
        let replyError: String?
    }

    let layout: Layout
    let row: ComplaintRow
    let sourceRef: String
    let content: String
    let name: String
    let phone: String
    let unmasked: Bool
    let canUnmask: Bool
    let reply: String?
    let transferDecision: String?
    let closureNote: String?
    let problemId: Int64?
    let events: [EventRow]
    let actions: [ActionForm]
    let hasActions: Bool
    let units: [Option]
    let outcomes: [Option]
    let categories: [CategoryGroup]
    let formError: String?
}

extension CaseListing where Kind == Complaints {
    /// The complaint inbox.
    static var complaints: CaseListing {
        CaseListing(path: "/complaints", title: "投诉举报", searchPlaceholder: "查询码、来源编号、小区或内容", dateLabel: "受理",
                    exportLabel: "台账（温县附件5格式，投诉人信息已脱敏）", emptyText: "没有符合条件的投诉。", tableId: "complaint-table",
                    columns: ["查询码", "来源", "小区", "类别", "内容", "投诉人", "受理时间", "承办单位", "时限", "状态"],
                    sortKeys: ["小区": "estate", "受理时间": "received", "时限": "deadline", "状态": "status"]) { complaint, today in
            let r = ComplaintRow(complaint, today: today)
            return [CaseCell(text: r.code, href: "/complaints/\(r.id)"), CaseCell(text: r.source), CaseCell(text: r.estate), CaseCell(text: r.category),
                    CaseCell(text: r.content, detail: true), CaseCell(text: r.complainant), CaseCell(text: r.receivedAt), CaseCell(text: r.handlingUnit),
                    CaseCell(text: r.deadline, warn: r.overdue ? "逾期" : nil), CaseCell(text: r.statusTitle, sub: r.outcome.isEmpty ? nil : r.outcome)]
        }
    }
}
