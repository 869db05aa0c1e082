import Foundation
import SQLKit

/// A counter that moves whenever something a company's credit score is computed from changes (`CreditStamp`): the
/// companies themselves, which company manages which estate, the filings, the credit events and the red and black list
/// decisions. The database moves it, by triggers, in the transaction of the write, whatever code wrote it — so the
/// scores can be kept under it without a list of the writes that matter to keep in step (issue #16 item 5).
/// SQLite has row triggers only; PostgreSQL's are per statement, so a bulk insert moves it once.
struct M0033_CreateCreditStamp: Migration {
    let version = 33
    let name = "0033_create_credit_stamp"

    /// Table → the events that change a score's inputs.
    static let watched: [(table: String, events: [String])] = [
        ("companies", ["INSERT", "UPDATE", "DELETE"]),
        ("estates", ["INSERT", "DELETE", "UPDATE OF company_id"]),
        ("disclosure_versions", ["INSERT", "UPDATE", "DELETE"]),
        ("credit_events", ["INSERT", "UPDATE", "DELETE"]),
        ("credit_lists", ["INSERT", "UPDATE", "DELETE"]),
    ]

    func prepare(on db: any SQLDatabase, dialect d: SchemaDialect) async throws {
        try await d.exec(db, "CREATE TABLE credit_stamp (id INTEGER PRIMARY KEY, n BIGINT NOT NULL)")
        try await d.exec(db, "INSERT INTO credit_stamp (id, n) VALUES (1, 0)")
        switch d.kind {
        case .sqlite:
            for (table, events) in Self.watched {
                for event in events {
                    let name = "credit_stamp_\(table)_\(event.split(separator: " ").first!.lowercased())"
                    try await d.exec(db, """
                        CREATE TRIGGER \(name) AFTER \(event) ON \(table)
                        BEGIN UPDATE credit_stamp SET n = n + 1 WHERE id = 1; END
                        """)
                }
            }
        case .postgres:
            try await d.exec(db, """
                CREATE FUNCTION credit_stamp_bump() RETURNS trigger AS $$
                BEGIN UPDATE credit_stamp SET n = n + 1 WHERE id = 1; RETURN NULL; END; $$ LANGUAGE plpgsql
                """)
            for (table, events) in Self.watched {
                try await d.exec(db, """
                    CREATE TRIGGER credit_stamp_\(table) AFTER \(events.joined(separator: " OR ")) ON \(table)
                    FOR EACH STATEMENT EXECUTE FUNCTION credit_stamp_bump()
                    """)
            }
        }
    }
}
