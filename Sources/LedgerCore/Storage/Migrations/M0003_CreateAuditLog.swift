import Foundation
import SQLKit

/// The append-only audit log. Triggers refuse UPDATE and DELETE, so not even a bug can rewrite history.
struct M0003_CreateAuditLog: Migration {
    let version = 3
    let name = "0003_create_audit_log"

    func prepare(on db: any SQLDatabase, dialect d: SchemaDialect) async throws {
        try await d.exec(db, """
            CREATE TABLE audit_log (
                \(d.id),
                at TEXT NOT NULL,
                user_id BIGINT,
                username TEXT NOT NULL,
                role TEXT NOT NULL,
                action TEXT NOT NULL,
                entity TEXT NOT NULL,
                entity_id TEXT NOT NULL,
                region_path \(d.binaryText),
                before_json TEXT,
                after_json TEXT)
            """)
        try await d.exec(db, "CREATE INDEX audit_log_at ON audit_log(at)")
        try await d.exec(db, "CREATE INDEX audit_log_entity ON audit_log(entity, entity_id)")
        switch d.kind {
        case .sqlite:
            try await d.exec(db, """
                CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
                BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END
                """)
            try await d.exec(db, """
                CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log
                BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END
                """)
        case .postgres:
            try await d.exec(db, """
                CREATE FUNCTION audit_log_append_only() RETURNS trigger AS $$
                BEGIN RAISE EXCEPTION 'audit_log is append-only'; END; $$ LANGUAGE plpgsql
                """)
            try await d.exec(db, """
                CREATE TRIGGER audit_log_append_only BEFORE UPDATE OR DELETE ON audit_log
                FOR EACH ROW EXECUTE FUNCTION audit_log_append_only()
                """)
        }
    }
}
