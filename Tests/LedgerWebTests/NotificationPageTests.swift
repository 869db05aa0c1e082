import Foundation
import Hummingbird
import HummingbirdTesting
import LedgerCore
import LedgerTestSupport
import LedgerWeb
import NIOCore
import SQLKit
import Testing

/// The staff home's to-do list and the inbox at `/notifications` (docs/design.md §29).
@Suite struct NotificationPageTests {
    static func notificationId(_ harness: WebHarness, _ user: User) async throws -> Int64 {
        try await harness.world.database.read { db in
            try await db.raw("SELECT MIN(id) AS id FROM notifications WHERE user_id = \(bind: user.id)").first(decodingColumn: "id", as: Int64.self)!
        }
    }

    // MARK: Tests

    @Test(arguments: TestDatabase.available)
    func theCompanysHomeIsItsToDoListAndTheCommitteesIsEmpty(kind: TestDatabase.Kind) async throws {
        try await WebHarness.run(kind) { harness, client in
            // setup
            let world = harness.world
            try await WarningEngine(database: world.database, clock: world.clock).run(quarters: 1)
            let company = harness.browser(try await harness.token(world.a.users[.company]!))
            let committee = harness.browser(try await harness.token(world.a.users[.committee]!))
            // MUT
            let home = try await client.execute(uri: "/", method: .get, headers: company)
            let empty = try await client.execute(uri: "/", method: .get, headers: committee)
            // validation
            #expect(home.status == .ok)
            #expect(home.text.contains("id=\"todo-list\"") && home.text.contains("id=\"todo-filings\"") && home.text.contains("2024年第3季度公示逾期未提交"))
            #expect(home.text.contains("href=\"/warnings?status=open\"") && home.text.contains("预警待说明情况"))
            #expect(home.text.contains("id=\"unread-count\"") && home.text.contains("id=\"estate-count\""))
            #expect(!home.text.contains(world.b.estate.name))
            #expect(empty.status == .ok && empty.text.contains("暂无待办事项"))
            for link in ["/filings?quarter=2024Q3&state=missing", "/warnings?status=open", "/problems?status=open"] {
                #expect(try await client.execute(uri: link, method: .get, headers: company).status == .ok, "\(link)")
            }
        }
    }

    @Test(arguments: TestDatabase.available)
    func theInboxMarksOwnNotificationsReadAndHidesOthers(kind: TestDatabase.Kind) async throws {
        try await WebHarness.run(kind) { harness, client in
            // setup
            let world = harness.world
            try await WarningEngine(database: world.database, clock: world.clock).run(quarters: 1)
            let own = try await Self.notificationId(harness, world.a.users[.company]!)
            let others = try await Self.notificationId(harness, world.b.users[.company]!)
            let company = harness.browser(try await harness.token(world.a.users[.company]!))
            // MUT + validation
            let inbox = try await client.execute(uri: "/notifications", method: .get, headers: company)
            #expect(inbox.status == .ok && inbox.text.contains("notification-\(own)") && !inbox.text.contains("notification-\(others)"))
            #expect(inbox.text.contains("您管理的小区新增预警") && inbox.text.contains("id=\"read-all\""))
            let foreign = try await client.execute(uri: "/notifications/\(others)/read", method: .post, headers: company, body: WebHarness.form([:]))
            #expect(foreign.status == .notFound)
            let read = try await client.execute(uri: "/notifications/\(own)/read", method: .post, headers: company, body: WebHarness.form(["open": "1"]))
            #expect(read.status == .seeOther && read.headers[.location] == "/warnings?status=open")
            let unconfirmed = try await client.execute(uri: "/notifications/read-all", method: .post, headers: company, body: WebHarness.form([:]))
            #expect(unconfirmed.status == .badRequest && unconfirmed.text.contains("确认将全部消息标为已读"))
            let all = try await client.execute(uri: "/notifications/read-all", method: .post, headers: company, body: WebHarness.form(["confirm": "1"]))
            #expect(all.status == .seeOther && all.headers[.location] == "/notifications")
            let after = try await client.execute(uri: "/notifications", method: .get, headers: company)
            #expect(!after.text.contains("id=\"unread-count\"") && after.text.contains("read-item"))
            let unread = try await Notifications(database: world.database, clock: world.clock).unreadCount(userId: world.b.users[.company]!.id)
            #expect(unread == 1, "county B's company still has its own unread")
        }
    }

    @Test func anOfficersToDoLinksToTheComplaintsDueWithinThreeWorkingDays() async throws {
        try await WebHarness.run { harness, client in
            // setup
            let world = harness.world
            let complaints = Complaints(database: world.database, clock: world.clock, filesDirectory: NSTemporaryDirectory())
            var codes: [String] = []
            for estate in [world.a.estate, world.b.estate] {
                codes.append(try await complaints.file(ComplaintInput(estateId: estate.id, category: "revenue_undisclosed", content: "停车费收入从未公示，请核查处理"),
                                                       uploads: [], address: "192.0.2.\(codes.count + 20)"))
            }
            world.clock.advance(by: 16 * 86_400)
            let regulator = harness.browser(try await harness.token(world.a.users[.regulator]!))
            // MUT
            let home = try await client.execute(uri: "/", method: .get, headers: regulator)
            // validation
            #expect(home.text.contains("id=\"todo-complaints-due\"") && home.text.contains("href=\"/complaints?due=2024-12-10\""))
            #expect(home.text.contains("投诉 3 个工作日内到期"))
            let due = try await client.execute(uri: "/complaints?due=2024-12-10", method: .get, headers: regulator)
            #expect(due.status == .ok && due.text.contains(world.a.estate.name) && !due.text.contains(world.b.estate.name))
            let none = try await client.execute(uri: "/complaints?due=2024-12-09", method: .get, headers: regulator)
            #expect(none.status == .ok && !none.text.contains(world.a.estate.name))
        }
    }
}
