import Foundation
import SQLKit

/// The validity stamps of the public pages (`PublicStamps`): per region path, the id of the last audit entry recorded at
/// that path; the empty key holds writes that concern every estate (no region, or a company's or the credit system's).
/// Bumped by `AuditLog.append` in the transaction of the write itself.
struct M0028_CreatePublicStamps: Migration {
    let version = 28
    let name = "0028_create_public_stamps"

    func prepare(on db: any SQLDatabase, dialect d: SchemaDialect) async throws {
        try await d.exec(db, """
            CREATE TABLE public_stamps (
                scope_key \(d.binaryText) PRIMARY KEY,
                audit_id BIGINT NOT NULL)
            """)
    }
}
