import Foundation
import Hummingbird
import HummingbirdTesting
import LedgerCore
import LedgerTestSupport
import LedgerWeb
import Logging
import NIOCore
import Testing

/// `/metrics`: Prometheus text for loopback clients and holders of the metrics token; nobody else learns it exists.
@Suite struct MetricsTests {
    struct Arguments: AppArguments {
        let databaseURL: String
        var hostname: String { "127.0.0.1" }
        var port: Int { 0 }
        var logLevel: Logger.Level { .warning }
        var secureCookies: Bool { false }
        let filesDirectory: String
        var publicBaseURL: String? { nil }
        /// The test client's peer is "local": trusted as a proxy, so `X-Forwarded-For` decides the client.
        var trustedProxies: [String] { ["local"] }
        var secrets: SecretBox? { .ephemeral }
        var runsDailyJobs: Bool { false }
        var metricsToken: String? { "metrics-token-for-tests" }
    }

    @Test(arguments: TestDatabase.available)
    func metricsAnswerLoopbackAndTheTokenOnly(_ kind: TestDatabase.Kind) async throws {
        try await withDatabaseURL(kind) { database, url in
            let world = try await World.build(in: database)
            let files = NSTemporaryDirectory() + "ledger-web-\(UUID().uuidString)/files"
            let (app, _) = try await buildApplication(Arguments(databaseURL: url, filesDirectory: files), clock: world.clock)
            try await app.test(.router) { client in
                func from(_ address: String, token: String? = nil) -> HTTPFields {
                    var headers: HTTPFields = [.init("X-Forwarded-For")!: address]
                    if let token { headers[.authorization] = "Bearer \(token)" }
                    return headers
                }
                let health = try await client.execute(uri: "/healthz", method: .get)
                #expect(health.status == .ok)
                _ = try await client.execute(uri: "/public/estates/\(world.a.estate.id)", method: .get)

                let local = try await client.execute(uri: "/metrics", method: .get, headers: from("127.0.0.1"))
                #expect(local.status == .ok)
                #expect(local.headers[.contentType]?.hasPrefix("text/plain; version=0.0.4") == true)
                let text = local.text
                #expect(text.contains("# TYPE hb_requests counter"))
                #expect(text.contains("# TYPE http_server_request_duration histogram"))
                #expect(text.contains("http_server_request_duration_bucket{"))
                #expect(text.contains("hb_requests{") && text.contains("/healthz") && text.contains("/public/estates/{id}"))

                // Not loopback: as if there were no such page, unless the token is presented.
                for headers in [HTTPFields(), from("203.0.113.9"), from("203.0.113.9", token: "wrong-token-for-tests")] {
                    let refused = try await client.execute(uri: "/metrics", method: .get, headers: headers)
                    #expect(refused.status == .notFound && !refused.text.contains("# TYPE"))
                }
                let withToken = try await client.execute(uri: "/metrics", method: .get,
                                                         headers: from("203.0.113.9", token: "metrics-token-for-tests"))
                #expect(withToken.status == .ok && withToken.text.contains("# TYPE"))
            }
        }
    }
}
