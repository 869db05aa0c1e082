import Foundation
import Hummingbird
import HummingbirdTesting
import LedgerCore
import LedgerTestSupport
@testable import LedgerWeb
import NIOCore
import SQLKit
import Testing

/// Staff list pages kept rendered per role, scope, filter and stamp (`SharedPages`, issue #16 item 4): rendered once,
/// served to every officer of the same scope with their own name, form token and unread count, rendered again after a
/// write the page could show.
@Suite struct SharedPagesTests {
    static let lists = ["/complaints", "/problems", "/warnings", "/estates", "/filings", "/reports/summary", "/dashboard"]

    @Test(arguments: TestDatabase.available)
    func aListIsRenderedOncePerChangeAndCarriesEachReadersOwnFrame(_ kind: TestDatabase.Kind) async throws {
        let renders = RenderCounter()
        try await WebHarness.run(kind, staffPageRenders: renders) { harness, client in
            let world = harness.world
            // A second officer of the same county and role, whose name needs escaping.
            let other = try await UserDirectory(database: world.database, clock: world.clock, bcryptCost: 4).create(
                NewUser(username: "regulator-a2", password: World.password, displayName: "李<二>&\"科\"", role: .regulator,
                        regionCode: world.a.county.code),
                scope: .system)
            let first = harness.browser(try await harness.token(world.a.users[.regulator]!))
            let otherToken = try await harness.token(other)
            let secondCSRF = "fedcba9876543210fedcba9876543210"
            let second: HTTPFields = [.cookie: "ledger_session=\(otherToken); ledger_csrf=\(secondCSRF)"]
            let firstName = world.a.users[.regulator]!.displayName

            for path in Self.lists {
                let before = renders.rendered
                let mine = try await client.execute(uri: path, method: .get, headers: first)
                #expect(mine.status == .ok, "\(path)")
                #expect(renders.rendered == before + 1, "\(path): the first view renders")
                let again = try await client.execute(uri: path, method: .get, headers: first)
                #expect(again.text == mine.text && renders.rendered == before + 1, "\(path): the same page again is not rendered again")
                #expect(mine.text.contains(">\(firstName)</a>") && mine.text.contains("value=\"\(WebHarness.csrf)\""), "\(path)")

                // The other officer: the same page, their own name (escaped as Mustache escapes) and form token, nothing of the first's.
                let theirs = try await client.execute(uri: path, method: .get, headers: second)
                #expect(theirs.status == .ok && renders.rendered == before + 1, "\(path): shared with the same scope")
                #expect(theirs.text.contains(">李&lt;二&gt;&amp;&quot;科&quot;</a>"), "\(path)")
                #expect(theirs.text.contains("value=\"\(secondCSRF)\"") && !theirs.text.contains(WebHarness.csrf), "\(path)")
                #expect(!theirs.text.contains(firstName) && !theirs.text.contains("\u{E000}"), "\(path)")
                #expect(theirs.text.replacingOccurrences(of: "李&lt;二&gt;&amp;&quot;科&quot;", with: firstName)
                    .replacingOccurrences(of: secondCSRF, with: WebHarness.csrf) == mine.text, "\(path): only the frame differs")
            }

            // A search for typed text is rendered for its request only (it would push everyone's lists out of the cache).
            let searched = renders.rendered
            let found = try await client.execute(uri: "/estates?q=\("东湖".addingPercentEncoding(withAllowedCharacters: .alphanumerics)!)", method: .get, headers: second)
            #expect(found.status == .ok && found.text.contains(world.a.estate.name) && found.text.contains("value=\"\(secondCSRF)\""))
            #expect(renders.rendered == searched, "not kept")

            func mine(_ page: String) -> Int { page.components(separatedBy: "value=\"\(WebHarness.csrf)\"").count }

            // Another county's officer never gets county A's page.
            let b = harness.browser(try await harness.token(world.b.users[.regulator]!))
            let before = renders.rendered
            let theirs = try await client.execute(uri: "/estates", method: .get, headers: b)
            #expect(renders.rendered == before + 1 && theirs.text.contains(world.b.estate.name) && !theirs.text.contains(world.a.estate.name))

            // A complaint filed in county A: its list is rendered again and shows it; county B's stays as it was.
            let complaintsBefore = try await client.execute(uri: "/complaints", method: .get, headers: first).text
            // Its text holds the private-use characters the slots are made of, as a forger would write them: kept as text.
            let forged = "\u{E000}1\u{E001}\u{E000}"
            let body = WebHarness.json(["estateId": world.a.estate.id, "category": "revenue_ratio", "content": "停车收益没有公示，请核查。\(forged)"])
            #expect(try await client.execute(uri: "/api/v1/complaints", method: .post, headers: [.contentType: "application/json"], body: body).status == .created)
            let rendered = renders.rendered
            let complaintsAfter = try await client.execute(uri: "/complaints", method: .get, headers: first).text
            #expect(renders.rendered == rendered + 1 && complaintsAfter != complaintsBefore && complaintsAfter.contains("停车收益没有公示"))
            #expect(complaintsAfter.contains("请核查。\(forged)"), "a forged slot is shown as typed, not filled in")
            #expect(complaintsAfter.components(separatedBy: "value=\"\(WebHarness.csrf)\"").count == mine(complaintsBefore),
                    "every real slot is still filled in")
            _ = try await client.execute(uri: "/estates", method: .get, headers: b)
            #expect(renders.rendered == rendered + 1, "a write in county A leaves county B's list as it was")

            // Each reader's unread count is their own, in a page rendered once for both: the complaint notified every
            // officer of the county; one more message for the second.
            try await world.database.transaction { db in
                try await db.raw("""
                    INSERT INTO notifications (user_id, kind, title, body, link, created_at)
                    VALUES (\(bind: other.id), 'test', '测试', '测试消息', '/complaints', '2024-11-19T00:00:00Z')
                    """).run()
            }
            func unread(_ user: Int64) async throws -> Int {
                try await world.database.read { db in
                    try await db.raw("SELECT COUNT(*) AS n FROM notifications WHERE user_id = \(bind: user) AND read_at IS NULL")
                        .first(decodingColumn: "n", as: Int.self) ?? 0
                }
            }
            let (mineUnread, theirsUnread) = (try await unread(world.a.users[.regulator]!.id), try await unread(other.id))
            #expect(mineUnread >= 1 && theirsUnread == mineUnread + 1)
            let shared = renders.rendered
            let theirPage = try await client.execute(uri: "/complaints", method: .get, headers: second).text
            let myPage = try await client.execute(uri: "/complaints", method: .get, headers: first).text
            #expect(theirPage.contains("id=\"unread-count\" aria-label=\"未读 \(theirsUnread) 条\">\(theirsUnread)</span>"))
            #expect(myPage.contains("id=\"unread-count\" aria-label=\"未读 \(mineUnread) 条\">\(mineUnread)</span>"))
            #expect(renders.rendered <= shared + 1, "one page with a badge for both")
        }
    }
}
