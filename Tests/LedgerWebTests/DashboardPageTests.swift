import Foundation
import Hummingbird
import HummingbirdTesting
import LedgerCore
import LedgerTestSupport
import LedgerWeb
import NIOCore
import Testing

/// The dashboard page with its SVG charts, `GET /api/v1/dashboard`, and the summary report's page and files.
@Suite struct DashboardPageTests {
    @Test(arguments: TestDatabase.available)
    func dashboardPageAPIAndReports(kind: TestDatabase.Kind) async throws {
        try await WebHarness.run(kind) { harness, client in
            let world = harness.world
            let regulator = harness.browser(try await harness.token(world.a.users[.regulator]!))
            let page = try await client.execute(uri: "/dashboard?year=2024&quarter=3", method: .get, headers: regulator)
            #expect(page.status == .ok && page.text.contains("数据看板 · 鼓楼区 · 2024年第3季度") && page.text.contains("<svg"))
            #expect(page.text.contains(world.a.street.name) && !page.text.contains(world.b.county.name))
            #expect(page.text.contains("样本不足，不排名"))
            #expect(page.text.contains("id=\"credit-grades\"") && page.text.contains("本季度记录失信事件 0 件") && page.text.contains("id=\"no-black-listed\""))
            let future = try await client.execute(uri: "/dashboard?year=2024&quarter=4", method: .get, headers: regulator)
            #expect(future.status == .notFound && future.text.contains("尚未结束"))
            let api = harness.api(try await harness.token(world.a.users[.regulator]!))
            let json = try await client.execute(uri: "/api/v1/dashboard?region=\(world.a.county.code)&year=2024&quarter=3", method: .get, headers: api)
            #expect(json.status == .ok && json.json["region"] as? String == world.a.county.code)
            let kpis = try #require(json.json["kpis"] as? [[String: Any]])
            let onTime = try #require(kpis.first { $0["key"] as? String == "onTime" })
            #expect(onTime["denominator"] as? Int == 1 && onTime["numerator"] as? Int == 0 && onTime["target"] as? Double == 1)
            let closure = try #require(kpis.first { $0["key"] as? String == "closure" })
            #expect(closure["value"] is NSNull, "no complaints: no rate, not a zero")
            let foreign = try await client.execute(uri: "/api/v1/dashboard?region=\(world.b.county.code)", method: .get, headers: api)
            #expect(foreign.status == .notFound)
            let malformed = try await client.execute(uri: "/api/v1/dashboard?year=2024&quarter=x", method: .get, headers: api)
            #expect(malformed.status == .badRequest && malformed.apiError["field"] == "quarter")
            let company = harness.api(try await harness.token(world.a.users[.company]!))
            #expect(try await client.execute(uri: "/api/v1/dashboard", method: .get, headers: company).status == .forbidden)
            // The summary report on screen and as files; a malformed period is refused.
            let summary = try await client.execute(uri: "/reports/summary?from=2024-01-01&until=2024-11-19", method: .get, headers: regulator)
            #expect(summary.status == .ok && summary.text.contains("鼓楼区“整治物业服务履约不到位、侵占业主公共收益等问题”情况汇总表"))
            #expect(summary.text.contains("rowspan=\"4\"") && summary.text.contains("排查存在问题涉及小区数"))
            let csv = try await client.execute(uri: "/reports/summary.csv?from=2024-01-01&until=2024-11-19", method: .get, headers: regulator)
            #expect(String(buffer: csv.body).contains("辖区,排查情况/全面排查/小区数"))
            // Named with the region and the period: 情况汇总表-鼓楼区-2024-01-01至2024-11-19.csv.
            let named = (csv.headers[.contentDisposition] ?? "").lowercased()
            #expect(named.contains("%e6%83%85%e5%86%b5%e6%b1%87%e6%80%bb%e8%a1%a8") && named.contains("2024-01-01") && named.hasSuffix(".csv"))
            let bad = try await client.execute(uri: "/reports/summary?from=2024-02-30", method: .get, headers: regulator)
            #expect(bad.status == .badRequest)
            let index = try await client.execute(uri: "/reports", method: .get, headers: regulator)
            #expect(index.text.contains("/problems/ledger.xlsx?from=2024-11-01&amp;until=2024-11-19"))
        }
    }
}
