import Foundation
import SQLKit

/// The demo's spot checks: an inspector register per district (some serving a street, one with a declared conflict),
/// then one annual plan per district (50%) and one for the city (15%), each published with the announced source of
/// its seed and its proposed forced inclusions confirmed, then drawn from that seed.
struct DemoInspections {
    let database: Database
    let clock: any LedgerClock

    static let surnames = Array("王李张刘陈杨黄赵吴周徐孙马朱胡郭何林罗郑")
    static let givenNames = ["建国", "秀英", "志强", "丽华", "海燕", "文斌", "晓东", "美玲", "国平", "春梅"]

    /// Runs the demo's spot checks; returns the forced inclusions each plan confirmed (for the truth file).
    func run(random: inout SeededRandom) async throws -> [DemoForcedInclusion] {
        var inclusions: [DemoForcedInclusion] = []
        let today = Day(Timestamp.shanghaiDay(clock.now()))!
        let regions = try await database.read { db in
            try await db.raw("SELECT code, name, level, path FROM regions WHERE level IN ('city', 'county', 'street') ORDER BY path").all().map {
                (code: try $0.decode(column: "code", as: String.self), name: try $0.decode(column: "name", as: String.self),
                 level: try $0.decode(column: "level", as: String.self), path: try $0.decode(column: "path", as: String.self))
            }
        }
        let counties = regions.filter { $0.level == "county" }
        guard let city = regions.first(where: { $0.level == "city" }), !counties.isEmpty else { return [] }
        let at = Timestamp.storage(clock.now())
        let names = (0..<(counties.count * 8)).map { _ in
            String(Self.surnames[Int(random.next() % UInt64(Self.surnames.count))]) + Self.givenNames[Int(random.next() % UInt64(Self.givenNames.count))]
        }
        try await database.transaction { db in
            for (number, county) in counties.enumerated() {
                let streets = regions.filter { $0.level == "street" && $0.path.hasPrefix(county.path) }
                let company = try await db.raw("""
                    SELECT company_id FROM estates WHERE \(Scope.pathPredicate("region_path", county.path)) AND company_id IS NOT NULL ORDER BY id LIMIT 1
                    """).first(decodingColumn: "company_id", as: Int64.self)
                for index in 0..<8 {
                    let name = names[number * 8 + index]
                    let street = index % 2 == 0 && !streets.isEmpty ? streets[index / 2 % streets.count].code : nil
                    let conflicts = index == 1 ? company.map(String.init) ?? "" : ""
                    try await db.raw("""
                        INSERT INTO inspectors (region_code, name, organisation, street_code, conflicts, active, created_at)
                        VALUES (\(bind: county.code), \(bind: name), \(bind: index < 6 ? "\(county.name)住房和城乡建设局" : "\(county.name)行风监督员"),
                                \(bind: street), \(bind: conflicts), 1, \(bind: at))
                        """).run()
                }
            }
        }
        // Each plan is published on 2 January, naming a lottery draw a few days later as its seed source; it is drawn the
        // evening that draw is held, and its visits follow (a visit never predates its draw).
        let publishDay = min(today, Day(year: today.year, month: 1, day: 2))
        func moment(_ day: Day, hour: Double) -> Date { (Timestamp.parse(Timestamp.startOfShanghaiDay(day)) ?? clock.now()).addingTimeInterval(hour * 3_600) }
        let publishing = InspectionPlans(database: database, clock: ManualClock(moment(publishDay, hour: 10)))
        for region in counties + [city] {
            let scope = Scope(userId: nil, username: "\(region.name)住建局", role: .regulator, regionPath: region.path, companyId: nil, estateId: nil)
            let proposals = region.level == "county"
                ? try await publishing.proposals(regionCode: region.code, year: today.year, quarter: nil, scope: scope) : []
            let forced = proposals.map(\.id)
            let drawDay = min(today, Day(year: today.year, month: 1, day: 4 + Int(random.next() % 20)))
            let id = try await publishing.publish(.init(regionCode: region.code, year: today.year, ratio: "",
                                                        seedSource: "中国福利彩票双色球\(drawDay.year)年\(drawDay.month)月\(drawDay.day)日开奖号码（红球在前、蓝球在后，以空格分隔）",
                                                        forced: forced), scope: scope)
            var balls = Set<Int>()
            while balls.count < 6 { balls.insert(1 + Int(random.next() % 33)) }
            let seed = balls.sorted().map { String(format: "%02d", $0) }.joined(separator: " ") + " " + String(format: "%02d", 1 + Int(random.next() % 16))
            let drawn = try await InspectionPlans(database: database, clock: ManualClock(moment(drawDay, hour: 21.5))).draw(id, seed: seed, scope: scope)
            inclusions += proposals.map { DemoForcedInclusion(planId: id, region: region.name, estateId: $0.id, estate: $0.name, reasons: $0.reasons) }
            guard region.level == "county" else { continue }
            // About 60% of the drawn estates visited since the draw; one visit in eight finds an item not in order.
            let records = InspectionRecords(database: database, clock: clock)
            let span = drawDay.days(until: today)
            for estate in drawn.estates where random.chance(0.6) {
                let day = drawDay.adding(days: min(span, 1 + Int(random.next() % UInt64(max(1, span)))))
                var answers = Dictionary(uniqueKeysWithValues: Checklist.items.map { ($0.code, InspectionRecords.Answer(.conforms)) })
                if random.chance(0.125) {
                    let item = Checklist.items[Int(random.next() % UInt64(Checklist.items.count))]
                    answers[item.code] = .init(.fails, note: "现场检查发现：\(item.title)未落实")
                }
                try await records.record(.init(estateId: estate, planId: id, inspectedOn: day.description, answers: answers), scope: scope)
            }
        }
        return inclusions
    }
}

/// An estate a demo spot-check plan had to include, and why (`ledger demo --truth`).
public struct DemoForcedInclusion: Sendable, Codable, Equatable {
    public let planId: Int64
    public let region: String
    public let estateId: Int64
    public let estate: String
    public let reasons: [String]
}
