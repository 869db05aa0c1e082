import ArgumentParser
import Foundation
import LedgerCore
import LedgerWeb
import Logging

/// Options shared by every command that opens the database. Each falls back to an environment variable.
struct DatabaseOptions: ParsableArguments {
    @Option(name: .customLong("database"), help: "sqlite://PATH or postgres://USER:PASS@HOST:PORT/DB (env LEDGER_DATABASE_URL)")
    var databaseFlag: String?

    @Option(name: .customLong("log-level"), help: "trace, debug, info, notice, warning, error (env LEDGER_LOG_LEVEL)")
    var logLevelFlag: String?

    var databaseURL: String {
        databaseFlag ?? ProcessInfo.processInfo.environment["LEDGER_DATABASE_URL"] ?? "sqlite://./data/ledger.sqlite"
    }

    var logLevel: Logger.Level {
        (logLevelFlag ?? ProcessInfo.processInfo.environment["LEDGER_LOG_LEVEL"]).flatMap(Logger.Level.init(rawValue:)) ?? .info
    }

    var logger: Logger {
        var logger = Logger(label: "ledger")
        logger.logLevel = logLevel
        return logger
    }

    /// The key file the server uses when `LEDGER_SECRET_KEY(_FILE)` is not set: beside the voucher files' folder.
    var defaultKeyFile: String {
        let files = ProcessInfo.processInfo.environment["LEDGER_FILES_DIR"] ?? (databaseURL.hasPrefix("sqlite://")
            ? ((String(databaseURL.dropFirst("sqlite://".count)) as NSString).deletingLastPathComponent as NSString).appendingPathComponent("files")
            : "./data/files")
        let parent = (files as NSString).deletingLastPathComponent
        return (parent.isEmpty ? "." : parent) + "/secret.key"
    }

    /// Opens the database and applies pending migrations.
    func open() async throws -> Database {
        let database = try await Database.open(url: databaseURL, logger: logger)
        do {
            try await Migrator(database: database).migrate()
        } catch {
            await database.close()
            throw error
        }
        return database
    }
}

/// Where the server listens.
struct ServerOptions: ParsableArguments {
    @Option(name: .customLong("hostname"), help: "address to bind (env LEDGER_HOST, default 127.0.0.1)")
    var hostnameFlag: String?

    @Option(name: .customLong("port"), help: "port (env LEDGER_PORT, default 8080)")
    var portFlag: Int?

    @Flag(name: .customLong("secure-cookies"), help: "mark cookies Secure, for a server behind TLS (env LEDGER_SECURE_COOKIES=1)")
    var secureCookiesFlag = false

    var hostname: String { hostnameFlag ?? ProcessInfo.processInfo.environment["LEDGER_HOST"] ?? "127.0.0.1" }
    var port: Int { portFlag ?? ProcessInfo.processInfo.environment["LEDGER_PORT"].flatMap(Int.init) ?? 8080 }
    var secureCookies: Bool { secureCookiesFlag || ProcessInfo.processInfo.environment["LEDGER_SECURE_COOKIES"] == "1" }

    @Flag(name: .customLong("test-hooks"), help: "FOR TESTS ONLY: routes that move the clock and run the daily jobs now (env LEDGER_TEST_HOOKS=1)")
    var testHooksFlag = false
    var testHooks: Bool { testHooksFlag || ProcessInfo.processInfo.environment["LEDGER_TEST_HOOKS"] == "1" }

    @Option(name: .customLong("public-url"), help: "public address for notice QR codes (env LEDGER_PUBLIC_URL; default: as requested)")
    var publicURLFlag: String?

    @Option(name: .customLong("trusted-proxy"), help: "address of a load balancer whose X-Forwarded-For is believed; repeatable (env LEDGER_TRUSTED_PROXIES, comma-separated)")
    var trustedProxyFlags: [String] = []

    @Option(name: .customLong("files"), help: "directory for voucher files (env LEDGER_FILES_DIR, default: files/ beside the SQLite database, else ./data/files)")
    var filesFlag: String?
}

/// The resolved arguments handed to `buildApplication`.
struct ResolvedArguments: AppArguments {
    let hostname: String
    let port: Int
    let databaseURL: String
    let logLevel: Logger.Level
    let secureCookies: Bool
    let filesDirectory: String
    let publicBaseURL: String?
    let trustedProxies: [String]
    let testHooks: Bool

    init(_ database: DatabaseOptions, _ server: ServerOptions) {
        testHooks = server.testHooks
        trustedProxies = server.trustedProxyFlags.isEmpty
            ? (ProcessInfo.processInfo.environment["LEDGER_TRUSTED_PROXIES"] ?? "").split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }
            : server.trustedProxyFlags
        publicBaseURL = (server.publicURLFlag ?? ProcessInfo.processInfo.environment["LEDGER_PUBLIC_URL"]).map {
            $0.hasSuffix("/") ? String($0.dropLast()) : $0
        }
        let url = database.databaseURL
        let beside = url.hasPrefix("sqlite://") ? ((String(url.dropFirst("sqlite://".count)) as NSString).deletingLastPathComponent as NSString)
            .appendingPathComponent("files") : "./data/files"
        filesDirectory = server.filesFlag ?? ProcessInfo.processInfo.environment["LEDGER_FILES_DIR"] ?? beside
        hostname = server.hostname
        port = server.port
        databaseURL = database.databaseURL
        logLevel = database.logLevel
        secureCookies = server.secureCookies
    }
}

/// Prints to standard error.
func printError(_ text: String) {
    FileHandle.standardError.write(Data((text + "\n").utf8))
}
