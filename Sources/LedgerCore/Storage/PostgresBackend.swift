import Foundation
import Logging
import PostgresKit
import SQLKit

/// PostgreSQL through PostgresNIO's pooled client; the client runs as a task for the backend's lifetime.
final class PostgresBackend: DatabaseBackend {
    private let client: PostgresClient
    private let runner: Task<Void, Never>

    private init(client: PostgresClient, runner: Task<Void, Never>) {
        self.client = client
        self.runner = runner
    }

    /// Starts the client and returns once its `run()` task has begun, so that no query asks the pool for a connection
    /// before the pool runs (PostgresNIO then logs a warning and leaves the request waiting on the task's start).
    static func start(configuration: PostgresClient.Configuration, logger: Logger) async -> PostgresBackend {
        let client = PostgresClient(configuration: configuration, backgroundLogger: logger)
        let (started, signal) = AsyncStream.makeStream(of: Never.self)
        let runner = Task {
            signal.finish()
            await client.run()
        }
        for await _ in started {}
        return PostgresBackend(client: client, runner: runner)
    }

    func withConnection<T: Sendable>(_ body: @escaping @Sendable (any SQLDatabase) async throws -> T) async throws -> T {
        try await client.withConnection { connection in
            try await body(connection.sql(queryLogLevel: .trace))
        }
    }

    func withTransaction<T: Sendable>(_ body: @escaping @Sendable (any SQLDatabase) async throws -> T) async throws -> T {
        try await client.withConnection { connection in
            try await self.runTransaction(on: connection.sql(queryLogLevel: .trace), begin: "BEGIN", body)
        }
    }

    func close() async {
        runner.cancel()
        _ = await runner.value
    }
}
