import Foundation
import SQLKit

/// The estate list is sorted by name (or households) within a jurisdiction; covering indexes let a page's ids be
/// chosen from the index alone.
struct M0004_IndexEstateNames: Migration {
    let version = 4
    let name = "0004_index_estate_names"

    func prepare(on db: any SQLDatabase, dialect d: SchemaDialect) async throws {
        try await d.exec(db, "CREATE INDEX estates_region_name ON estates(region_path, name, id)")
        try await d.exec(db, "CREATE INDEX estates_region_households ON estates(region_path, households, id)")
    }
}
