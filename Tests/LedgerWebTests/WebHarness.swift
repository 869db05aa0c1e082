import Foundation
import Hummingbird
import HummingbirdTesting
import LedgerCore
import LedgerTestSupport
import LedgerWeb
import Logging
import NIOCore
import Testing

/// Builds the real router over a fresh test world and signs users in without going through bcrypt each time.
struct WebHarness: Sendable {
    static let csrf = "0123456789abcdef0123456789abcdef"

    struct Route: Sendable {
        let method: HTTPRequest.Method
        let path: String
    }

    let world: World
    /// Every route the application registers, as `Router.routes` lists them.
    let routes: [Route]

    /// Runs `body` with the application over a fresh world on the given database.
    /// The arguments the tests start the application with: the test database, the world's clock (no test hooks),
    /// the per-process key, no daily jobs (the data stays as the test built it).
    struct Arguments: AppArguments {
        let databaseURL: String
        var hostname: String { "127.0.0.1" }
        var port: Int { 0 }
        var logLevel: Logger.Level { .warning }
        var secureCookies: Bool { false }
        let filesDirectory: String
        var publicBaseURL: String? { nil }
        var trustedProxies: [String] = []
        var testHooks: Bool = false
        var secrets: SecretBox? { .ephemeral }
        var runsDailyJobs: Bool { false }
        /// A cache the test counts renders on (nil: the application's own).
        var publicPageCache: PublicPageCache? = nil
        var metricsToken: String? = nil
        var staffPageRenders: RenderCounter? = nil
    }

    /// Runs `body` with the application built by the real composition root (`buildApplication`) over a fresh
    /// world on the given database.
    static func run(_ kind: TestDatabase.Kind = .sqlite, testHooks: Bool = false, trustedProxies: [String] = [],
                    publicPageCache: PublicPageCache? = nil, metricsToken: String? = nil, staffPageRenders: RenderCounter? = nil,
                    _ body: @escaping @Sendable (WebHarness, any TestClientProtocol) async throws -> Void) async throws {
        try await withDatabaseURL(kind) { database, url in
            let world = try await World.build(in: database)
            let files = NSTemporaryDirectory() + "ledger-web-\(UUID().uuidString)/files"
            let arguments = Arguments(databaseURL: url, filesDirectory: files, trustedProxies: trustedProxies, testHooks: testHooks,
                                      publicPageCache: publicPageCache, metricsToken: metricsToken,
                                      staffPageRenders: staffPageRenders)
            let (app, routes) = try await buildApplication(arguments, clock: world.clock)
            let harness = WebHarness(world: world, routes: routes.map { Route(method: $0.method, path: $0.path) })
            try await app.test(.router) { client in try await body(harness, client) }
        }
    }

    /// A session token for the user (as if they had logged in).
    func token(_ user: User) async throws -> String {
        try await Authenticator(database: world.database, clock: world.clock)
            .login(username: user.username, password: World.password, address: "test-\(user.username)", kind: .browser).1
    }

    /// Headers of a signed-in browser.
    func browser(_ token: String) -> HTTPFields {
        [.cookie: "ledger_session=\(token); ledger_csrf=\(Self.csrf)"]
    }

    /// Headers of an API client.
    func api(_ token: String) -> HTTPFields {
        [.authorization: "Bearer \(token)", .contentType: "application/json"]
    }

    static func form(_ fields: [String: String], csrf: String? = WebHarness.csrf) -> ByteBuffer {
        var all = fields
        if let csrf { all["_csrf"] = csrf }
        let allowed = CharacterSet.alphanumerics.union(.init(charactersIn: "-._~"))
        let text = all.sorted { $0.key < $1.key }
            .map { "\($0.key)=\($0.value.addingPercentEncoding(withAllowedCharacters: allowed)!)" }.joined(separator: "&")
        return ByteBuffer(string: text)
    }

    static func json(_ object: [String: Any]) -> ByteBuffer {
        ByteBuffer(bytes: try! JSONSerialization.data(withJSONObject: object))
    }
}

extension TestResponse {
    var text: String { String(buffer: body) }

    /// The `error` object of an API error response.
    var apiError: [String: String] {
        guard let object = try? JSONSerialization.jsonObject(with: Data(body.readableBytesView)) as? [String: Any],
              let error = object["error"] as? [String: Any] else { return [:] }
        return error.compactMapValues { $0 as? String }
    }

    var json: [String: Any] {
        (try? JSONSerialization.jsonObject(with: Data(body.readableBytesView)) as? [String: Any]) ?? [:]
    }
}
