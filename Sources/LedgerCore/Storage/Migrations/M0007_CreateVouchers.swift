import Foundation
import SQLKit

/// Vouchers (凭证) attached to the lines of published versions; the files themselves live outside the database.
struct M0007_CreateVouchers: Migration {
    let version = 7
    let name = "0007_create_vouchers"

    func prepare(on db: any SQLDatabase, dialect d: SchemaDialect) async throws {
        try await d.exec(db, """
            CREATE TABLE vouchers (
                \(d.id),
                version_id BIGINT NOT NULL REFERENCES disclosure_versions(id),
                estate_id BIGINT NOT NULL REFERENCES estates(id),
                kind TEXT NOT NULL,
                position BIGINT NOT NULL,
                filename TEXT NOT NULL,
                content_type TEXT NOT NULL,
                size BIGINT NOT NULL,
                sha256 TEXT NOT NULL,
                uploaded_at TEXT NOT NULL,
                uploaded_by TEXT NOT NULL)
            """)
        try await d.exec(db, "CREATE INDEX vouchers_version ON vouchers(version_id, kind, position)")
    }
}
