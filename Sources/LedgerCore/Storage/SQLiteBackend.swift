import Foundation
import Logging
import NIOCore
import NIOPosix
import SQLKit
import SQLiteKit

/// SQLite in WAL mode: one writer connection (writes are serialised, so they never meet SQLITE_BUSY)
/// and a few reader connections that run beside it.
final class SQLiteBackend: DatabaseBackend {
    private let writer: SQLiteConnectionPool
    private let readers: SQLiteConnectionPool

    private init(writer: SQLiteConnectionPool, readers: SQLiteConnectionPool) {
        self.writer = writer
        self.readers = readers
    }

    static func open(path: String, logger: Logger, readerCount: Int = 4) async throws -> SQLiteBackend {
        let directory = (path as NSString).deletingLastPathComponent
        if !directory.isEmpty {
            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        }
        var opened: [SQLiteConnection] = []
        do {
            for _ in 0...readerCount {
                opened.append(try await openConnection(path: path, logger: logger))
            }
            try await opened[0].sql().raw("PRAGMA journal_mode = WAL").run()
        } catch {
            // SQLiteNIO insists that every connection is closed before it goes away.
            for connection in opened { try? await connection.close() }
            throw error
        }
        let writerConnection = opened[0]
        let readerConnections = Array(opened.dropFirst())
        return SQLiteBackend(
            writer: SQLiteConnectionPool(connections: [writerConnection]),
            readers: SQLiteConnectionPool(connections: readerConnections)
        )
    }

    private static func openConnection(path: String, logger: Logger) async throws -> SQLiteConnection {
        let connection = try await SQLiteConnection.open(
            storage: .file(path: path), threadPool: .singleton, logger: logger, on: MultiThreadedEventLoopGroup.singleton.any()
        )
        do {
            let db = connection.sql(queryLogLevel: .trace)
            try await db.raw("PRAGMA busy_timeout = 10000").run()
            try await db.raw("PRAGMA foreign_keys = ON").run()
            try await db.raw("PRAGMA synchronous = NORMAL").run()
            return connection
        } catch {
            try? await connection.close()
            throw error
        }
    }

    func withConnection<T: Sendable>(_ body: @escaping @Sendable (any SQLDatabase) async throws -> T) async throws -> T {
        try await readers.with { try await body($0.sql(queryLogLevel: .trace)) }
    }

    func withTransaction<T: Sendable>(_ body: @escaping @Sendable (any SQLDatabase) async throws -> T) async throws -> T {
        try await writer.with { connection in
            try await self.runTransaction(on: connection.sql(queryLogLevel: .trace), begin: "BEGIN IMMEDIATE", body)
        }
    }

    func close() async {
        await writer.closeAll()
        await readers.closeAll()
    }
}

/// A fixed set of SQLite connections handed out one caller at a time.
actor SQLiteConnectionPool {
    private var idle: [SQLiteConnection]
    private var waiters: [CheckedContinuation<SQLiteConnection, Never>] = []
    private let all: [SQLiteConnection]

    init(connections: [SQLiteConnection]) {
        self.idle = connections
        self.all = connections
    }

    func with<T: Sendable>(_ body: @Sendable (SQLiteConnection) async throws -> T) async throws -> T {
        let connection = await acquire()
        do {
            let result = try await body(connection)
            release(connection)
            return result
        } catch {
            release(connection)
            throw error
        }
    }

    private func acquire() async -> SQLiteConnection {
        if let connection = idle.popLast() { return connection }
        return await withCheckedContinuation { waiters.append($0) }
    }

    private func release(_ connection: SQLiteConnection) {
        if waiters.isEmpty {
            idle.append(connection)
        } else {
            waiters.removeFirst().resume(returning: connection)
        }
    }

    func closeAll() async {
        for connection in all { try? await connection.close() }
    }

    /// A pool dropped without `closeAll()` (an application whose services never ran, as in router tests) still closes
    /// its connections: each close keeps its connection alive until SQLite has let go of the file.
    deinit {
        for connection in all where !connection.isClosed { _ = connection.close() }
    }
}
