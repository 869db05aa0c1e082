import Foundation
import LedgerCore
import LedgerTestSupport
import SQLKit
import Testing

/// Spot-check plans drawn verifiably at random (双随机): the draw's properties, and plans through storage.
@Suite struct InspectionTests {
    static let kinds = TestDatabase.available

    static let estates = (1...100).map { SpotCheckDraw.Estate(id: Int64($0 * 3), street: "S\($0 % 4)", companyId: Int64($0 % 7)) }
    static let pool: [SpotCheckDraw.Inspector] = (1...12).map { (n: Int) -> SpotCheckDraw.Inspector in
        let street: String = n % 3 == 0 ? "" : "S\(n % 4)"
        let conflicts: [Int64] = n == 5 ? [1, 2] : []
        return SpotCheckDraw.Inspector(id: Int64(n), street: street, conflicts: conflicts)
    }

    @Test func theDrawIsAFunctionOfTheSeedAndTheList() {
        let forced: Set<Int64> = [3, 150, 300]
        let first = SpotCheckDraw.draw(seed: "07 12 19 23 28 31 05", estates: Self.estates, forced: forced, ratioBasisPoints: 5_000, pool: Self.pool)
        // The same inputs in another order give the same draw; the sample is half the list, rounded up.
        let again = SpotCheckDraw.draw(seed: "07 12 19 23 28 31 05", estates: Self.estates.reversed(), forced: forced, ratioBasisPoints: 5_000,
                                       pool: Self.pool.reversed())
        #expect(first == again && first.estates.count == 50 && first.estates == first.estates.sorted())
        // Another seed, or one eligible id changed, gives another draw.
        #expect(SpotCheckDraw.draw(seed: "07 12 19 23 28 31 06", estates: Self.estates, forced: forced, ratioBasisPoints: 5_000, pool: Self.pool) != first)
        var changed = Self.estates
        changed[40] = SpotCheckDraw.Estate(id: 1_000, street: "S1", companyId: 1)
        #expect(SpotCheckDraw.eligibleHash(estates: changed, pool: Self.pool) != SpotCheckDraw.eligibleHash(estates: Self.estates, pool: Self.pool))
        #expect(SpotCheckDraw.draw(seed: "07 12 19 23 28 31 05", estates: changed, forced: forced, ratioBasisPoints: 5_000, pool: Self.pool).estates
                != first.estates)
        #expect(SpotCheckDraw.sampleSize(ratioBasisPoints: 1_500, of: 101) == 16 && SpotCheckDraw.sampleSize(ratioBasisPoints: 10_000, of: 7) == 7)
    }

    @Test(arguments: ["a", "b", "c", "d", "e", "f", "g", "h"])
    func forcedEstatesAreAlwaysDrawnAndNoInspectorAgainstTheirRecusal(seed: String) {
        let forced: Set<Int64> = Set(Self.estates.prefix(30).map(\.id))
        let result = SpotCheckDraw.draw(seed: seed, estates: Self.estates, forced: forced, ratioBasisPoints: 1_500, pool: Self.pool)
        // Forced inclusions exceed the ratio: all of them are drawn and nothing else.
        #expect(Set(result.estates) == forced)
        let byId = Dictionary(uniqueKeysWithValues: Self.estates.map { ($0.id, $0) })
        for (estate, inspectors) in result.inspectors {
            #expect(inspectors.count == 2 && Set(inspectors).count == 2)
            for id in inspectors {
                let inspector: SpotCheckDraw.Inspector = Self.pool.first(where: { $0.id == id })!
                #expect(inspector.street != byId[estate]!.street, "an inspector never checks an estate of the street they serve")
                #expect(!(byId[estate]!.companyId.map(inspector.conflicts.contains) ?? false), "nor a company they declared a conflict with")
            }
        }
    }

    static func addInspectors(_ world: World, on database: Database) async throws {
        try await database.transaction { db in
            for (index, street) in [world.a.street.code, "", "", world.a.street.code, ""].enumerated() {
                try await db.raw("""
                    INSERT INTO inspectors (region_code, name, organisation, street_code, conflicts, active, created_at)
                    VALUES (\(bind: world.a.county.code), \(bind: "检查员\(index)"), '住建局', \(bind: street.isEmpty ? nil : street), '', 1, '2024-11-01T00:00:00Z')
                    """).run()
            }
        }
    }

    @Test(arguments: kinds)
    func aPlanIsPublishedDrawnOnceRedrawnAndKeptToItsRegion(kind: TestDatabase.Kind) async throws {
        try await withDatabase(kind) { database in
            let world = try await World.build(in: database)
            try await Self.addInspectors(world, on: database)
            let plans = InspectionPlans(database: database, clock: world.clock)
            let regulator = world.a.users[.regulator]!.scope
            // Refused: a company, a region outside the scope, a forced estate of another region, a missing seed source.
            let input = InspectionPlans.PlanInput(regionCode: world.a.county.code, year: 2024, seedSource: "双色球2024年11月21日开奖号码",
                                                  forced: [world.a.estate.id])
            await #expect(throws: LedgerError.forbidden) { try await plans.publish(input, scope: world.a.users[.company]!.scope) }
            var foreign = input
            foreign.regionCode = world.b.county.code
            await #expect(throws: LedgerError.notFound("行政区划")) { try await plans.publish(foreign, scope: regulator) }
            var stray = input
            stray.forced = [world.b.estate.id]
            await #expect(throws: LedgerError.self) { try await plans.publish(stray, scope: regulator) }
            var unnamed = input
            unnamed.seedSource = " "
            await #expect(throws: FieldErrors.self) { try await plans.publish(unnamed, scope: regulator) }

            let id = try await plans.publish(input, scope: regulator)
            let published = try await plans.list(scope: regulator).items
            #expect(published.map(\.id) == [id] && published[0].status == .published && published[0].ratioBasisPoints == 5_000)
            #expect(try await plans.list(scope: world.b.users[.regulator]!.scope).items.isEmpty)
            let drawn = try await plans.draw(id, seed: "03 09 14 20 27 31 12", scope: regulator)
            #expect(drawn.estates.contains(world.a.estate.id) && drawn.seed == "03 09 14 20 27 31 12")
            // The street's own inspectors never go to its estates.
            let streetInspectors = Set(try await database.read { db in
                try await db.raw("SELECT id FROM inspectors WHERE street_code = \(bind: world.a.street.code)").all(decodingColumn: "id", as: Int64.self)
            })
            #expect(drawn.inspectors.values.allSatisfy { $0.count == 2 && Set($0).isDisjoint(with: streetInspectors) })
            await #expect(throws: LedgerError.self) { try await plans.draw(id, seed: "another", scope: regulator) }
            #expect(try await InspectionPlans.redraw(id, on: database) == nil)
            // A result changed behind the plan's back no longer redraws.
            try await database.transaction { db in
                try await db.raw("DELETE FROM inspection_plan_inspectors WHERE plan_id = \(bind: id)").run()
                try await db.raw("DELETE FROM inspection_plan_estates WHERE plan_id = \(bind: id)").run()
            }
            #expect(try await InspectionPlans.redraw(id, on: database) != nil)
        }
    }

    @Test(arguments: kinds)
    func aVisitIsRecordedItsFailuresBecomeProblemsAndTheAnnualRateCountsIt(kind: TestDatabase.Kind) async throws {
        try await withDatabase(kind) { database in
            let world = try await World.build(in: database)
            let records = InspectionRecords(database: database, clock: world.clock)
            let regulator = world.a.users[.regulator]!.scope
            var answers = Dictionary(uniqueKeysWithValues: Checklist.items.map { ($0.code, InspectionRecords.Answer(.conforms)) })
            answers["account_used"] = .init(.fails, note: "停车费收入存入物业公司基本户，未设专户")
            answers["ratio_agreed"] = .init(.fails)
            answers.removeValue(forKey: "vouchers_complete")
            // Refused, every error at once: a future date, a 不符合 without its note, an item left unanswered.
            do {
                try await records.record(.init(estateId: world.a.estate.id, inspectedOn: "2024-12-01", answers: answers), scope: regulator)
                Issue.record("an incomplete record was accepted")
            } catch let errors as FieldErrors {
                #expect(Set(errors.items.compactMap(\.field)) == ["inspectedOn", "ratio_agreed", "vouchers_complete"])
            }
            answers["ratio_agreed"] = .init(.notApplicable)
            answers["vouchers_complete"] = .init(.conforms)
            await #expect(throws: LedgerError.self) {
                try await records.record(.init(estateId: world.b.estate.id, inspectedOn: "2024-11-18", answers: answers), scope: regulator)
            }
            let (_, raised) = try await records.record(.init(estateId: world.a.estate.id, inspectedOn: "2024-11-18", answers: answers), scope: regulator)
            #expect(raised.count == 1)
            let problem = try await Problems(database: database, clock: world.clock, filesDirectory: NSTemporaryDirectory()).problem(raised[0], scope: regulator).problem
            #expect(problem.source == .inspection && problem.category == "revenue_no_account" && problem.status == .open)
            // The annual rate: one of the city's two estates verified this year; the quarter before the visit's year counts none.
            let dashboard = Dashboard(database: database, clock: world.clock)
            let city = try await dashboard.view(regionCode: "350100", quarter: Quarter(year: 2024, quarter: 4)!, scope: .system)
            let kpi = try #require(city.kpis.first { $0.key == "spotCheck" })
            let counted = try await database.read { db in
                try await db.raw("SELECT COUNT(DISTINCT estate_id) AS n FROM inspection_records WHERE inspected_on LIKE '2024-%'").first(decodingColumn: "n", as: Int.self)
            }
            #expect(kpi.numerator == counted && kpi.numerator == 1 && kpi.denominator == 2 && kpi.value == 0.5)
            let before = try await dashboard.view(regionCode: "350100", quarter: Quarter(year: 2023, quarter: 4)!, scope: .system)
            #expect(before.kpis.first { $0.key == "spotCheck" }?.numerator == 0)
        }
    }

    @Test(arguments: kinds)
    func aPlanNeedsTwoInspectorsPerEstateTakesTheRegionsRatioAndASupervisorMayJoinAVisit(kind: TestDatabase.Kind) async throws {
        try await withDatabase(kind) { database in
            let world = try await World.build(in: database)
            let plans = InspectionPlans(database: database, clock: world.clock)
            let inspectors = Inspectors(database: database, clock: world.clock)
            let regulator = world.a.users[.regulator]!.scope
            let input = InspectionPlans.PlanInput(regionCode: world.a.county.code, year: 2024, seedSource: "双色球2024年11月21日开奖号码")
            func planCount() async throws -> Int {
                try await database.read { try await $0.raw("SELECT COUNT(*) AS n FROM inspection_plans").first(decodingColumn: "n", as: Int.self) ?? -1 }
            }
            // No inspector, then two of whom one serves the estate's street, then a conduct supervisor (never drawn):
            // each time fewer than two may go, and nothing is published.
            await #expect(throws: LedgerError.self) { try await plans.publish(input, scope: regulator) }
            try await inspectors.add(.init(regionCode: world.a.county.code, name: "甲", organisation: "住建局"), scope: regulator)
            try await inspectors.add(.init(regionCode: world.a.county.code, name: "乙", organisation: "住建局", streetCode: world.a.street.code), scope: regulator)
            let supervisor = try await inspectors.add(.init(regionCode: world.a.county.code, name: "丙", organisation: "行风监督员", kind: "supervisor"),
                                                      scope: regulator)
            do {
                _ = try await plans.publish(input, scope: regulator)
                Issue.record("a plan that cannot send two inspectors was published")
            } catch let error as LedgerError {
                #expect(error.code == "too_few_inspectors" && error.message.contains("只有1名"))
            }
            #expect(try await planCount() == 0)
            let third = try await inspectors.add(.init(regionCode: world.a.county.code, name: "丁", organisation: "住建局"), scope: regulator)
            await #expect(throws: FieldErrors.self) {
                try await inspectors.add(.init(regionCode: world.a.county.code, name: "戊", organisation: "住建局", kind: "boss"), scope: regulator)
            }
            // The county set its own default ratio: 60%.
            try await RegionSettings(database: database, clock: world.clock)
                .set(regionCode: world.a.county.code, key: "spot_check.ratio.county", value: "60", scope: regulator)
            #expect(try await plans.defaultRatio(regionCode: world.a.county.code, scope: regulator) == 6_000)
            #expect(try await plans.defaultRatio(regionCode: world.b.county.code, scope: world.b.users[.regulator]!.scope) == 5_000)
            let id = try await plans.publish(input, scope: regulator)
            #expect(try await plans.list(scope: regulator).items.first { $0.id == id }?.ratioBasisPoints == 6_000)
            let drawn = try await plans.draw(id, seed: "01 02 03", scope: regulator)
            #expect(drawn.inspectors.values.allSatisfy { !$0.contains(supervisor) && $0.count == 2 })

            // A visit with the supervisor records them; an inspector is not a supervisor.
            let records = InspectionRecords(database: database, clock: world.clock)
            let answers = Dictionary(uniqueKeysWithValues: Checklist.items.map { ($0.code, InspectionRecords.Answer(.conforms)) })
            #expect(try await records.supervisors(forEstate: world.a.estate.id, scope: regulator).map(\.id) == [supervisor])
            #expect(try await records.supervisors(forEstate: world.b.estate.id, scope: regulator).isEmpty)
            await #expect(throws: LedgerError.self) {
                try await records.record(.init(estateId: world.a.estate.id, inspectedOn: "2024-11-19", answers: answers, supervisorId: third), scope: regulator)
            }
            let visit = try await records.record(.init(estateId: world.a.estate.id, inspectedOn: "2024-11-19", answers: answers, supervisorId: supervisor),
                                                 scope: regulator).id
            #expect(try await records.visit(visit, scope: regulator).supervisor == "丙（行风监督员）")
        }
    }
}
