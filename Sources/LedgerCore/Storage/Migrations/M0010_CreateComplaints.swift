import Foundation
import SQLKit

/// Complaints and clues with their handling history, problems and their rectification, escalation letters,
/// enforcement actions against companies, attachments (evidence) and per-region settings (deadlines, ladder days).
struct M0010_CreateComplaints: Migration {
    let version = 10
    let name = "0010_create_complaints_and_problems"

    func prepare(on db: any SQLDatabase, dialect d: SchemaDialect) async throws {
        try await d.exec(db, """
            CREATE TABLE complaints (
                \(d.id),
                tracking_code TEXT NOT NULL UNIQUE,
                source TEXT NOT NULL,
                source_ref TEXT,
                estate_id BIGINT NOT NULL REFERENCES estates(id),
                company_id BIGINT REFERENCES companies(id),
                region_path \(d.binaryText) NOT NULL,
                category TEXT NOT NULL,
                content TEXT NOT NULL,
                complainant_name TEXT,
                complainant_phone TEXT,
                received_at TEXT NOT NULL,
                received_by TEXT NOT NULL,
                handling_region TEXT REFERENCES regions(code),
                handler TEXT,
                deadline TEXT,
                status TEXT NOT NULL,
                outcome TEXT,
                closed_at TEXT,
                closure_note TEXT,
                reply TEXT,
                replied_at TEXT,
                reopened_count BIGINT NOT NULL DEFAULT 0,
                duplicate_of BIGINT REFERENCES complaints(id),
                transferred_to TEXT,
                transfer_decision TEXT,
                problem_id BIGINT,
                address_hash TEXT,
                updated_at TEXT NOT NULL)
            """)
        try await d.exec(db, "CREATE INDEX complaints_estate ON complaints(estate_id, received_at)")
        try await d.exec(db, "CREATE INDEX complaints_region ON complaints(region_path, received_at)")
        try await d.exec(db, "CREATE INDEX complaints_address ON complaints(address_hash, received_at)")
        try await d.exec(db, """
            CREATE TABLE complaint_events (
                \(d.id),
                complaint_id BIGINT NOT NULL REFERENCES complaints(id),
                at TEXT NOT NULL,
                username TEXT NOT NULL,
                role TEXT NOT NULL,
                action TEXT NOT NULL,
                note TEXT NOT NULL,
                public BIGINT NOT NULL DEFAULT 0)
            """)
        try await d.exec(db, "CREATE INDEX complaint_events_complaint ON complaint_events(complaint_id, id)")
        try await d.exec(db, """
            CREATE TABLE problems (
                \(d.id),
                estate_id BIGINT NOT NULL REFERENCES estates(id),
                company_id BIGINT REFERENCES companies(id),
                region_path \(d.binaryText) NOT NULL,
                category TEXT NOT NULL,
                description TEXT NOT NULL,
                severity TEXT NOT NULL,
                source TEXT NOT NULL,
                source_id BIGINT,
                deadline TEXT NOT NULL,
                responsible TEXT NOT NULL,
                status TEXT NOT NULL,
                escalation_level BIGINT NOT NULL DEFAULT 0,
                referred_to TEXT,
                referral_decision TEXT,
                outcome TEXT,
                created_at TEXT NOT NULL,
                created_by TEXT NOT NULL,
                updated_at TEXT NOT NULL,
                closed_at TEXT)
            """)
        try await d.exec(db, "CREATE INDEX problems_region ON problems(region_path, status)")
        try await d.exec(db, "CREATE INDEX problems_estate ON problems(estate_id, status)")
        try await d.exec(db, "CREATE INDEX problems_company ON problems(company_id, status)")
        try await d.exec(db, "CREATE INDEX problems_deadline ON problems(status, deadline)")
        try await d.exec(db, """
            CREATE TABLE problem_events (
                \(d.id),
                problem_id BIGINT NOT NULL REFERENCES problems(id),
                at TEXT NOT NULL,
                username TEXT NOT NULL,
                role TEXT NOT NULL,
                action TEXT NOT NULL,
                note TEXT NOT NULL)
            """)
        try await d.exec(db, "CREATE INDEX problem_events_problem ON problem_events(problem_id, id)")
        try await d.exec(db, """
            CREATE TABLE letters (
                \(d.id),
                problem_id BIGINT NOT NULL REFERENCES problems(id),
                kind TEXT NOT NULL,
                number TEXT NOT NULL,
                issued_on TEXT NOT NULL,
                facts TEXT NOT NULL,
                created_at TEXT NOT NULL,
                UNIQUE (problem_id, kind))
            """)
        try await d.exec(db, """
            CREATE TABLE enforcement_actions (
                \(d.id),
                company_id BIGINT NOT NULL REFERENCES companies(id),
                estate_id BIGINT REFERENCES estates(id),
                problem_id BIGINT REFERENCES problems(id),
                region_path \(d.binaryText) NOT NULL,
                kind TEXT NOT NULL,
                decided_on TEXT NOT NULL,
                basis TEXT NOT NULL,
                document_number TEXT NOT NULL,
                note TEXT NOT NULL,
                created_at TEXT NOT NULL,
                created_by TEXT NOT NULL)
            """)
        try await d.exec(db, "CREATE INDEX enforcement_company ON enforcement_actions(company_id, decided_on)")
        try await d.exec(db, "CREATE INDEX enforcement_region ON enforcement_actions(region_path, decided_on)")
        try await d.exec(db, """
            CREATE TABLE attachments (
                \(d.id),
                owner_type TEXT NOT NULL,
                owner_id BIGINT NOT NULL,
                sha256 TEXT NOT NULL,
                filename TEXT NOT NULL,
                content_type TEXT NOT NULL,
                size BIGINT NOT NULL,
                uploaded_at TEXT NOT NULL,
                uploaded_by TEXT NOT NULL)
            """)
        try await d.exec(db, "CREATE INDEX attachments_owner ON attachments(owner_type, owner_id)")
        try await d.exec(db, """
            CREATE TABLE region_settings (
                region_code TEXT NOT NULL REFERENCES regions(code),
                key TEXT NOT NULL,
                value TEXT NOT NULL,
                updated_at TEXT NOT NULL,
                updated_by TEXT NOT NULL,
                PRIMARY KEY (region_code, key))
            """)
        try await d.exec(db, "ALTER TABLE warnings ADD COLUMN problem_id BIGINT")
    }
}
