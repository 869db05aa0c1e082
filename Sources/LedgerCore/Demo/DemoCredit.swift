import Foundation
import SQLKit

/// The demo's credit history, made from what the demo planted: each company called to a 约谈 by the ladder has the
/// interview recorded (and every second one a 信用扣分), the credit file collects its events from all sources over the
/// eight quarters, the two lowest-scoring companies are black-listed and the best one with a clean file red-listed by
/// their county, and the city writes to its two most lagging districts (a 提醒函 answered, a 督办函 pending).
struct DemoCredit {
    let database: Database
    let clock: any LedgerClock

    /// The rules whose findings are the company's own failures (not the committee's, nor a mere signal such as zero
    /// revenue or a correction): what the county orders put right.
    static let companyRules = ["W02", "W04", "W05", "W06", "W07", "W08", "W09", "W10", "W16"]

    func run() async throws {
        let today = Day(Timestamp.shanghaiDay(clock.now()))!
        // Regulators of the county (and the city) a path lies in, as the demo's officials.
        func official(_ path: String, depth: Int) -> Scope {
            let region = "/" + path.split(separator: "/").prefix(depth).joined(separator: "/") + "/"
            return Scope(userId: nil, username: depth == 2 ? "市住建局" : "区住建局", role: .regulator, regionPath: region, companyId: nil, estateId: nil)
        }
        let interviews = try await database.read { db in
            try await db.raw("""
                SELECT p.id, p.company_id, p.region_path, l.issued_on, l.number FROM problems p JOIN letters l ON l.problem_id = p.id AND l.kind = 'interview'
                WHERE p.company_id IS NOT NULL ORDER BY p.id
                """).all().map {
                (problem: try $0.decode(column: "id", as: Int64.self), company: try $0.decode(column: "company_id", as: Int64.self),
                 path: try $0.decode(column: "region_path", as: String.self), on: try $0.decode(column: "issued_on", as: String.self),
                 number: try $0.decode(column: "number", as: String.self))
            }
        }
        let enforcement = Enforcement(database: database, clock: clock)
        for (index, called) in interviews.enumerated() {
            let county = official(called.path, depth: 3)
            let on = min(Day(called.on)!.adding(days: 5), today).description
            try await enforcement.record(companyId: called.company, EnforcementInput(
                kind: .interview, decidedOn: on, basis: "德化方案附件1第23项；福州方案附件3第27项", documentNumber: called.number.replacingOccurrences(of: "约谈", with: "约谈记录"),
                note: "问题逾期未整改，约谈企业负责人", problem: "\(called.problem)"), scope: county)
            if index % 2 == 0 {
                try await enforcement.record(companyId: called.company, EnforcementInput(
                    kind: .creditDeduction, decidedOn: on, basis: "莆田方案附件第22项；福州方案附件3第27项",
                    documentNumber: called.number.replacingOccurrences(of: "约谈", with: "信用"), note: "约谈后仍未整改，记入企业信用档案",
                    problem: "\(called.problem)"), scope: county)
            }
        }
        // Each finding of the company's own duties that the county confirmed is ordered put right (责令限期整改), once per
        // estate and rule, for the company managing the estate now.
        let findings = try await database.read { db in
            try await db.raw("""
                SELECT w.estate_id, w.rule, MIN(w.company_id) AS company_id, MIN(w.region_path) AS region_path FROM warnings w
                JOIN estates e ON e.id = w.estate_id AND e.company_id = w.company_id
                WHERE w.rule IN (\(binds: Self.companyRules)) GROUP BY w.estate_id, w.rule ORDER BY w.estate_id, w.rule
                """).all().map {
                (estate: try $0.decode(column: "estate_id", as: Int64.self), rule: try $0.decode(column: "rule", as: String.self),
                 company: try $0.decode(column: "company_id", as: Int64.self), path: try $0.decode(column: "region_path", as: String.self))
            }
        }
        for (index, finding) in findings.enumerated() {
            try await enforcement.record(companyId: finding.company, EnforcementInput(
                kind: .orderRectify, decidedOn: today.adding(days: -(index % 60) - 1).description,
                basis: WarningRules.rule(finding.rule)?.clause ?? "", documentNumber: "责令整改〔\(today.year)〕\(index + 1)号",
                note: "经核查\(WarningRules.rule(finding.rule)?.name ?? finding.rule)属实（小区编号 \(finding.estate)），责令限期整改"),
                scope: official(finding.path, depth: 3))
        }
        // The rules ran once, today; a daily run would have opened each W01 the day after its quarter's deadline.
        try await database.transaction { db in
            let periods = try await db.raw("SELECT DISTINCT year, quarter FROM warnings WHERE rule = 'W01'").all().compactMap {
                Quarter(year: try $0.decode(column: "year", as: Int.self), quarter: try $0.decode(column: "quarter", as: Int.self))
            }
            for period in periods where period.dueDate < today {
                try await db.raw("""
                    UPDATE warnings SET opened_at = \(bind: Timestamp.startOfShanghaiDay(period.dueDate.adding(days: 1)))
                    WHERE rule = 'W01' AND year = \(bind: period.year) AND quarter = \(bind: period.quarter)
                    """).run()
            }
        }
        let credit = CreditFile(database: database, clock: clock)
        try await credit.collect()
        // The lists, decided by the county the company is registered in.
        let scores = try await credit.scores()
        let companies = try await database.read { db in
            try await db.raw("""
                SELECT c.id, c.region_path FROM companies c WHERE EXISTS (SELECT 1 FROM estates e WHERE e.company_id = c.id) ORDER BY c.id
                """).all().map { (id: try $0.decode(column: "id", as: Int64.self), path: try $0.decode(column: "region_path", as: String.self)) }
        }
        let ranked = companies.compactMap { company in scores[company.id].map { (company, $0) } }.sorted { ($0.1.total, $0.0.id) < ($1.1.total, $1.0.id) }
        for (company, _) in ranked.prefix(2) {
            try await credit.decide(.black, companyId: company.id, reason: "多个小区长期拒不公示公共收益，约谈后仍不整改，属严重失信",
                                    documentNumber: "住建信用〔\(today.year)〕\(company.id)号", decidedOn: today.adding(days: -20).description,
                                    until: today.adding(days: 345).description, scope: official(company.path, depth: 3))
        }
        if let (company, _) = ranked.last(where: { $0.1.bad == 0 }), ranked.count > 2 {
            try await credit.decide(.red, companyId: company.id, reason: "按时公示、专户管理规范，无失信记录",
                                    documentNumber: "住建信用〔\(today.year)〕红\(company.id)号", decidedOn: today.adding(days: -20).description,
                                    until: today.adding(days: 345).description, scope: official(company.path, depth: 3))
        }
        // The city writes to its two most lagging districts.
        let cities = try await database.read { db in
            try await db.raw("SELECT code, path FROM regions WHERE level = 'city' ORDER BY code").all().map {
                (code: try $0.decode(column: "code", as: String.self), path: try $0.decode(column: "path", as: String.self))
            }
        }
        let letters = RegionLetters(database: database, clock: clock)
        for city in cities {
            let scope = official(city.path, depth: 2)
            let (_, standings) = try await letters.standings(regionCode: city.code, scope: scope)
            let lagging = standings.filter(\.lagging).sorted { ($0.onTimeRate ?? 1, $0.code) < ($1.onTimeRate ?? 1, $1.code) }.prefix(2)
            for (index, standing) in lagging.enumerated() {
                let id = try await letters.issue(.init(kind: index == 0 ? "supervision" : "reminder", toCode: standing.code,
                                                      replyDue: today.adding(days: 10).description,
                                                      requirements: "请逐个核查逾期未公示的小区，督促物业服务企业限期补公示，并将结果报送市住建局。"), scope: scope)
                if index == 1 {
                    let county = Scope(userId: nil, username: "\(standing.name)住建局", role: .regulator,
                                       regionPath: city.path + standing.code + "/", companyId: nil, estateId: nil)
                    try await letters.reply(id, text: "已召开辖区物业企业会议，逐个督促补公示，逾期未公示小区已由\(standing.due - standing.onTime)个减少，剩余的本月底前完成。",
                                            scope: county)
                }
            }
        }
    }
}
