import Foundation
import SQLKit

/// One entry of the append-only audit log.
public struct AuditEntry: Sendable, Codable, Equatable {
    public let id: Int64
    public let at: String
    public let userId: Int64?
    public let username: String
    public let role: String
    public let action: String
    public let entity: String
    public let entityId: String
    public let beforeJson: String?
    public let afterJson: String?
}

/// Writes and reads the audit log. Writing happens inside the caller's transaction, so an entry exists
/// exactly when its change does.
public enum AuditLog {
    static let encoder: JSONEncoder = {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return encoder
    }()

    /// Appends one entry. `before` and `after` are the entity as it was and as it is (nil when absent).
    public static func record(
        on db: any SQLDatabase, scope: Scope, at: Date, action: String, entity: String, entityId: String,
        regionPath: String?, before: (some Encodable)? = String?.none, after: (some Encodable)? = String?.none,
        role: String? = nil
    ) async throws {
        let beforeJSON = try before.map { String(decoding: try encoder.encode($0), as: UTF8.self) }
        let afterJSON = try after.map { String(decoding: try encoder.encode($0), as: UTF8.self) }
        try await db.raw("""
            INSERT INTO audit_log (at, user_id, username, role, action, entity, entity_id, region_path, before_json, after_json)
            VALUES (\(bind: Timestamp.storage(at)), \(bind: scope.userId), \(bind: scope.username), \(bind: role ?? scope.role.rawValue),
                    \(bind: action), \(bind: entity), \(bind: entityId), \(bind: regionPath), \(bind: beforeJSON), \(bind: afterJSON))
            """).run()
    }
}

/// Filters for browsing the audit log.
public struct AuditFilter: Sendable {
    public var username = ""
    public var entity = ""
    public var action = ""
    public var from: Day?
    public var until: Day?
    public var page = 1
    public var pageSize = 50

    public init() {}
}

extension AuditLog {
    /// Entries visible to the scope: all for admin; for oversight, those about its region or by its region's users.
    public static func entries(in database: Database, scope: Scope, filter: AuditFilter) async throws -> Page<AuditEntry> {
        guard scope.canReadAuditLog else { throw LedgerError.forbidden }
        var conditions: [SQLQueryString] = []
        if scope.role != .admin {
            let own = Scope.pathPredicate("region_path", scope.regionPath)
            let byUser = Scope.pathPredicate("u.region_path", scope.regionPath)
            conditions.append("(\(own) OR user_id IN (SELECT u.id FROM users u WHERE \(byUser)))")
        }
        if !filter.username.isEmpty { conditions.append("username = \(bind: filter.username)") }
        if !filter.entity.isEmpty { conditions.append("entity = \(bind: filter.entity)") }
        if !filter.action.isEmpty { conditions.append("action = \(bind: filter.action)") }
        if let from = filter.from { conditions.append("at >= \(bind: from.description)") }
        if let until = filter.until { conditions.append("at < \(bind: until.description + "T24")") }
        let whereClause: SQLQueryString = conditions.isEmpty ? "" : "WHERE " + conditions.joined(separator: " AND ")
        let page = min(max(1, filter.page), 1_000_000)
        let pageSize = max(1, min(filter.pageSize, 200))
        return try await database.read { db in
            let total = try await db.raw("SELECT COUNT(*) AS n FROM audit_log \(whereClause)").first(decodingColumn: "n", as: Int.self) ?? 0
            let items = try await db.raw("""
                SELECT id, at, user_id, username, role, action, entity, entity_id, before_json, after_json
                FROM audit_log \(whereClause) ORDER BY id DESC LIMIT \(literal: pageSize) OFFSET \(literal: (page - 1) * pageSize)
                """).all(decoding: AuditEntry.self, keyDecodingStrategy: .convertFromSnakeCase)
            return Page(items: items, total: total, page: page, pageSize: pageSize)
        }
    }
}
