import Foundation
import LedgerCore
import LedgerTestSupport
import SQLKit
import Testing

@Suite struct WarningEngineTests {
    static let kinds = TestDatabase.available

    static func zeroRevenue() -> DisclosureDocument {
        DisclosureDocument(distribution: .init(ownersShare: "0", companyShare: "0"), openingBalance: "100",
                           contact: .init(name: "王经理", phone: "0591-87654321"), display: .init(from: "2024-10-05", until: "2024-11-05"))
    }

    // MARK: Tests

    @Test(arguments: kinds)
    func runsAreIdempotentAndCloseWarningsWhoseCauseIsGone(kind: TestDatabase.Kind) async throws {
        try await withDatabase(kind) { database in
            // setup: 2024 Q3 filed with zero revenue; the clock stands in Q4, so Q3 is the quarter being filed.
            let world = try await World.build(in: database)
            let repo = DisclosureRepository(database: database, clock: world.clock)
            let company = world.a.users[.company]!.scope
            let q3 = Quarter(year: 2024, quarter: 3)!
            _ = try await repo.publish(estateId: world.a.estate.id, quarter: q3, document: Self.zeroRevenue(), reason: nil, scope: company)
            let engine = WarningEngine(database: database, clock: world.clock)
            // Publishing ran the rules for that estate at once, before any full run.
            #expect(try await engine.openKeys().contains("W03/\(world.a.estate.id)/2024Q3"))
            // MUT
            let first = try await engine.run(quarters: 1)
            let second = try await engine.run(quarters: 1)
            // validation
            let keys = try await engine.openKeys()
            #expect(keys.contains("W03/\(world.a.estate.id)/2024Q3"))
            #expect(keys.contains("W06/\(world.a.estate.id)/2024Q3"), "no dedicated account")
            #expect(keys.contains("W01/\(world.b.estate.id)/2024Q3"), "B has filed nothing and Q3 was due on 31 October")
            #expect(keys.contains("W01/\(world.a.estate.id)/2024Q3"), "A published on 19 November, after the deadline: late")
            #expect(first.opened + first.unchanged == keys.count && first.unchanged >= 1)
            #expect(second.opened == 0 && second.closed == 0 && second.unchanged == keys.count)
            // A correction with revenue removes the cause: the run on publishing closes W03 with its reason.
            var corrected = DisclosureSamples.valid()
            corrected.display = .init(from: "2024-11-19", until: "2024-12-20")   // a correction is displayed afresh
            _ = try await repo.publish(estateId: world.a.estate.id, quarter: q3, document: corrected, reason: "补录收入", scope: company)
            let after = try await engine.openKeys()
            #expect(!after.contains("W03/\(world.a.estate.id)/2024Q3"))
            #expect(after.contains("W12/\(world.a.estate.id)/2024Q3"), "the correction itself is flagged for review")
            let reason = try await database.read { db in
                try await db.raw("SELECT closed_reason FROM warnings WHERE rule = 'W03' AND estate_id = \(bind: world.a.estate.id)")
                    .first(decodingColumn: "closed_reason", as: String?.self)
            }
            #expect(reason??.contains("自动关闭") == true)
            let third = try await engine.run(quarters: 1)
            #expect(third.opened == 0 && third.closed == 0)
        }
    }
}
