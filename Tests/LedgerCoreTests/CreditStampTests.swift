import Foundation
import LedgerCore
import LedgerTestSupport
import SQLKit
import Testing

/// Every company's credit score is kept under the credit stamp (M0033, `CreditFile.scores`): the database moves the stamp
/// on any write to what a score is computed from, whatever code writes it, and on nothing else.
@Suite struct CreditStampTests {
    static func stamp(_ database: Database) async throws -> Int64 {
        try await database.read { db in try await db.raw("SELECT n FROM credit_stamp WHERE id = 1").first(decodingColumn: "n", as: Int64.self) ?? -1 }
    }

    static func write(_ database: Database, _ sql: SQLQueryString) async throws {
        try await database.transaction { db in try await db.raw(sql).run() }
    }

    @Test(arguments: TestDatabase.available)
    func theScoresAreKeptUntilTheirInputsChange(kind: TestDatabase.Kind) async throws {
        try await withDatabase(kind) { database in
            // setup
            let world = try await World.build(in: database)
            let credit = CreditFile(database: database, clock: world.clock)
            let company = world.a.company.id, estate = world.a.estate.id
            let before = try await credit.scores()
            let full = try #require(before[company])
            #expect(full.registration > 0)

            // Writes that no score reads leave the stamp, and the kept scores, as they are.
            var stamp = try await Self.stamp(database)
            _ = try await Problems(database: database, clock: world.clock, filesDirectory: NSTemporaryDirectory())
                .create(ProblemInput(estateId: estate, category: "revenue_ratio", description: "测试：公共收益未按季度公示。"),
                        scope: world.a.users[.regulator]!.scope)
            try await Self.write(database, "UPDATE estates SET households = households + 1 WHERE id = \(bind: estate)")
            #expect(try await Self.stamp(database) == stamp, "a problem and an estate's household count change no score")
            #expect(try await credit.scores() == before)

            // A filing: the stamp moves and the filing part of the score grows.
            _ = try await DisclosureRepository(database: database, clock: world.clock).publish(
                estateId: estate, quarter: Quarter(year: 2024, quarter: 2)!, document: DisclosureSamples.valid(), reason: nil,
                scope: world.a.users[.company]!.scope)
            #expect(try await Self.stamp(database) > stamp)
            #expect(try await credit.scores()[company]?.filing ?? 0 > full.filing)

            // A company's registration, written by hand: the stamp moves and the next scores are the new ones.
            try await Self.write(database, "UPDATE companies SET contact_phone = '' WHERE id = \(bind: company)")
            #expect(try await Self.stamp(database) > stamp)
            #expect(try await credit.scores()[company]?.registration == full.registration - 10, "the scores kept before are not served")

            // Each other input moves it too: the estate's manager, a filing, a credit event, a list decision.
            stamp = try await Self.stamp(database)
            try await Self.write(database, "UPDATE estates SET company_id = NULL WHERE id = \(bind: estate)")
            #expect(try await Self.stamp(database) > stamp)
            #expect(try await credit.scores()[company]?.managing == 0, "no estate managed any more")
            // A credit event recorded by the county (C01, 约谈: bad points), then a black-list decision.
            stamp = try await Self.stamp(database)
            let regulator = world.b.users[.regulator]!.scope
            let other = world.b.company.id
            let otherBefore = try #require(try await credit.scores()[other])
            try await credit.record(companyId: other, rule: "C01", occurredOn: "2024-11-18", documentNumber: "台建约〔2024〕1号", note: "约谈", scope: regulator)
            #expect(try await Self.stamp(database) > stamp)
            #expect(try await credit.scores()[other]?.bad ?? 0 > otherBefore.bad, "the event counts at once")
            stamp = try await Self.stamp(database)
            try await credit.decide(.black, companyId: other, reason: "拒不公示公共收益且拒不整改", documentNumber: "台建〔2024〕9号",
                                    decidedOn: "2024-11-18", until: "2025-11-18", scope: regulator)
            #expect(try await Self.stamp(database) > stamp)
            #expect(try await credit.lists()[.black]?.map(\.companyId) == [other])
        }
    }
}
