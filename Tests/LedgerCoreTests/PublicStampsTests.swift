import Foundation
import LedgerCore
import LedgerTestSupport
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
}
