import Foundation
import LedgerCore
import LedgerTestSupport
import SQLKit
import Testing

/// Pressure on lagging regions: 提醒函 and 督办函 to a sub-region with the facts frozen, the sub-region's answer, and the
/// monthly bulletin that ranks sub-regions.
@Suite struct SupervisionTests {
    static let kinds = TestDatabase.available

    @Test(arguments: kinds)
    func aCountyWritesToALaggingStreetWhichAnswersOnce(kind: TestDatabase.Kind) async throws {
        try await withDatabase(kind) { database in
            let world = try await World.build(in: database)
            let letters = RegionLetters(database: database, clock: world.clock)
            let regulator = world.a.users[.regulator]!.scope, street = world.a.users[.street]!.scope
            // A problem of the street past its deadline makes it lag.
            let problem = try await Problems(database: database, clock: world.clock, filesDirectory: NSTemporaryDirectory())
                .create(ProblemInput(estateId: world.a.estate.id, category: "revenue_undisclosed", description: "停车费未公示"), scope: regulator)
            try await database.transaction { db in
                try await db.raw("UPDATE problems SET deadline = '2024-11-01' WHERE id = \(bind: problem)").run()
            }
            let (region, standings) = try await letters.standings(regionCode: world.a.county.code, scope: regulator)
            #expect(region.code == world.a.county.code && standings.map(\.code) == [world.a.street.code])
            #expect(standings[0].overdueProblems == 1 && standings[0].lagging)
            let dashboard = try await Dashboard(database: database, clock: world.clock)
                .view(regionCode: world.a.county.code, quarter: Quarter(year: 2024, quarter: 3)!, scope: regulator)
            #expect(standings[0].due == dashboard.units[0].figures.due && standings[0].onTime == dashboard.units[0].figures.onTime)

            // Refused: a company; another county's street; the county itself (not below the writer); a past reply day.
            let input = RegionLetters.LetterInput(kind: "supervision", toCode: world.a.street.code, replyDue: "2024-11-29", requirements: "十日内完成整改")
            await #expect(throws: LedgerError.forbidden) { try await letters.issue(input, scope: world.a.users[.company]!.scope) }
            var foreign = input
            foreign.toCode = world.b.street.code
            await #expect(throws: LedgerError.notFound("行政区划")) { try await letters.issue(foreign, scope: regulator) }
            var itself = input
            itself.toCode = world.a.county.code
            await #expect(throws: LedgerError.self) { try await letters.issue(itself, scope: regulator) }
            var late = input
            late.replyDue = "2024-11-01"
            late.kind = "memo"
            do {
                _ = try await letters.issue(late, scope: regulator)
                Issue.record("a letter with a past reply day was issued")
            } catch let errors as FieldErrors {
                #expect(Set(errors.items.compactMap(\.field)) == ["replyDue", "letterKind"])
            }

            let id = try await letters.issue(input, scope: regulator)
            let second = try await letters.issue(.init(kind: "supervision", toCode: world.a.street.code, replyDue: "2024-12-01"), scope: regulator)
            let letter = try await letters.letter(id, scope: street)
            let secondNumber = try await letters.letter(second, scope: regulator).number
            #expect(letter.number == "鼓楼区物业督办〔2024〕1号" && secondNumber == "鼓楼区物业督办〔2024〕2号")
            #expect(letter.standing.overdueProblems == 1 && letter.addressee == "鼓东街道办事处" && letter.requirements == "十日内完成整改")
            // The facts stay as issued when the problem is put right.
            try await database.transaction { db in try await db.raw("UPDATE problems SET status = 'rectified' WHERE id = \(bind: problem)").run() }
            #expect(try await letters.letter(id, scope: regulator).standing.overdueProblems == 1)
            // County B sees none of it.
            #expect(try await letters.list(scope: world.b.users[.regulator]!.scope).items.isEmpty)
            await #expect(throws: LedgerError.notFound("督办文书")) { try await letters.letter(id, scope: world.b.users[.regulator]!.scope) }

            // Only the street answers, once; the writer cannot answer its own letter.
            await #expect(throws: LedgerError.self) { try await letters.reply(id, text: "已整改", scope: regulator) }
            await #expect(throws: FieldErrors.self) { try await letters.reply(id, text: " ", scope: street) }
            try await letters.reply(id, text: "已督促企业完成公示并存入专户", scope: street)
            await #expect(throws: LedgerError.self) { try await letters.reply(id, text: "再次答复", scope: street) }
            let answered = try await letters.letter(id, scope: regulator)
            #expect(answered.reply == "已督促企业完成公示并存入专户" && answered.repliedBy == "street-a" && !answered.overdue(today: Day("2024-12-31")!))
            #expect(try await letters.letter(second, scope: regulator).overdue(today: Day("2024-12-02")!))
            let audited = try await database.read { db in
                try await db.raw("SELECT COUNT(*) AS n FROM audit_log WHERE entity = 'region_letter'").first(decodingColumn: "n", as: Int.self)
            }
            #expect(audited == 3)

            // The month's bulletin ranks the county's streets and lists the letters it sent.
            let bulletins = MonthlyBulletin(database: database, clock: world.clock)
            let november = try await bulletins.bulletin(regionCode: world.a.county.code, month: "2024-11", scope: regulator)
            #expect(november.rows.map(\.standing.code) == [world.a.street.code] && november.rows[0].letters == 2 && november.letters.count == 2)
            #expect(november.quarterTitle == "2024年第3季度" && november.asOf == Day("2024-11-18")!)
            #expect(try await bulletins.bulletin(regionCode: world.a.county.code, month: "2024-10", scope: regulator).letters.isEmpty)
            await #expect(throws: LedgerError.self) { try await bulletins.bulletin(regionCode: world.a.county.code, month: "2024-12", scope: regulator) }
            await #expect(throws: LedgerError.self) { try await bulletins.bulletin(regionCode: world.a.county.code, month: "十一月", scope: regulator) }
            await #expect(throws: LedgerError.notFound("行政区划")) {
                try await bulletins.bulletin(regionCode: world.b.county.code, month: "2024-11", scope: regulator)
            }
        }
    }
}
