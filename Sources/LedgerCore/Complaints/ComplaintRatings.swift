import Foundation
import SQLKit

/// The complainant's rating of a closure (满意度评价, the 回访 of Putian §四(一): answer the complainant, raise 满意度).
public enum ComplaintRating: String, CaseCode, Codable {
    case satisfied, basicallySatisfied = "basically_satisfied", dissatisfied

    public var title: String {
        switch self {
        case .satisfied: "满意"
        case .basicallySatisfied: "基本满意"
        case .dissatisfied: "不满意"
        }
    }
}

/// Rating a closure from the tracking page: one rating per closure, within the region's window after closing
/// (`complaint_rating.days`, default `Complaints.reopenDays`); 不满意 reopens the complaint (docs/design.md §28).
extension Complaints {
    /// The rating of the complaint's latest closure, if given.
    public struct GivenRating: Sendable {
        public let rating: ComplaintRating
        public let comment: String?
        public let ratedAt: String
    }

    /// What became of a rating: recorded, and whether it reopened the complaint (with its new deadline).
    public struct RatingResult: Sendable {
        public let rating: ComplaintRating
        public let reopenedUntil: String?
    }

    /// Records the complainant's rating of the current closure. Refused (nothing written) when the code is unknown, the
    /// complaint is not closed, this closure is already rated or the window has passed. 不满意 reopens: back to 办理中
    /// with the same handler, a new deadline from the source's handling days, an event the handler reads.
    @discardableResult
    public func rate(code raw: String, rating: ComplaintRating?, comment rawComment: String) async throws -> RatingResult {
        var reader = InputReader(["comment": rawComment])
        if rating == nil { reader.errors.add("rating", code: "required", "请选择评价：满意、基本满意或不满意") }
        let comment = reader.text("comment", label: "评价说明", required: false, max: 500)
        try reader.errors.throwIfAny()
        guard let rating else { throw reader.errors }
        let code = raw.trimmingCharacters(in: .whitespaces).uppercased()
        let at = clock.now()
        return try await database.transaction { db in
            guard code.count == 12, let found = try await Self.find(code: code, on: db) else { throw Self.unknownCode }
            try await db.lockRow("complaints", id: found.id)
            let complaint = try await Self.find(found.id, scope: .system, on: db)!
            guard complaint.status == .closed, let closedAt = complaint.closedAt else {
                throw LedgerError(.conflict, code: "not_closed", message: "该投诉尚未办结，办结后才能评价", field: "rating")
            }
            if try await Self.rating(of: complaint, on: db) != nil {
                throw LedgerError(.conflict, code: "already_rated", message: "本次办结已经评价过，每次办结只能评价一次", field: "rating")
            }
            let days = try await RegionSettings.value(Self.ratingDaysKey, at: complaint.regionPath, on: db)
            guard Self.withinWindow(closedAt: closedAt, days: days, now: at) else {
                throw LedgerError(.conflict, code: "rating_expired",
                                  message: "办结已超过\(days)天，评价已截止；如问题仍然存在，请重新投诉", field: "rating")
            }
            let now = Timestamp.storage(at)
            try await db.raw("""
                INSERT INTO complaint_ratings (complaint_id, round, rating, comment, closed_at, outcome, rated_at, estate_id, region_path)
                VALUES (\(bind: complaint.id), \(bind: complaint.reopenedCount), \(bind: rating.rawValue), \(bind: comment.isEmpty ? nil : comment),
                        \(bind: closedAt), \(bind: complaint.outcome?.rawValue), \(bind: now), \(bind: complaint.estateId), \(bind: complaint.regionPath))
                """).run()
            let said = comment.isEmpty ? "" : "：\(comment)"
            try await Casework.record(Complaints.self, complaint.id, at: at, username: "complainant", role: "anonymous", action: "rate",
                                      note: "投诉人评价：\(rating.title)\(said)", isPublic: true, on: db)
            var reopenedUntil: String?
            if rating == .dissatisfied {
                let handlingDays = try await RegionSettings.value("complaint_days.\(complaint.source.rawValue)", at: complaint.regionPath, on: db)
                let deadline = Day(Timestamp.shanghaiDay(at))!.addingWorkingDays(handlingDays)
                try await db.raw("""
                    UPDATE complaints SET status = 'assigned', outcome = NULL, closed_at = NULL, reopened_count = reopened_count + 1,
                    deadline = \(bind: deadline.description), updated_at = \(bind: now) WHERE id = \(bind: complaint.id)
                    """).run()
                try await Casework.record(Complaints.self, complaint.id, at: at, username: "complainant", role: "anonymous", action: "reopen",
                                          note: "投诉人不满意，重新办理\(said)。新的办理时限 \(deadline)", isPublic: true, on: db)
                reopenedUntil = deadline.description
            }
            let public_ = Scope(userId: nil, username: "complainant", role: .auditor, regionPath: nil, companyId: nil, estateId: nil)
            try await AuditLog.record(on: db, scope: public_, at: at, action: "rate", entity: "complaint", entityId: "\(complaint.id)",
                                      regionPath: complaint.regionPath, before: ["status": complaint.status.rawValue],
                                      after: ["rating": rating.rawValue, "round": "\(complaint.reopenedCount)",
                                              "status": reopenedUntil == nil ? "closed" : "assigned", "deadline": reopenedUntil ?? ""],
                                      role: "anonymous")
            return RatingResult(rating: rating, reopenedUntil: reopenedUntil)
        }
    }

    /// The per-region setting that holds the rating window in days.
    public static let ratingDaysKey = "complaint_rating.days"

    static func withinWindow(closedAt: String, days: Int, now: Date) -> Bool {
        guard let closed = Timestamp.parse(closedAt) else { return false }
        return now.timeIntervalSince(closed) <= Double(days) * 86_400
    }

    /// The rating of the complaint's current closure (its round is the number of reopenings so far).
    static func rating(of complaint: Complaint, on db: any SQLDatabase) async throws -> GivenRating? {
        guard let row = try await db.raw("""
            SELECT rating, comment, rated_at FROM complaint_ratings WHERE complaint_id = \(bind: complaint.id) AND round = \(bind: complaint.reopenedCount)
            """).first() else { return nil }
        return GivenRating(rating: ComplaintRating(rawValue: try row.decode(column: "rating", as: String.self)) ?? .satisfied,
                           comment: try row.decode(column: "comment", as: String?.self), ratedAt: try row.decode(column: "rated_at", as: String.self))
    }
}
