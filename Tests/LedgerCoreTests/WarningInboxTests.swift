import Foundation
import LedgerCore
import LedgerTestSupport
import SQLKit
import Testing

/// The warning lifecycle, the per-region parameters, the rules that read complaints and problems, and the daily job claim.
@Suite struct WarningInboxTests {
    static let kinds = TestDatabase.available

    /// The world after one full run: both estates have W01 (nothing filed) and W06 (no account) for 2024 Q3.
    static func warned(_ database: Database) async throws -> (World, WarningInbox) {
        let world = try await World.build(in: database)
        try await WarningEngine(database: database, clock: world.clock).run(quarters: 1)
        return (world, WarningInbox(database: database, clock: world.clock))
    }

    static func warningId(_ database: Database, rule: String, estate: Int64) async throws -> Int64 {
        try await database.read { db in
            try await db.raw("SELECT id FROM warnings WHERE rule = \(bind: rule) AND estate_id = \(bind: estate)").first(decodingColumn: "id", as: Int64.self)!
        }
    }

    static func counts(_ database: Database) async throws -> String {
        try await database.read { db in
            var parts: [String] = []
            for table in ["warning_events", "warning_parameters", "audit_log"] {
                parts.append("\(try await db.raw("SELECT COUNT(*) AS n FROM \(ident: table)").first(decodingColumn: "n", as: Int.self) ?? -1)")
            }
            let statuses = try await db.raw("SELECT status FROM warnings ORDER BY id").all(decodingColumn: "status", as: String.self)
            return parts.joined(separator: "/") + ":" + statuses.joined(separator: ",")
        }
    }

    /// 拒不公示: a W01 left open past the region's days becomes a problem whose company is called to a 约谈 directly, once.
    @Test(arguments: kinds)
    func aW01LeftOpenPastTheRegionsDaysCallsTheCompanyToAnInterview(kind: TestDatabase.Kind) async throws {
        try await withDatabase(kind) { database in
            let (world, inbox) = try await Self.warned(database)
            try await RegionSettings(database: database, clock: world.clock)
                .set(regionCode: world.a.county.code, key: "ladder.undisclosed_interview", value: "10", scope: world.a.users[.regulator]!.scope)
            let escalation = Escalation(database: database, clock: world.clock)
            world.clock.advance(by: 9 * 86_400)
            #expect(try await escalation.runUndisclosed() == 0, "nine days: not yet")
            world.clock.advance(by: 2 * 86_400)
            #expect(try await escalation.runUndisclosed() == 1, "eleven days in county A (10); county B keeps 30")
            #expect(try await escalation.runUndisclosed() == 0, "once")
            let w01 = try await Self.warningId(database, rule: "W01", estate: world.a.estate.id)
            let regulator = world.a.users[.regulator]!.scope
            let (warning, _) = try await inbox.warning(w01, scope: regulator)
            #expect(warning.status == .escalated)
            let (problemId, letters) = try await database.read { db in
                let id = try await db.raw("SELECT problem_id FROM warnings WHERE id = \(bind: w01)").first(decodingColumn: "problem_id", as: Int64.self)!
                let kinds = try await db.raw("SELECT kind FROM letters WHERE problem_id = \(bind: id)").all(decodingColumn: "kind", as: String.self)
                return (id, kinds)
            }
            #expect(letters == ["interview"])
            let (problem, letter) = try await escalation.letter(problemId: problemId, kind: "interview", scope: regulator)
            #expect(problem.source == .warning && problem.escalationLevel == 3 && letter.facts["undisclosed"] == "2024年第3季度")
            #expect(letter.number == "鼓楼区物业约谈〔2024〕1号")
            // The ladder does not write to it again.
            world.clock.advance(by: 60 * 86_400)
            _ = try await escalation.run()
            #expect(try await database.read { try await $0.raw("SELECT COUNT(*) AS n FROM letters WHERE problem_id = \(bind: problemId)").first(decodingColumn: "n", as: Int.self) } == 1)
        }
    }

    @Test(arguments: kinds)
    func lifecycleFollowsTheAllowedSteps(kind: TestDatabase.Kind) async throws {
        try await withDatabase(kind) { database in
            let (world, inbox) = try await Self.warned(database)
            let regulator = world.a.users[.regulator]!.scope, company = world.a.users[.company]!.scope
            let w06 = try await Self.warningId(database, rule: "W06", estate: world.a.estate.id)
            // The company acknowledges and explains; the regulator resolves with an explanation.
            #expect(try await inbox.act(.acknowledge, on: w06, note: "", scope: company).status == .acknowledged)
            #expect(try await inbox.act(.explain, on: w06, note: "专户开立手续办理中", scope: company).status == .acknowledged)
            #expect(try await inbox.act(.resolve, on: w06, note: "已核实专户已开立", scope: regulator).status == .resolved)
            let (_, events) = try await inbox.warning(w06, scope: regulator)
            #expect(events.map(\.action) == ["acknowledge", "explain", "resolve"])
            // Refusals, each writing nothing.
            let w01 = try await Self.warningId(database, rule: "W01", estate: world.a.estate.id)
            let before = try await Self.counts(database)
            try await #require(throws: LedgerError.self) { try await inbox.act(.dismiss, on: w06, note: "误报", scope: regulator) }
            do {
                try await inbox.act(.resolve, on: w06, note: "再次办结", scope: regulator)
                Issue.record("resolving a resolved warning was accepted")
            } catch let error as LedgerError {
                #expect(error.code == "transition_not_allowed" && error.message.contains("已办结"))
            }
            await #expect(throws: LedgerError.forbidden) { try await inbox.act(.dismiss, on: w01, note: "企业自行排除", scope: company) }
            let otherCompany = world.b.users[.company]!.scope
            await #expect(throws: LedgerError.notFound("预警")) { try await inbox.act(.explain, on: w01, note: "越权说明", scope: otherCompany) }
            await #expect(throws: LedgerError.notFound("预警")) {
                try await inbox.act(.resolve, on: w01, note: "越权办结", scope: world.b.users[.regulator]!.scope)
            }
            do {
                try await inbox.act(.dismiss, on: w01, note: "  ", scope: regulator)
                Issue.record("a dismissal without a reason was accepted")
            } catch let error as LedgerError { #expect(error.code == "required" && error.field == "note") }
            #expect(try await Self.counts(database) == before)
            // A dismissed warning stays dismissed on the next run; the list's default shows active ones only.
            try await inbox.act(.dismiss, on: w01, note: "该季度小区处于交接期", scope: regulator)
            let rerun = try await WarningEngine(database: database, clock: world.clock).run(quarters: 1)
            #expect(rerun.opened == 0)
            var filter = WarningInbox.Filter()
            let active = try await inbox.list(scope: regulator, filter: filter)
            #expect(active.items.allSatisfy { $0.status.isActive } && !active.items.contains { $0.id == w01 || $0.id == w06 })
            filter.status = "dismissed"
            #expect(try await inbox.list(scope: regulator, filter: filter).items.map(\.id) == [w01])
        }
    }

    @Test(arguments: kinds)
    func listIsScopedAndFiltered(kind: TestDatabase.Kind) async throws {
        try await withDatabase(kind) { database in
            let (world, inbox) = try await Self.warned(database)
            let regulatorA = world.a.users[.regulator]!.scope
            let all = try await inbox.list(scope: regulatorA, filter: .init())
            #expect(!all.items.isEmpty && all.items.allSatisfy { $0.estateId == world.a.estate.id })
            let companyB = try await inbox.list(scope: world.b.users[.company]!.scope, filter: .init())
            #expect(!companyB.items.isEmpty && companyB.items.allSatisfy { $0.companyId == world.b.company.id })
            #expect(try await inbox.list(scope: world.a.users[.auditor]!.scope, filter: .init()).total == 0)
            var filter = WarningInbox.Filter()
            filter.rule = "W06"
            #expect(try await inbox.list(scope: .system, filter: filter).items.map(\.rule) == ["W06", "W06"])
            filter.regionCode = world.b.street.code
            #expect(try await inbox.list(scope: .system, filter: filter).items.map(\.estateId) == [world.b.estate.id])
            await #expect(throws: LedgerError.notFound("行政区划")) { try await inbox.list(scope: regulatorA, filter: filter) }
            filter = WarningInbox.Filter()
            filter.rule = "W99"
            await #expect(throws: LedgerError.self) { try await inbox.list(scope: regulatorA, filter: filter) }
        }
    }

    @Test(arguments: kinds)
    func parametersApplyToTheRegionAndBelowFromTheNextRun(kind: TestDatabase.Kind) async throws {
        try await withDatabase(kind) { database in
            let world = try await World.build(in: database)
            let parameters = WarningParameters(database: database, clock: world.clock)
            let regulator = world.a.users[.regulator]!.scope
            // A 31-day display: enough for the default 30 days.
            var document = DisclosureSamples.valid()
            document.display = .init(from: "2024-10-05", until: "2024-11-05")
            _ = try await DisclosureRepository(database: database, clock: world.clock)
                .publish(estateId: world.a.estate.id, quarter: Quarter(year: 2024, quarter: 3)!, document: document, reason: nil,
                         scope: world.a.users[.company]!.scope)
            let engine = WarningEngine(database: database, clock: world.clock)
            #expect(!(try await engine.openKeys().contains("W02/\(world.a.estate.id)/2024Q3")))
            // Bad values are refused and write nothing.
            let before = try await Self.counts(database)
            for (rule, name, value, code) in [("W02", "days", "-1", "out_of_range"), ("W09", "percent", "150", "out_of_range"),
                                              ("W02", "days", "abc", "not_number"), ("W02", "days", "20.5", "not_integer"),
                                              ("W99", "days", "20", "unknown_rule"), ("W02", "ratio", "20", "unknown_parameter")] {
                do {
                    try await parameters.set(regionCode: world.a.county.code, rule: rule, name: name, value: value, scope: regulator)
                    Issue.record("\(rule).\(name)=\(value) was accepted")
                } catch let error as LedgerError { #expect(error.code == code, "\(rule).\(name)=\(value)") }
            }
            await #expect(throws: LedgerError.notFound("行政区划")) {
                try await parameters.set(regionCode: world.b.county.code, rule: "W02", name: "days", value: "20", scope: regulator)
            }
            await #expect(throws: LedgerError.forbidden) {
                try await parameters.set(regionCode: world.a.county.code, rule: "W02", name: "days", value: "20", scope: world.a.users[.street]!.scope)
            }
            #expect(try await Self.counts(database) == before)
            // 40 days for county A; its street inherits it; the next run opens W02 for A's estate. County B keeps the default.
            try await parameters.set(regionCode: world.a.county.code, rule: "W02", name: "days", value: "４０", scope: regulator)
            let (_, effective) = try await parameters.effective(regionCode: world.a.street.code, scope: regulator)
            let days = try #require(effective.first { $0.rule.code == "W02" && $0.parameter.name == "days" })
            #expect(days.value == 40 && days.setBy == world.a.county.code && days.ownValue == nil)
            let (_, inB) = try await parameters.effective(regionCode: world.b.county.code, scope: .system)
            #expect(inB.first { $0.rule.code == "W02" }?.value == 30)
            try await engine.run(quarters: 1)
            #expect(try await engine.openKeys().contains("W02/\(world.a.estate.id)/2024Q3"))
            let audited = try await database.read { db in
                try await db.raw("SELECT COUNT(*) AS n FROM audit_log WHERE entity = 'warning_parameter'").first(decodingColumn: "n", as: Int.self)
            }
            #expect(audited == 1)
        }
    }

    @Test(arguments: kinds)
    func complaintClustersAndOverdueRectificationsRaiseWarnings(kind: TestDatabase.Kind) async throws {
        try await withDatabase(kind) { database in
            let world = try await World.build(in: database)
            let estate = world.a.estate
            try await database.transaction { db in
                for (index, at) in ["2024-09-01T02:00:00Z", "2024-10-01T02:00:00Z", "2024-11-18T02:00:00Z"].enumerated() {
                    try await db.raw("""
                        INSERT INTO complaints (tracking_code, source, estate_id, company_id, region_path, category, content, received_at, received_by,
                                                status, updated_at)
                        VALUES (\(bind: "T\(index)"), 'online', \(bind: estate.id), \(bind: world.a.company.id), \(bind: estate.regionPath),
                                'public_revenue', '停车费去向不明', \(bind: at), 'public', 'received', \(bind: at))
                        """).run()
                }
                try await db.raw("""
                    INSERT INTO problems (estate_id, company_id, region_path, category, description, severity, source, deadline, responsible, status,
                                          created_at, created_by, updated_at)
                    VALUES (\(bind: estate.id), \(bind: world.a.company.id), \(bind: estate.regionPath), 'no_account', '未设专户', 'high', 'manual',
                            '2024-11-01', '物业公司', 'open', '2024-10-01T00:00:00Z', 'regulator-a', '2024-10-01T00:00:00Z')
                    """).run()
            }
            let engine = WarningEngine(database: database, clock: world.clock)
            try await engine.run(quarters: 1)
            let keys = try await engine.openKeys()
            #expect(keys.contains("W13/\(estate.id)/2024Q3") && keys.contains("W14/\(estate.id)/2024Q3"))
            #expect(!keys.contains("W13/\(world.b.estate.id)/2024Q3"))
        }
    }

    @Test(arguments: kinds)
    func oneServerRunsEachDailyJob(kind: TestDatabase.Kind) async throws {
        try await withDatabase(kind) { database in
            let world = try await World.build(in: database)
            let counter = Counter()
            let job = DailyJobs.Job(name: "count", hour: 2) { _, _ in await counter.increment(); return "ok" }
            // 19 November 2024, 01:00 Beijing time: not yet due.
            let clock = ManualClock(Date(timeIntervalSince1970: 1_731_949_200))
            let early = DailyJobs(database: database, clock: clock, host: "a", jobs: [job])
            #expect(await early.runDue()["count"] == .notDue)
            clock.advance(by: 3_600 * 2)
            let servers = (0..<4).map { DailyJobs(database: database, clock: clock, host: "server-\($0)", jobs: [job]) }
            let outcomes = await withTaskGroup(of: DailyJobs.Outcome?.self) { group in
                for server in servers { group.addTask { await server.runDue()["count"] } }
                return await group.reduce(into: []) { $0.append($1) }
            }
            #expect(outcomes.filter { $0 == .ran("ok") }.count == 1)
            #expect(outcomes.filter { $0 == .ranElsewhere }.count == 3)
            #expect(await counter.value == 1)
            // The next day it is due again.
            clock.advance(by: 86_400)
            #expect(await servers[2].runDue()["count"] == .ran("ok"))
            _ = world
        }
    }
}

actor Counter {
    private(set) var value = 0
    func increment() { value += 1 }
}
