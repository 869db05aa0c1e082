import Foundation
import SQLKit

/// 站内消息: the in-app inbox. An event (a complaint received, a warning raised, a letter issued, a question asked, a
/// rectification submitted) calls `notify` inside its own transaction, so a notification exists exactly when the event
/// does; each one is also queued in the outbox for SMS or WeChat (`Outbox`). A user reads only their own (docs/design.md §29).
public struct Notifications: Sendable {
    /// One message in a user's inbox.
    public struct Notification: Sendable, Equatable {
        public let id: Int64
        public let kind: String
        public let title: String
        public let body: String
        public let link: String
        public let createdAt: String
        public let readAt: String?

        public var isRead: Bool { readAt != nil }
    }

    /// What a notification is about (the outbox's template key for a provider).
    public enum Kind: String, Sendable, CaseIterable {
        case complaintReceived = "complaint_received"
        case warningsRaised = "warnings_raised"
        case letterIssued = "letter_issued"
        case questionAsked = "question_asked"
        case rectificationSubmitted = "rectification_submitted"

        public var title: String {
            switch self {
            case .complaintReceived: "新投诉"
            case .warningsRaised: "新预警"
            case .letterIssued: "督办文书"
            case .questionAsked: "业主存疑"
            case .rectificationSubmitted: "整改待核验"
            }
        }
    }

    /// Who is told.
    public enum Recipients: Sendable {
        /// Every active account of a company.
        case company(Int64)
        /// The regulators and street officers of the county (district), street or community that holds `path` — the
        /// officers who handle it; the city and the province see it in their lists and dashboards, not in their inbox.
        case officers(coveringPath: String)
        /// Officials by login name (e.g. the officer who opened a problem and verifies its rectification), if active.
        case officials([String])
        /// Accounts by id.
        case users([Int64])

        /// Whether an officer bound to `officerPath` is among `.officers(coveringPath: path)`.
        public static func officerCovers(_ officerPath: String, _ path: String) -> Bool {
            officerPath.split(separator: "/").count >= 3 && path.hasPrefix(officerPath)
        }

        func predicate() -> SQLQueryString {
            switch self {
            case .company(let id):
                return "u.role = 'company' AND u.company_id = \(bind: id)"
            case .officers(let path):
                let codes = path.split(separator: "/").map(String.init)
                // Prefixes from the county down: /province/city/county/, …/street/, …/community/.
                let prefixes = codes.count < 3 ? [] : (3...codes.count).map { "/" + codes.prefix($0).joined(separator: "/") + "/" }
                guard !prefixes.isEmpty else { return "1 = 0" }
                return "u.role IN ('regulator', 'street') AND u.region_path IN (\(binds: prefixes))"
            case .officials(let names):
                guard !names.isEmpty else { return "1 = 0" }
                return "u.role IN ('admin', 'regulator', 'street') AND u.username IN (\(binds: names))"
            case .users(let ids):
                guard !ids.isEmpty else { return "1 = 0" }
                return "u.id IN (\(binds: ids))"
            }
        }
    }

    /// The outbox channel every notification is queued on; the deployment's `Notifier` decides SMS or WeChat per user.
    public static let defaultChannel = "default"

    let database: Database
    let clock: any LedgerClock

    public init(database: Database, clock: any LedgerClock) {
        self.database = database
        self.clock = clock
    }

    // MARK: Writing (inside the event's transaction)

    /// Creates one notification per active recipient, and its outbox message, in the caller's transaction; returns how
    /// many were created. The event's own audit entry records the event; the notifications are its consequence.
    @discardableResult
    public static func notify(_ recipients: Recipients, kind: Kind, body: String, link: String, at: Date, on db: any SQLDatabase) async throws -> Int {
        let users = try await db.raw("SELECT u.id, u.username FROM users u WHERE u.disabled = 0 AND \(recipients.predicate()) ORDER BY u.id").all()
        let now = Timestamp.storage(at)
        for user in users {
            let userId = try user.decode(column: "id", as: Int64.self)
            let id = try await db.raw("""
                INSERT INTO notifications (user_id, kind, title, body, link, created_at)
                VALUES (\(bind: userId), \(bind: kind.rawValue), \(bind: kind.title), \(bind: body), \(bind: link), \(bind: now)) RETURNING id
                """).first(decodingColumn: "id", as: Int64.self)!
            try await db.raw("""
                INSERT INTO outbox (notification_id, user_id, channel, recipient, kind, title, body, link, status, attempts, created_at)
                VALUES (\(bind: id), \(bind: userId), \(bind: defaultChannel), \(bind: try user.decode(column: "username", as: String.self)),
                        \(bind: kind.rawValue), \(bind: kind.title), \(bind: body), \(bind: link), 'pending', 0, \(bind: now))
                """).run()
        }
        return users.count
    }

    /// Every active regulator and street officer with the region they are bound to.
    public static func officers(on db: any SQLDatabase) async throws -> [(id: Int64, regionPath: String)] {
        try await db.raw("""
            SELECT u.id, u.region_path FROM users u WHERE u.disabled = 0 AND u.role IN ('regulator', 'street') AND u.region_path IS NOT NULL ORDER BY u.id
            """).all().map { (try $0.decode(column: "id", as: Int64.self), try $0.decode(column: "region_path", as: String.self)) }
    }

    // MARK: Reading (the user's own only)

    /// The user's inbox, unread first, newest first within each.
    public func inbox(scope: Scope, page: Int, pageSize: Int = 20) async throws -> Page<Notification> {
        guard let userId = scope.userId else { return Page(items: [], total: 0, page: 1, pageSize: pageSize) }
        let number = min(max(1, page), 100_000)
        return try await database.read { db in
            let total = try await db.raw("SELECT COUNT(*) AS n FROM notifications WHERE user_id = \(bind: userId)")
                .first(decodingColumn: "n", as: Int.self) ?? 0
            let items = try await db.raw("""
                SELECT id, kind, title, body, link, created_at, read_at FROM notifications WHERE user_id = \(bind: userId)
                ORDER BY CASE WHEN read_at IS NULL THEN 0 ELSE 1 END, id DESC LIMIT \(literal: pageSize) OFFSET \(literal: (number - 1) * pageSize)
                """).all(decoding: Notification.self, keyDecodingStrategy: .convertFromSnakeCase)
            return Page(items: items, total: total, page: number, pageSize: pageSize)
        }
    }

    /// How many of the user's notifications are unread (the menu shows it).
    public func unreadCount(userId: Int64) async throws -> Int {
        try await database.read { db in
            try await db.raw("SELECT COUNT(*) AS n FROM notifications WHERE user_id = \(bind: userId) AND read_at IS NULL")
                .first(decodingColumn: "n", as: Int.self) ?? 0
        }
    }

    /// Marks one of the user's own notifications read; another user's answers "not found", like one that does not exist.
    /// Returns it (its link is where the reader goes next).
    @discardableResult
    public func markRead(_ id: Int64, scope: Scope) async throws -> Notification {
        guard let userId = scope.userId else { throw LedgerError.notFound("消息") }
        let at = clock.now()
        return try await database.transaction { db in
            guard let before = try await db.raw("""
                SELECT id, kind, title, body, link, created_at, read_at FROM notifications WHERE id = \(bind: id) AND user_id = \(bind: userId)
                """).first(decoding: Notification.self, keyDecodingStrategy: .convertFromSnakeCase) else { throw LedgerError.notFound("消息") }
            guard before.readAt == nil else { return before }
            try await db.raw("UPDATE notifications SET read_at = \(bind: Timestamp.storage(at)) WHERE id = \(bind: id) AND user_id = \(bind: userId)").run()
            try await AuditLog.record(on: db, scope: scope, at: at, action: "read", entity: "notification", entityId: "\(id)", regionPath: nil)
            return Notification(id: before.id, kind: before.kind, title: before.title, body: before.body, link: before.link,
                                createdAt: before.createdAt, readAt: Timestamp.storage(at))
        }
    }

    /// Marks every unread notification of the user read; returns how many.
    @discardableResult
    public func markAllRead(scope: Scope) async throws -> Int {
        guard let userId = scope.userId else { return 0 }
        let at = clock.now()
        return try await database.transaction { db in
            let count = try await db.raw("SELECT COUNT(*) AS n FROM notifications WHERE user_id = \(bind: userId) AND read_at IS NULL")
                .first(decodingColumn: "n", as: Int.self) ?? 0
            guard count > 0 else { return 0 }
            try await db.raw("UPDATE notifications SET read_at = \(bind: Timestamp.storage(at)) WHERE user_id = \(bind: userId) AND read_at IS NULL").run()
            try await AuditLog.record(on: db, scope: scope, at: at, action: "read_all", entity: "notification", entityId: "user/\(userId)",
                                      regionPath: nil, after: ["count": count])
            return count
        }
    }
}

extension Notifications.Notification: Decodable {}
