import Foundation
import Logging
import SQLKit
import Synchronization

/// The application's database: SQLite (embedded) or PostgreSQL (production), behind one interface.
///
/// Reads run on any pooled connection; every write runs inside one transaction on one connection.
public struct Database: Sendable {
    public enum Kind: String, Sendable { case sqlite, postgres }

    public let kind: Kind
    let backend: any DatabaseBackend
    /// Which database this is (its URL): connections opened to the same one share `committedTransactions`.
    let identity: String
    /// Staff list pages kept while their stamp holds (`ListCache`).
    public let lists = ListCache()
    /// Every company's credit score, kept under the credit stamp (`CreditFile.scores`).
    public let creditScores = ListCache(limit: 4)
    /// Subtree parts the filing calendar and the 情况汇总表 are summed from, each under its region's stamp (`SubtreePart`).
    public let parts = ListCache(limit: 4_096)

    init(kind: Kind, backend: any DatabaseBackend, identity: String = "") {
        self.kind = kind
        self.backend = backend
        self.identity = identity
    }

    /// Runs `body` on a connection for reading.
    public func read<T: Sendable>(_ body: @escaping @Sendable (any SQLDatabase) async throws -> T) async throws -> T {
        try await backend.withConnection(body)
    }

    /// Runs `body` inside one transaction; any thrown error rolls everything back.
    public func transaction<T: Sendable>(_ body: @escaping @Sendable (any SQLDatabase) async throws -> T) async throws -> T {
        let result = try await backend.withTransaction(body)
        Self.commits.withLock { $0[identity, default: 0] &+= 1 }
        return result
    }

    /// How many transactions this process has committed to this database (through any `Database` opened on its URL).
    /// A memo of something read from the database (`PublicStamps`) before the count moved may be stale; one read after
    /// it is not, as far as this process's own writes go.
    public var committedTransactions: UInt64 { Self.commits.withLock { $0[identity] ?? 0 } }
    private static let commits = Mutex<[String: UInt64]>([:])

    /// Runs a trivial query: is the database reachable?
    public func ping() async throws {
        _ = try await read { db in try await db.raw("SELECT 1 AS ok").first() != nil }
    }

    /// Closes every connection.
    public func close() async {
        await backend.close()
    }

    /// Opens the database named by a URL: `sqlite://./data/ledger.sqlite`, `sqlite::memory:` is not supported
    /// (use a file), or `postgres://user:pass@host:port/db`.
    public static func open(url: String, logger: Logger) async throws -> Database {
        let target = try DatabaseURL(url)
        switch target {
        case .sqlite(let path):
            return Database(kind: .sqlite, backend: try await SQLiteBackend.open(path: path, logger: logger), identity: url)
        case .postgres(let configuration):
            return Database(kind: .postgres, backend: await PostgresBackend.start(configuration: configuration, logger: logger), identity: url)
        }
    }
}

/// What a storage engine provides to `Database`.
protocol DatabaseBackend: Sendable {
    func withConnection<T: Sendable>(_ body: @escaping @Sendable (any SQLDatabase) async throws -> T) async throws -> T
    func withTransaction<T: Sendable>(_ body: @escaping @Sendable (any SQLDatabase) async throws -> T) async throws -> T
    func close() async
}

extension DatabaseBackend {
    /// BEGIN … COMMIT around `body` on one connection, ROLLBACK on error.
    func runTransaction<T: Sendable>(
        on db: any SQLDatabase, begin: String, _ body: @escaping @Sendable (any SQLDatabase) async throws -> T
    ) async throws -> T {
        try await db.raw(SQLQueryString(begin)).run()
        do {
            // Audit entries recorded by the body are appended to the chain last, just before COMMIT (see `AuditLog`).
            let audit = AuditLog.Buffer()
            let result = try await AuditLog.$buffer.withValue(audit) { try await body(db) }
            try await AuditLog.append(audit.entries.withLock { $0 }, on: db)
            try await db.raw("COMMIT").run()
            return result
        } catch {
            try? await db.raw("ROLLBACK").run()
            throw error
        }
    }
}

extension SQLDatabase {
    /// Locks one row for the rest of the transaction on PostgreSQL (read committed would let two officials act on the
    /// same record at once); SQLite's writer transactions are already serialised.
    func lockRow(_ table: String, id: Int64) async throws {
        guard dialect.name == "postgresql" else { return }
        try await raw("SELECT id FROM \(ident: table) WHERE id = \(bind: id) FOR UPDATE").run()
    }
}
