import Foundation
import Logging
import PostgresKit
import SQLKit

/// PostgreSQL through PostgresNIO's pooled client; the client runs as a task for the backend's lifetime.
final class PostgresBackend: DatabaseBackend {
    private let client: PostgresClient
    private let runner: Task<Void, Never>

    init(configuration: PostgresClient.Configuration, logger: Logger) {
        let client = PostgresClient(configuration: configuration, backgroundLogger: logger)
        self.client = client
        self.runner = Task { await client.run() }
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
