import Foundation
import SQLKit

/// Checklists per region, versioned (the built-in version 1 needs no row), and companies' self-inspections (自查自纠)
/// against them, with the official's finding that one was false (弄虚作假).
struct M0018_CreateSelfInspections: Migration {
    let version = 18
    let name = "0018_create_self_inspections"

    func prepare(on db: any SQLDatabase, dialect d: SchemaDialect) async throws {
        try await d.exec(db, """
            CREATE TABLE checklist_versions (
                \(d.id),
                version INTEGER NOT NULL UNIQUE,
                region_code TEXT NOT NULL REFERENCES regions(code),
                region_path \(d.binaryText) NOT NULL,
                items TEXT NOT NULL,
                note TEXT NOT NULL,
                created_at TEXT NOT NULL,
                created_by TEXT NOT NULL)
            """)
        try await d.exec(db, "CREATE INDEX checklist_versions_region ON checklist_versions (region_code, version)")
        try await d.exec(db, """
            CREATE TABLE self_inspections (
                \(d.id),
                estate_id BIGINT NOT NULL REFERENCES estates(id),
                company_id BIGINT NOT NULL REFERENCES companies(id),
                region_path \(d.binaryText) NOT NULL,
                year INTEGER NOT NULL,
                quarter INTEGER NOT NULL,
                campaign_id BIGINT REFERENCES campaigns(id),
                campaign_phase TEXT,
                checklist_version INTEGER NOT NULL,
                answers TEXT NOT NULL,
                conforms INTEGER NOT NULL,
                fails INTEGER NOT NULL,
                not_applicable INTEGER NOT NULL,
                filed_at TEXT NOT NULL,
                filed_by TEXT NOT NULL,
                false_at TEXT,
                false_by TEXT,
                false_note TEXT,
                false_problem_id BIGINT REFERENCES problems(id),
                UNIQUE (estate_id, year, quarter))
            """)
        try await d.exec(db, "CREATE INDEX self_inspections_region ON self_inspections (region_path, year, quarter)")
        try await d.exec(db, "CREATE INDEX self_inspections_company ON self_inspections (company_id, year, quarter)")
        try await d.exec(db, "CREATE INDEX self_inspections_false ON self_inspections (false_at)")
    }
}
