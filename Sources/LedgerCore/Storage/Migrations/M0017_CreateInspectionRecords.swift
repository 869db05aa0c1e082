import Foundation
import SQLKit

/// Inspection records: a visit to an estate (of a spot-check plan or not) against the checklist; every 不符合 becomes a
/// problem (source `inspection`).
struct M0017_CreateInspectionRecords: Migration {
    let version = 17
    let name = "0017_create_inspection_records"

    func prepare(on db: any SQLDatabase, dialect d: SchemaDialect) async throws {
        try await d.exec(db, """
            CREATE TABLE inspection_records (
                \(d.id),
                plan_id BIGINT REFERENCES inspection_plans(id),
                estate_id BIGINT NOT NULL REFERENCES estates(id),
                company_id BIGINT REFERENCES companies(id),
                region_path \(d.binaryText) NOT NULL,
                inspected_on TEXT NOT NULL,
                checklist_version INTEGER NOT NULL,
                answers TEXT NOT NULL,
                failed INTEGER NOT NULL,
                recorded_at TEXT NOT NULL,
                recorded_by TEXT NOT NULL)
            """)
        try await d.exec(db, "CREATE INDEX inspection_records_region ON inspection_records (region_path, inspected_on)")
        try await d.exec(db, "CREATE INDEX inspection_records_estate ON inspection_records (estate_id)")
    }
}
