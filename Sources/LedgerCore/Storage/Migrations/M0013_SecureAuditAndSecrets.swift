import Foundation
import SQLKit

/// Security hardening (issue #10):
/// - the audit log becomes a hash chain: existing entries are chained in id order, once, with the append-only triggers
///   lifted for that alone; PostgreSQL also refuses `TRUNCATE` on it from now on;
/// - `installation_secrets` keeps per-installation keys created on first start (the rate-limit address key);
/// - complaint events get the wording the complainant sees (`public_note`), apart from the internal note.
struct M0013_SecureAuditAndSecrets: Migration {
    let version = 13
    let name = "0013_secure_audit_and_secrets"

    func prepare(on db: any SQLDatabase, dialect d: SchemaDialect) async throws {
        try await d.exec(db, "ALTER TABLE complaint_events ADD COLUMN public_note TEXT")
        try await d.exec(db, """
            CREATE TABLE installation_secrets (
                name TEXT PRIMARY KEY,
                value TEXT NOT NULL,
                created_at TEXT NOT NULL)
            """)
        try await d.exec(db, "ALTER TABLE audit_log ADD COLUMN prev_hash TEXT")
        try await d.exec(db, "ALTER TABLE audit_log ADD COLUMN entry_hash TEXT")
        switch d.kind {
        case .sqlite:
            try await d.exec(db, "DROP TRIGGER audit_log_no_update")
        case .postgres:
            try await d.exec(db, "DROP TRIGGER audit_log_append_only ON audit_log")
        }
        var previous = AuditLog.genesis
        var afterId: Int64 = 0
        while true {
            let rows = try await db.raw("""
                SELECT id, at, user_id, username, role, action, entity, entity_id, region_path, before_json, after_json
                FROM audit_log WHERE id > \(bind: afterId) ORDER BY id LIMIT 1000
                """).all()
            if rows.isEmpty { break }
            for row in rows {
                let id = try row.decode(column: "id", as: Int64.self)
                let hash = AuditLog.chainHash(
                    previous: previous, at: try row.decode(column: "at", as: String.self), userId: try row.decode(column: "user_id", as: Int64?.self),
                    username: try row.decode(column: "username", as: String.self), role: try row.decode(column: "role", as: String.self),
                    action: try row.decode(column: "action", as: String.self), entity: try row.decode(column: "entity", as: String.self),
                    entityId: try row.decode(column: "entity_id", as: String.self), regionPath: try row.decode(column: "region_path", as: String?.self),
                    before: try row.decode(column: "before_json", as: String?.self), after: try row.decode(column: "after_json", as: String?.self))
                try await db.raw("UPDATE audit_log SET prev_hash = \(bind: previous), entry_hash = \(bind: hash) WHERE id = \(bind: id)").run()
                previous = hash
                afterId = id
            }
        }
        switch d.kind {
        case .sqlite:
            try await d.exec(db, """
                CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
                BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END
                """)
        case .postgres:
            try await d.exec(db, """
                CREATE TRIGGER audit_log_append_only BEFORE UPDATE OR DELETE ON audit_log
                FOR EACH ROW EXECUTE FUNCTION audit_log_append_only()
                """)
            try await d.exec(db, """
                CREATE TRIGGER audit_log_no_truncate BEFORE TRUNCATE ON audit_log
                FOR EACH STATEMENT EXECUTE FUNCTION audit_log_append_only()
                """)
        }
    }
}
