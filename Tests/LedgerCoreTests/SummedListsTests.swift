import Foundation
@testable import LedgerCore
import LedgerTestSupport
import SQLKit
import Testing

/// The filing calendar and the 情况汇总表 of a city are summed from its streets' parts (issue #16 item 4, `SubtreePart`).
/// After each write of a random sequence (a quarter published, a complaint filed, a problem raised, an inspection
/// recorded, in one of three streets of two districts) the city's calendar — counts, totals and pages of two rows, with
/// and without a state filter — equals the one paged in SQL from the rows, its report equals one counted from the rows,
/// and only the street written in (and its district's sum) is counted again.
@Suite struct SummedListsTests {
    static let q3 = Quarter(year: 2024, quarter: 3)!

    @Test(arguments: TestDatabase.available)
    func summedCalendarAndReportEqualARecountAfterRandomWrites(kind: TestDatabase.Kind) async throws {
        try await withDatabase(kind) { database in
            // setup: a second street in district A with two estates of A's company, so that names interleave across parts
            let world = try await World.build(in: database)
            world.clock.set(Timestamp.parse("2024-10-10T02:00:00Z")!)
            let (street2, community2) = try await database.transaction { db in
                let street = try await RegionDirectory.insert(on: db, code: world.a.county.code + "002", name: "温泉街道", level: .street,
                                                              parentPath: world.a.county.path)
                return (street, try await RegionDirectory.insert(on: db, code: street.code + "001", name: "温泉社区", level: .community,
                                                                 parentPath: street.path))
            }
            var estates: [(id: Int64, path: String, company: Scope, inspector: Scope)] = [
                (world.a.estate.id, world.a.community.path, world.a.users[.company]!.scope, world.a.users[.regulator]!.scope),
                (world.b.estate.id, world.b.community.path, world.b.users[.company]!.scope, world.b.users[.regulator]!.scope),
            ]
            for name in ["东湖二期", "洋中花苑"] {
                let estate = try await EstateRepository(database: database, clock: world.clock).create(
                    EstateInput(name: name, address: "鼓楼区温泉路2号", community: community2.code, households: "200", floorArea: "20000", ownersShare: "70"),
                    scope: .system)
                _ = try await EstateRecords(database: database, clock: world.clock)
                    .assignCompany(estateId: estate.id, ContractInput(company: "\(world.a.company.id)", startDate: "2020-01-01"), scope: .system)
                estates.append((estate.id, community2.path, world.a.users[.company]!.scope, world.a.users[.regulator]!.scope))
            }
            let city = try await RegionDirectory(database: database).region("350100", scope: .system)
            let officer = Scope(userId: nil, username: "city", role: .regulator, regionPath: city.path, companyId: nil, estateId: nil)
            let calendar = DisclosureCalendar(database: database, clock: world.clock)
            let report = SummaryReport(database: database, clock: world.clock)
            let (from, until) = try report.period(from: "2024-07-01", until: "2024-10-10")
            let desk = Complaints(database: database, clock: world.clock, filesDirectory: NSTemporaryDirectory())
            let problems = Problems(database: database, clock: world.clock, filesDirectory: NSTemporaryDirectory())
            let inspections = InspectionRecords(database: database, clock: world.clock)
            var answers = Dictionary(uniqueKeysWithValues: Checklist.items.map { ($0.code, InspectionRecords.Answer(.conforms)) })
            answers["account_used"] = .init(.fails, note: "未设专户")
            func shown(_ rows: [DisclosureCalendar.Row]) -> [String] {
                rows.map { "\($0.estateId) \($0.state) \($0.companyName ?? "-") \($0.publishedAt ?? "-") \($0.draftOverdue)" }
            }
            var random = SeededRandom(seed: 4)
            var published: Set<Int64> = [], written: Set<String> = []
            for step in 0..<12 {
                // MUT: one write about an estate drawn at random
                let estate = estates[Int(random.next() % UInt64(estates.count))]
                written.insert(estate.path)
                switch random.next() % 4 {
                case 0 where !published.contains(estate.id):
                    _ = try await DisclosureRepository(database: database, clock: world.clock)
                        .publish(estateId: estate.id, quarter: Self.q3, document: DisclosureSamples.valid(), reason: nil, scope: estate.company)
                    published.insert(estate.id)
                case 1:
                    _ = try await problems.create(ProblemInput(estateId: estate.id, category: "revenue_ratio", description: "第\(step)个问题"),
                                                  scope: estate.inspector)
                case 2:
                    try await inspections.record(.init(estateId: estate.id, inspectedOn: "2024-10-0\(step % 9 + 1)", answers: answers),
                                                 scope: estate.inspector)
                default:
                    _ = try await desk.file(ComplaintInput(estateId: estate.id, category: "revenue_ratio", content: "第\(step)条随机测试投诉内容。"),
                                            uploads: [], address: "203.0.113.\(step)")
                }
                // validation: the calendar, every page of two rows with and without a filter, against the one paged in SQL
                let computed = database.parts.computed
                for states in [Set<DisclosureCalendar.State>(), [.onTime], [.due, .late]] {
                    for page in 1...3 {
                        let summed = try await calendar.listing(scope: officer, quarter: Self.q3, states: states, page: page, pageSize: 2)
                        let paged = try await calendar.listed(scope: officer, quarter: Self.q3, states: states, page: page, pageSize: 2,
                                                              today: Day(year: 2024, month: 10, day: 10))
                        #expect(shown(summed.page.items) == shown(paged.page.items), "step \(step), \(states), page \(page)")
                        #expect(summed.page.total == paged.page.total && summed.counts == paged.counts, "step \(step), \(states)")
                    }
                }
                #expect(try await calendar.listing(scope: officer, quarter: Self.q3, states: [], page: 1, pageSize: 50).page.total == 4)
                // The first view counts A, its two streets, B and its street; then a write recounts its street and sums its district.
                #expect(database.parts.computed - computed == (step == 0 ? 5 : 2), "step \(step): only the street written in is counted again")
                // the report against one counted from the rows
                let summary = try await report.build(regionCode: city.code, from: from, until: until, scope: officer)
                let recount = try await database.read { db in
                    try await SummaryReport.parts(.under(city.path), from: from, until: until, on: db) {
                        SummaryReport.unit(of: $0, under: city, hasChildren: true)
                    }
                }
                let all = recount.values.reduce(into: SummaryReport.Part()) { $0.add($1) }
                let districts = [world.a.county, world.b.county]
                #expect(summary.rows.map(\.code) == districts.map(\.code))
                for (row, district) in zip(summary.rows, districts) {
                    let expected = (recount[district.code] ?? SummaryReport.Part()).row(district.code, district.name, open: all.open)
                    #expect(row.a == expected.a && row.b == expected.b, "step \(step), \(district.name)")
                }
                let both = districts.reduce(into: SummaryReport.Part()) { $0.add(recount[$1.code] ?? SummaryReport.Part()) }
                let total = both.row(city.code, "合计", open: all.open)
                #expect(summary.total.a == total.a && summary.total.b == total.b, "step \(step): 合计")
                #expect(summary.c == all.c, "step \(step): block C")
            }
            #expect(published.count >= 2, "the sequence published")
            #expect(written.count == 3 && community2.path.hasPrefix(street2.path), "the sequence wrote in all three streets")
        }
    }
}
