import Foundation
@testable import LedgerCore
import LedgerTestSupport
import SQLKit
import Testing

/// What the warning rules read of the disclosure lines (`FactsLoader.lines`): each version's distinct income categories
/// (W08), read grouped by version, and its expenditure lines in order (W07), on both databases.
@Suite struct FactsLoaderTests {
    static let kinds = TestDatabase.available

    @Test(arguments: kinds)
    func linesGiveEachVersionsIncomeCategoriesAndItsSpending(kind: TestDatabase.Kind) async throws {
        try await withDatabase(kind) { database in
            // setup: Q2 with parking twice and telecom, two expenditures; Q3 the sample (parking, elevator ads, one expenditure)
            let world = try await World.build(in: database)
            let repository = DisclosureRepository(database: database, clock: world.clock)
            var q2 = DisclosureSamples.valid()
            q2.income = [.init(category: "parking", description: "地面临时停车费", amount: "10000.00"),
                         .init(category: "parking", description: "地下车位停车费", amount: "8600.00"),
                         .init(category: "telecom", description: "通信基站场地费", amount: "6000.00")]
            q2.expenditures = [.init(description: "更换单元门禁", amount: "2400.00", decision: "2024年第2次业主大会决议"),
                               .init(description: "维修路灯", amount: "600.00", decision: "")]
            q2.transfer = .init(amount: "13020.00", date: "2024-04-10")
            q2.display = .init(from: "2024-04-05", until: "2024-05-06")
            let company = world.a.users[.company]!.scope
            let second = try await repository.publish(estateId: world.a.estate.id, quarter: Quarter(year: 2024, quarter: 2)!, document: q2,
                                                      reason: nil, scope: company)
            let third = try await repository.publish(estateId: world.a.estate.id, quarter: Quarter(year: 2024, quarter: 3)!,
                                                     document: DisclosureSamples.valid(), reason: nil, scope: company)
            // MUT
            let lines = try await database.read { db in
                try await FactsLoader(db: db).lines(underPath: world.a.county.path, estateId: nil,
                                                    window: Quarter(year: 2024, quarter: 2)!...Quarter(year: 2024, quarter: 3)!)
            }
            // validation
            #expect(lines.categories == [second.id: ["parking", "telecom"], third.id: ["parking", "advertising_elevator"]])
            #expect(lines.spending[second.id]?.map(\.0) == [0, 1] && lines.spending[second.id]?.map(\.1.amountFen) == [240_000, 60_000])
            #expect(lines.spending[third.id]?.map(\.1.decision) == ["2024年第2次业主大会决议"])
        }
    }

    /// The versions are read packed into one text column (`PackedColumns`): every field, a NULL among them, comes back.
    @Test(arguments: kinds)
    func versionsReadPackedKeepEveryField(kind: TestDatabase.Kind) async throws {
        try await withDatabase(kind) { database in
            // setup: Q3 published, then corrected without the transfer (its amount, date and account NULL)
            let world = try await World.build(in: database)
            let repository = DisclosureRepository(database: database, clock: world.clock)
            let company = world.a.users[.company]!.scope, q3 = Quarter(year: 2024, quarter: 3)!
            let first = try await repository.publish(estateId: world.a.estate.id, quarter: q3, document: DisclosureSamples.valid(), reason: nil, scope: company)
            var corrected = DisclosureSamples.valid()
            corrected.transfer = nil
            corrected.display = .init(from: "2024-11-19", until: "2024-12-20")
            let second = try await repository.publish(estateId: world.a.estate.id, quarter: q3, document: corrected, reason: "未转存，更正", scope: company)
            // MUT
            let unfinished = try await database.read { db in
                try await FactsLoader(db: db).unfinished(underPath: nil, estateId: world.a.estate.id, window: q3...q3, today: "2024-11-19")
            }
            // validation: the version in force is the correction; the first publication's date is kept
            let facts = try #require(unfinished.estates.first?.quarters[q3])
            #expect(facts.versions == 2 && facts.income == 2_460_000 && facts.cost == 600_000 && facts.ownersShare == 1_302_000)
            #expect(facts.transfer == nil && facts.transferDate == nil && facts.transferTarget == nil)
            #expect(facts.displayFrom == "2024-11-19" && facts.displayUntil == "2024-12-20" && facts.firstPublishedAt == first.publishedAt)
            #expect(unfinished.inForce[world.a.estate.id]?[q3] == second.id)
        }
    }

    /// The decision registers the rules read are read packed but for their free text (`OwnerDecisions.byEstate`): each
    /// decision comes back as it was recorded, a subject holding the separator included.
    @Test(arguments: kinds)
    func decisionRegistersReadPackedEqualTheRecordedDecisions(kind: TestDatabase.Kind) async throws {
        try await withDatabase(kind) { database in
            // setup
            let world = try await World.build(in: database)
            let register = OwnerDecisions(database: database, clock: world.clock, filesDirectory: NSTemporaryDirectory() + "ledger-facts-tests")
            let recorded = try await register.add(
                OwnerDecisionInput(kind: "assembly", decidedOn: "2023-12-20", subject: "2024年度公共收益使用计划|第二版", votesArea: "21000",
                                   votesHouseholds: "210", amount: "5000", validFrom: "2024-01-01", validUntil: "2024-12-31"),
                estateId: world.a.estate.id, scope: world.a.users[.committee]!.scope)
            // MUT
            let read = try await database.read { db in
                try await OwnerDecisions.byEstate(where: "d.estate_id = \(bind: world.a.estate.id)", on: db)
            }
            // validation
            #expect(read == [world.a.estate.id: [recorded.id: recorded]])
            #expect(recorded.votesHouseholdsFor == 210 && recorded.validUntil == "2024-12-31" && recorded.subject.contains("|"))
        }
    }
}
