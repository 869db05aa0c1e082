import Foundation
import Hummingbird
import HummingbirdTesting
import LedgerCore
import LedgerTestSupport
import LedgerWeb
import NIOCore
import Testing

/// What openapi.yaml promises about parameters and bodies, held by the code: a value the document refuses is refused with
/// 400 and a Chinese message naming the field, and a value it allows is accepted (e2e/test_openapi.py fuzzes the rest).
@Suite struct OpenAPIContractTests {
    @Test func anUnknownSortOrDirectionIsRefusedNotIgnored() async throws {
        try await WebHarness.run { harness, client in
            let api = harness.api(try await harness.token(harness.world.admin))
            let unknown = try await client.execute(uri: "/api/v1/estates?sort=bogus", method: .get, headers: api)
            #expect(unknown.status == .badRequest)
            #expect(unknown.apiError["code"] == "bad_parameter" && unknown.apiError["field"] == "sort")
            #expect(unknown.apiError["message"]?.contains("排序字段") == true)
            let direction = try await client.execute(uri: "/api/v1/estates?sort=name&desc=2", method: .get, headers: api)
            #expect(direction.status == .badRequest && direction.apiError["field"] == "desc")
            let sorted = try await client.execute(uri: "/api/v1/estates?sort=households&desc=1", method: .get, headers: api)
            #expect(sorted.status == .ok && (sorted.json["items"] as? [Any])?.count == 2)
            let ascending = try await client.execute(uri: "/api/v1/estates?sort=updated&desc=0", method: .get, headers: api)
            #expect(ascending.status == .ok)
        }
    }

    @Test func pageSizesBeyondTheDeclaredMaximumAreRefusedNotClamped() async throws {
        try await WebHarness.run { harness, client in
            let api = harness.api(try await harness.token(harness.world.admin))
            for uri in ["/api/v1/estates?pageSize=201", "/api/v1/companies?pageSize=201", "/api/v1/warnings?pageSize=201"] {
                let refused = try await client.execute(uri: uri, method: .get, headers: api)
                #expect(refused.status == .badRequest && refused.apiError["field"] == "pageSize", "\(uri)")
            }
            for uri in ["/api/v1/estates?page=0", "/api/v1/warnings?page=0", "/api/v1/estates?pageSize=0"] {
                let refused = try await client.execute(uri: uri, method: .get, headers: api)
                #expect(refused.status == .badRequest, "\(uri)")
            }
            let largest = try await client.execute(uri: "/api/v1/estates?pageSize=200&page=9223372036854775807", method: .get, headers: api)
            #expect(largest.status == .ok && largest.json["pageSize"] as? Int == 200 && (largest.json["items"] as? [Any])?.isEmpty == true)
        }
    }

    @Test func anEmptyQueryParameterIsRefused() async throws {
        try await WebHarness.run { harness, client in
            let api = harness.api(try await harness.token(harness.world.a.users[.regulator]!))
            for (uri, field) in [("/api/v1/estates?region=", "region"), ("/api/v1/regions?parent=", "parent"),
                                 ("/api/v1/warnings?region=", "region"), ("/api/v1/warnings?rule=", "rule"),
                                 ("/api/v1/warnings?status=", "status"), ("/api/v1/dashboard?region=", "region")] {
                let refused = try await client.execute(uri: uri, method: .get, headers: api)
                #expect(refused.status == .badRequest && refused.apiError["field"] == field, "\(uri)")
                #expect(refused.apiError["message"]?.contains("不能为空") == true, "\(uri)")
            }
        }
    }

    /// The clock of the test world is 2024-11-19: the last quarter that has ended is 2024Q3.
    @Test func theDashboardTakesAYearOrAQuarterAloneAndAnUnendedQuarterIsNotFound() async throws {
        try await WebHarness.run { harness, client in
            let api = harness.api(try await harness.token(harness.world.a.users[.regulator]!))
            let year = try await client.execute(uri: "/api/v1/dashboard?year=2023", method: .get, headers: api)
            #expect(year.status == .ok && year.json["year"] as? Int == 2023 && year.json["quarter"] as? Int == 4)
            let thisYear = try await client.execute(uri: "/api/v1/dashboard?year=2024", method: .get, headers: api)
            #expect(thisYear.status == .ok && thisYear.json["year"] as? Int == 2024 && thisYear.json["quarter"] as? Int == 3)
            let quarter = try await client.execute(uri: "/api/v1/dashboard?quarter=4", method: .get, headers: api)
            #expect(quarter.status == .ok && quarter.json["year"] as? Int == 2023 && quarter.json["quarter"] as? Int == 4)
            let future = try await client.execute(uri: "/api/v1/dashboard?year=2100&quarter=1", method: .get, headers: api)
            #expect(future.status == .notFound && future.apiError["code"] == "future_quarter")
            let outOfRange = try await client.execute(uri: "/api/v1/dashboard?year=1999", method: .get, headers: api)
            #expect(outOfRange.status == .badRequest && outOfRange.apiError["field"] == "year")
        }
    }

    @Test func aLogTreeThatDoesNotExistYetIsNotFound() async throws {
        try await WebHarness.run { _, client in
            let leaf = String(repeating: "ab", count: 32)
            let inclusion = try await client.execute(uri: "/api/v1/log/inclusion?leaf=\(leaf)&size=1000", method: .get)
            #expect(inclusion.status == .notFound && inclusion.apiError["code"] == "bad_size")
            let consistency = try await client.execute(uri: "/api/v1/log/consistency?first=1&second=1000", method: .get)
            #expect(consistency.status == .notFound && consistency.apiError["code"] == "bad_size")
            let reversed = try await client.execute(uri: "/api/v1/log/consistency?first=3&second=2", method: .get)
            #expect(reversed.status == .notFound)
            let zero = try await client.execute(uri: "/api/v1/log/consistency?first=0&second=2", method: .get)
            #expect(zero.status == .badRequest)
        }
    }

    /// `maxLength` counts the code points as sent, like JSON Schema: white space around a name still counts.
    @Test func lengthsAreCountedAsTheDocumentCountsThem() async throws {
        try await WebHarness.run { harness, client in
            let world = harness.world
            let api = harness.api(try await harness.token(world.a.users[.regulator]!))
            let padded = try await client.execute(uri: "/api/v1/estates", method: .post, headers: api,
                                                  body: RegistryAPITests.estate(world, ["name": String(repeating: "名", count: 100) + " "]))
            #expect(padded.status == .badRequest && padded.apiError["code"] == "too_long" && padded.apiError["field"] == "name")
            let full = try await client.execute(uri: "/api/v1/estates", method: .post, headers: api,
                                                body: RegistryAPITests.estate(world, ["name": String(repeating: "名", count: 100)]))
            #expect(full.status == .created)

            // Ten code points (five letters with a combining accent) are the ten characters the document asks for.
            let accented = String(repeating: "e\u{301}", count: 5)
            let complaint = try await client.execute(uri: "/api/v1/complaints", method: .post, headers: [.contentType: "application/json"],
                                                     body: WebHarness.json(["estateId": world.a.estate.id, "category": "revenue_ratio",
                                                                            "content": accented]))
            #expect(complaint.status == .created)
            let long = try await client.execute(uri: "/api/v1/complaints", method: .post, headers: [.contentType: "application/json"],
                                                body: WebHarness.json(["estateId": world.a.estate.id, "category": "revenue_ratio",
                                                                       "content": " " + String(repeating: "长", count: 2_000)]))
            #expect(long.status == .badRequest && long.apiError["field"] == "content")
        }
    }
}
