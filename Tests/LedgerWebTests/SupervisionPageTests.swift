import Foundation
import Hummingbird
import HummingbirdTesting
import LedgerCore
import LedgerTestSupport
import LedgerWeb
import NIOCore
import Testing

/// 督办通报 through the pages: the sub-regions' standing, a letter issued (errors beside their fields), printed in the
/// 公文 layout, answered by the street, and the printable monthly bulletin.
@Suite struct SupervisionPageTests {
    @Test(arguments: TestDatabase.available)
    func aLetterIsIssuedPrintedAndAnsweredAndTheBulletinRanks(kind: TestDatabase.Kind) async throws {
        try await WebHarness.run(kind) { harness, client in
            let world = harness.world
            let regulator = harness.browser(try await harness.token(world.a.users[.regulator]!))
            let street = harness.browser(try await harness.token(world.a.users[.street]!))
            let overview = try await client.execute(uri: "/supervision", method: .get, headers: regulator)
            #expect(overview.status == .ok && overview.text.contains("id=\"standings\"") && overview.text.contains(world.a.street.name)
                    && overview.text.contains("id=\"no-letters\"") && overview.text.contains("id=\"new-letter\""))
            let form = try await client.execute(uri: "/supervision/letters/new?to=\(world.a.street.code)&letterKind=supervision", method: .get, headers: regulator)
            #expect(form.status == .ok && form.text.contains("<option value=\"supervision\" selected>"))
            // Every error at once beside its field; nothing written.
            let before = try await world.fingerprint()
            let bad = try await client.execute(uri: "/supervision/letters/new", method: .post, headers: regulator,
                                               body: WebHarness.form(["letterKind": "memo", "to": world.a.street.code, "replyDue": "2024-11-01"]))
            #expect(bad.status == .badRequest && bad.text.contains("请选择提醒函或督办函") && bad.text.contains("答复期限应晚于今天"))
            #expect(try await world.fingerprint() == before)
            let issued = try await client.execute(uri: "/supervision/letters/new", method: .post, headers: regulator, body: WebHarness.form([
                "letterKind": "supervision", "to": world.a.street.code, "replyDue": "2024-11-29", "requirements": "请于十日内完成整改"]))
            #expect(issued.status == .seeOther)
            let path = try #require(issued.headers[.location])
            let page = try await client.execute(uri: path, method: .get, headers: regulator)
            #expect(page.status == .ok && page.text.contains("鼓楼区物业督办〔2024〕1号") && page.text.contains("待答复") && !page.text.contains("reply-form"))
            // The 公文: authority, number, red rule, addressee flush left, date written out, the seal's place.
            let printed = try await client.execute(uri: "\(path)/print", method: .get, headers: regulator)
            #expect(printed.status == .ok && printed.text.contains("鼓楼区住房和城乡建设局") && printed.text.contains("red-rule")
                    && printed.text.contains("鼓东街道办事处：") && printed.text.contains("2024年11月19日") && printed.text.contains("印章位置")
                    && printed.text.contains("请于2024年11月29日前") && printed.text.contains("请于十日内完成整改"))
            // The street sees it in its list and answers it; an empty answer is refused beside its field.
            let list = try await client.execute(uri: "/supervision", method: .get, headers: street)
            #expect(list.status == .ok && list.text.contains(path))
            let empty = try await client.execute(uri: "\(path)/reply", method: .post, headers: street, body: WebHarness.form(["reply": ""]))
            #expect(empty.status == .badRequest && empty.text.contains("请填写答复内容"))
            let answered = try await client.execute(uri: "\(path)/reply", method: .post, headers: street, body: WebHarness.form(["reply": "已督促企业整改到位"]))
            #expect(answered.status == .seeOther)
            let after = try await client.execute(uri: path, method: .get, headers: regulator)
            #expect(after.text.contains("已督促企业整改到位") && after.text.contains("已答复"))
            // A street official may not issue letters.
            let refused = try await client.execute(uri: "/supervision/letters/new", method: .post, headers: street, body: WebHarness.form([
                "letterKind": "reminder", "to": world.a.street.code, "replyDue": "2024-11-29"]))
            #expect(refused.status == .forbidden)
            // The bulletin of November: ranking explained, the letter listed.
            let bulletin = try await client.execute(uri: "/supervision/bulletin?month=2024-11", method: .get, headers: regulator)
            #expect(bulletin.status == .ok && bulletin.text.contains("鼓楼区小区公共收益专项整治工作月度通报（2024年11月）")
                    && bulletin.text.contains("排名依据") && bulletin.text.contains("向鼓东街道发出督办函（鼓楼区物业督办〔2024〕1号），已答复"))
            let future = try await client.execute(uri: "/supervision/bulletin?month=2025-01", method: .get, headers: regulator)
            #expect(future.status == .badRequest)
        }
    }
}
