import Foundation
import Hummingbird
import HummingbirdTesting
import LedgerCore
import LedgerTestSupport
import LedgerWeb
import NIOCore
import Testing

/// Every route of the router, refused the same way whatever it is (issue #10 item 6): a form without or with a forged
/// anti-forgery token, a JSON write with another content type, a body over the limit. Each refusal leaves the database
/// as it was. Routes are read from the router, so a new one is covered without being named here.
@Suite struct SecuritySuiteTests {
    static func isFormWrite(_ route: WebHarness.Route) -> Bool {
        route.method == .post && !route.path.hasPrefix("/api/")
    }

    static func isJSONWrite(_ route: WebHarness.Route) -> Bool {
        [.post, .put, .patch].contains(route.method) && route.path.hasPrefix("/api/")
    }

    static func path(_ route: WebHarness.Route, _ harness: WebHarness) -> String {
        JurisdictionTests.concretePath(route.path, harness.world, ids: ["warnings": 1, "complaints": 1, "problems": 1, "campaigns": 1, "plans": 1, "visits": 1,
                                                                        "inspectors": 1, "cross": 1, "groups": 1, "self-inspections": 1])
            ?? route.path
    }

    @Test(arguments: TestDatabase.available)
    func everyFormRefusesAMissingOrForgedToken(kind: TestDatabase.Kind) async throws {
        try await WebHarness.run(kind) { harness, client in
            let world = harness.world
            let token = try await harness.token(world.admin)
            let forms = harness.routes.filter(Self.isFormWrite)
            #expect(forms.count > 20)
            for route in forms {
                let path = Self.path(route, harness)
                let isPublic = path == "/login" || path.hasPrefix("/public/")
                let cookie = isPublic ? "ledger_csrf=\(WebHarness.csrf)" : "ledger_session=\(token); ledger_csrf=\(WebHarness.csrf)"
                let fields = JurisdictionTests.formFields(world, path: path)
                for (label, body) in [("missing", WebHarness.form(fields, csrf: nil)),
                                      ("forged", WebHarness.form(fields, csrf: "ffffffffffffffffffffffffffffffff"))] {
                    let before = try await world.fingerprint()
                    let response = try await client.execute(uri: path, method: .post, headers: [.cookie: cookie], body: body)
                    #expect(response.status == .forbidden, "POST \(path) with a \(label) token → \(response.status)")
                    #expect(response.text.contains("页面已过期或来源不明"), "POST \(path) (\(label))")
                    #expect(try await world.fingerprint() == before, "POST \(path) with a \(label) token wrote something")
                }
            }
        }
    }

    @Test(arguments: TestDatabase.available)
    func everyJSONWriteRefusesAnotherContentType(kind: TestDatabase.Kind) async throws {
        try await WebHarness.run(kind) { harness, client in
            let world = harness.world
            let token = try await harness.token(world.admin)
            let writes = harness.routes.filter(Self.isJSONWrite)
            #expect(writes.count >= 6)
            let body = JurisdictionTests.jsonBody(world)
            for route in writes {
                let path = Self.path(route, harness)
                for type in ["text/plain", "application/x-www-form-urlencoded", "text/html; charset=utf-8"] {
                    let before = try await world.fingerprint()
                    let response = try await client.execute(uri: path, method: route.method,
                                                            headers: [.authorization: "Bearer \(token)", .contentType: type], body: body)
                    #expect(response.status == .unsupportedMediaType, "\(route.method) \(path) as \(type) → \(response.status)")
                    #expect(response.apiError["code"] == "unsupported_media_type")
                    #expect(try await world.fingerprint() == before, "\(route.method) \(path) as \(type) wrote something")
                }
            }
        }
    }

    @Test func everyWriteRefusesAnOversizeBody() async throws {
        try await WebHarness.run { harness, client in
            let world = harness.world
            let token = try await harness.token(world.admin)
            // Over every limit there is: forms 1 MB, imports 8 MB, evidence 15 MB.
            let hugeForm = ByteBuffer(bytes: Array("_csrf=\(WebHarness.csrf)&note=".utf8) + [UInt8](repeating: UInt8(ascii: "a"), count: 16 << 20))
            for route in harness.routes.filter(Self.isFormWrite) {
                let path = Self.path(route, harness)
                let before = try await world.fingerprint()
                let response = try await client.execute(uri: path, method: .post,
                                                        headers: [.cookie: "ledger_session=\(token); ledger_csrf=\(WebHarness.csrf)",
                                                                  .contentType: "application/x-www-form-urlencoded"], body: hugeForm)
                #expect(response.status == .contentTooLarge, "POST \(path) with 16 MB → \(response.status)")
                #expect(try await world.fingerprint() == before)
            }
            var json = Array(#"{"name":""#.utf8)
            json += [UInt8](repeating: UInt8(ascii: "a"), count: 2 << 20)
            json += Array(#""}"#.utf8)
            let hugeJSON = ByteBuffer(bytes: json)
            for route in harness.routes.filter(Self.isJSONWrite) {
                let path = Self.path(route, harness)
                let response = try await client.execute(uri: path, method: route.method,
                                                        headers: [.authorization: "Bearer \(token)", .contentType: "application/json"], body: hugeJSON)
                #expect(response.status == .contentTooLarge, "\(route.method) \(path) with 2 MB → \(response.status)")
                #expect(response.apiError["code"] == "too_large")
            }
        }
    }
}
