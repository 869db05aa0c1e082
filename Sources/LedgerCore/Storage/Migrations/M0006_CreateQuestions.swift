import Foundation
import SQLKit

/// Owners' questions (存疑) about a published disclosure, and the company's answers.
struct M0006_CreateQuestions: Migration {
    let version = 6
    let name = "0006_create_questions"

    func prepare(on db: any SQLDatabase, dialect d: SchemaDialect) async throws {
        try await d.exec(db, """
            CREATE TABLE disclosure_questions (
                \(d.id),
                estate_id BIGINT NOT NULL REFERENCES estates(id),
                year BIGINT NOT NULL,
                quarter BIGINT NOT NULL,
                item TEXT NOT NULL,
                content TEXT NOT NULL,
                asked_at TEXT NOT NULL,
                address_hash TEXT NOT NULL,
                answer TEXT,
                answered_at TEXT,
                answered_by TEXT)
            """)
        try await d.exec(db, "CREATE INDEX disclosure_questions_estate ON disclosure_questions(estate_id, year, quarter)")
        try await d.exec(db, "CREATE INDEX disclosure_questions_address ON disclosure_questions(address_hash, asked_at)")
    }
}
