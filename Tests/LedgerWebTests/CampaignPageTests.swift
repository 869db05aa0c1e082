import Foundation
import Hummingbird
import HummingbirdTesting
import LedgerCore
import LedgerTestSupport
import LedgerWeb
import NIOCore
import Testing

/// Campaign pages: phases named and counted as the local plan has them, weekly tasks, and the complaint ledger (附件5)
/// since the campaign began.
@Suite struct CampaignPageTests {
    @Test func phasesFollowThePlanAndTheLedgerRunsSinceTheCampaignBegan() async throws {
        try await WebHarness.run { harness, client in
            let world = harness.world
            let regulator = harness.browser(try await harness.token(world.a.users[.regulator]!))
            let panjin = try await client.execute(uri: "/campaigns?layout=panjin", method: .get, headers: regulator)
            #expect(panjin.status == .ok && panjin.text.contains("value=\"监督问责\"") && panjin.text.contains("name=\"phase4Name\""))

            let before = try await world.fingerprint()
            let nameless = try await client.execute(uri: "/campaigns", method: .post, headers: regulator, body: WebHarness.form([
                "name": "点题整治", "region": world.a.county.code, "phase0Name": "", "phase0From": "2024-05-01", "phase0Until": "2024-05-10",
                "phase1Name": "自查自纠阶段"]))
            #expect(nameless.status == .badRequest && nameless.text.contains("请填写第1阶段名称") && nameless.text.contains("请填写自查自纠阶段开始日期"))
            #expect(try await world.fingerprint() == before)

            var fields = ["name": "深化整治侵占公共收益", "region": world.a.county.code]
            for (index, name) in Campaigns.phaseLayouts.first(where: { $0.key == "fuzhou" })!.names.enumerated() {
                fields["phase\(index)Name"] = name
                fields["phase\(index)From"] = "2024-0\(index * 2 + 5 > 9 ? 9 : index * 2 + 5)-01"
                fields["phase\(index)Until"] = "2024-\(String(format: "%02d", index * 2 + 6))-28"
            }
            let created = try await client.execute(uri: "/campaigns", method: .post, headers: regulator, body: WebHarness.form(fields))
            #expect(created.status == .seeOther)
            let path = try #require(created.headers[.location])
            let page = try await client.execute(uri: path, method: .get, headers: regulator)
            #expect(page.text.contains("交叉督导阶段") && !page.text.contains("检查督导阶段"))
            #expect(page.text.contains("/complaints/ledger.xlsx?from=2024-05-01") && page.text.contains("value=\"weekly\""))

            let task = try await client.execute(uri: "\(path)/tasks", method: .post, headers: regulator, body: WebHarness.form([
                "content": "报送专项整治工作简报", "responsible": "各街道办事处", "schedule": "weekly", "day": "4", "dueText": "每周四9点前"]))
            #expect(task.status == .seeOther)
            let withTask = try await client.execute(uri: path, method: .get, headers: regulator)
            #expect(withTask.text.contains("每周四9点前") && withTask.text.contains("当周"))

            // The ledger since the campaign began names its period in the head and in the file name.
            _ = try await Complaints(database: world.database, clock: world.clock, filesDirectory: NSTemporaryDirectory())
                .file(ComplaintInput(estateId: world.a.estate.id, category: "revenue_undisclosed", content: "停车费收入从未公示，请核查"),
                      uploads: [], address: "192.0.2.7")
            let ledger = try await client.execute(uri: "/complaints/ledger.csv?from=2024-05-01", method: .get, headers: regulator)
            #expect(ledger.status == .ok && ledger.text.contains("停车费收入从未公示"))
            let period = try #require(ComplaintLedger.period(from: Day("2024-05-01"), until: nil, today: Day("2024-11-19")!))
            #expect(period.title == "2024年5月1日至2024年11月19日（累计）")
            let head = ComplaintLedger.layout(unit: "鼓楼区", filledOn: Day("2024-11-19")!, period: period.title).sheet.rows[1]
            #expect("\(head)".contains("统计期间：2024年5月1日至2024年11月19日（累计）"))
            let xlsx = try await client.execute(uri: "/complaints/ledger.xlsx?from=2024-11-01&until=2024-11-30", method: .get, headers: regulator)
            #expect(xlsx.headers[.contentDisposition]?.removingPercentEncoding?.contains("投诉举报台账-鼓楼区-2024-11-01至2024-11-30.xlsx") == true)
            let disposition = ledger.headers[.contentDisposition] ?? ""
            #expect(disposition.removingPercentEncoding?.contains("投诉举报台账-鼓楼区-2024-05-01至2024-11-19.csv") == true)
        }
    }
}
