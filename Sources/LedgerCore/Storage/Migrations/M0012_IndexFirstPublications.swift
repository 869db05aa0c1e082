import Foundation
import SQLKit

/// A covering index for the dashboard's read of every estate's first publication per quarter within a region
/// (version 1 rows): a range over the region's path that never touches the table.
struct M0012_IndexFirstPublications: Migration {
    let version = 12
    let name = "0012_index_first_publications"

    func prepare(on db: any SQLDatabase, dialect d: SchemaDialect) async throws {
        try await d.exec(db, """
            CREATE INDEX disclosure_versions_first ON disclosure_versions(region_path, version, year, quarter, estate_id, published_at, leaf_index)
            """)
    }
}
