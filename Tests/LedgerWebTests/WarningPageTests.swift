import Foundation
import Hummingbird
import HummingbirdTesting
import LedgerCore
import LedgerTestSupport
import LedgerWeb
import NIOCore
import SQLKit
import Testing

/// The warning inbox pages, its API and the parameter page.
@Suite struct WarningPageTests {
    static func prepare(_ harness: WebHarness) async throws -> Int64 {
        try await WarningEngine(database: harness.world.database, clock: harness.world.clock).run(quarters: 1)
        return try await harness.world.database.read { db in
            try await db.raw("SELECT id FROM warnings WHERE rule = 'W06' AND estate_id = \(bind: harness.world.a.estate.id)")
                .first(decodingColumn: "id", as: Int64.self)!
        }
    }

    @Test(arguments: TestDatabase.available)
    func inboxListsExplainsAndMovesAWarning(kind: TestDatabase.Kind) async throws {
        try await WebHarness.run(kind) { harness, client in
            let id = try await Self.prepare(harness)
            let regulator = harness.browser(try await harness.token(harness.world.a.users[.regulator]!))
            let list = try await client.execute(uri: "/warnings?rule=W06", method: .get, headers: regulator)
            #expect(list.status == .ok)
            #expect(list.text.contains("/warnings/\(id)") && list.text.contains("未设专户") && !list.text.contains(harness.world.b.estate.name))
            let bad = try await client.execute(uri: "/warnings?quarter=2024Q9", method: .get, headers: regulator)
            #expect(bad.status == .badRequest && bad.text.contains("季度格式应为"))
            let detail = try await client.execute(uri: "/warnings/\(id)", method: .get, headers: regulator)
            #expect(detail.text.contains("小区未设立公共收益专户") && detail.text.contains("《福州市工作方案》二（三）、四（一）") && !detail.text.contains("莆田") && detail.text.contains("action-dismiss"))
            // An empty explanation is refused beside the field; then the warning is resolved.
            let empty = try await client.execute(uri: "/warnings/\(id)", method: .post, headers: regulator,
                                                 body: WebHarness.form(["action": "resolve", "note": ""]))
            #expect(empty.status == .badRequest && empty.text.contains("请填写办结说明"))
            let resolved = try await client.execute(uri: "/warnings/\(id)", method: .post, headers: regulator,
                                                    body: WebHarness.form(["action": "resolve", "note": "专户已于11月开立"]))
            #expect(resolved.status == .seeOther)
            let again = try await client.execute(uri: "/warnings/\(id)", method: .post, headers: regulator,
                                                 body: WebHarness.form(["action": "dismiss", "note": "误报"]))
            #expect(again.status == .badRequest && again.text.contains("当前为「已办结」，不能排除误报"))
            let after = try await client.execute(uri: "/warnings/\(id)", method: .get, headers: regulator)
            #expect(after.text.contains("专户已于11月开立") && !after.text.contains("action-dismiss"))
            // The company sees its own warnings and may explain, not dismiss.
            let company = harness.browser(try await harness.token(harness.world.a.users[.company]!))
            let w01 = try await harness.world.database.read { db in
                try await db.raw("SELECT id FROM warnings WHERE rule = 'W01' AND estate_id = \(bind: harness.world.a.estate.id)")
                    .first(decodingColumn: "id", as: Int64.self)!
            }
            let own = try await client.execute(uri: "/warnings/\(w01)", method: .get, headers: company)
            #expect(own.text.contains("action-explain") && !own.text.contains("action-dismiss"))
            let forbidden = try await client.execute(uri: "/warnings/\(w01)", method: .post, headers: company,
                                                     body: WebHarness.form(["action": "dismiss", "note": "不是问题"]))
            #expect(forbidden.status == .forbidden)
        }
    }

    @Test(arguments: TestDatabase.available)
    func apiListsTheJurisdictionsWarnings(kind: TestDatabase.Kind) async throws {
        try await WebHarness.run(kind) { harness, client in
            _ = try await Self.prepare(harness)
            let api = harness.api(try await harness.token(harness.world.a.users[.regulator]!))
            let response = try await client.execute(uri: "/api/v1/warnings?rule=W06&status=open", method: .get, headers: api)
            #expect(response.status == .ok)
            let items = try #require(response.json["items"] as? [[String: Any]])
            #expect(items.count == 1 && items.first?["estateId"] as? Int == Int(harness.world.a.estate.id))
            #expect(items.first?["detail"] as? String == "小区未设立公共收益专户")
            let unknown = try await client.execute(uri: "/api/v1/warnings?rule=W99", method: .get, headers: api)
            #expect(unknown.status == .badRequest && unknown.apiError["code"] == "unknown_rule" && unknown.apiError["field"] == "rule")
            let status = try await client.execute(uri: "/api/v1/warnings?status=done", method: .get, headers: api)
            #expect(status.status == .badRequest && status.apiError["code"] == "unknown_status")
            let foreign = try await client.execute(uri: "/api/v1/warnings?region=\(harness.world.b.county.code)", method: .get, headers: api)
            #expect(foreign.status == .notFound)
            let huge = try await client.execute(uri: "/api/v1/warnings?page=9223372036854775807", method: .get, headers: api)
            #expect(huge.status == .ok && (huge.json["items"] as? [Any])?.isEmpty == true, "an absurd page is an empty page, not a crash")
            let inside = try await client.execute(uri: "/api/v1/warnings?region=\(harness.world.a.street.code)", method: .get, headers: api)
            #expect((inside.json["total"] as? Int ?? 0) >= 2)
        }
    }

    @Test(arguments: TestDatabase.available)
    func parameterPageSetsAndRefuses(kind: TestDatabase.Kind) async throws {
        try await WebHarness.run(kind) { harness, client in
            let regulator = harness.browser(try await harness.token(harness.world.a.users[.regulator]!))
            let page = try await client.execute(uri: "/warnings/parameters", method: .get, headers: regulator)
            #expect(page.status == .ok && page.text.contains("param-W09-percent") && page.text.contains("鼓楼区"))
            let county = harness.world.a.county.code
            let bad = try await client.execute(uri: "/warnings/parameters", method: .post, headers: regulator,
                                               body: WebHarness.form(["region": county, "rule": "W09", "name": "percent", "value": "150"]))
            #expect(bad.status == .badRequest && bad.text.contains("须在 1–100% 之间") && bad.text.contains("value=\"150\""))
            let saved = try await client.execute(uri: "/warnings/parameters", method: .post, headers: regulator,
                                                 body: WebHarness.form(["region": county, "rule": "W09", "name": "percent", "value": "40"]))
            #expect(saved.status == .seeOther)
            let after = try await client.execute(uri: "/warnings/parameters?region=\(harness.world.a.street.code)", method: .get, headers: regulator)
            #expect(after.text.contains("<td class=\"current\">40 %</td><td>鼓楼区</td>"))
            let street = harness.browser(try await harness.token(harness.world.a.users[.street]!))
            #expect(try await client.execute(uri: "/warnings/parameters", method: .get, headers: street).status == .forbidden)
        }
    }
}
