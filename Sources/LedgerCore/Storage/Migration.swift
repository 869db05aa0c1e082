import Foundation
import SQLKit

/// One versioned, append-only schema change. A migration that has shipped is never edited.
public protocol Migration: Sendable {
    var version: Int { get }
    var name: String { get }
    func prepare(on db: any SQLDatabase, dialect: SchemaDialect) async throws
}

/// The few DDL spellings in which SQLite and PostgreSQL differ.
public struct SchemaDialect: Sendable {
    public let kind: Database.Kind

    /// An auto-incrementing 64-bit primary key.
    public var id: String {
        kind == .sqlite ? "id INTEGER PRIMARY KEY AUTOINCREMENT" : "id BIGSERIAL PRIMARY KEY"
    }

    /// Text compared byte by byte, so that range scans over materialised paths use the index.
    public var binaryText: String {
        kind == .sqlite ? "TEXT" : "TEXT COLLATE \"C\""
    }

    /// Runs DDL text (constant strings only: never user input).
    func exec(_ db: any SQLDatabase, _ sql: String) async throws {
        try await db.raw(SQLQueryString(sql)).run()
    }
}

/// Applies pending migrations in order, each in its own transaction, and records them in `schema_migrations`.
public struct Migrator: Sendable {
    public static let all: [any Migration] = [
        M0001_CreateRegistry(),
        M0002_CreateAccounts(),
        M0003_CreateAuditLog(),
        M0004_IndexEstateNames(),
        M0005_CreateDisclosures(),
        M0006_CreateQuestions(),
        M0007_CreateVouchers(),
        M0008_CreateWarnings(),
        M0009_CreateWarningEvents(),
        M0010_CreateComplaints(),
        M0011_CreateCampaigns(),
        M0012_IndexFirstPublications(),
        M0013_SecureAuditAndSecrets(),
        M0014_TwoFactorAndAccounts(),
        M0015_ShareCaseEvents(),
        M0016_CreateInspectionPlans(),
        M0017_CreateInspectionRecords(),
        M0018_CreateSelfInspections(),
        M0019_CreateCrossInspections(),
        M0020_CreateCredit(),
        M0021_CreditWorkflow(),
        M0022_InspectionSupervisors(),
        M0023_CreateRegionLetters(),
        M0024_CreateOwnerDecisions(),
        M0025_UniqueAccountNumbers(),
        M0026_CreateDemonstrations(),
        M0027_CreateAudits(),
        M0028_CreatePublicStamps(),
        M0029_CreateComplaintRatings(),
        M0030_CreateNotifications(),
        M0031_CreateLogNodes(),
        M0032_IndexFilingsByCompany(),
        M0033_CreateCreditStamp(),
        M0034_CreateDashboardParts(),
    ]

    let database: Database

    public init(database: Database) { self.database = database }

    /// Applies what is pending and returns the names applied.
    @discardableResult
    public func migrate(now: Date = Date()) async throws -> [String] {
        let dialect = SchemaDialect(kind: database.kind)
        try await database.transaction { db in
            try await dialect.exec(db, """
                CREATE TABLE IF NOT EXISTS schema_migrations (
                    version BIGINT PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL)
                """)
        }
        var applied: [String] = []
        for migration in Self.all {
            let didApply = try await database.transaction { db in
                if dialect.kind == .postgres {
                    // Several servers may start at once: one applies, the others wait and then see it done.
                    try await db.raw("SELECT pg_advisory_xact_lock(7432001)").run()
                }
                let done = try await db.raw("SELECT version FROM schema_migrations WHERE version = \(bind: migration.version)")
                    .first()
                if done != nil { return false }
                do {
                    try await migration.prepare(on: db, dialect: dialect)
                } catch {
                    throw StorageError.migrationFailed(migration.name, underlying: String(reflecting: error))
                }
                try await db.raw("""
                    INSERT INTO schema_migrations (version, name, applied_at)
                    VALUES (\(bind: migration.version), \(bind: migration.name), \(bind: Timestamp.storage(now)))
                    """).run()
                return true
            }
            if didApply { applied.append(migration.name) }
        }
        return applied
    }
}
