import Foundation
import SQLKit

/// 行风监督员: the inspector register also lists the conduct supervisors who may be added to any visit (never drawn),
/// and a visit records the one who came along.
struct M0022_InspectionSupervisors: Migration {
    let version = 22
    let name = "0022_inspection_supervisors"

    func prepare(on db: any SQLDatabase, dialect d: SchemaDialect) async throws {
        try await d.exec(db, "ALTER TABLE inspectors ADD COLUMN kind TEXT NOT NULL DEFAULT 'inspector'")
        try await d.exec(db, "ALTER TABLE inspection_records ADD COLUMN supervisor_id BIGINT REFERENCES inspectors(id)")
    }
}
