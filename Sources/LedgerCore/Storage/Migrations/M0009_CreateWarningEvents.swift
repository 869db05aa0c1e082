import Foundation
import SQLKit

/// The warning lifecycle's history (who acknowledged, explained, resolved, dismissed or escalated, and why),
/// and the daily jobs' claims: the first server to insert a job's day runs it, the others see the row and skip.
struct M0009_CreateWarningEvents: Migration {
    let version = 9
    let name = "0009_create_warning_events"

    func prepare(on db: any SQLDatabase, dialect d: SchemaDialect) async throws {
        try await d.exec(db, """
            CREATE TABLE warning_events (
                \(d.id),
                warning_id BIGINT NOT NULL REFERENCES warnings(id),
                at TEXT NOT NULL,
                username TEXT NOT NULL,
                role TEXT NOT NULL,
                action TEXT NOT NULL,
                from_status TEXT NOT NULL,
                to_status TEXT NOT NULL,
                note TEXT NOT NULL)
            """)
        try await d.exec(db, "CREATE INDEX warning_events_warning ON warning_events(warning_id, id)")
        try await d.exec(db, "CREATE INDEX warnings_company ON warnings(company_id, status)")
        try await d.exec(db, """
            CREATE TABLE job_runs (
                job TEXT NOT NULL,
                day TEXT NOT NULL,
                host TEXT NOT NULL,
                started_at TEXT NOT NULL,
                finished_at TEXT,
                outcome TEXT,
                PRIMARY KEY (job, day))
            """)
    }
}
