import Foundation
import LedgerCore
import LedgerTestSupport
import Testing

/// Which local plan a region's officials cite: the one issued for the region or above it, unless a region sets its own.
@Suite struct PolicyPlanTests {
    @Test(arguments: TestDatabase.available)
    func aRegionFollowsItsCitysPlanUnlessItSetsAnother(_ kind: TestDatabase.Kind) async throws {
        try await withDatabase(kind) { database in
            let world = try await World.build(in: database)
            let regions = RegionDirectory(database: database)
            #expect(try await regions.policyPlan(onPath: world.a.estate.regionPath) == .fuzhou)
            let settings = RegionSettings(database: database, clock: world.clock)
            try await settings.set(regionCode: world.a.county.code, key: "policy.plan", value: "2", scope: world.a.users[.regulator]!.scope)
            #expect(try await regions.policyPlan(onPath: world.a.estate.regionPath) == .putian)
            #expect(try await regions.policyPlan(onPath: world.b.estate.regionPath) == .fuzhou, "the other district keeps the city's plan")
            await #expect(throws: LedgerError.self) {
                try await settings.set(regionCode: world.a.county.code, key: "policy.plan", value: "9", scope: world.a.users[.regulator]!.scope)
            }
            try await settings.set(regionCode: world.a.county.code, key: "policy.plan", value: "", scope: world.a.users[.regulator]!.scope)
            #expect(try await regions.policyPlan(onPath: world.a.estate.regionPath) == .fuzhou)
        }
    }
}
