import Foundation
import SQLKit

/// Warnings found by the rules, with their lifecycle; and rule parameters set per region.
struct M0008_CreateWarnings: Migration {
    let version = 8
    let name = "0008_create_warnings"

    func prepare(on db: any SQLDatabase, dialect d: SchemaDialect) async throws {
        try await d.exec(db, """
            CREATE TABLE warnings (
                \(d.id),
                rule TEXT NOT NULL,
                estate_id BIGINT NOT NULL REFERENCES estates(id),
                company_id BIGINT REFERENCES companies(id),
                region_path \(d.binaryText) NOT NULL,
                year BIGINT NOT NULL,
                quarter BIGINT NOT NULL,
                severity TEXT NOT NULL,
                status TEXT NOT NULL,
                detail TEXT NOT NULL,
                opened_at TEXT NOT NULL,
                updated_at TEXT NOT NULL,
                closed_reason TEXT)
            """)
        try await d.exec(db, "CREATE INDEX warnings_subject ON warnings(rule, estate_id, year, quarter, status)")
        try await d.exec(db, "CREATE INDEX warnings_region ON warnings(region_path, status)")
        try await d.exec(db, """
            CREATE TABLE warning_parameters (
                region_code TEXT NOT NULL REFERENCES regions(code),
                rule TEXT NOT NULL,
                name TEXT NOT NULL,
                value TEXT NOT NULL,
                updated_at TEXT NOT NULL,
                updated_by TEXT NOT NULL,
                PRIMARY KEY (region_code, rule, name))
            """)
    }
}
