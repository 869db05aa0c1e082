import Foundation
import Hummingbird
import HummingbirdTesting
import LedgerCore
import LedgerTestSupport
import Testing

/// The audit log read in plain Chinese: actions and objects by name, objects linked, values as a table; filtered and
/// exported by the same filter.
@Suite struct AuditLogPageTests {
    @Test func theLogSpeaksChineseLinksItsObjectsAndExportsTheFilter() async throws {
        try await WebHarness.run { harness, client in
            let world = harness.world
            try await RegionSettings(database: world.database, clock: world.clock)
                .set(regionCode: world.a.county.code, key: "problem_days", value: "20", scope: world.a.users[.regulator]!.scope)
            let admin = harness.browser(try await harness.token(world.admin))

            let page = try await client.execute(uri: "/audit", method: .get, headers: admin)
            #expect(page.status == .ok)
            #expect(page.text.contains("<td title=\"set\">设置</td>") && page.text.contains("地区设置"))
            #expect(page.text.contains("<th>项目</th><th>变更前</th><th>变更后</th>"))
            #expect(!page.text.contains("{&quot;") && !page.text.contains("{\""), "no raw JSON")
            #expect(page.text.contains("<option value=\"region_setting\">地区设置</option>"))

            let estates = try await client.execute(uri: "/audit?entity=estate", method: .get, headers: admin)
            #expect(estates.text.contains("href=\"/estates/\(world.a.estate.id)\">小区 \(world.a.estate.id)</a>"), "an estate's entry links to it")
            let filtered = try await client.execute(uri: "/audit?entity=region_setting", method: .get, headers: admin)
            #expect(filtered.text.contains("地区设置") && !filtered.text.contains("href=\"/estates/"))
            #expect(filtered.text.contains("href=\"/audit/export?entity=region_setting\""))

            let export = try await client.execute(uri: "/audit/export?entity=region_setting", method: .get, headers: admin)
            #expect(export.status == .ok && export.headers[.contentType]?.hasPrefix("text/csv") == true)
            #expect(export.headers[.contentDisposition]?.contains("filename*=UTF-8''%E5%AE%A1%E8%AE%A1%E6%97%A5%E5%BF%97") == true)
            let lines = export.text.split(whereSeparator: \.isNewline)
            #expect(lines.first?.contains("时间,操作人,角色,动作,对象,对象编号,变更内容") == true)
            #expect(lines.count == 2 && lines[1].contains("设置,地区设置") && lines[1].contains("20"), "\(export.text)")

            let bad = try await client.execute(uri: "/audit?from=2024-13-01", method: .get, headers: admin)
            #expect(bad.status == .badRequest)
            let company = harness.browser(try await harness.token(world.a.users[.company]!))
            #expect(try await client.execute(uri: "/audit/export", method: .get, headers: company).status == .forbidden)
        }
    }
}
