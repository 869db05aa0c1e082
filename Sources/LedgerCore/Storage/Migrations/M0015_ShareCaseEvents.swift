import Foundation
import SQLKit

/// One event history for every kind of case (`Casework.record`): problem steps get the same public flag and public
/// wording that complaint steps have (none is public yet).
struct M0015_ShareCaseEvents: Migration {
    let version = 15
    let name = "0015_share_case_events"

    func prepare(on db: any SQLDatabase, dialect d: SchemaDialect) async throws {
        try await d.exec(db, "ALTER TABLE problem_events ADD COLUMN public INTEGER NOT NULL DEFAULT 0")
        try await d.exec(db, "ALTER TABLE problem_events ADD COLUMN public_note TEXT")
    }
}
