import Foundation
import SQLKit

/// Cross inspections (交叉检查): a round among a region's child regions (published with its participant list, hash and
/// announced seed source, then drawn), its groups (inspecting region → inspected region) with their reports, the estates
/// each group checked and the findings that became problems.
struct M0019_CreateCrossInspections: Migration {
    let version = 19
    let name = "0019_create_cross_inspections"

    func prepare(on db: any SQLDatabase, dialect d: SchemaDialect) async throws {
        try await d.exec(db, """
            CREATE TABLE cross_inspection_rounds (
                \(d.id),
                region_code TEXT NOT NULL REFERENCES regions(code),
                region_path \(d.binaryText) NOT NULL,
                year INTEGER NOT NULL,
                quarter INTEGER NOT NULL,
                sample INTEGER NOT NULL,
                seed_source TEXT NOT NULL,
                participants_hash TEXT NOT NULL,
                method TEXT NOT NULL,
                seed TEXT,
                status TEXT NOT NULL,
                published_at TEXT NOT NULL,
                published_by TEXT NOT NULL,
                drawn_at TEXT,
                drawn_by TEXT)
            """)
        try await d.exec(db, "CREATE INDEX cross_inspection_rounds_region ON cross_inspection_rounds (region_path)")
        try await d.exec(db, """
            CREATE TABLE cross_inspection_participants (
                round_id BIGINT NOT NULL REFERENCES cross_inspection_rounds(id),
                region_code TEXT NOT NULL REFERENCES regions(code),
                region_path \(d.binaryText) NOT NULL,
                PRIMARY KEY (round_id, region_code))
            """)
        try await d.exec(db, """
            CREATE TABLE cross_inspection_groups (
                \(d.id),
                round_id BIGINT NOT NULL REFERENCES cross_inspection_rounds(id),
                inspecting_code TEXT NOT NULL REFERENCES regions(code),
                inspecting_path \(d.binaryText) NOT NULL,
                inspected_code TEXT NOT NULL REFERENCES regions(code),
                inspected_path \(d.binaryText) NOT NULL,
                status TEXT NOT NULL,
                inspected_from TEXT,
                inspected_until TEXT,
                team TEXT,
                scope_text TEXT,
                summary TEXT,
                recommendations TEXT,
                filed_at TEXT,
                filed_by TEXT)
            """)
        try await d.exec(db, "CREATE INDEX cross_inspection_groups_round ON cross_inspection_groups (round_id)")
        try await d.exec(db, "CREATE INDEX cross_inspection_groups_inspecting ON cross_inspection_groups (inspecting_path)")
        try await d.exec(db, """
            CREATE TABLE cross_inspection_estates (
                group_id BIGINT NOT NULL REFERENCES cross_inspection_groups(id),
                estate_id BIGINT NOT NULL REFERENCES estates(id),
                PRIMARY KEY (group_id, estate_id))
            """)
        try await d.exec(db, """
            CREATE TABLE cross_inspection_findings (
                \(d.id),
                group_id BIGINT NOT NULL REFERENCES cross_inspection_groups(id),
                estate_id BIGINT NOT NULL REFERENCES estates(id),
                category TEXT NOT NULL,
                description TEXT NOT NULL,
                problem_id BIGINT NOT NULL REFERENCES problems(id))
            """)
    }
}
