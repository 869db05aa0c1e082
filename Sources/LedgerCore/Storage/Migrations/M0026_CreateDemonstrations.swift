import Foundation
import SQLKit

/// 示范小区: nominations of estates by their district or street, confirmed or refused by the city.
struct M0026_CreateDemonstrations: Migration {
    let version = 26
    let name = "0026_create_demonstrations"

    func prepare(on db: any SQLDatabase, dialect d: SchemaDialect) async throws {
        try await d.exec(db, """
            CREATE TABLE demonstrations (
                \(d.id),
                estate_id BIGINT NOT NULL REFERENCES estates(id),
                region_path \(d.binaryText) NOT NULL,
                criteria TEXT NOT NULL,
                evidence TEXT NOT NULL,
                status TEXT NOT NULL,
                nominated_at TEXT NOT NULL,
                nominated_by TEXT NOT NULL,
                decided_at TEXT,
                decided_by TEXT,
                reason TEXT)
            """)
        try await d.exec(db, "CREATE INDEX demonstrations_region ON demonstrations(region_path)")
        try await d.exec(db, "CREATE INDEX demonstrations_estate ON demonstrations(estate_id)")
    }
}
