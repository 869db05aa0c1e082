import Foundation
import Hummingbird
import HummingbirdTesting
import LedgerCore
import LedgerTestSupport
import LedgerWeb
import NIOCore
import SQLKit
import Testing

/// The public complaint form and tracking page, the fixed complaint API, the staff pages and the ledgers.
@Suite struct ComplaintPageTests {
    static let anonymous: HTTPFields = [.cookie: "ledger_csrf=\(WebHarness.csrf)"]

    @Test(arguments: TestDatabase.available)
    func publicFormShowsDuplicatesThenFilesAndTracks(kind: TestDatabase.Kind) async throws {
        try await WebHarness.run(kind) { harness, client in
            let world = harness.world
            let search = try await client.execute(uri: "/public/complaints/new?q=\("东湖".urlEncoded)", method: .get)
            #expect(search.status == .ok && search.text.contains("value=\"\(world.a.estate.id)\"") && !search.text.contains(world.b.estate.name))
            let form = ["estate": "\(world.a.estate.id)", "category": "revenue_undisclosed", "content": "停车费收入从来没有公示过，请核查。", "q": "东湖"]
            // A bad form comes back with messages beside the fields.
            let bad = try await client.execute(uri: "/public/complaints/new", method: .post, headers: Self.anonymous,
                                               body: WebHarness.form(["q": "东湖", "content": "太短"]))
            #expect(bad.status == .badRequest && bad.text.contains("请先搜索并选择小区") && bad.text.contains("请填写问题类别"))
            let check = try await client.execute(uri: "/public/complaints/new", method: .post, headers: Self.anonymous, body: WebHarness.form(form))
            #expect(check.status == .ok && check.text.contains("no-similar") && check.text.contains("确认提交"))
            var confirmed = form
            confirmed["confirm"] = "1"
            let filed = try await client.execute(uri: "/public/complaints/new", method: .post, headers: Self.anonymous, body: WebHarness.form(confirmed))
            #expect(filed.status == .seeOther)
            let location = try #require(filed.headers[.location])
            let code = try #require(location.split(separator: "=").dropFirst().first?.split(separator: "&").first.map(String.init))
            let track = try await client.execute(uri: location, method: .get)
            #expect(track.text.contains(code) && track.text.contains("待分派"))
            // The second filing about the same thing sees the first as a possible duplicate.
            let again = try await client.execute(uri: "/public/complaints/new", method: .post, headers: Self.anonymous, body: WebHarness.form(form))
            #expect(again.text.contains("id=\"similar\"") && !again.text.contains(code), "duplicates are shown without their codes")
            let unknown = try await client.execute(uri: "/public/complaints/track?code=TS2345678923", method: .get)
            #expect(unknown.status == .notFound && unknown.text.contains("查询码不存在"))
        }
    }

    @Test(arguments: TestDatabase.available)
    func fixedAPIFilesAndTracksWithoutPersonalData(kind: TestDatabase.Kind) async throws {
        try await WebHarness.run(kind) { harness, client in
            let world = harness.world
            let body = WebHarness.json(["estateId": world.a.estate.id, "category": "revenue_ratio", "content": "业主分成比例明显低于合同约定。",
                                        "name": "李四", "phone": "13912345678"])
            let created = try await client.execute(uri: "/api/v1/complaints", method: .post, headers: [.contentType: "application/json"], body: body)
            #expect(created.status == .created)
            let code = try #require(created.json["trackingCode"] as? String)
            let tracked = try await client.execute(uri: "/api/v1/complaints/track/\(code)", method: .get)
            #expect(tracked.status == .ok && tracked.json["status"] as? String == "received")
            #expect(!tracked.text.contains("李四") && !tracked.text.contains("13912345678"))
            let missing = try await client.execute(uri: "/api/v1/complaints/track/TS2345678923", method: .get)
            #expect(missing.status == .notFound && missing.apiError["code"] == "not_found")
            let wrong = try await client.execute(uri: "/api/v1/complaints", method: .post, headers: [.contentType: "application/json"],
                                                 body: WebHarness.json(["estateId": "x", "category": "revenue_ratio", "content": "内容内容内容内容内容"]))
            #expect(wrong.status == .badRequest && wrong.apiError["field"] == "estateId")
            let unknownEstate = try await client.execute(uri: "/api/v1/complaints", method: .post, headers: [.contentType: "application/json"],
                                                         body: WebHarness.json(["estateId": 999_999, "category": "revenue_ratio", "content": "内容内容内容内容内容"]))
            #expect(unknownEstate.status == .notFound && unknownEstate.apiError["field"] == "estate")
        }
    }

    @Test(arguments: TestDatabase.available)
    func staffHandleAndExportTheLedger(kind: TestDatabase.Kind) async throws {
        try await WebHarness.run(kind) { harness, client in
            let world = harness.world
            let desk = Complaints(database: world.database, clock: world.clock, filesDirectory: NSTemporaryDirectory())
            let code = try await desk.file(ComplaintInput(estateId: world.a.estate.id, category: "revenue_undisclosed", content: "停车费收入从来没有公示过，请核查。", name: "王五", phone: "13700001111"),
                                           uploads: [], address: "203.0.113.20")
            let id = try await world.database.read { db in
                try await db.raw("SELECT id FROM complaints WHERE tracking_code = \(bind: code)").first(decodingColumn: "id", as: Int64.self)!
            }
            let street = harness.browser(try await harness.token(world.a.users[.street]!))
            let list = try await client.execute(uri: "/complaints", method: .get, headers: street)
            #expect(list.text.contains(code) && list.text.contains("王*") && !list.text.contains("王五"))
            let closeEarly = try await client.execute(uri: "/complaints/\(id)", method: .post, headers: street,
                                                      body: WebHarness.form(["action": "close", "outcome": "fixed", "note": "已处理", "reply": "已处理"]))
            #expect(closeEarly.status == .badRequest && closeEarly.text.contains("不能办结销号"))
            let assign = try await client.execute(uri: "/complaints/\(id)", method: .post, headers: street, body: WebHarness.form(["action": "assign"]))
            #expect(assign.status == .seeOther)
            let page = try await client.execute(uri: "/complaints/\(id)", method: .get, headers: street)
            #expect(page.text.contains("id=\"unmask\"") && !page.text.contains("13700001111"))
            let shown = try await client.execute(uri: "/complaints/\(id)", method: .post, headers: street, body: WebHarness.form(["action": "unmask"]))
            #expect(shown.text.contains("13700001111"))
            _ = try await client.execute(uri: "/complaints/\(id)", method: .post, headers: street,
                                         body: WebHarness.form(["action": "close", "outcome": "unsubstantiated", "note": "经核查已按季度公示", "reply": "经核查，该小区已按季度公示"]))
            let csv = try await client.execute(uri: "/complaints/ledger.csv", method: .get, headers: street)
            let lines = String(buffer: csv.body).split(separator: "\r\n")
            #expect(lines.first == "\u{FEFF}序号,投诉人,联系方式,问题（舆情）简要内容,来源,受理时间,承办科室,办理进展和结果,是否办结,受理人,备注")
            #expect(lines.count == 2 && lines[1].contains("王*") && lines[1].contains("反映不属实") && !lines[1].contains("13700001111"))
            let xlsx = try await client.execute(uri: "/complaints/ledger.xlsx", method: .get, headers: street)
            let report = try await Openpyxl.read(Data(xlsx.body.readableBytesView))
            let sheet = try #require(report.sheets.first)
            #expect(report.text(sheet, "A1") == "鼓东街道“整治物业服务履约不到位、侵占业主公共收益等问题”工作台账")
            #expect(report.merges[sheet] == ["A1:K1", "A2:K2"])
            #expect(ComplaintLedger.headers.enumerated().allSatisfy { report.text(sheet, "\(Character(UnicodeScalar(65 + $0.offset)!))3") == $0.element })
            #expect(report.cells[sheet]?["A4"] == ["int", "1"] && report.text(sheet, "B4") == "王*" && report.text(sheet, "I4") == "是")
            #expect(report.text(sheet, "G4") == world.a.street.name && report.text(sheet, "E4") == "网上投诉")
            let badPeriod = try await client.execute(uri: "/complaints/ledger.csv?from=2024-13-01", method: .get, headers: street)
            #expect(badPeriod.status == .badRequest)
        }
    }
}

extension String {
    var urlEncoded: String { addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? self }
}
