import Foundation
import SQLKit

/// User accounts, database-held sessions (servers stay stateless) and login throttling.
struct M0002_CreateAccounts: Migration {
    let version = 2
    let name = "0002_create_accounts"

    func prepare(on db: any SQLDatabase, dialect d: SchemaDialect) async throws {
        try await d.exec(db, """
            CREATE TABLE users (
                \(d.id),
                username TEXT NOT NULL UNIQUE,
                password_hash TEXT NOT NULL,
                display_name TEXT NOT NULL,
                role TEXT NOT NULL,
                region_code TEXT REFERENCES regions(code),
                region_path \(d.binaryText),
                company_id BIGINT REFERENCES companies(id),
                estate_id BIGINT REFERENCES estates(id),
                disabled BIGINT NOT NULL DEFAULT 0,
                created_at TEXT NOT NULL)
            """)
        try await d.exec(db, """
            CREATE TABLE sessions (
                token_hash TEXT PRIMARY KEY,
                user_id BIGINT NOT NULL REFERENCES users(id),
                kind TEXT NOT NULL,
                created_at TEXT NOT NULL,
                last_seen_at TEXT NOT NULL,
                expires_at TEXT NOT NULL)
            """)
        try await d.exec(db, "CREATE INDEX sessions_user ON sessions(user_id)")
        try await d.exec(db, """
            CREATE TABLE login_failures (
                throttle_key TEXT PRIMARY KEY,
                failures BIGINT NOT NULL,
                first_failed_at TEXT NOT NULL,
                locked_until TEXT)
            """)
    }
}
