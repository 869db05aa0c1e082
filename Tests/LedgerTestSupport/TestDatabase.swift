import Foundation
import LedgerCore
import Logging
import PostgresKit
import SQLKit

/// Fresh databases for tests: a temporary SQLite file, or a throw-away PostgreSQL database when
/// `LEDGER_TEST_POSTGRES_URL` is set.
public enum TestDatabase {
    public enum Kind: String, Sendable, CaseIterable, CustomStringConvertible {
        case sqlite, postgres
        public var description: String { rawValue }
    }

    public static var postgresURL: String? {
        ProcessInfo.processInfo.environment["LEDGER_TEST_POSTGRES_URL"].flatMap { $0.isEmpty ? nil : $0 }
    }

    /// The databases this run can exercise; PostgreSQL only when configured.
    public static var available: [Kind] {
        postgresURL == nil ? [.sqlite] : [.sqlite, .postgres]
    }

    static var logger: Logger {
        var logger = Logger(label: "test")
        logger.logLevel = .warning
        return logger
    }

    /// Opens a new, empty, migrated database of the given kind.
    public static func make(_ kind: Kind) async throws -> Database {
        try await makeWithCleanup(kind).0
    }

    /// A new database and what removes it after use (a PostgreSQL test database is dropped).
    public static func makeWithCleanup(_ kind: Kind) async throws -> (Database, @Sendable () async -> Void) {
        let (database, _, cleanup) = try await makeWithURL(kind)
        return (database, cleanup)
    }

    /// A new database, the URL that opens it (for the application under test) and what removes it after use.
    public static func makeWithURL(_ kind: Kind) async throws -> (Database, String, @Sendable () async -> Void) {
        let database: Database
        let databaseURL: String
        var cleanup: @Sendable () async -> Void = {}
        switch kind {
        case .sqlite:
            let path = NSTemporaryDirectory() + "ledger-test-\(UUID().uuidString).sqlite"
            databaseURL = "sqlite://" + path
            database = try await Database.open(url: databaseURL, logger: logger)
        case .postgres:
            guard let url = postgresURL else { throw TestSetupError.noPostgres }
            let name = "ledger_t_" + UUID().uuidString.replacingOccurrences(of: "-", with: "").prefix(16).lowercased()
            let admin = try await Database.open(url: url, logger: logger)
            try await admin.read { db in try await db.raw("CREATE DATABASE \(ident: name)").run() }
            await admin.close()
            guard var components = URLComponents(string: url) else { throw TestSetupError.noPostgres }
            components.path = "/" + name
            databaseURL = components.string!
            database = try await Database.open(url: databaseURL, logger: logger)
            cleanup = {
                guard let admin = try? await Database.open(url: url, logger: logger) else { return }
                _ = try? await admin.read { db in try await db.raw("DROP DATABASE IF EXISTS \(ident: name) WITH (FORCE)").run() }
                await admin.close()
            }
        }
        try await Migrator(database: database).migrate()
        return (database, databaseURL, cleanup)
    }

    /// Opens an existing database quietly.
    public static func open(url: String) async throws -> Database {
        try await Database.open(url: url, logger: logger)
    }

    enum TestSetupError: Error { case noPostgres }
}

/// Runs `body` with a fresh database and its URL, and closes and removes it afterwards.
public func withDatabaseURL<T>(_ kind: TestDatabase.Kind, _ body: (Database, String) async throws -> T) async throws -> T {
    let (database, url, cleanup) = try await TestDatabase.makeWithURL(kind)
    do {
        let result = try await body(database, url)
        await database.close()
        await cleanup()
        return result
    } catch {
        await database.close()
        await cleanup()
        throw error
    }
}

/// Runs `body` with a fresh database and closes it afterwards.
public func withDatabase<T>(_ kind: TestDatabase.Kind, _ body: (Database) async throws -> T) async throws -> T {
    try await withDatabaseURL(kind) { database, _ in try await body(database) }
}
