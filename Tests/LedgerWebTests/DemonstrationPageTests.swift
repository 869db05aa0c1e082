import Foundation
import Hummingbird
import HummingbirdTesting
import LedgerCore
import LedgerTestSupport
import LedgerWeb
import Testing

/// 示范小区 through the pages: a street nominates (errors beside their fields), the admin confirms for the city, and the
/// estate's public page shows it.
@Suite struct DemonstrationPageTests {
    @Test(arguments: TestDatabase.available)
    func aStreetNominatesTheCityConfirmsAndThePublicPageShowsIt(kind: TestDatabase.Kind) async throws {
        try await WebHarness.run(kind) { harness, client in
            let world = harness.world
            let street = harness.browser(try await harness.token(world.a.users[.street]!))
            let list = try await client.execute(uri: "/demonstrations?estate=\(world.a.estate.id)", method: .get, headers: street)
            #expect(list.status == .ok && list.text.contains("id=\"nominate-form\"") && list.text.contains("id=\"empty-state\""))
            let bad = try await client.execute(uri: "/demonstrations", method: .post, headers: street,
                                               body: WebHarness.form(["estate": "\(world.a.estate.id)", "criteria": "", "evidence": ""]))
            #expect(bad.status == .badRequest && bad.text.contains("请填写符合的示范条件") && bad.text.contains("请填写佐证材料说明"))
            let nominated = try await client.execute(uri: "/demonstrations", method: .post, headers: street, body: WebHarness.form([
                "estate": "\(world.a.estate.id)", "criteria": "连续八个季度按时规范公示", "evidence": "公示栏照片"]))
            #expect(nominated.status == .seeOther)
            let path = try #require(nominated.headers[.location])
            let page = try await client.execute(uri: path, method: .get, headers: street)
            #expect(page.text.contains("已推荐待认定") && !page.text.contains("decide-form"), "a street cannot confirm")
            let admin = harness.browser(try await harness.token(world.admin))
            #expect(try await client.execute(uri: path, method: .get, headers: admin).text.contains("decide-form"))
            let decided = try await client.execute(uri: "\(path)/decide", method: .post, headers: admin,
                                                   body: WebHarness.form(["decision": "confirm", "reason": "经实地核查符合条件"]))
            #expect(decided.status == .seeOther)
            #expect(try await client.execute(uri: path, method: .get, headers: admin).text.contains("经实地核查符合条件"))
            let publicPage = try await client.execute(uri: "/public/estates/\(world.a.estate.id)", method: .get)
            #expect(publicPage.text.contains("demonstration-badge"))
            let other = try await client.execute(uri: "/public/estates/\(world.b.estate.id)", method: .get)
            #expect(!other.text.contains("demonstration-badge"))
        }
    }
}
