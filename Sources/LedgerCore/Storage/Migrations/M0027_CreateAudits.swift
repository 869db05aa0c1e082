import Foundation
import SQLKit

/// 第三方审计 (Putian §四(六)): auditor organisations and their declared clients (for recusal), auditor accounts bound
/// to an organisation, audits requested by the owners' committee, by a petition of owners or by the county, the petition's
/// signatures (masked, one household counted once), one-time codes the committee hands out, and the auditor's findings.
struct M0027_CreateAudits: Migration {
    let version = 27
    let name = "0027_create_audits"

    func prepare(on db: any SQLDatabase, dialect d: SchemaDialect) async throws {
        try await d.exec(db, """
            CREATE TABLE auditor_orgs (
                \(d.id),
                name TEXT NOT NULL,
                uscc TEXT NOT NULL,
                region_path \(d.binaryText) NOT NULL,
                contact TEXT NOT NULL,
                created_at TEXT NOT NULL,
                created_by TEXT NOT NULL)
            """)
        try await d.exec(db, "CREATE UNIQUE INDEX auditor_orgs_uscc ON auditor_orgs(uscc)")
        try await d.exec(db, """
            CREATE TABLE auditor_org_clients (
                org_id BIGINT NOT NULL REFERENCES auditor_orgs(id),
                company_id BIGINT NOT NULL REFERENCES companies(id),
                note TEXT NOT NULL,
                PRIMARY KEY (org_id, company_id))
            """)
        try await d.exec(db, "ALTER TABLE users ADD COLUMN auditor_org_id BIGINT REFERENCES auditor_orgs(id)")
        try await d.exec(db, """
            CREATE TABLE audits (
                \(d.id),
                estate_id BIGINT NOT NULL REFERENCES estates(id),
                region_path \(d.binaryText) NOT NULL,
                company_id BIGINT REFERENCES companies(id),
                year INTEGER NOT NULL,
                quarter INTEGER NOT NULL,
                origin TEXT NOT NULL,
                objection TEXT NOT NULL,
                status TEXT NOT NULL,
                households INTEGER NOT NULL,
                requested_at TEXT NOT NULL,
                requested_by TEXT NOT NULL,
                qualified_at TEXT,
                decision TEXT,
                reason TEXT,
                decided_at TEXT,
                decided_by TEXT,
                bundle_of BIGINT REFERENCES audits(id),
                org_id BIGINT REFERENCES auditor_orgs(id),
                deadline TEXT,
                summary TEXT,
                reported_at TEXT,
                reported_by TEXT,
                closed_at TEXT,
                closed_by TEXT,
                rectification TEXT)
            """)
        try await d.exec(db, "CREATE INDEX audits_region ON audits(region_path)")
        try await d.exec(db, "CREATE INDEX audits_estate ON audits(estate_id, year, quarter)")
        try await d.exec(db, "CREATE INDEX audits_org ON audits(org_id)")
        try await d.exec(db, """
            CREATE TABLE audit_signatures (
                \(d.id),
                audit_id BIGINT NOT NULL REFERENCES audits(id),
                household_key TEXT NOT NULL,
                building TEXT,
                room TEXT,
                name_masked TEXT,
                phone_masked TEXT,
                verified INTEGER NOT NULL,
                verified_by TEXT,
                method TEXT,
                signed_at TEXT NOT NULL,
                address TEXT NOT NULL,
                personal_erased_at TEXT)
            """)
        try await d.exec(db, "CREATE INDEX audit_signatures_audit ON audit_signatures(audit_id, household_key)")
        try await d.exec(db, """
            CREATE TABLE audit_codes (
                \(d.id),
                audit_id BIGINT NOT NULL REFERENCES audits(id),
                code TEXT NOT NULL,
                issued_at TEXT NOT NULL,
                issued_by TEXT NOT NULL,
                used_at TEXT)
            """)
        try await d.exec(db, "CREATE UNIQUE INDEX audit_codes_code ON audit_codes(audit_id, code)")
        try await d.exec(db, """
            CREATE TABLE audit_findings (
                \(d.id),
                audit_id BIGINT NOT NULL REFERENCES audits(id),
                line TEXT NOT NULL,
                issue TEXT NOT NULL,
                amount_fen BIGINT,
                problem_id BIGINT REFERENCES problems(id),
                created_at TEXT NOT NULL,
                created_by TEXT NOT NULL)
            """)
        try await d.exec(db, "CREATE INDEX audit_findings_audit ON audit_findings(audit_id)")
    }
}
