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
    @Test(arguments: TestDatabase.available)
    func metricsAnswerLoopbackAndTheTokenOnly(_ kind: TestDatabase.Kind) async throws {
        // The test client's peer is "local": trusted as a proxy, so `X-Forwarded-For` decides the client.
        try await WebHarness.run(kind, trustedProxies: ["local"], metricsToken: "metrics-token-for-tests") { harness, client in
            let world = harness.world
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
