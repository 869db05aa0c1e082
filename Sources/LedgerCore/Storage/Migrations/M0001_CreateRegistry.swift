import Foundation
import SQLKit

/// Regions, companies, estates, management contracts, owners' committees and dedicated accounts.
struct M0001_CreateRegistry: Migration {
    let version = 1
    let name = "0001_create_registry"

    func prepare(on db: any SQLDatabase, dialect d: SchemaDialect) async throws {
        try await d.exec(db, """
            CREATE TABLE regions (
                code TEXT PRIMARY KEY,
                name TEXT NOT NULL,
                level TEXT NOT NULL,
                parent_code TEXT REFERENCES regions(code),
                path \(d.binaryText) NOT NULL UNIQUE)
            """)
        try await d.exec(db, "CREATE INDEX regions_parent ON regions(parent_code)")
        try await d.exec(db, """
            CREATE TABLE companies (
                \(d.id),
                name TEXT NOT NULL,
                uscc TEXT NOT NULL UNIQUE,
                region_code TEXT NOT NULL REFERENCES regions(code),
                region_path \(d.binaryText) NOT NULL,
                contact_name TEXT NOT NULL DEFAULT '',
                contact_phone TEXT NOT NULL DEFAULT '',
                address TEXT NOT NULL DEFAULT '',
                created_at TEXT NOT NULL,
                updated_at TEXT NOT NULL)
            """)
        try await d.exec(db, "CREATE INDEX companies_region_path ON companies(region_path)")
        try await d.exec(db, "CREATE INDEX companies_name ON companies(name)")
        try await d.exec(db, """
            CREATE TABLE estates (
                \(d.id),
                name TEXT NOT NULL,
                address TEXT NOT NULL,
                community_code TEXT NOT NULL REFERENCES regions(code),
                region_path \(d.binaryText) NOT NULL,
                households BIGINT NOT NULL,
                floor_area BIGINT NOT NULL,
                owners_share_bp BIGINT NOT NULL,
                company_id BIGINT REFERENCES companies(id),
                created_at TEXT NOT NULL,
                updated_at TEXT NOT NULL,
                UNIQUE (community_code, name))
            """)
        try await d.exec(db, "CREATE INDEX estates_region_path ON estates(region_path, id)")
        try await d.exec(db, "CREATE INDEX estates_company ON estates(company_id)")
        try await d.exec(db, """
            CREATE TABLE contracts (
                \(d.id),
                estate_id BIGINT NOT NULL REFERENCES estates(id),
                company_id BIGINT NOT NULL REFERENCES companies(id),
                start_date TEXT NOT NULL,
                end_date TEXT,
                created_at TEXT NOT NULL)
            """)
        try await d.exec(db, "CREATE INDEX contracts_estate ON contracts(estate_id, start_date)")
        try await d.exec(db, "CREATE INDEX contracts_company ON contracts(company_id)")
        try await d.exec(db, """
            CREATE TABLE committees (
                \(d.id),
                estate_id BIGINT NOT NULL REFERENCES estates(id),
                kind TEXT NOT NULL,
                chair_name TEXT NOT NULL,
                term_start TEXT NOT NULL,
                term_end TEXT NOT NULL,
                created_at TEXT NOT NULL)
            """)
        try await d.exec(db, "CREATE INDEX committees_estate ON committees(estate_id, term_end)")
        try await d.exec(db, """
            CREATE TABLE dedicated_accounts (
                \(d.id),
                estate_id BIGINT NOT NULL UNIQUE REFERENCES estates(id),
                bank TEXT NOT NULL,
                account_number TEXT NOT NULL,
                opened_on TEXT NOT NULL,
                created_at TEXT NOT NULL)
            """)
    }
}
