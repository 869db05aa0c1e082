import Foundation
import SQLKit

/// The demo's cross inspections: for each quarter of the year so far, the city publishes a round among its districts
/// with the announced source of its seed, draws the pairing from that seed, and the groups file their reports — all of
/// them for quarters that have ended, about half for the current one — with a finding now and then, which becomes a
/// problem in the inspected district. The city's own spot-check plan gets its field visits (市级实地抽查) too, and the
/// demo street officer visits every estate of the street (街道全面排查), so that each inspection KPI has a value.
struct DemoCrossInspections {
    let database: Database
    let clock: any LedgerClock

    static let findings: [(category: String, text: String)] = [
        ("revenue_undisclosed", "公示栏未张贴上季度公共收益收支情况"),
        ("revenue_not_transferred", "停车费结余未按期转存公共收益专户"),
        ("revenue_ratio", "广告收益分配比例低于业主大会决定的比例"),
        ("service_room_use", "物业服务用房部分出租用于商业经营"),
    ]

    func run(random: inout SeededRandom) async throws {
        let today = Day(Timestamp.shanghaiDay(clock.now()))!
        let (city, counties, estates) = try await database.read { db in
            let city = try await db.raw("SELECT code, name, path FROM regions WHERE level = 'city' ORDER BY code LIMIT 1").first().map {
                (code: try $0.decode(column: "code", as: String.self), name: try $0.decode(column: "name", as: String.self),
                 path: try $0.decode(column: "path", as: String.self))
            }
            let counties = try await db.raw("SELECT code, path FROM regions WHERE level = 'county' ORDER BY code").all().map {
                (code: try $0.decode(column: "code", as: String.self), path: try $0.decode(column: "path", as: String.self))
            }
            var estates: [String: [Int64]] = [:]
            for row in try await db.raw("SELECT id, region_path FROM estates ORDER BY id").all() {
                let parts = try row.decode(column: "region_path", as: String.self).split(separator: "/")
                if parts.count > 2 { estates[String(parts[2]), default: []].append(try row.decode(column: "id", as: Int64.self)) }
            }
            return (city, counties, estates)
        }
        guard let city, counties.count >= 2 else { return }
        let cityScope = Scope(userId: nil, username: "\(city.name)住建局", role: .regulator, regionPath: city.path, companyId: nil, estateId: nil)
        try await cityFieldChecks(scope: cityScope, today: today, random: &random)
        try await streetVisits(today: today, random: &random)
        let cross = CrossInspections(database: database, clock: clock)
        let current = Quarter(containing: today)
        for number in 1...current.quarter {
            let quarter = Quarter(year: today.year, quarter: number)!
            let drawDay = quarter.firstDay.adding(days: 5 + Int(random.next() % 10))
            let id = try await cross.publish(.init(regionCode: city.code, year: quarter.year, quarter: quarter.quarter, sample: "3",
                                                   seedSource: "中国福利彩票双色球\(drawDay.year)年\(drawDay.month)月\(drawDay.day)日开奖号码（红球在前、蓝球在后，以空格分隔）",
                                                   participants: counties.map(\.code)), scope: cityScope)
            var balls = Set<Int>()
            while balls.count < 6 { balls.insert(1 + Int(random.next() % 33)) }
            let seed = balls.sorted().map { String(format: "%02d", $0) }.joined(separator: " ") + " " + String(format: "%02d", 1 + Int(random.next() % 16))
            let round = try await cross.draw(id, seed: seed, scope: cityScope)
            for group in round.groups {
                let ended = quarter.lastDay < today
                guard ended || random.chance(0.5) else { continue }
                var pool = estates[group.inspected.code] ?? []
                var picked: [Int64] = []
                while picked.count < 3 && !pool.isEmpty { picked.append(pool.remove(at: Int(random.next() % UInt64(pool.count)))) }
                let latest = min(quarter.lastDay, today)
                let span = max(1, drawDay.adding(days: 3).days(until: latest))
                let from = min(latest, drawDay.adding(days: 3 + Int(random.next() % UInt64(span))))
                let until = min(latest, from.adding(days: 1))
                let findings = picked.compactMap { estate -> CrossInspections.FindingInput? in
                    guard random.chance(0.25) else { return nil }
                    let finding = Self.findings[Int(random.next() % UInt64(Self.findings.count))]
                    return .init(estate: "\(estate)", category: finding.category, description: finding.text)
                }
                let scope = Scope(userId: nil, username: "\(group.inspecting.name)住建局", role: .regulator, regionPath: group.inspecting.path,
                                  companyId: nil, estateId: nil)
                try await cross.file(group.id, .init(
                    inspectedFrom: from.description, inspectedUntil: until.description,
                    team: "\(group.inspecting.name)住房和城乡建设局物业科、\(group.inspecting.name)行风监督员",
                    scope: "查阅公共收益公示、专户流水和业主大会决议，实地查看公示栏和物业服务用房，随机走访业主。",
                    estates: picked.map(String.init), findings: findings,
                    summary: findings.isEmpty ? "抽查小区均按季度公示公共收益，专户设立和结余转存规范。" : "抽查小区公示总体规范，个别小区存在问题，已移交属地整改。",
                    recommendations: "加强对物业服务企业公示内容的日常核查；对发现的问题按期整改销号，并在小区公示栏公布整改结果。"), scope: scope)
            }
        }
    }

    /// The street officers' own round (街道全面排查): each estate of the street of every street login visited once this year.
    func streetVisits(today: Day, random: inout SeededRandom) async throws {
        let visits = try await database.read { db in
            try await db.raw("""
                SELECT u.username, u.region_path, e.id FROM users u JOIN estates e ON e.region_path >= u.region_path AND e.region_path < u.region_path || '~'
                WHERE u.role = 'street' ORDER BY u.username, e.id
                """).all().map {
                (username: try $0.decode(column: "username", as: String.self), path: try $0.decode(column: "region_path", as: String.self),
                 estate: try $0.decode(column: "id", as: Int64.self))
            }
        }
        let records = InspectionRecords(database: database, clock: clock)
        let elapsed = Day(year: today.year, month: 1, day: 1).days(until: today)
        for visit in visits {
            let scope = Scope(userId: nil, username: visit.username, role: .street, regionPath: visit.path, companyId: nil, estateId: nil)
            let day = today.adding(days: -Int(random.next() % UInt64(max(1, elapsed + 1))))
            let answers = Dictionary(uniqueKeysWithValues: Checklist.items.map { ($0.code, InspectionRecords.Answer(.conforms)) })
            try await records.record(.init(estateId: visit.estate, inspectedOn: day.description, answers: answers), scope: scope)
        }
    }

    /// About a third of the estates drawn in the city's spot-check plan this year, visited by the city (市级实地抽查).
    func cityFieldChecks(scope: Scope, today: Day, random: inout SeededRandom) async throws {
        let drawn = try await database.read { db in
            try await db.raw("""
                SELECT pe.plan_id, pe.estate_id, p.drawn_at FROM inspection_plan_estates pe JOIN inspection_plans p ON p.id = pe.plan_id
                JOIN regions r ON r.code = p.region_code WHERE r.level = 'city' AND p.year = \(bind: today.year) ORDER BY pe.plan_id, pe.estate_id
                """).all().map { (plan: try $0.decode(column: "plan_id", as: Int64.self), estate: try $0.decode(column: "estate_id", as: Int64.self),
                                  drawn: Day(Timestamp.shanghaiDay(Timestamp.parse(try $0.decode(column: "drawn_at", as: String?.self) ?? "") ?? clock.now())) ?? today) }
        }
        let records = InspectionRecords(database: database, clock: clock)
        for pick in drawn where random.chance(0.33) {
            // Visited after the plan's draw.
            let elapsed = max(0, pick.drawn.days(until: today))
            let day = today.adding(days: -Int(random.next() % UInt64(elapsed + 1)))
            let answers = Dictionary(uniqueKeysWithValues: Checklist.items.map { ($0.code, InspectionRecords.Answer(.conforms)) })
            try await records.record(.init(estateId: pick.estate, planId: pick.plan, inspectedOn: day.description, answers: answers), scope: scope)
        }
    }
}
