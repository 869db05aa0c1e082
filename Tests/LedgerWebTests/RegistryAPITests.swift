import Foundation
import Hummingbird
import HummingbirdTesting
import LedgerCore
import LedgerTestSupport
import LedgerWeb
import NIOCore
import Testing

/// The JSON API's contract and its refusals: each bad input gets a 4xx with `{"error":{code,message,field}}` and writes nothing.
@Suite struct RegistryAPITests {
    static func estate(_ world: World, _ overrides: [String: Any] = [:]) -> ByteBuffer {
        var body: [String: Any] = ["name": "新建小区", "address": "五四路1号", "community": world.a.community.code, "households": 200,
                                   "floorArea": 18000, "ownersShare": "70"]
        for (key, value) in overrides { body[key] = value }
        return WebHarness.json(body)
    }

    static func company(_ world: World, _ overrides: [String: Any] = [:]) -> ByteBuffer {
        var body: [String: Any] = ["name": "新物业服务有限公司", "uscc": "91350102MA2YX1234X", "region": world.a.county.code]
        for (key, value) in overrides { body[key] = value }
        return WebHarness.json(body)
    }

    // MARK: Tests

    @Test func sessionTokenFromPassword() async throws {
        try await WebHarness.run { harness, client in
            let ok = try await client.execute(uri: "/api/v1/session", method: .post, headers: [.contentType: "application/json"],
                                              body: WebHarness.json(["username": "regulator-a", "password": World.password]))
            #expect(ok.status == .created)
            let token = ok.json["token"] as? String
            #expect(token?.count == 64)
            #expect((ok.json["user"] as? [String: Any])?["role"] as? String == "regulator")
            let listed = try await client.execute(uri: "/api/v1/estates", method: .get, headers: harness.api(token ?? ""))
            #expect(listed.status == .ok)
            #expect((listed.json["items"] as? [[String: Any]])?.map { $0["name"] as? String } == [harness.world.a.estate.name])

            let wrong = try await client.execute(uri: "/api/v1/session", method: .post, headers: [.contentType: "application/json"],
                                                 body: WebHarness.json(["username": "regulator-a", "password": "nope"]))
            #expect(wrong.status == .unauthorized)
            #expect(wrong.apiError["code"] == "bad_credentials")
            let anonymous = try await client.execute(uri: "/api/v1/estates", method: .get)
            #expect(anonymous.status == .unauthorized)
            #expect(anonymous.apiError["code"] == "login_required")
        }
    }

    @Test func estatesArePagedAndFilteredByRegion() async throws {
        try await WebHarness.run { harness, client in
            let token = try await harness.token(harness.world.admin)
            let all = try await client.execute(uri: "/api/v1/estates?pageSize=1&page=2", method: .get, headers: harness.api(token))
            #expect(all.json["total"] as? Int == 2)
            #expect((all.json["items"] as? [Any])?.count == 1)
            let underB = try await client.execute(uri: "/api/v1/estates?region=\(harness.world.b.county.code)", method: .get, headers: harness.api(token))
            #expect((underB.json["items"] as? [[String: Any]])?.first?["name"] as? String == harness.world.b.estate.name)
            let regions = try await client.execute(uri: "/api/v1/regions?parent=350100", method: .get, headers: harness.api(token))
            #expect((regions.json["regions"] as? [[String: Any]])?.compactMap { $0["code"] as? String } == ["350102", "350103"])

            let regulator = try await harness.token(harness.world.a.users[.regulator]!)
            let foreign = try await client.execute(uri: "/api/v1/estates?region=\(harness.world.b.county.code)", method: .get,
                                                   headers: harness.api(regulator))
            #expect(foreign.status == .notFound)
            let badPage = try await client.execute(uri: "/api/v1/estates?page=abc", method: .get, headers: harness.api(regulator))
            #expect(badPage.status == .badRequest)
            #expect(badPage.apiError["field"] == "page")
        }
    }

    @Test func createsEstateAndCompanyWithAuditEntries() async throws {
        try await WebHarness.run { harness, client in
            let token = try await harness.token(harness.world.a.users[.regulator]!)
            let estate = try await client.execute(uri: "/api/v1/estates", method: .post, headers: harness.api(token),
                                                  body: Self.estate(harness.world, ["name": "O'Brien'; DROP TABLE estates; --"]))
            #expect(estate.status == .created)
            #expect(estate.json["name"] as? String == "O'Brien'; DROP TABLE estates; --")
            let company = try await client.execute(uri: "/api/v1/companies", method: .post, headers: harness.api(token), body: Self.company(harness.world))
            #expect(company.status == .created)
            let id = company.json["id"] as? Int ?? 0
            let fetched = try await client.execute(uri: "/api/v1/companies/\(id)", method: .get, headers: harness.api(token))
            #expect(fetched.json["uscc"] as? String == "91350102MA2YX1234X")
            var filter = AuditFilter()
            filter.username = "regulator-a"
            let log = try await AuditLog.entries(in: harness.world.database, scope: harness.world.admin.scope, filter: filter)
            #expect(Set(log.items.map { "\($0.action) \($0.entity)" }).isSuperset(of: ["create estate", "create company"]))
        }
    }

    /// (what is wrong, body, expected status, expected code, expected field)
    nonisolated(unsafe) static let badEstates: [(String, [String: Any], Int, String, String?)] = [
        ("unknown region", ["community": "999999999999"], 404, "unknown_region", "community"),
        ("another region", ["community": "350103001001"], 404, "unknown_region", "community"),
        ("duplicate", ["name": "东湖花园"], 409, "duplicate_estate", "name"),
        ("empty name", ["name": "  "], 400, "required", "name"),
        ("over-long name", ["name": String(repeating: "长", count: 101)], 400, "too_long", "name"),
        ("households as text", ["households": "abc"], 400, "wrong_type", "households"),
        ("households zero", ["households": 0], 400, "out_of_range", "households"),
        ("share over 100%", ["ownersShare": "100.5"], 400, "out_of_range", "ownersShare"),
        ("missing field", ["address": NSNull()], 400, "required", "address"),
    ]

    @Test(arguments: badEstates.indices)
    func refusesBadEstates(index: Int) async throws {
        let (what, overrides, status, code, field) = Self.badEstates[index]
        var object: [String: Any] = ["name": "新建小区", "address": "五四路1号", "community": "350102001001",
                                     "households": 200, "floorArea": 18000, "ownersShare": "70"]
        for (key, value) in overrides { object[key] = value is NSNull ? nil : value }
        let body = WebHarness.json(object)
        try await WebHarness.run { harness, client in
            let token = try await harness.token(harness.world.a.users[.regulator]!)
            let before = try await harness.world.fingerprint()
            let response = try await client.execute(uri: "/api/v1/estates", method: .post, headers: harness.api(token), body: body)
            #expect(Int(response.status.code) == status, "\(what)")
            #expect(response.apiError["code"] == code, "\(what)")
            #expect(response.apiError["field"] == field, "\(what)")
            #expect(!(response.apiError["message"] ?? "").isEmpty)
            #expect(try await harness.world.fingerprint() == before, "\(what) wrote something")
        }
    }

    @Test func refusesInvalidCreditCodeAndUnknownRegion() async throws {
        try await WebHarness.run { harness, client in
            let token = try await harness.token(harness.world.a.users[.regulator]!)
            let before = try await harness.world.fingerprint()
            let badCode = try await client.execute(uri: "/api/v1/companies", method: .post, headers: harness.api(token),
                                                   body: Self.company(harness.world, ["uscc": "91350102MA2YX1234Y"]))
            #expect(badCode.status == .unprocessableContent, "well-formed, but the check character is wrong")
            #expect(badCode.apiError["code"] == "invalid_uscc")
            #expect(badCode.apiError["field"] == "uscc")
            #expect(badCode.apiError["message"]?.contains("校验位") == true)
            let badRegion = try await client.execute(uri: "/api/v1/companies", method: .post, headers: harness.api(token),
                                                     body: Self.company(harness.world, ["region": "000000"]))
            #expect(badRegion.status == .notFound && badRegion.apiError["code"] == "unknown_region")
            let duplicate = try await client.execute(uri: "/api/v1/companies", method: .post, headers: harness.api(token),
                                                     body: Self.company(harness.world, ["uscc": harness.world.a.company.uscc]))
            #expect(duplicate.status == .conflict)
            #expect(try await harness.world.fingerprint() == before)
        }
    }

    @Test func refusesOversizedAndMalformedBodies() async throws {
        try await WebHarness.run { harness, client in
            let token = try await harness.token(harness.world.a.users[.regulator]!)
            let before = try await harness.world.fingerprint()
            let huge = WebHarness.json(["name": String(repeating: "a", count: 1_100_000), "address": "x", "community": "x",
                                        "households": 1, "floorArea": 1, "ownersShare": "1"])
            let tooLarge = try await client.execute(uri: "/api/v1/estates", method: .post, headers: harness.api(token), body: huge)
            #expect(tooLarge.status == .contentTooLarge)
            #expect(tooLarge.apiError["code"] == "too_large")
            let notJSON = try await client.execute(uri: "/api/v1/estates", method: .post, headers: harness.api(token), body: ByteBuffer(string: "{oops"))
            #expect(notJSON.status == .badRequest)
            #expect(notJSON.apiError["code"] == "bad_json")
            let unknown = try await client.execute(uri: "/api/v1/estates/987654", method: .get, headers: harness.api(token))
            #expect(unknown.status == .notFound)
            #expect(unknown.apiError["code"] == "not_found")
            let forged = try await client.execute(uri: "/api/v1/estates/abc", method: .get, headers: harness.api(token))
            #expect(forged.status == .notFound)
            #expect(try await harness.world.fingerprint() == before)
        }
    }

    @Test func healthAndOpenAPIAreServed() async throws {
        try await WebHarness.run { harness, client in
            let health = try await client.execute(uri: "/healthz", method: .get)
            #expect(health.status == .ok)
            #expect(health.json["database"] as? String == "sqlite")
            let spec = try await client.execute(uri: "/api/openapi.yaml", method: .get)
            #expect(spec.text.hasPrefix("openapi: 3.1.0"))
            #expect(spec.text.contains("/api/v1/estates/{id}:"))
            // Every API route is documented.
            for route in harness.routes where route.path.hasPrefix("/api/v1/") {
                #expect(spec.text.contains("\n  \(route.path):"), "\(route.path) missing from openapi.yaml")
            }
        }
    }
}
