import Foundation
import SQLKit

/// The credit workflow: each region's repair terms and switch per rule, repaired events, removals from the lists,
/// companies' objections and repair applications (异议、信用修复), the grade history (重新核级) and the published
/// 通报曝光 cases.
struct M0021_CreditWorkflow: Migration {
    let version = 21
    let name = "0021_credit_workflow"

    func prepare(on db: any SQLDatabase, dialect d: SchemaDialect) async throws {
        // NULL: inherited from the region above, or the rule's default.
        try await d.exec(db, "ALTER TABLE credit_rule_settings ADD COLUMN repair_allowed INTEGER")
        try await d.exec(db, "ALTER TABLE credit_rule_settings ADD COLUMN repair_after_months INTEGER")
        try await d.exec(db, "ALTER TABLE credit_rule_settings ADD COLUMN enabled INTEGER")
        try await d.exec(db, "ALTER TABLE credit_events ADD COLUMN repaired_at TEXT")
        try await d.exec(db, "ALTER TABLE credit_lists ADD COLUMN removed_at TEXT")
        try await d.exec(db, "ALTER TABLE credit_lists ADD COLUMN removed_by TEXT")
        try await d.exec(db, "ALTER TABLE credit_lists ADD COLUMN removed_reason TEXT")
        try await d.exec(db, """
            CREATE TABLE credit_requests (
                \(d.id),
                event_id BIGINT NOT NULL REFERENCES credit_events(id),
                company_id BIGINT NOT NULL REFERENCES companies(id),
                kind TEXT NOT NULL,
                reasons TEXT NOT NULL,
                status TEXT NOT NULL,
                region_path \(d.binaryText) NOT NULL,
                filed_at TEXT NOT NULL,
                filed_by TEXT NOT NULL,
                decided_at TEXT,
                decided_by TEXT,
                decision_note TEXT NOT NULL DEFAULT '')
            """)
        // One pending objection and one pending repair application per event.
        try await d.exec(db, "CREATE UNIQUE INDEX credit_requests_pending ON credit_requests (event_id, kind) WHERE status = 'pending'")
        try await d.exec(db, "CREATE INDEX credit_requests_region ON credit_requests (region_path, status)")
        try await d.exec(db, """
            CREATE TABLE credit_grade_changes (
                \(d.id),
                company_id BIGINT NOT NULL REFERENCES companies(id),
                old_grade TEXT,
                new_grade TEXT NOT NULL,
                score INTEGER NOT NULL,
                changed_on TEXT NOT NULL,
                changed_at TEXT NOT NULL,
                cause TEXT NOT NULL)
            """)
        try await d.exec(db, "CREATE INDEX credit_grade_changes_company ON credit_grade_changes (company_id, id)")
        try await d.exec(db, """
            CREATE TABLE credit_cases (
                \(d.id),
                company_id BIGINT NOT NULL REFERENCES companies(id),
                title TEXT NOT NULL,
                situation TEXT NOT NULL,
                facts TEXT NOT NULL,
                basis TEXT NOT NULL,
                outcome TEXT NOT NULL,
                published_on TEXT NOT NULL,
                region_path \(d.binaryText) NOT NULL,
                created_at TEXT NOT NULL,
                created_by TEXT NOT NULL)
            """)
        try await d.exec(db, "CREATE INDEX credit_cases_company ON credit_cases (company_id, published_on)")
    }
}
