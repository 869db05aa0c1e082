import Foundation
import SQLKit

/// The dashboard's subtree parts kept in the database (`Dashboard.part`), each with the stamp it was counted for, so
/// that a restarted server — or another server over the same PostgreSQL — reads a street's or a district's figures
/// instead of counting them again (issue #16 item 5: a cold province view). Derived data: a row whose stamp no longer
/// holds is counted again and replaced; none is a record of anything, so writing one is not audited.
struct M0034_CreateDashboardParts: Migration {
    let version = 34
    let name = "0034_create_dashboard_parts"

    func prepare(on db: any SQLDatabase, dialect d: SchemaDialect) async throws {
        try await d.exec(db, """
            CREATE TABLE dashboard_parts (
                part_key TEXT PRIMARY KEY,
                stamp TEXT NOT NULL,
                body TEXT NOT NULL)
            """)
    }
}
