import Foundation
import SQLKit

/// Company credit (企业信用档案): each region's settings of the credit rules (inheriting down, like the warning
/// parameters) and the dated credit events, one per rule and source record.
struct M0020_CreateCredit: Migration {
    let version = 20
    let name = "0020_create_credit"

    func prepare(on db: any SQLDatabase, dialect d: SchemaDialect) async throws {
        try await d.exec(db, """
            CREATE TABLE credit_rule_settings (
                region_code TEXT NOT NULL REFERENCES regions(code),
                rule TEXT NOT NULL,
                points INTEGER NOT NULL,
                validity_months INTEGER NOT NULL,
                updated_at TEXT NOT NULL,
                updated_by TEXT NOT NULL,
                PRIMARY KEY (region_code, rule))
            """)
        try await d.exec(db, """
            CREATE TABLE credit_events (
                \(d.id),
                company_id BIGINT NOT NULL REFERENCES companies(id),
                rule TEXT NOT NULL,
                points INTEGER NOT NULL,
                basis TEXT NOT NULL,
                source_type TEXT NOT NULL,
                source_id BIGINT,
                region_path \(d.binaryText) NOT NULL,
                occurred_on TEXT NOT NULL,
                expires_on TEXT NOT NULL,
                document_number TEXT NOT NULL DEFAULT '',
                note TEXT NOT NULL DEFAULT '',
                status TEXT NOT NULL,
                created_at TEXT NOT NULL,
                created_by TEXT NOT NULL,
                withdrawn_at TEXT,
                withdrawn_reason TEXT)
            """)
        // One event per rule and source record: the daily job and the source's own step may both try.
        try await d.exec(db, "CREATE UNIQUE INDEX credit_events_source ON credit_events (rule, source_type, source_id)")
        try await d.exec(db, "CREATE INDEX credit_events_company ON credit_events (company_id, occurred_on)")
        try await d.exec(db, "CREATE INDEX credit_events_region ON credit_events (region_path, occurred_on)")
        // Red and black lists by decision (with reason, document and period).
        try await d.exec(db, """
            CREATE TABLE credit_lists (
                \(d.id),
                company_id BIGINT NOT NULL REFERENCES companies(id),
                list TEXT NOT NULL,
                reason TEXT NOT NULL,
                document_number TEXT NOT NULL,
                decided_on TEXT NOT NULL,
                until TEXT NOT NULL,
                region_path \(d.binaryText) NOT NULL,
                created_at TEXT NOT NULL,
                created_by TEXT NOT NULL)
            """)
        try await d.exec(db, "CREATE INDEX credit_lists_company ON credit_lists (company_id, list)")
    }
}
