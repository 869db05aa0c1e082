import Crypto
import Foundation
import SQLKit
import Synchronization

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
///
/// The log is a hash chain: each entry stores the hash of the one before it (`prev_hash`) and its own hash over that and
/// its fields (`entry_hash`), so rewriting, removing or inserting an entry anywhere but at the end breaks every later
/// hash (`AuditChainVerifier`). Entries recorded inside `Database.transaction` are held until the body has finished and
/// appended just before COMMIT, under a lock on PostgreSQL (SQLite has one writer), so the chain has one order and the
/// lock is always the last one a transaction takes.
public enum AuditLog {
    static let encoder: JSONEncoder = {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return encoder
    }()

    /// The hash the first entry chains from.
    public static let genesis = String(repeating: "0", count: 64)

    /// One entry waiting for its transaction's end.
    struct Pending: Sendable {
        let at: String
        let userId: Int64?
        let username: String
        let role: String
        let action: String
        let entity: String
        let entityId: String
        let regionPath: String?
        let beforeJSON: String?
        let afterJSON: String?
    }

    /// Entries of the running transaction, in the order recorded.
    final class Buffer: Sendable {
        let entries = Mutex<[Pending]>([])
    }

    @TaskLocal static var buffer: Buffer?

    /// Appends one entry. `before` and `after` are the entity as it was and as it is (nil when absent).
    public static func record(
        on db: any SQLDatabase, scope: Scope, at: Date, action: String, entity: String, entityId: String,
        regionPath: String?, before: (some Encodable)? = String?.none, after: (some Encodable)? = String?.none,
        role: String? = nil
    ) async throws {
        let beforeJSON = try before.map { String(decoding: try encoder.encode($0), as: UTF8.self) }
        let afterJSON = try after.map { String(decoding: try encoder.encode($0), as: UTF8.self) }
        let entry = Pending(at: Timestamp.storage(at), userId: scope.userId, username: scope.username, role: role ?? scope.role.rawValue,
                            action: action, entity: entity, entityId: entityId, regionPath: regionPath,
                            beforeJSON: beforeJSON, afterJSON: afterJSON)
        if let buffer {
            buffer.entries.withLock { $0.append(entry) }
        } else {
            try await append([entry], on: db)
        }
    }

    /// Appends entries to the chain (the caller is inside a transaction).
    static func append(_ entries: [Pending], on db: any SQLDatabase) async throws {
        guard !entries.isEmpty else { return }
        if db.dialect.name == "postgresql" {
            try await db.raw("SELECT pg_advisory_xact_lock(7432004)").run()
        }
        var previous = try await db.raw("SELECT entry_hash FROM audit_log ORDER BY id DESC LIMIT 1")
            .first(decodingColumn: "entry_hash", as: String?.self) ?? nil
        var stamps: [String: Int64] = [:]
        for entry in entries {
            let prev = previous ?? genesis
            let hash = chainHash(previous: prev, at: entry.at, userId: entry.userId, username: entry.username, role: entry.role,
                                 action: entry.action, entity: entry.entity, entityId: entry.entityId, regionPath: entry.regionPath,
                                 before: entry.beforeJSON, after: entry.afterJSON)
            let id = try await db.raw("""
                INSERT INTO audit_log (at, user_id, username, role, action, entity, entity_id, region_path, before_json, after_json,
                                       prev_hash, entry_hash)
                VALUES (\(bind: entry.at), \(bind: entry.userId), \(bind: entry.username), \(bind: entry.role),
                        \(bind: entry.action), \(bind: entry.entity), \(bind: entry.entityId), \(bind: entry.regionPath),
                        \(bind: entry.beforeJSON), \(bind: entry.afterJSON), \(bind: prev), \(bind: hash))
                RETURNING id
                """).first(decodingColumn: "id", as: Int64.self)
            if let id, let key = PublicStamps.key(entity: entry.entity, regionPath: entry.regionPath) { stamps[key] = id }
            previous = hash
        }
        try await PublicStamps.bump(stamps, on: db)
    }

    /// SHA-256 over the previous hash and every field, each written as its UTF-8 length and bytes (absent: `-`), so no
    /// two different entries share an encoding.
    public static func chainHash(previous: String, at: String, userId: Int64?, username: String, role: String, action: String,
                                 entity: String, entityId: String, regionPath: String?, before: String?, after: String?) -> String {
        var bytes: [UInt8] = []
        for field in [previous, at, userId.map(String.init), username, role, action, entity, entityId, regionPath, before, after] {
            if let field {
                bytes.append(contentsOf: Array("\(field.utf8.count):".utf8))
                bytes.append(contentsOf: Array(field.utf8))
            } else {
                bytes.append(UInt8(ascii: "-"))
            }
            bytes.append(UInt8(ascii: "|"))
        }
        return Hex.encode(SHA256.hash(data: bytes))
    }
}

/// Walks the audit log in id order and recomputes every entry's hash and link (`ledger verify`).
public struct AuditChainVerifier: Sendable {
    public struct Report: Sendable {
        public var checkedEntries = 0
        public var firstMismatch: String?
        public var ok: Bool { firstMismatch == nil }
    }

    let database: Database
    let batchSize: Int

    public init(database: Database, batchSize: Int = 1_000) {
        self.database = database
        self.batchSize = batchSize
    }

    public func verify() async throws -> Report {
        var report = Report()
        var previous = AuditLog.genesis
        var afterId: Int64 = 0
        while true {
            let rows = try await database.read { [batchSize, afterId] db in
                try await db.raw("""
                    SELECT id, at, user_id, username, role, action, entity, entity_id, region_path, before_json, after_json, prev_hash, entry_hash
                    FROM audit_log WHERE id > \(bind: afterId) ORDER BY id LIMIT \(literal: batchSize)
                    """).all()
            }
            if rows.isEmpty { break }
            for row in rows {
                let id = try row.decode(column: "id", as: Int64.self)
                let prev = try row.decode(column: "prev_hash", as: String?.self)
                let stored = try row.decode(column: "entry_hash", as: String?.self)
                guard prev == previous else {
                    report.firstMismatch = "审计日志第\(id)条的前序哈希与上一条不符（应为 \(previous)，记录为 \(prev ?? "空")），此前的记录被删除、插入或改动"
                    return report
                }
                let hash = AuditLog.chainHash(
                    previous: previous, at: try row.decode(column: "at", as: String.self), userId: try row.decode(column: "user_id", as: Int64?.self),
                    username: try row.decode(column: "username", as: String.self), role: try row.decode(column: "role", as: String.self),
                    action: try row.decode(column: "action", as: String.self), entity: try row.decode(column: "entity", as: String.self),
                    entityId: try row.decode(column: "entity_id", as: String.self), regionPath: try row.decode(column: "region_path", as: String?.self),
                    before: try row.decode(column: "before_json", as: String?.self), after: try row.decode(column: "after_json", as: String?.self))
                guard hash == stored else {
                    report.firstMismatch = "审计日志第\(id)条的内容与其哈希不符（记录为 \(stored ?? "空")，重算为 \(hash)），该条已被改动"
                    return report
                }
                previous = hash
                afterId = id
                report.checkedEntries += 1
            }
        }
        return report
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
        let pageSize = max(1, min(filter.pageSize, 20_000))   // a page shows 50; an export reads up to 20,000
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
