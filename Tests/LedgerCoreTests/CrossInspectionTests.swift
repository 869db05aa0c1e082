import Foundation
import LedgerCore
import LedgerTestSupport
import SQLKit
import Testing

/// Cross inspections (交叉检查): the pairing's properties, rounds and reports through storage, findings as problems in
/// the inspected region, and what the ledgers, the 情况汇总表 and the dashboard count from inspections.
@Suite struct CrossInspectionTests {
    static let kinds = TestDatabase.available

    static func city(_ world: World) -> Scope {
        Scope(userId: nil, username: "city.regulator", role: .regulator, regionPath: world.a.county.path.split(separator: "/").prefix(2)
            .reduce("/") { $0 + $1 + "/" }, companyId: nil, estateId: nil)
    }

    /// A drawn round of the city among counties A and B for 2024 Q4: A inspects B and B inspects A.
    static func drawnRound(_ world: World) async throws -> CrossInspections.Round {
        let cross = CrossInspections(database: world.database, clock: world.clock)
        let id = try await cross.publish(.init(regionCode: "350100", year: 2024, quarter: 4, sample: "2", seedSource: "双色球2024年10月8日开奖号码",
                                               participants: [world.b.county.code, world.a.county.code]), scope: city(world))
        return try await cross.draw(id, seed: "03 07 12 19 25 31 08", scope: city(world))
    }

    static func validReport(estates: [Int64], findings: [CrossInspections.FindingInput] = []) -> CrossInspections.ReportInput {
        .init(inspectedFrom: "2024-11-12", inspectedUntil: "2024-11-13", team: "张三（鼓楼区住建局）、李四（行风监督员）", scope: "查阅公示和专户流水，实地查看公示栏",
              estates: estates.map(String.init), findings: findings, summary: "总体规范，个别问题已移交整改。", recommendations: "加强日常核查。")
    }

    // MARK: Tests

    @Test func thePairingIsADerangementAndAFunctionOfTheSeedAndTheList() {
        for n in 2...16 {
            let codes = (0..<n).map { String(350_101 + $0 * 3) }
            for seed in ["a", "07 12 19 23 28 31 05", "beacon-round-4711"] {
                let pairs = CrossInspectionDraw.draw(seed: seed, participants: codes)
                #expect(pairs.count == n)
                #expect(pairs.allSatisfy { $0.inspecting != $0.inspected }, "no region inspects itself (n = \(n))")
                #expect(Set(pairs.map(\.inspecting)) == Set(codes) && Set(pairs.map(\.inspected)) == Set(codes),
                        "each inspects exactly one and is inspected by exactly one (n = \(n))")
                // Recomputable: the same list in another order, the same seed, the same pairing.
                #expect(CrossInspectionDraw.draw(seed: seed, participants: codes.reversed()) == pairs)
            }
        }
        let codes = ["350102", "350103", "350104", "350105", "350111", "350112"]
        let first = CrossInspectionDraw.draw(seed: "s1", participants: codes)
        #expect(["s2", "s3", "s4", "s5"].contains { CrossInspectionDraw.draw(seed: $0, participants: codes) != first }, "another seed, another pairing")
        #expect(CrossInspectionDraw.participantsHash(codes) == CrossInspectionDraw.participantsHash(codes.shuffled()))
        #expect(CrossInspectionDraw.participantsHash(codes) != CrossInspectionDraw.participantsHash(codes.dropLast() + ["350121"]))
        #expect(CrossInspectionDraw.draw(seed: "s", participants: ["350102"]).isEmpty)
    }

    @Test(arguments: kinds)
    func aRoundIsPublishedDrawnOnceRedrawnAndScoped(kind: TestDatabase.Kind) async throws {
        try await withDatabase(kind) { database in
            let world = try await World.build(in: database)
            let cross = CrossInspections(database: database, clock: world.clock)
            let regulatorA = world.a.users[.regulator]!.scope
            // Refused: a company; every field at once; a region outside the scope; a region that is not a child.
            await #expect(throws: LedgerError.self) {
                try await cross.publish(.init(regionCode: "350100", year: 2024, quarter: 4, seedSource: "x", participants: []), scope: world.a.users[.company]!.scope)
            }
            do {
                _ = try await cross.publish(.init(regionCode: "350100", year: 2024, quarter: 5, sample: "零", seedSource: " ", participants: [world.a.county.code]),
                                            scope: Self.city(world))
                Issue.record("a bad round was published")
            } catch let errors as FieldErrors {
                #expect(Set(errors.items.compactMap(\.field)) == ["quarter", "sample", "seedSource", "participants"])
            }
            await #expect(throws: LedgerError.self) {
                try await cross.publish(.init(regionCode: "350100", year: 2024, quarter: 4, seedSource: "x", participants: [world.a.county.code, world.b.county.code]),
                                        scope: regulatorA)
            }
            await #expect(throws: LedgerError.self) {
                try await cross.publish(.init(regionCode: "350100", year: 2024, quarter: 4, seedSource: "x", participants: [world.a.county.code, world.a.street.code]),
                                        scope: Self.city(world))
            }
            // Published by the city; a participant sees it but may not draw it.
            let id = try await cross.publish(.init(regionCode: "350100", year: 2024, quarter: 4, seedSource: "双色球2024年10月8日开奖号码",
                                                   participants: [world.b.county.code, world.a.county.code]), scope: Self.city(world))
            let published = try await cross.round(id, scope: regulatorA)
            #expect(published.status == .published && published.groups.isEmpty
                    && published.participantsHash == CrossInspectionDraw.participantsHash([world.a.county.code, world.b.county.code]))
            await #expect(throws: LedgerError.self) { try await cross.draw(id, seed: "1 2 3", scope: regulatorA) }
            await #expect(throws: LedgerError.self) {
                try await cross.publish(.init(regionCode: "350100", year: 2024, quarter: 4, seedSource: "again", participants: [world.a.county.code, world.b.county.code]),
                                        scope: Self.city(world))
            }
            // Drawn once, by the organiser: A inspects B and B inspects A; recomputable from what was published.
            let drawn = try await cross.draw(id, seed: "03 07 12 19 25 31 08", scope: Self.city(world))
            #expect(Set(drawn.groups.map { "\($0.inspecting.code)>\($0.inspected.code)" })
                    == ["\(world.a.county.code)>\(world.b.county.code)", "\(world.b.county.code)>\(world.a.county.code)"])
            await #expect(throws: LedgerError.self) { try await cross.draw(id, seed: "again", scope: Self.city(world)) }
            #expect(try await CrossInspections.redraw(id, on: database) == nil)
            // Scoping in the data layer: a county sees the rounds it takes part in; a round among B's streets is B's and the city's only.
            let second = try await database.transaction { db in
                try await RegionDirectory.insert(on: db, code: world.b.county.code + "002", name: "茶亭街道", level: .street, parentPath: world.b.county.path)
            }
            let inB = try await cross.publish(.init(regionCode: world.b.county.code, year: 2024, quarter: 4, seedSource: "x",
                                                    participants: [world.b.street.code, second.code]), scope: world.b.users[.regulator]!.scope)
            #expect(try await cross.list(scope: regulatorA).items.map(\.id) == [id])
            #expect(try await cross.list(scope: world.a.users[.street]!.scope).items.map(\.id) == [id])
            #expect(Set(try await cross.list(scope: world.b.users[.street]!.scope).items.map(\.id)) == [id, inB])
            #expect(Set(try await cross.list(scope: Self.city(world)).items.map(\.id)) == [id, inB])
            await #expect(throws: LedgerError.self) { try await cross.list(scope: world.a.users[.company]!.scope) }
            await #expect(throws: LedgerError.self) { try await cross.round(inB, scope: regulatorA) }
            // A tampered list no longer matches its published hash.
            try await database.transaction { db in
                try await db.raw("UPDATE cross_inspection_rounds SET participants_hash = 'x' WHERE id = \(bind: id)").run()
            }
            #expect(try await CrossInspections.redraw(id, on: database) != nil)
        }
    }

    @Test(arguments: kinds)
    func aReportIsCheckedAllAtOnceAndItsFindingsBecomeProblemsInTheInspectedRegion(kind: TestDatabase.Kind) async throws {
        try await withDatabase(kind) { database in
            let world = try await World.build(in: database)
            let cross = CrossInspections(database: database, clock: world.clock)
            let round = try await Self.drawnRound(world)
            let group = try #require(round.groups.first { $0.inspecting.code == world.a.county.code })
            // The inspected region may not file the inspecting region's report.
            await #expect(throws: LedgerError.self) {
                try await cross.file(group.id, Self.validReport(estates: [world.b.estate.id]), scope: world.b.users[.regulator]!.scope)
            }
            // Every field error at once.
            let bad = CrossInspections.ReportInput(
                inspectedFrom: "2024-11-20", inspectedUntil: "2024-12-01", team: "", scope: " ", estates: ["\(world.a.estate.id)"],
                findings: [.init(estate: "\(world.b.estate.id)", category: "no_such", description: ""), .init(estate: "", category: "", description: "")],
                summary: "", recommendations: "")
            do {
                try await cross.file(group.id, bad, scope: world.a.users[.regulator]!.scope)
                Issue.record("a bad report was filed")
            } catch let errors as FieldErrors {
                #expect(Set(errors.items.compactMap(\.field)) == ["inspectedUntil", "team", "scope", "estates", "finding0Estate", "finding0Category",
                                                                  "finding0Description", "summary", "recommendations"])
            }
            // Fewer estates than the sample (or the whole region when it has fewer) is refused.
            do {
                try await cross.file(group.id, Self.validReport(estates: []), scope: world.a.users[.regulator]!.scope)
                Issue.record("a report without estates was filed")
            } catch let errors as FieldErrors {
                #expect(errors.items.compactMap(\.field) == ["estates"] && errors.items[0].message.contains("至少检查1个小区"))
            }
            // Filed: the finding is a problem in B, for B's company, with a deadline, on B's ledger and not on A's.
            let problems = try await cross.file(group.id, Self.validReport(estates: [world.b.estate.id], findings: [
                .init(estate: "\(world.b.estate.id)", category: "revenue_no_account", description: "停车费收入存入物业公司基本户 O'Brien'; DROP TABLE estates; --"),
            ]), scope: world.a.users[.regulator]!.scope)
            #expect(problems.count == 1)
            let desk = Problems(database: database, clock: world.clock, filesDirectory: NSTemporaryDirectory())
            let problem = try await desk.problem(problems[0], scope: world.b.users[.regulator]!.scope).problem
            #expect(problem.source == .crossInspection && problem.category == "revenue_no_account" && problem.status == .open)
            #expect(problem.companyId == world.b.company.id && problem.description.contains("鼓楼区检查组"))
            await #expect(throws: LedgerError.self) { try await desk.problem(problems[0], scope: world.a.users[.company]!.scope) }
            let path = try await database.read { db in
                try await db.raw("SELECT region_path FROM problems WHERE id = \(bind: problems[0])").first(decodingColumn: "region_path", as: String.self)
            }
            #expect(path?.hasPrefix(world.b.county.path) == true)
            // Once only; the report reads back, audited.
            await #expect(throws: LedgerError.self) {
                try await cross.file(group.id, Self.validReport(estates: [world.b.estate.id]), scope: world.a.users[.regulator]!.scope)
            }
            let detail = try await cross.group(group.id, scope: world.b.users[.regulator]!.scope)
            #expect(detail.report?.estates.map(\.id) == [world.b.estate.id] && detail.report?.findings.first?.problemId == problems[0])
            #expect(!detail.mayFile)
            #expect(detail.report?.findings.first?.description == "停车费收入存入物业公司基本户 O'Brien'; DROP TABLE estates; --", "values are bound, never pasted")
            // On the escalation ladder: a day past its deadline, the reminder letter goes out.
            world.clock.set(Timestamp.parse("\(Day(problem.deadline)!.adding(days: 1))T02:00:00Z")!)
            _ = try await Escalation(database: database, clock: world.clock).run()
            #expect(try await desk.problem(problems[0], scope: world.b.users[.regulator]!.scope).problem.escalationLevel == 1)
            // One entry at the inspected region (its findings) and one at the inspecting region (its 报告报送率), so that
            // what is kept for either (dashboard parts, lists) is counted again.
            let audited = try await database.read { db in
                try await db.raw("SELECT region_path FROM audit_log WHERE entity = 'cross_inspection_group' AND entity_id = \(bind: "\(group.id)")")
                    .all(decodingColumn: "region_path", as: String.self)
            }
            #expect(audited.count == 2 && Set(audited).count == 2)
        }
    }
}
