import Foundation
import Hummingbird
import HummingbirdTesting
import LedgerCore
import LedgerTestSupport
import LedgerWeb
import NIOCore
import Testing

/// The public credit pages (no login) and the credit-event API for the provincial platform, scoped.
@Suite struct CreditPageTests {
    @Test(arguments: TestDatabase.available)
    func publicCreditPagesAndTheEventAPI(kind: TestDatabase.Kind) async throws {
        try await WebHarness.run(kind) { harness, client in
            let world = harness.world
            let regulator = world.a.users[.regulator]!.scope
            try await Enforcement(database: world.database, clock: world.clock).record(
                companyId: world.a.company.id,
                EnforcementInput(kind: .interview, decidedOn: "2024-11-12", basis: "莆田方案附件第22项", documentNumber: "鼓建约〔2024〕7号"), scope: regulator)
            let credit = CreditFile(database: world.database, clock: world.clock)
            #expect(try await credit.collect() == 1)
            try await credit.decide(.black, companyId: world.a.company.id, reason: "拒不公示公共收益且拒不整改", documentNumber: "鼓建〔2024〕99号",
                                    decidedOn: "2024-11-15", until: "2026-11-15", scope: regulator)
            await #expect(throws: FieldErrors.self) {
                try await credit.decide(nil, companyId: world.a.company.id, reason: "", documentNumber: "", decidedOn: "2024-11-15", until: "2024-11-01",
                                        scope: regulator)
            }

            let lists = try await client.execute(uri: "/public/credit", method: .get)
            #expect(lists.status == .ok && lists.text.contains("红名单") && lists.text.contains("黑名单"))
            let blackSection = String(lists.text[lists.text.range(of: "id=\"black-list\"")!.lowerBound...])
            #expect(blackSection.contains(world.a.company.name) && blackSection.contains("拒不公示公共收益且拒不整改"))
            #expect(!lists.text.contains(world.b.company.name))

            let page = try await client.execute(uri: "/public/companies/\(world.a.company.id)", method: .get)
            #expect(page.status == .ok && page.text.contains("黑名单") && page.text.contains("被约谈") && page.text.contains("鼓建约〔2024〕7号"))
            #expect(page.text.contains("−8") || page.text.contains("−5"))
            let other = try await client.execute(uri: "/public/companies/\(world.b.company.id)", method: .get)
            let score = try #require(try await credit.scores()[world.b.company.id])
            #expect(other.status == .ok && other.text.contains(score.grade.title) && other.text.contains("暂无有效期内的信用记录") && !other.text.contains("已列入"))
            #expect(page.text.contains("已列入黑名单"))
            for user in world.a.users.values {  // no person's name or phone on the public pages
                #expect(!page.text.contains(user.displayName))
            }
            #expect(try await client.execute(uri: "/public/companies/999999", method: .get).status == .notFound)

            let token = try await harness.token(world.a.users[.regulator]!)
            let events = try await client.execute(uri: "/api/v1/credit/events?since=2024-01-01", method: .get, headers: harness.api(token))
            let items = try #require(events.json["items"] as? [[String: Any]])
            #expect(events.status == .ok && items.count == 1 && items[0]["rule"] as? String == "C01" && items[0]["documentNumber"] as? String == "鼓建约〔2024〕7号")
            let later = try await client.execute(uri: "/api/v1/credit/events?since=2024-11-13", method: .get, headers: harness.api(token))
            #expect((later.json["items"] as? [Any])?.isEmpty == true)
            let foreign = try await client.execute(uri: "/api/v1/credit/events?since=2024-01-01", method: .get,
                                                   headers: harness.api(try await harness.token(world.b.users[.regulator]!)))
            #expect((foreign.json["items"] as? [Any])?.isEmpty == true)
            let bad = try await client.execute(uri: "/api/v1/credit/events?since=yesterday", method: .get, headers: harness.api(token))
            #expect(bad.status == .badRequest && bad.apiError["field"] == "since")
        }
    }
}
