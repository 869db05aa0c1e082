import Foundation
import Hummingbird
import HummingbirdTesting
import LedgerCore
import LedgerTestSupport
import LedgerWeb
import NIOCore
import Testing

/// The cross-inspection pages: publish, draw, file a report (errors beside their fields), the printable report, and
/// the inspection ledgers' downloads.
@Suite struct CrossInspectionPageTests {
    /// A form body with repeated fields (checkbox lists).
    static func form(_ pairs: [(String, String)]) -> ByteBuffer {
        let allowed = CharacterSet.alphanumerics.union(.init(charactersIn: "-._~"))
        return ByteBuffer(string: (pairs + [("_csrf", WebHarness.csrf)])
            .map { "\($0.0)=\($0.1.addingPercentEncoding(withAllowedCharacters: allowed)!)" }.joined(separator: "&"))
    }

    @Test(arguments: TestDatabase.available)
    func aRoundIsPublishedDrawnAndReportedThroughThePages(kind: TestDatabase.Kind) async throws {
        try await WebHarness.run(kind) { harness, client in
            let world = harness.world
            let admin = harness.browser(try await harness.token(world.admin))
            #expect(try await client.execute(uri: "/inspections/cross/new", method: .get, headers: admin).status == .ok, "the admin starts from the top region")
            let form = try await client.execute(uri: "/inspections/cross/new?region=350100", method: .get, headers: admin)
            #expect(form.status == .ok && form.text.contains(world.a.county.name) && form.text.contains("name=\"participants\""))
            // Every error beside its field, nothing written.
            let bad = try await client.execute(uri: "/inspections/cross/new", method: .post, headers: admin,
                                               body: Self.form([("region", "350100"), ("year", "2024"), ("quarter", "4"), ("seedSource", ""),
                                                                ("participants", world.a.county.code)]))
            #expect(bad.status == .badRequest && bad.text.contains("请填写随机种子来源") && bad.text.contains("至少需要两个参加的辖区"))
            let published = try await client.execute(uri: "/inspections/cross/new", method: .post, headers: admin, body: Self.form([
                ("region", "350100"), ("year", "２０２４"), ("quarter", "４"), ("sample", "1"), ("seedSource", "双色球2024年10月8日开奖号码"),
                ("participants", world.a.county.code), ("participants", world.b.county.code)]))
            #expect(published.status == .seeOther)
            let path = try #require(published.headers[.location])
            let page = try await client.execute(uri: path, method: .get, headers: admin)
            #expect(page.text.contains("draw-form") && page.text.contains(CrossInspectionDraw.participantsHash([world.a.county.code, world.b.county.code])))
            let drawn = try await client.execute(uri: "\(path)/draw", method: .post, headers: admin, body: WebHarness.form(["seed": "03 07 12 19 25 31 08"]))
            #expect(drawn.status == .seeOther)
            // County A's regulator sees the round it takes part in, and files its group's report.
            let regulator = harness.browser(try await harness.token(world.a.users[.regulator]!))
            let list = try await client.execute(uri: "/inspections/cross", method: .get, headers: regulator)
            #expect(list.status == .ok && list.text.contains(path))
            let round = try await CrossInspections(database: world.database, clock: world.clock)
                .round(try #require(Int64(path.split(separator: "/").last ?? "")), scope: .system)
            let group = try #require(round.groups.first { $0.inspecting.code == world.a.county.code })
            let groupPage = try await client.execute(uri: "/inspections/cross/groups/\(group.id)", method: .get, headers: regulator)
            #expect(groupPage.status == .ok && groupPage.text.contains("report-form") && groupPage.text.contains(world.b.estate.name))
            let refused = try await client.execute(uri: "/inspections/cross/groups/\(group.id)", method: .post, headers: regulator, body: Self.form([
                ("inspectedFrom", "2024-11-12"), ("inspectedUntil", "2024-11-13"), ("team", ""), ("scope", "查阅公示"), ("summary", "总体规范"),
                ("recommendations", "加强核查"), ("finding0Estate", "\(world.b.estate.id)"), ("finding0Category", "revenue_no_account"),
                ("finding0Description", "未设专户")]))
            #expect(refused.status == .badRequest && refused.text.contains("请填写检查组成员") && refused.text.contains("每组至少检查1个小区")
                    && refused.text.contains("发现问题的小区须是本次检查的小区之一"))
            let filed = try await client.execute(uri: "/inspections/cross/groups/\(group.id)", method: .post, headers: regulator, body: Self.form([
                ("inspectedFrom", "2024-11-12"), ("inspectedUntil", "2024-11-13"), ("team", "张三、李四"), ("scope", "查阅公示"), ("summary", "总体规范"),
                ("recommendations", "加强核查"), ("estates", "\(world.b.estate.id)"), ("finding0Estate", "\(world.b.estate.id)"),
                ("finding0Category", "revenue_no_account"), ("finding0Description", "停车费未进专户")]))
            #expect(filed.status == .seeOther)
            let report = try await client.execute(uri: "/inspections/cross/groups/\(group.id)/report", method: .get, headers: regulator)
            #expect(report.status == .ok && report.text.contains("福州市物业管理主管部门：") && report.text.contains("2024年11月19日")
                    && report.text.contains("停车费未进专户") && report.text.contains("鼓楼区交叉检查组"))
            // The inspected county sees the problem on its own ledger.
            let inspected = harness.browser(try await harness.token(world.b.users[.regulator]!))
            let problems = try await client.execute(uri: "/problems", method: .get, headers: inspected)
            #expect(problems.text.contains("停车费未进专户"))
            // The API: the round with what recomputes it, for the participant; nothing for a company.
            let api = try await client.execute(uri: "/api/v1/cross-inspections", method: .get, headers: harness.api(try await harness.token(world.a.users[.regulator]!)))
            let items = try #require(api.json["items"] as? [[String: Any]])
            #expect(api.status == .ok && items.count == 1 && items.first?["participantsHash"] as? String == round.participantsHash
                    && (items.first?["groups"] as? [[String: Any]])?.count == 2 && items.first?["seed"] as? String == "03 07 12 19 25 31 08")
            let company = try await client.execute(uri: "/api/v1/cross-inspections", method: .get, headers: harness.api(try await harness.token(world.a.users[.company]!)))
            #expect(company.status == .forbidden)
            // The ledgers, named with the region and the period.
            let work = try await client.execute(uri: "/reports/inspections/work.csv?from=2024-11-01&until=2024-11-19", method: .get, headers: admin)
            #expect(work.status == .ok && work.text.contains("交叉检查") && (work.headers[.contentDisposition] ?? "").contains("2024-11"))
            #expect(try await client.execute(uri: "/reports/inspections/work.csv?tier=x", method: .get, headers: admin).status == .badRequest)
            let streets = try await client.execute(uri: "/reports/inspections/work.xlsx?tier=street", method: .get, headers: regulator)
            #expect(streets.status == .ok && (streets.headers[.contentDisposition] ?? "").contains("filename*=UTF-8''"))
            let spot = try await client.execute(uri: "/reports/inspections/spot-checks.xlsx", method: .get, headers: regulator)
            #expect(spot.status == .ok && (spot.headers[.contentDisposition] ?? "").lowercased().contains("%e7%b4%af%e8%ae%a1"))
            let reports = try await client.execute(uri: "/reports", method: .get, headers: regulator)
            #expect(reports.text.contains("/reports/inspections/work.xlsx") && reports.text.contains("/reports/inspections/spot-checks.csv")
                    && reports.text.contains("/reports/accounts") && reports.text.contains("/reports/double-publicity/penalties.csv"))
            // 双公示 and the account register: a header row in the documented layout, named with the region and period.
            let inspections = try await client.execute(uri: "/reports/double-publicity/inspections.csv?from=2024-11-01&until=2024-11-19", method: .get,
                                                       headers: regulator)
            #expect(inspections.status == .ok && inspections.text.contains(DoublePublicity.inspectionHeaders.joined(separator: ","))
                    && (inspections.headers[.contentDisposition] ?? "").contains("2024-11"))
            let penalties = try await client.execute(uri: "/reports/double-publicity/penalties.csv", method: .get, headers: regulator)
            #expect(penalties.status == .ok && penalties.text.contains("行政处罚决定书文号"))
            _ = try await EstateRecords(database: world.database, clock: world.clock).setAccount(
                estateId: world.a.estate.id, AccountInput(bank: "兴业银行", accountNumber: "6222000011112222", openedOn: "2024-01-05"), scope: .system)
            let register = try await client.execute(uri: "/reports/accounts", method: .get, headers: regulator)
            #expect(register.status == .ok && register.text.contains("6222000011112222") && register.text.contains("已登记专户 1 个"))
            let sheet = try await client.execute(uri: "/reports/accounts.csv", method: .get, headers: regulator)
            #expect(sheet.status == .ok && sheet.text.contains("公共收益专户账号") && sheet.text.contains("6222000011112222"))
            let book = try await client.execute(uri: "/reports/accounts.xlsx", method: .get, headers: regulator)
            #expect(book.status == .ok && (book.headers[.contentDisposition] ?? "").contains("filename*=UTF-8''"))
            let foreign = try await client.execute(uri: "/reports/accounts?region=\(world.b.county.code)", method: .get, headers: regulator)
            #expect(foreign.status == .notFound)
        }
    }
}
