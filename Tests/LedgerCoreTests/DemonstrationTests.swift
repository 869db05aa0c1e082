import Foundation
import LedgerCore
import LedgerTestSupport
import SQLKit
import Testing

/// 示范小区: nominated by the district or street, confirmed by the city, counted against each district's target.
@Suite struct DemonstrationTests {
    static let kinds = TestDatabase.available

    @Test(arguments: kinds)
    func aStreetNominatesTheCityConfirmsAndTheDashboardCountsAgainstTheTargets(kind: TestDatabase.Kind) async throws {
        try await withDatabase(kind) { database in
            let world = try await World.build(in: database)
            let demonstrations = Demonstrations(database: database, clock: world.clock)
            let street = world.a.users[.street]!.scope, regulator = world.a.users[.regulator]!.scope
            let city = CrossInspectionTests.city(world)
            await #expect(throws: LedgerError.forbidden) {
                try await demonstrations.nominate(estateId: world.a.estate.id, criteria: "按时公示", evidence: "照片", scope: world.a.users[.company]!.scope)
            }
            await #expect(throws: LedgerError.self) {
                try await demonstrations.nominate(estateId: world.b.estate.id, criteria: "按时公示", evidence: "照片", scope: street)
            }
            do {
                try await demonstrations.nominate(estateId: world.a.estate.id, criteria: " ", evidence: "", scope: street)
                Issue.record("an empty nomination was accepted")
            } catch let errors as FieldErrors {
                #expect(Set(errors.items.compactMap(\.field)) == ["criteria", "evidence"])
            }
            let id = try await demonstrations.nominate(estateId: world.a.estate.id, criteria: "连续八个季度按时规范公示，专户管理", evidence: "公示栏照片、专户流水",
                                                       scope: street)
            await #expect(throws: LedgerError.self) {
                try await demonstrations.nominate(estateId: world.a.estate.id, criteria: "再次推荐", evidence: "照片", scope: regulator)
            }
            // The county may not confirm; the city does, once.
            await #expect(throws: LedgerError.self) { try await demonstrations.decide(id, confirm: true, reason: "同意", scope: regulator) }
            await #expect(throws: FieldErrors.self) { try await demonstrations.decide(id, confirm: true, reason: "", scope: city) }
            try await demonstrations.decide(id, confirm: true, reason: "经实地核查，符合示范小区条件", scope: city)
            await #expect(throws: LedgerError.self) { try await demonstrations.decide(id, confirm: false, reason: "改变主意", scope: city) }
            #expect(try await demonstrations.isConfirmed(estateId: world.a.estate.id))
            #expect(try await demonstrations.list(scope: world.b.users[.regulator]!.scope).items.isEmpty)

            // Targets: county A sets 2, county B keeps the default 1; the city's KPI is 1 ÷ 3.
            try await RegionSettings(database: database, clock: world.clock)
                .set(regionCode: world.a.county.code, key: "demonstration.target", value: "2", scope: regulator)
            let view = try await Dashboard(database: database, clock: world.clock)
                .view(regionCode: "350100", quarter: Quarter(year: 2024, quarter: 3)!, scope: .system)
            let kpi = try #require(view.kpis.first { $0.key == "demonstration" })
            #expect(kpi.numerator == 1 && kpi.denominator == 3 && abs((kpi.value ?? 0) - 1.0 / 3) < 1e-9)
            #expect(view.demonstrations.first { $0.code == world.a.county.code } == .init(code: world.a.county.code, name: world.a.county.name,
                                                                                          confirmed: 1, target: 2))
            // A problem raised after the confirmation and still open flags the estate for review.
            #expect(try await demonstrations.demonstration(id, scope: regulator).needsReview == false)
            world.clock.advance(by: 3_600)
            _ = try await Problems(database: database, clock: world.clock, filesDirectory: NSTemporaryDirectory())
                .create(ProblemInput(estateId: world.a.estate.id, category: "revenue_undisclosed", description: "停车费未公示"), scope: regulator)
            #expect(try await demonstrations.demonstration(id, scope: regulator).needsReview)
        }
    }
}
