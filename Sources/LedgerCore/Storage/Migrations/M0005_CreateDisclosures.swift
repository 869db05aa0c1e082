import Foundation
import SQLKit

/// Disclosure drafts, published versions with their lines, and the transparency log's state and tree heads.
struct M0005_CreateDisclosures: Migration {
    let version = 5
    let name = "0005_create_disclosures"

    func prepare(on db: any SQLDatabase, dialect d: SchemaDialect) async throws {
        try await d.exec(db, """
            CREATE TABLE disclosure_drafts (
                estate_id BIGINT NOT NULL REFERENCES estates(id),
                year BIGINT NOT NULL,
                quarter BIGINT NOT NULL,
                document TEXT NOT NULL,
                updated_at TEXT NOT NULL,
                updated_by TEXT NOT NULL,
                PRIMARY KEY (estate_id, year, quarter))
            """)
        try await d.exec(db, """
            CREATE TABLE disclosure_versions (
                \(d.id),
                estate_id BIGINT NOT NULL REFERENCES estates(id),
                year BIGINT NOT NULL,
                quarter BIGINT NOT NULL,
                version BIGINT NOT NULL,
                company_id BIGINT REFERENCES companies(id),
                region_path \(d.binaryText) NOT NULL,
                income_fen BIGINT NOT NULL,
                cost_fen BIGINT NOT NULL,
                owners_share_fen BIGINT NOT NULL,
                company_share_fen BIGINT NOT NULL,
                expenditure_fen BIGINT NOT NULL,
                transfer_fen BIGINT,
                transfer_date TEXT,
                opening_fen BIGINT NOT NULL,
                closing_fen BIGINT NOT NULL,
                contact_name TEXT NOT NULL,
                contact_phone TEXT NOT NULL,
                display_from TEXT NOT NULL,
                display_until TEXT NOT NULL,
                reason TEXT,
                published_at TEXT NOT NULL,
                published_by TEXT NOT NULL,
                leaf_index BIGINT NOT NULL UNIQUE,
                leaf_hash TEXT NOT NULL UNIQUE,
                UNIQUE (estate_id, year, quarter, version))
            """)
        try await d.exec(db, "CREATE INDEX disclosure_versions_region ON disclosure_versions(region_path, year, quarter)")
        try await d.exec(db, """
            CREATE TABLE disclosure_lines (
                \(d.id),
                version_id BIGINT NOT NULL REFERENCES disclosure_versions(id),
                kind TEXT NOT NULL,
                position BIGINT NOT NULL,
                category TEXT,
                description TEXT NOT NULL,
                amount_fen BIGINT NOT NULL,
                decision TEXT,
                UNIQUE (version_id, kind, position))
            """)
        try await d.exec(db, """
            CREATE TABLE log_state (
                id BIGINT PRIMARY KEY,
                size BIGINT NOT NULL,
                frontier TEXT NOT NULL)
            """)
        try await d.exec(db, "INSERT INTO log_state (id, size, frontier) VALUES (1, 0, '')")
        try await d.exec(db, """
            CREATE TABLE tree_heads (
                size BIGINT PRIMARY KEY,
                root_hash TEXT NOT NULL,
                created_at TEXT NOT NULL)
            """)
    }
}
