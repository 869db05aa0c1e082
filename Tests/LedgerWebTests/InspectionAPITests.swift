import Foundation
import Hummingbird
import HummingbirdTesting
import LedgerCore
import LedgerTestSupport
import SQLKit
import Testing

/// `GET /api/v1/inspection-plans`: scoped to the caller's jurisdiction, with what anyone needs to redraw a plan.
@Suite struct InspectionAPITests {
    @Test func plansAreListedWithTheirSeedHashMethodAndResultInTheJurisdictionOnly() async throws {
        try await WebHarness.run { harness, client in
            let world = harness.world
            try await world.database.transaction { db in
                for index in 0..<3 {
                    try await db.raw("""
                        INSERT INTO inspectors (region_code, name, organisation, conflicts, active, created_at)
                        VALUES (\(bind: world.a.county.code), \(bind: "检查员\(index)"), '住建局', '', 1, '2024-11-01T00:00:00Z')
                        """).run()
                }
            }
            let plans = InspectionPlans(database: world.database, clock: world.clock)
            let regulator = world.a.users[.regulator]!.scope
            let id = try await plans.publish(.init(regionCode: world.a.county.code, year: 2024, seedSource: "双色球2024年11月21日开奖号码"), scope: regulator)
            try await plans.draw(id, seed: "01 05 09 17 22 30 04", scope: regulator)

            let mine = try await client.execute(uri: "/api/v1/inspection-plans", method: .get, headers: harness.api(try await harness.token(world.a.users[.regulator]!)))
            #expect(mine.status == .ok)
            let items = try #require(mine.json["items"] as? [[String: Any]])
            #expect(items.count == 1 && mine.json["total"] as? Int == 1)
            let plan = items[0]
            #expect(plan["id"] as? Int64 == id || plan["id"] as? Int == Int(id))
            #expect(plan["region"] as? String == world.a.county.code && plan["year"] as? Int == 2024 && plan["ratio"] as? Double == 0.5)
            #expect(plan["seed"] as? String == "01 05 09 17 22 30 04" && plan["method"] as? String == SpotCheckDraw.method)
            #expect((plan["eligibleHash"] as? String)?.count == 64)
            #expect(plan["quarter"] is NSNull, "an annual plan lists its quarter as null, as the contract names every key")
            let estates = try #require(plan["estates"] as? [[String: Any]])
            #expect(estates.count == 1 && estates[0]["estateId"] as? Int == Int(world.a.estate.id))
            #expect((plan["inspectors"] as? [Int])?.count == 2)
            // Another county's officer sees none of it; a company may not list plans.
            let other = try await client.execute(uri: "/api/v1/inspection-plans", method: .get, headers: harness.api(try await harness.token(world.b.users[.regulator]!)))
            #expect(other.status == .ok && (other.json["items"] as? [Any])?.isEmpty == true)
            let company = try await client.execute(uri: "/api/v1/inspection-plans", method: .get, headers: harness.api(try await harness.token(world.a.users[.company]!)))
            #expect(company.status == .forbidden)
        }
    }
}
