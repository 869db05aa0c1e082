import Foundation
import SQLKit

/// 业主决议登记簿: the decisions of the 业主大会 and the 业委会 and the 管理规约's standing authorisations per estate
/// (docs/design.md §24); a disclosure's transfer names its target account and its distribution may cite its decision.
struct M0024_CreateOwnerDecisions: Migration {
    let version = 24
    let name = "0024_create_owner_decisions"

    func prepare(on db: any SQLDatabase, dialect d: SchemaDialect) async throws {
        try await d.exec(db, """
            CREATE TABLE owner_decisions (
                \(d.id),
                estate_id BIGINT NOT NULL REFERENCES estates(id),
                region_path \(d.binaryText) NOT NULL,
                kind TEXT NOT NULL,
                decided_on TEXT NOT NULL,
                subject TEXT NOT NULL,
                votes_area_for BIGINT,
                votes_households_for INTEGER,
                amount_fen BIGINT,
                valid_from TEXT NOT NULL,
                valid_until TEXT,
                recorded_at TEXT NOT NULL,
                recorded_by TEXT NOT NULL)
            """)
        try await d.exec(db, "CREATE INDEX owner_decisions_estate ON owner_decisions (estate_id, decided_on)")
        try await d.exec(db, "CREATE INDEX owner_decisions_region ON owner_decisions (region_path)")
        // NULL = the dedicated account (公共收益专户), as every version published before this migration meant.
        try await d.exec(db, "ALTER TABLE disclosure_versions ADD COLUMN transfer_target TEXT")
        try await d.exec(db, "ALTER TABLE disclosure_versions ADD COLUMN ratio_decision TEXT")
    }
}
