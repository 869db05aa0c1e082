import Foundation
import SQLKit

/// The demo's self-inspections (自查自纠): for the last four quarters that have ended, nearly every company files for the
/// estates it owed within the region's days (some with an item not in order and its 整改措施), a few never file (rule W16,
/// written to the truth), and one filing is later found false by the district, which raises a problem.
struct DemoSelfInspections {
    let database: Database
    let clock: any LedgerClock

    static let people = ["王经理", "李主管", "张工", "陈经理", "林主任"]

    /// Loads the filings (bulk, before the rules first run) and returns the truth for W16.
    func load(seed: UInt64) async throws -> [DemoTruth] {
        var random = SeededRandom(seed: seed &+ 18)
        let today = Day(Timestamp.shanghaiDay(clock.now()))!
        let last = Quarter(containing: today).previous
        let quarters = [last.previous.previous.previous, last.previous.previous, last.previous, last]
        let checklist = ChecklistVersion.builtIn
        var truth: [DemoTruth] = []
        let (settings, contracts, estates) = try await database.read { db in
            (try await SelfInspectionFigures.DueSettings.load(on: db), try await EstateFigures.contracts(where: "1 = 1", on: db),
             try await db.raw("SELECT id, region_path FROM estates ORDER BY id").all().map {
                 (try $0.decode(column: "id", as: Int64.self), try $0.decode(column: "region_path", as: String.self))
             })
        }
        // In chunks of estates, each its own transaction, so that a province-sized registry never sits in memory.
        var total = 0
        for start in stride(from: 0, to: estates.count, by: 2_000) {
            var rows: [[any Encodable & Sendable]] = []
            for (id, path) in estates[start..<min(start + 2_000, estates.count)] {
                let days = settings.days(at: path)
                for quarter in quarters {
                    guard let company = EstateFigures.filer(of: quarter, contracts: contracts[id] ?? []) else { continue }
                    let due = SelfInspectionFigures.dueDay(for: quarter, days: days)
                    if random.chance(0.06) {
                        if due < today {
                            truth.append(DemoTruth(rule: "W16", estateId: id, year: quarter.year, quarter: quarter.quarter, planted: "自查自纠逾期未提交"))
                        }
                        continue
                    }
                    let filed = quarter.next.firstDay.adding(days: Int(random.next() % UInt64(max(1, days))))
                    guard filed <= today else { continue }
                    var answers: [String: SelfInspectionAnswer] = [:]
                    for item in checklist.items { answers[item.code] = SelfInspectionAnswer(random.chance(0.1) ? .notApplicable : .conforms) }
                    if random.chance(0.15) {
                        let item = checklist.items[Int(random.next() % UInt64(checklist.items.count))]
                        answers[item.code] = SelfInspectionAnswer(.fails, note: "自查发现：\(item.title)尚未落实", measure: "对照要求限期整改并在公告栏公示整改结果",
                                                                  deadline: filed.adding(days: 30).description,
                                                                  responsible: Self.people[Int(random.next() % UInt64(Self.people.count))])
                    }
                    let counts = ChecklistResult.allCases.map { result in answers.values.filter { $0.result == result }.count }
                    rows.append([id, company, path, quarter.year, quarter.quarter, checklist.version, try InspectionPlans.json(answers),
                                 counts[0], counts[1], counts[2], "\(filed)T02:00:00Z", "company-\(company)"])
                }
            }
            let filings = rows
            total += filings.count
            try await database.transaction { db in
                var insert = BulkInsert(table: "self_inspections", columns: ["estate_id", "company_id", "region_path", "year", "quarter", "checklist_version",
                                                                              "answers", "conforms", "fails", "not_applicable", "filed_at", "filed_by"])
                for row in filings { try await insert.add(row, on: db) }
                try await insert.flush(on: db)
            }
        }
        let filed = total
        try await database.transaction { db in
            try await AuditLog.record(on: db, scope: .system, at: clock.now(), action: "demo_load", entity: "self_inspections", entityId: "",
                                      regionPath: nil, after: ["filed": "\(filed)"])
        }
        return truth
    }

    /// A district finds one filing false (弄虚作假): a problem for the company, a dated finding for its credit file.
    func recordOneFalse() async throws {
        let found = try await database.read { db in
            try await db.raw("SELECT id, region_path FROM self_inspections WHERE fails = 0 ORDER BY id LIMIT 1").first().map {
                (try $0.decode(column: "id", as: Int64.self), try $0.decode(column: "region_path", as: String.self))
            }
        }
        guard let (id, path) = found else { return }
        let county = "/" + path.split(separator: "/").prefix(3).joined(separator: "/") + "/"
        let scope = Scope(userId: nil, username: "区住建局", role: .regulator, regionPath: county, companyId: nil, estateId: nil)
        try await SelfInspections(database: database, clock: clock, filesDirectory: NSTemporaryDirectory())
            .recordFalse(id, note: "抽查发现停车收入未按季度公示，与自查“全部符合”的结论不符", scope: scope)
    }
}
