import Foundation
import Hummingbird
import HummingbirdTesting
import LedgerCore
import LedgerTestSupport
import LedgerWeb
import NIOCore
import SQLKit
import Testing

/// The close form's reply and the tracking page's rating form over HTTP (docs/design.md §28).
@Suite struct ComplaintRatingPageTests {
    static func closed(_ harness: WebHarness, client: any TestClientProtocol) async throws -> (Int64, String) {
        let world = harness.world
        let desk = Complaints(database: world.database, clock: world.clock, filesDirectory: NSTemporaryDirectory())
        let code = try await desk.file(ComplaintInput(estateId: world.a.estate.id, category: "revenue_undisclosed", content: "停车费收入从来没有公示过，请核查。"),
                                       uploads: [], address: "203.0.113.60")
        let id = try await world.database.read { db in
            try await db.raw("SELECT id FROM complaints WHERE tracking_code = \(bind: code)").first(decodingColumn: "id", as: Int64.self)!
        }
        let street = harness.browser(try await harness.token(world.a.users[.street]!))
        _ = try await client.execute(uri: "/complaints/\(id)", method: .post, headers: street, body: WebHarness.form(["action": "assign"]))
        // The close form without a reply (or anything else) comes back with every error beside its field, nothing written.
        let refused = try await client.execute(uri: "/complaints/\(id)", method: .post, headers: street, body: WebHarness.form(["action": "close"]))
        #expect(refused.status == .badRequest)
        #expect(refused.text.contains("id=\"close-reply-error\"") && refused.text.contains("办结前须填写给投诉人的答复"))
        #expect(refused.text.contains("id=\"close-outcome-error\"") && refused.text.contains("请填写办理结果及证据说明"))
        let closed = try await client.execute(uri: "/complaints/\(id)", method: .post, headers: street,
                                              body: WebHarness.form(["action": "close", "outcome": "fixed", "note": "现场核查属实",
                                                                     "reply": "物业公司已在公示栏补充公示停车费收支，请您监督。"]))
        #expect(closed.status == .seeOther)
        return (id, code)
    }

    // MARK: Tests

    @Test(arguments: TestDatabase.available)
    func complainantRatesOnTheTrackingPage(kind: TestDatabase.Kind) async throws {
        try await WebHarness.run(kind) { harness, client in
            // setup
            let (_, code) = try await Self.closed(harness, client: client)
            let page = try await client.execute(uri: "/public/complaints/track?code=\(code)", method: .get)
            #expect(page.text.contains("id=\"tracking-reply\"") && page.text.contains("物业公司已在公示栏补充公示停车费收支"))
            #expect(page.text.contains("id=\"rate-form\"") && page.text.contains("基本满意") && page.text.contains("2025-01-18"))
            // MUT: no choice → 400 with the error beside the field; then 满意 → 303 back to the page with a notice
            let missing = try await client.execute(uri: "/public/complaints/track", method: .post, headers: ComplaintPageTests.anonymous,
                                                   body: WebHarness.form(["code": code, "comment": "很好"]))
            let rated = try await client.execute(uri: "/public/complaints/track", method: .post, headers: ComplaintPageTests.anonymous,
                                                 body: WebHarness.form(["code": " \(code.lowercased()) ", "rating": "satisfied", "comment": "处理及时"]))
            // validation
            #expect(missing.status == .badRequest && missing.text.contains("id=\"rating-field-error\"") && missing.text.contains("很好"))
            #expect(rated.status == .seeOther && rated.headers[.location] == "/public/complaints/track?code=\(code)&rated=1")
            let after = try await client.execute(uri: rated.headers[.location]!, method: .get)
            #expect(after.text.contains("感谢您的评价") && after.text.contains("id=\"tracking-rating\"") && after.text.contains("处理及时"))
            #expect(!after.text.contains("id=\"rate-form\""))
            let twice = try await client.execute(uri: "/public/complaints/track", method: .post, headers: ComplaintPageTests.anonymous,
                                                 body: WebHarness.form(["code": code, "rating": "dissatisfied"]))
            #expect(twice.status == .conflict && twice.text.contains("每次办结只能评价一次"))
            let api = try await client.execute(uri: "/api/v1/complaints/track/\(code)", method: .get)
            #expect((api.json["rating"] as? [String: Any])?["rating"] as? String == "satisfied" && api.json["canRate"] as? Bool == false)
        }
    }

    @Test(arguments: TestDatabase.available)
    func dissatisfiedReopensAndTheFormGoesAfterTheWindow(kind: TestDatabase.Kind) async throws {
        try await WebHarness.run(kind) { harness, client in
            // setup
            let (id, code) = try await Self.closed(harness, client: client)
            // MUT: 不满意 reopens
            let reopened = try await client.execute(uri: "/public/complaints/track", method: .post, headers: ComplaintPageTests.anonymous,
                                                    body: WebHarness.form(["code": code, "rating": "dissatisfied", "comment": "公示内容缺少广告收入"]))
            // validation
            #expect(reopened.status == .seeOther && reopened.headers[.location] == "/public/complaints/track?code=\(code)&rated=reopened")
            let page = try await client.execute(uri: reopened.headers[.location]!, method: .get)
            #expect(page.text.contains("已重新办理") && page.text.contains("办理中") && !page.text.contains("id=\"rate-form\""))
            let street = harness.browser(try await harness.token(harness.world.a.users[.street]!))
            let staff = try await client.execute(uri: "/complaints/\(id)", method: .get, headers: street)
            #expect(staff.text.contains("投诉人不满意，重新办理") && staff.text.contains("公示内容缺少广告收入") && staff.text.contains("id=\"action-close\""))
            // Closed again and left past the window: no form, and the page says why.
            _ = try await client.execute(uri: "/complaints/\(id)", method: .post, headers: street,
                                         body: WebHarness.form(["action": "close", "outcome": "fixed", "note": "再次核查", "reply": "已补充广告收入。"]))
            harness.world.clock.advance(by: 61 * 86_400)
            let late = try await client.execute(uri: "/public/complaints/track?code=\(code)", method: .get)
            #expect(!late.text.contains("id=\"rate-form\"") && late.text.contains("id=\"rating-closed\"") && late.text.contains("办结已超过60天，评价已截止"))
            let refused = try await client.execute(uri: "/public/complaints/track", method: .post, headers: ComplaintPageTests.anonymous,
                                                   body: WebHarness.form(["code": code, "rating": "dissatisfied"]))
            #expect(refused.status == .conflict && refused.text.contains("评价已截止"))
        }
    }
}
