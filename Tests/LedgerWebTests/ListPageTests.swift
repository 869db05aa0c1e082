import Foundation
import Hummingbird
import HummingbirdTesting
import LedgerCore
import LedgerTestSupport
import LedgerWeb
import NIOCore
import SQLKit
import Testing

/// The lists of issue #14 item 8: the warning inbox ordered by any column, signed for in a batch and exported; the
/// dashboard's ranking in rank order with its method stated and exported; the grouped menu; letters in the 公文 layout.
@Suite struct ListPageTests {
    static func warningIds(_ harness: WebHarness, status: String) async throws -> [Int64] {
        try await harness.world.database.read { db in
            try await db.raw("SELECT id FROM warnings WHERE status = \(bind: status) AND estate_id = \(bind: harness.world.a.estate.id) ORDER BY id")
                .all(decodingColumn: "id", as: Int64.self)
        }
    }

    @Test(arguments: TestDatabase.available)
    func theWarningInboxSortsSignsForInABatchAndExports(kind: TestDatabase.Kind) async throws {
        try await WebHarness.run(kind) { harness, client in
            // setup
            try await WarningEngine(database: harness.world.database, clock: harness.world.clock).run(quarters: 1)
            let regulator = harness.browser(try await harness.token(harness.world.a.users[.regulator]!))
            let open = try await Self.warningIds(harness, status: "open")
            #expect(open.count >= 2)

            // Sorting: by rule, then reversed; the header marks the order; a made-up column is refused.
            let byRule = try await client.execute(uri: "/warnings?sort=rule", method: .get, headers: regulator).text
            let reversed = try await client.execute(uri: "/warnings?sort=rule&desc=1", method: .get, headers: regulator).text
            func rules(_ page: String) -> [String] {
                let table = page.components(separatedBy: "<tbody>").last ?? ""
                return table.components(separatedBy: "\">W").dropFirst().map { String($0.prefix(2)) }
            }
            #expect(rules(byRule) == rules(byRule).sorted() && rules(reversed) == rules(byRule).sorted().reversed())
            #expect(rules(byRule).count >= 2 && Set(rules(byRule)).count >= 2)
            #expect(byRule.contains("aria-sort=\"ascending\"") && reversed.contains("aria-sort=\"descending\""))
            #expect(byRule.contains("href=\"/warnings?status=active&amp;sort=rule&amp;desc=1\""), "clicking the sorted column again reverses it")
            let bad = try await client.execute(uri: "/warnings?sort=password", method: .get, headers: regulator)
            #expect(bad.status == .badRequest && bad.text.contains("排序字段"))
            #expect(byRule.contains("class=\"sev sev-"), "severity is shown in colour")
            // Filters never chosen write nothing: no hidden company/estate/desc inputs, no "clear" links.
            let plain = try await client.execute(uri: "/warnings", method: .get, headers: regulator).text
            #expect(!plain.contains("name=\"company\"") && !plain.contains("name=\"desc\"") && !plain.contains("清除企业筛选"))
            #expect(try await client.execute(uri: "/warnings?company=\(harness.world.a.company.id)", method: .get, headers: regulator).text.contains("清除企业筛选"))

            // Batch acknowledge: two ticked, back to the same ordered list with the count; each has its event.
            let form = "_csrf=\(WebHarness.csrf)&id=\(open[0])&id=\(open[1])&back=%2Fwarnings%3Fsort%3Drule"
            let done = try await client.execute(uri: "/warnings/acknowledge", method: .post, headers: regulator, body: ByteBuffer(string: form))
            #expect(done.status == .seeOther && done.headers[.location] == "/warnings?sort=rule&acknowledged=2&skipped=0")
            let shown = try await client.execute(uri: done.headers[.location]!, method: .get, headers: regulator)
            #expect(shown.text.contains("已签收 2 条预警"))
            #expect(try await Self.warningIds(harness, status: "acknowledged") == [open[0], open[1]])
            let events = try await harness.world.database.read { db in
                try await db.raw("SELECT COUNT(*) AS n FROM warning_events WHERE action = 'acknowledge' AND note = '批量签收'").first(decodingColumn: "n", as: Int.self)
            }
            #expect(events == 2)
            // Again: nothing left to sign for among them; nothing ticked is refused with the reason; an open redirect is not followed.
            let again = try await client.execute(uri: "/warnings/acknowledge", method: .post, headers: regulator,
                                                 body: ByteBuffer(string: "_csrf=\(WebHarness.csrf)&id=\(open[0])&back=https%3A%2F%2Fevil.example"))
            #expect(again.status == .seeOther && again.headers[.location] == "/warnings?acknowledged=0&skipped=1")
            let none = try await client.execute(uri: "/warnings/acknowledge", method: .post, headers: regulator, body: WebHarness.form(["back": "/warnings"]))
            #expect(none.status == .badRequest && none.text.contains("没有勾选任何预警"))
            // Another county's warning refuses the whole batch: nothing written.
            let other = try await harness.world.database.read { db in
                try await db.raw("SELECT id FROM warnings WHERE estate_id = \(bind: harness.world.b.estate.id) AND status = 'open' ORDER BY id")
                    .first(decodingColumn: "id", as: Int64.self)!
            }
            let stillOpen = try await Self.warningIds(harness, status: "open")
            let forged = try await client.execute(uri: "/warnings/acknowledge", method: .post, headers: regulator,
                                                  body: ByteBuffer(string: "_csrf=\(WebHarness.csrf)&id=\(stillOpen[0])&id=\(other)"))
            #expect(forged.status == .notFound)
            #expect(try await Self.warningIds(harness, status: "open") == stillOpen)

            // Export: the filtered list as CSV named with the region and the day.
            let csv = try await client.execute(uri: "/warnings/export?status=all&sort=rule", method: .get, headers: regulator)
            #expect(csv.status == .ok && csv.headers[.contentType]?.hasPrefix("text/csv") == true)
            let name = try #require(csv.headers[.contentDisposition])
            #expect(name.contains("%E9%A2%84%E8%AD%A6%E6%B8%85%E5%8D%95"), "预警清单 in the file name")  // 预警清单
            let lines = csv.text.split(whereSeparator: \.isNewline)
            #expect(lines.first?.contains("规则名称") == true && lines.count == open.count + 1)
            #expect(!csv.text.contains(harness.world.b.estate.name))
        }
    }

    @Test(arguments: TestDatabase.available)
    func theRankingIsInRankOrderWithItsMethodAndExports(kind: TestDatabase.Kind) async throws {
        try await WebHarness.run(kind) { harness, client in
            let headers = harness.browser(try await harness.token(harness.world.a.users[.regulator]!))
            let page = try await client.execute(uri: "/dashboard?year=2024&quarter=3", method: .get, headers: headers)
            #expect(page.status == .ok && page.text.contains("id=\"ranking-method\"") && page.text.contains("排名方法"))
            #expect(page.text.contains("href=\"/dashboard/export?region=\(harness.world.a.county.code)&amp;year=2024&amp;quarter=3\""))
            let csv = try await client.execute(uri: "/dashboard/export?region=\(harness.world.a.county.code)&year=2024&quarter=3", method: .get, headers: headers)
            let lines = csv.text.split(whereSeparator: \.isNewline)
            #expect(csv.status == .ok && lines.first?.contains("辖区,排名") == true && csv.text.contains(harness.world.a.street.name) && lines.last?.contains("排名方法") == true)
            #expect(csv.headers[.contentDisposition]?.contains(".csv") == true && !csv.text.contains(harness.world.b.county.name))
            let outside = try await client.execute(uri: "/dashboard/export?region=\(harness.world.b.county.code)", method: .get, headers: headers)
            #expect(outside.status == .notFound || outside.status == .forbidden)
        }
    }

    /// The case lists (complaints, problems) order by a column through the casework kernel, reversed on a second click.
    @Test(arguments: TestDatabase.available)
    func caseListsSortByAColumn(kind: TestDatabase.Kind) async throws {
        try await WebHarness.run(kind) { harness, client in
            let world = harness.world
            let problems = Problems(database: world.database, clock: world.clock, filesDirectory: NSTemporaryDirectory())
            let soon = try await problems.create(ProblemInput(estateId: world.a.estate.id, category: "revenue_no_account", description: "未设专户",
                                                              deadline: "2024-11-25"), scope: world.a.users[.regulator]!.scope)
            let later = try await problems.create(ProblemInput(estateId: world.a.estate.id, category: "revenue_undisclosed", description: "未公示",
                                                               deadline: "2024-12-31"), scope: world.a.users[.regulator]!.scope)
            let regulator = harness.browser(try await harness.token(world.a.users[.regulator]!))
            func order(_ uri: String) async throws -> [Int64] {
                let text = try await client.execute(uri: uri, method: .get, headers: regulator).text
                return text.components(separatedBy: "href=\"/problems/").dropFirst().compactMap { Int64($0.prefix { $0.isNumber }) }
                    .filter { [soon, later].contains($0) }
            }
            #expect(try await order("/problems?sort=deadline") == [soon, later])
            #expect(try await order("/problems?sort=deadline&desc=1") == [later, soon])
            let page = try await client.execute(uri: "/problems?sort=deadline&status=open", method: .get, headers: regulator).text
            #expect(page.contains("aria-sort=\"ascending\"") && page.contains("href=\"/problems?status=open&amp;sort=deadline&amp;desc=1\""))
            let bad = try await client.execute(uri: "/complaints?sort=content", method: .get, headers: regulator)
            #expect(bad.status == .badRequest && bad.text.contains("排序字段"))
            #expect(try await client.execute(uri: "/complaints?sort=deadline&desc=1", method: .get, headers: regulator).status == .ok)
        }
    }
}
