import Foundation
import SQLKit

/// Spot-check plans (抽查计划, 双随机一公开): the inspector register, each plan with the eligible list and inspector pool
/// fixed at publication (and their hash), the seed typed in afterwards, and the drawn estates and inspectors.
struct M0016_CreateInspectionPlans: Migration {
    let version = 16
    let name = "0016_create_inspection_plans"

    func prepare(on db: any SQLDatabase, dialect d: SchemaDialect) async throws {
        try await d.exec(db, """
            CREATE TABLE inspectors (
                \(d.id),
                region_code TEXT NOT NULL REFERENCES regions(code),
                name TEXT NOT NULL,
                organisation TEXT NOT NULL,
                street_code TEXT,
                conflicts TEXT NOT NULL DEFAULT '',
                active INTEGER NOT NULL DEFAULT 1,
                created_at TEXT NOT NULL)
            """)
        try await d.exec(db, "CREATE INDEX inspectors_region ON inspectors (region_code)")
        try await d.exec(db, """
            CREATE TABLE inspection_plans (
                \(d.id),
                region_code TEXT NOT NULL REFERENCES regions(code),
                region_path \(d.binaryText) NOT NULL,
                year INTEGER NOT NULL,
                quarter INTEGER,
                ratio_bp INTEGER NOT NULL,
                seed_source TEXT NOT NULL,
                eligible TEXT NOT NULL,
                forced TEXT NOT NULL,
                pool TEXT NOT NULL,
                eligible_hash TEXT NOT NULL,
                method TEXT NOT NULL,
                seed TEXT,
                status TEXT NOT NULL,
                published_at TEXT NOT NULL,
                published_by TEXT NOT NULL,
                drawn_at TEXT,
                drawn_by TEXT)
            """)
        try await d.exec(db, "CREATE INDEX inspection_plans_region ON inspection_plans (region_path)")
        try await d.exec(db, """
            CREATE TABLE inspection_plan_estates (
                plan_id BIGINT NOT NULL REFERENCES inspection_plans(id),
                estate_id BIGINT NOT NULL REFERENCES estates(id),
                forced INTEGER NOT NULL,
                PRIMARY KEY (plan_id, estate_id))
            """)
        try await d.exec(db, """
            CREATE TABLE inspection_plan_inspectors (
                plan_id BIGINT NOT NULL REFERENCES inspection_plans(id),
                estate_id BIGINT NOT NULL REFERENCES estates(id),
                inspector_id BIGINT NOT NULL REFERENCES inspectors(id),
                position INTEGER NOT NULL,
                PRIMARY KEY (plan_id, estate_id, inspector_id))
            """)
    }
}
