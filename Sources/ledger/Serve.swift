import Foundation
import ArgumentParser
import Hummingbird
import LedgerWeb

/// `ledger serve`: run the web server.
struct Serve: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "启动服务 (run the web server)")

    @OptionGroup var database: DatabaseOptions
    @OptionGroup var server: ServerOptions

    func run() async throws {
        let app = try await buildApplication(ResolvedArguments(database, server)).application
        try await app.runService()
    }
}
