import Foundation
import LedgerCore
import LedgerTestSupport
import SQLKit
import Testing

/// An estate's public-page stamp moves with every audited write that can change its pages, and only with those.
@Suite struct PublicStampsTests {
    @Test(arguments: TestDatabase.available)
    func aStampMovesWithTheEstatesOwnWritesSharedWritesAndTheDayOnly(_ kind: TestDatabase.Kind) async throws {
        try await withDatabase(kind) { database in
            let world = try await World.build(in: database)
            let stamps = PublicStamps(database: database, clock: world.clock)
            func both() async throws -> (PublicStamps.Stamp, PublicStamps.Stamp) {
                (try #require(try await stamps.stamp(estateId: world.a.estate.id)), try #require(try await stamps.stamp(estateId: world.b.estate.id)))
            }
            #expect(try await stamps.stamp(estateId: 999_999) == nil)
            let (a0, b0) = try await both()
            #expect(a0.regionPath == world.a.estate.regionPath)

            // A question asked at A (audited at A's path): A's stamp moves, B's (another district) stays.
            let questions = OwnerQuestions(database: database, clock: world.clock)
            _ = try await DisclosureRepository(database: database, clock: world.clock).publish(
                estateId: world.a.estate.id, quarter: Quarter(year: 2024, quarter: 2)!, document: DisclosureSamples.valid(), reason: nil,
                scope: world.a.users[.company]!.scope)
            let (a1, b1) = try await both()
            #expect(a1 != a0 && b1 != b0, "a publication grows the log, whose head every estate page prints")
            _ = try await questions.ask(estateId: world.a.estate.id, QuestionInput(quarter: "2024Q2", item: "停车费", content: "收入偏低？"),
                                        address: "203.0.113.7")
            let (a2, b2) = try await both()
            #expect(a2 != a1 && b2 == b1)

            // Signing in is audited, but no public page shows it.
            _ = try await Authenticator(database: database, clock: world.clock)
                .login(username: world.a.users[.company]!.username, password: World.password, address: "203.0.113.8", kind: .browser)
            let (a3, b3) = try await both()
            #expect(a3 == a2 && b3 == b2)

            // A company's change shows wherever it manages: every stamp moves.
            let company = world.b.company
            _ = try await CompanyRepository(database: database, clock: world.clock).update(
                company.id, CompanyInput(name: company.name + "（更名）", uscc: company.uscc, region: company.regionCode), scope: world.admin.scope)
            let (a4, b4) = try await both()
            #expect(a4 != a3 && b4 != b3)

            // Midnight in Beijing: what is open or printed "today" may change.
            world.clock.advance(by: 86_400)
            let (a5, b5) = try await both()
            #expect(a5 != a4 && b5 != b4)
        }
    }

    /// With a memo, a stamp is read from the database again when this process commits a transaction, or when the
    /// memo is older than its freshness (a write by another server); without one, every call reads. (Other tests'
    /// databases are other URLs: their commits leave this memo alone.)
    @Test(arguments: TestDatabase.available)
    func aMemoisedStampIsReadAgainAfterACommitHereOrAfterItsFreshness(_ kind: TestDatabase.Kind) async throws {
        try await withDatabase(kind) { database in
            let world = try await World.build(in: database)
            let estate = world.a.estate.id
            let memoised = PublicStamps(database: database, clock: world.clock, freshness: .seconds(3600))
            let expired = PublicStamps(database: database, clock: world.clock, freshness: .zero)
            let first = try #require(try await memoised.stamp(estateId: estate))

            // Another server's write (no commit counted in this process): the memo keeps the stamp it read.
            try await database.read { db in
                try await db.raw("""
                    INSERT INTO public_stamps (scope_key, audit_id) VALUES ('', 1000000)
                    ON CONFLICT (scope_key) DO UPDATE SET audit_id = excluded.audit_id
                    """).run()
            }
            #expect(try await memoised.stamp(estateId: estate) == first, "within its freshness, the memo is trusted")
            let moved = try #require(try await expired.stamp(estateId: estate))
            #expect(moved != first, "past its freshness (here: at once), the stamp is read again")

            // A write committed through this process: read again at once.
            try await RegionSettings(database: database, clock: world.clock)
                .set(regionCode: world.a.county.code, key: "problem_days", value: "20", scope: world.a.users[.regulator]!.scope)
            let after = try #require(try await memoised.stamp(estateId: estate))
            #expect(after != first, "the commit made the memo read again")
            #expect(try await PublicStamps(database: database, clock: world.clock).stamp(estateId: estate) == after)
        }
    }
}
