import Foundation
import LedgerCore
import LedgerTestSupport
import Testing

/// The ladder climbs one step per day at most (a problem found late does not get its 提醒函, 督办函 and 约谈通知书 at
/// once), the demo's replay dates each letter on its own day, and the 公文 date is written in Chinese numerals.
@Suite struct EscalationTests {
    static let kinds = TestDatabase.available

    @Test func theIssuingDateIsWrittenInChineseNumerals() {
        #expect(Gongwen.date(Day(year: 2026, month: 12, day: 3)) == "二〇二六年十二月三日")
        #expect(Gongwen.date(Day(year: 2024, month: 10, day: 20)) == "二〇二四年十月二十日")
        #expect(Gongwen.date(Day(year: 2025, month: 11, day: 31 - 20)) == "二〇二五年十一月十一日")
        #expect(Gongwen.date("2027-01-31") == "二〇二七年一月三十一日")
        #expect(Gongwen.date("not a day") == "not a day")
    }

    static func overdueProblem(_ world: World, _ database: Database) async throws -> (Problems, Int64, Day) {
        let problems = Problems(database: database, clock: world.clock, filesDirectory: NSTemporaryDirectory())
        let deadline = Day(Timestamp.shanghaiDay(world.clock.now()))!
        let id = try await problems.create(ProblemInput(estateId: world.a.estate.id, category: "revenue_no_account", description: "未设专户",
                                                        deadline: deadline.description), scope: world.a.users[.regulator]!.scope)
        return (problems, id, deadline)
    }

    /// Twenty days past the deadline when first seen: the reminder today, the 督办函 seven days later, the 约谈 seven after.
    @Test(arguments: kinds)
    func aProblemFoundLateClimbsOneStepAtATime(kind: TestDatabase.Kind) async throws {
        try await withDatabase(kind) { database in
            // setup
            let world = try await World.build(in: database)
            let (problems, id, deadline) = try await Self.overdueProblem(world, database)
            let escalation = Escalation(database: database, clock: world.clock)
            world.clock.advance(by: 20 * 86_400)
            // MUT + validation
            #expect(try await escalation.run() == 1)
            #expect(try await escalation.run() == 0, "the 督办函 waits for its own day")
            var letters = try await problems.problem(id, scope: world.a.users[.regulator]!.scope).letters
            #expect(letters.map(\.kind) == ["reminder"] && letters[0].facts["overdueDays"] == "20")
            world.clock.advance(by: 6 * 86_400)
            #expect(try await escalation.run() == 0)
            world.clock.advance(by: 86_400)
            #expect(try await escalation.run() == 1)
            world.clock.advance(by: 7 * 86_400)
            #expect(try await escalation.run() == 1)
            #expect(try await escalation.run() == 0, "nothing after the 约谈")
            letters = try await problems.problem(id, scope: world.a.users[.regulator]!.scope).letters
            #expect(letters.map(\.kind) == ["reminder", "supervision", "interview"])
            #expect(letters.map(\.issuedOn) == [20, 27, 34].map { deadline.adding(days: $0).description })
        }
    }

    /// The demo's replay writes the history the daily job would have: each letter on its day past the deadline.
    @Test(arguments: kinds)
    func replayDatesEachLetterOnItsOwnDay(kind: TestDatabase.Kind) async throws {
        try await withDatabase(kind) { database in
            // setup
            let world = try await World.build(in: database)
            let (problems, id, deadline) = try await Self.overdueProblem(world, database)
            world.clock.advance(by: 10 * 86_400)
            // MUT
            let issued = try await Escalation(database: database, clock: world.clock).replay(until: deadline.adding(days: 10))
            // validation: the 约谈 (day 14) has not come yet
            #expect(issued == 2)
            let detail = try await problems.problem(id, scope: world.a.users[.regulator]!.scope)
            #expect(detail.letters.map(\.issuedOn) == [deadline.description, deadline.adding(days: 7).description])
            #expect(detail.letters[1].facts["overdueDays"] == "7" && detail.problem.escalationLevel == 2)
            #expect(detail.letters[0].facts["issuer"]?.hasSuffix("住房和城乡建设局") == true)
        }
    }
}
