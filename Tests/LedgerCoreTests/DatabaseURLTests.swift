import Foundation
import LedgerCore
import LedgerTestSupport
import Logging
import Testing

/// `sslmode` in a PostgreSQL URL means what libpq means by it, and an unknown value stops the server from starting.
@Suite struct DatabaseURLTests {
    static var logger: Logger {
        var logger = Logger(label: "test")
        logger.logLevel = .critical
        return logger
    }

    @Test(arguments: ["yes", "on", "verify", "REQUIRE", ""])
    func unknownSSLModesAreRefusedAtStartUp(mode: String) async throws {
        do {
            let database = try await Database.open(url: "postgres://u:p@127.0.0.1:1/db?sslmode=\(mode)", logger: Self.logger)
            await database.close()
            Issue.record("sslmode=\(mode) was accepted")
        } catch let error as StorageError {
            #expect(String(describing: error).contains("sslmode"))
        }
    }

    @Test(arguments: ["disable", "prefer", "require", "verify-ca", "verify-full"])
    func knownSSLModesAreAccepted(mode: String) async throws {
        let database = try await Database.open(url: "postgres://u:p@127.0.0.1:1/db?sslmode=\(mode)", logger: Self.logger)
        await database.close()
    }

    /// The test server speaks no TLS: `require` must then fail to connect instead of falling back to plaintext, while
    /// `prefer` connects.
    @Test func requireNeverFallsBackToPlaintext() async throws {
        guard let url = TestDatabase.postgresURL else {
            print("PostgreSQL skipped: LEDGER_TEST_POSTGRES_URL is not set")
            return
        }
        let separator = url.contains("?") ? "&" : "?"
        let preferred = try await Database.open(url: url + separator + "sslmode=prefer", logger: Self.logger)
        try await preferred.ping()
        await preferred.close()
        let required = try await Database.open(url: url + separator + "sslmode=require", logger: Self.logger)
        // The pool keeps retrying a refused TLS handshake instead of failing the query, so the check is that no query
        // gets through in plaintext before a deadline far beyond the milliseconds `prefer` needed.
        let connected = await withTaskGroup(of: Bool?.self) { group in
            group.addTask { (try? await required.ping()) != nil }
            group.addTask {
                try? await Task.sleep(for: .seconds(8))
                return nil
            }
            let first = await group.next() ?? nil
            group.cancelAll()
            return first
        }
        #expect(connected != true, "sslmode=require connected to a server without TLS")
        await required.close()
    }
}
