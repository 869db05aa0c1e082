import Foundation
import SQLKit

/// After the demo's data is loaded: the rules run, officials escalate some warnings and substantiated complaints into
/// problems, some problems are already put right, some are past their deadline and have climbed the ladder, and the
/// rules run again so that W14 sees them. Returns the truth for W14.
struct DemoFollowUp {
    let database: Database
    let clock: any LedgerClock

    func run(random: inout SeededRandom) async throws -> [DemoTruth] {
        let engine = WarningEngine(database: database, clock: clock)
        try await engine.run()
        let today = Day(Timestamp.shanghaiDay(clock.now()))!
        let inbox = WarningInbox(database: database, clock: clock)
        let counties = try await database.read { db in
            Dictionary(uniqueKeysWithValues: try await db.raw("SELECT code, name, path FROM regions WHERE level = 'county'").all().map {
                (try $0.decode(column: "path", as: String.self), try $0.decode(column: "name", as: String.self))
            })
        }
        @Sendable func regulator(_ path: String) -> Scope {
            let county = "/" + path.split(separator: "/").prefix(3).joined(separator: "/") + "/"
            return Scope(userId: nil, username: "\(counties[county] ?? "")住建局", role: .regulator, regionPath: county, companyId: nil, estateId: nil)
        }
        // Officials escalate about a quarter of the money warnings into problems.
        let warnings = try await database.read { db in
            try await db.raw("""
                SELECT id, region_path FROM warnings WHERE status = 'open' AND rule IN ('W04', 'W05', 'W06', 'W07') ORDER BY id
                """).all().map { (try $0.decode(column: "id", as: Int64.self), try $0.decode(column: "region_path", as: String.self)) }
        }
        for (index, (id, path)) in warnings.enumerated() where index % 4 == 0 {
            try await inbox.act(.escalate, on: id, note: "转入问题台账，责令限期整改", scope: regulator(path))
        }
        // Substantiated complaints about common space and service rooms become problems too.
        let complaints = try await database.read { db in
            try await db.raw("""
                SELECT id, estate_id, category, content, region_path FROM complaints
                WHERE outcome = 'fixed' AND category IN ('common_space_occupied', 'service_room_use', 'revenue_ratio') ORDER BY id
                """).all()
        }
        try await database.transaction { db in
            let at = clock.now()
            for row in complaints {
                let id = try row.decode(column: "id", as: Int64.self)
                let problem = try await Problems.insert(ProblemInput(
                    estateId: try row.decode(column: "estate_id", as: Int64.self), category: try row.decode(column: "category", as: String.self),
                    description: try row.decode(column: "content", as: String.self), source: .complaint), sourceId: id,
                    scope: regulator(try row.decode(column: "region_path", as: String.self)), at: at, on: db)
                try await db.raw("UPDATE complaints SET problem_id = \(bind: problem) WHERE id = \(bind: id)").run()
            }
        }
        // History: backdate the problems; some are put right, some are waiting for verification, some are overdue.
        let problems = try await database.read { db in
            try await db.raw("SELECT id, category FROM problems ORDER BY id").all().map {
                (try $0.decode(column: "id", as: Int64.self), try $0.decode(column: "category", as: String.self))
            }
        }
        var plans: [(Int64, String, Int, String, Int)] = []
        for (id, category) in problems {
            let fate = random.weighted([("closed", category.hasPrefix("revenue") ? 50 : 60), ("submitted", 10), ("open", 40)])
            plans.append((id, category, Int.random(in: 10...200, using: &random), fate, Int.random(in: 5...29, using: &random)))
        }
        let fates = plans
        try await database.transaction { db in
            for (id, category, age, fate, closedAfter) in fates {
                let created = today.adding(days: -age)
                let deadline = created.adding(days: 30)
                let createdAt = "\(created.adding(days: -1))T02:00:00Z"
                switch fate {
                case "closed":
                    let closedAt = "\(created.adding(days: closedAfter))T06:00:00Z"
                    try await db.raw("""
                        UPDATE problems SET created_at = \(bind: createdAt), deadline = \(bind: deadline.description), status = 'closed', outcome = 'fixed',
                        closed_at = \(bind: closedAt), updated_at = \(bind: closedAt) WHERE id = \(bind: id)
                        """).run()
                    try await db.raw("""
                        INSERT INTO problem_events (problem_id, at, username, role, action, note)
                        VALUES (\(bind: id), \(bind: closedAt), 'street', 'street', 'accept', '核验通过，销号：现场核查已整改到位')
                        """).run()
                case "submitted":
                    try await db.raw("""
                        UPDATE problems SET created_at = \(bind: createdAt), deadline = \(bind: max(deadline, today).description), status = 'submitted'
                        WHERE id = \(bind: id)
                        """).run()
                default:
                    try await db.raw("UPDATE problems SET created_at = \(bind: createdAt), deadline = \(bind: deadline.description) WHERE id = \(bind: id)").run()
                }
                if let department = ProblemCategory.referable[category] {
                    try await db.raw("""
                        UPDATE problems SET referred_to = \(bind: department), referral_decision = '经认定属于违规占用，已责令恢复原状'
                        WHERE id = \(bind: id)
                        """).run()
                }
            }
        }
        // The district campaigns of the Fuzhou plan with their task lists (附件3).
        try await database.transaction { db in
            var seeded = SeededRandom(seed: 20_240_510)
            try await DemoCampaigns(year: today.year, today: today).insert(on: db, random: &seeded)
        }
        // Overdue problems climb the ladder; the rules then see them (W14).
        try await Escalation(database: database, clock: clock).replay(until: today)
        try await engine.run()
        let current = Quarter(containing: today).previous
        return try await database.read { db in
            try await db.raw("""
                SELECT DISTINCT p.estate_id FROM problems p JOIN estates e ON e.id = p.estate_id
                WHERE p.status = 'open' AND p.deadline < \(bind: today.description) AND e.company_id IS NOT NULL ORDER BY p.estate_id
                """).all(decodingColumn: "estate_id", as: Int64.self).map {
                DemoTruth(rule: "W14", estateId: $0, year: current.year, quarter: current.quarter, planted: "整改逾期未完成")
            }
        }
    }
}
