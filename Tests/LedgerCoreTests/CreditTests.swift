import Foundation
import LedgerCore
import LedgerTestSupport
import SQLKit
import Testing

/// Company credit: each automatic source raises exactly one event; the score is basic + good − bad over the valid
/// events, recomputed from them; expiry and withdrawal change it; rule settings per region.
@Suite struct CreditTests {
    @Test(arguments: TestDatabase.available)
    func eachSourceRaisesOneEventAndTheScoreFollowsTheValidEvents(kind: TestDatabase.Kind) async throws {
        try await withDatabase(kind) { database in
            let world = try await World.build(in: database)  // 19 November 2024
            let regulator = world.a.users[.regulator]!.scope
            let company = world.a.company.id
            let credit = CreditFile(database: database, clock: world.clock)

            // A region's own points for 约谈; a wrong sign or range is explained, nothing stored.
            await #expect(throws: FieldErrors.self) {
                try await CreditRules.set(regionCode: world.a.county.code, rule: "C01", points: "5", months: "0", scope: regulator, database: database, clock: world.clock)
            }
            try await CreditRules.set(regionCode: world.a.county.code, rule: "C01", points: "-8", months: "12", scope: regulator, database: database, clock: world.clock)

            // Sources: an interview (约谈), a problem up to the 督办函, a W01 left open over 30 days, a complaint found true and fixed.
            let enforcement = Enforcement(database: database, clock: world.clock)
            let interview = try await enforcement.record(companyId: company, EnforcementInput(kind: .interview, decidedOn: "2024-11-10", basis: "莆田方案附件第22项",
                                                                                              documentNumber: "鼓建约〔2024〕3号"), scope: regulator)
            let problems = Problems(database: database, clock: world.clock, filesDirectory: NSTemporaryDirectory())
            let problem = try await problems.create(ProblemInput(estateId: world.a.estate.id, category: "revenue_no_account", description: "未设专户",
                                                                 deadline: "2024-11-19"), scope: regulator)
            try await WarningEngine(database: database, clock: world.clock).run()
            let complaints = Complaints(database: database, clock: world.clock, filesDirectory: NSTemporaryDirectory())
            let code = try await complaints.file(ComplaintInput(estateId: world.a.estate.id, category: "revenue_undisclosed", content: "停车费收入从未公示，请核查"),
                                                 uploads: [], address: "192.0.2.9")
            try await database.transaction { db in
                try await db.raw("""
                    UPDATE complaints SET status = 'closed', outcome = 'fixed', closed_at = '2024-11-19T02:00:00Z' WHERE tracking_code = \(bind: code)
                    """).run()
            }
            #expect(try await credit.collect() == 2, "the interview and the complaint; the problem and the warning are not due yet")
            #expect(try await credit.collect() == 0)
            let escalation = Escalation(database: database, clock: world.clock)
            _ = try await escalation.run()
            world.clock.advance(by: 7 * 86_400)
            _ = try await escalation.run()
            world.clock.advance(by: 24 * 86_400)  // 20 December: the W01 has been open 31 days
            try await WarningEngine(database: database, clock: world.clock).run()
            let raised = try await credit.collect()
            #expect(try await credit.collect() == 0, "run twice: still one event per source")
            let events = try await credit.events(companyId: company)
            let bySource = Dictionary(grouping: events, by: \.sourceType).mapValues(\.count)
            #expect(bySource["enforcement"] == 1 && bySource["overdue_problem"] == 1 && bySource["complaint"] == 1)
            #expect((bySource["undisclosed"] ?? 0) >= 1 && raised >= 1 + (bySource["undisclosed"] ?? 0))
            let interviewEvent = try #require(events.first { $0.sourceType == "enforcement" })
            #expect(interviewEvent.sourceId == interview && interviewEvent.points == -8 && interviewEvent.expiresOn == "2025-11-10")
            #expect(interviewEvent.documentNumber == "鼓建约〔2024〕3号" && interviewEvent.basis == "莆田方案附件第22项")
            #expect(events.first { $0.sourceType == "overdue_problem" }?.sourceId == problem)
            // Another county's company has nothing.
            #expect(try await credit.events(companyId: world.b.company.id).filter { $0.sourceType == "enforcement" }.isEmpty)

            // A good event by hand; then the score equals basic + good − bad over the valid events, computed here independently.
            let praise = try await credit.record(companyId: company, rule: "G01", occurredOn: "2024-12-01", documentNumber: "鼓建〔2024〕88号",
                                                 note: "获评示范小区", scope: regulator)
            await #expect(throws: FieldErrors.self) {
                try await credit.record(companyId: company, rule: "C01", occurredOn: "2030-01-01", documentNumber: "", note: "", scope: regulator)
            }
            await #expect(throws: LedgerError.notFound("物业服务企业"), "another county's company is not this regulator's to record") {
                try await credit.record(companyId: world.b.company.id, rule: "G01", occurredOn: "2024-12-01", documentNumber: "鼓建〔2024〕89号",
                                        note: "越权", scope: regulator)
            }
            func expected(on day: Day) async throws -> Int {
                let valid = try await credit.events(companyId: company).filter { $0.status == .valid && $0.occurredOn <= day.description && day.description < $0.expiresOn }
                let good = min(40, valid.filter { $0.points > 0 }.map(\.points).reduce(0, +))
                let bad = -valid.filter { $0.points < 0 }.map(\.points).reduce(0, +)
                let row = try await database.read { db in
                    try await db.raw("SELECT contact_name, contact_phone, address FROM companies WHERE id = \(bind: company)").first()!
                }
                let fields = try ["contact_name", "contact_phone", "address"].filter { !(try row.decode(column: $0, as: String.self)).isEmpty }.count
                return 10 * fields + 20 + 0 + good - bad  // one estate managed, nothing published in the last four quarters
            }
            let today = Day(Timestamp.shanghaiDay(world.clock.now()))!
            let score = try #require(try await credit.scores()[company])
            #expect(score.total == (try await expected(on: today)) && score.good == 5 && score.bad > 0)
            #expect(score.grade == CreditFile.Grade.of(score.total))

            // Withdrawal (an objection upheld) stops the event counting; it stays visible as withdrawn.
            try await credit.withdraw(interviewEvent.id, reason: "约谈对象有误", scope: regulator)
            await #expect(throws: LedgerError.self) { try await credit.withdraw(interviewEvent.id, reason: "again", scope: regulator) }
            await #expect(throws: LedgerError.notFound("信用记录")) { try await credit.withdraw(praise, reason: "越权", scope: world.b.users[.regulator]!.scope) }
            let after = try #require(try await credit.scores()[company])
            let withdrawn = try await credit.events(companyId: company).first { $0.id == interviewEvent.id }
            #expect(after.total == score.total + 8 && withdrawn?.status == .withdrawn)

            // A year on, the complaint's and the problem's events have expired; the two-year praise still counts.
            world.clock.advance(by: 400 * 86_400)
            let later = try #require(try await credit.scores()[company])
            let laterDay = Day(Timestamp.shanghaiDay(world.clock.now()))!
            #expect(later.total == (try await expected(on: laterDay)) && later.good == 5)
            #expect(later.bad < after.bad)
        }
    }

    @Test func gradesFollowTheThresholdsAndExpiryCountsMonths() {
        #expect(CreditFile.Grade.of(85) == .aaa && CreditFile.Grade.of(84) == .aa && CreditFile.Grade.of(80) == .aa)
        #expect(CreditFile.Grade.of(70) == .a && CreditFile.Grade.of(60) == .b && CreditFile.Grade.of(59) == .c && CreditFile.Grade.of(-10) == .c)
        #expect(CreditFile.Grade.aa.title == "AA级")
        let score = CreditFile.Score(registration: 30, managing: 20, filing: 30, good: 55, bad: 12)
        #expect(score.basic == 80 && score.total == 80 + 40 - 12)
        #expect(CreditRules.defaults.filter { $0.source == .enforcement }.count == EnforcementKind.allCases.count - 1, "every sanction but 移交")
        #expect(Set(CreditRules.defaults.map(\.code)).count == CreditRules.defaults.count)
    }
}
