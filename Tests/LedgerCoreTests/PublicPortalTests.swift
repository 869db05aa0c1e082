import Foundation
import LedgerCore
import LedgerTestSupport
import Testing

/// The portal's reads: the estate search (two characters at least, a district, pages) and the latest disclosures.
@Suite struct PublicPortalTests {
    static let kinds = TestDatabase.available

    @Test(arguments: kinds)
    func searchNeedsTwoCharactersAndKeepsToTheDistrict(kind: TestDatabase.Kind) async throws {
        try await withDatabase(kind) { database in
            let world = try await World.build(in: database)
            let portal = PublicPortal(database: database, clock: world.clock)
            for short in ["", " ", "东", " 东 "] {
                await #expect(throws: LedgerError.self, "\(short)") { _ = try await portal.search(short) }
            }
            do {
                _ = try await portal.search("东")
            } catch let error as LedgerError {
                #expect(error.message == "请输入至少两个字" && error.field == "q")
            }
            #expect(try await portal.search(" 东湖 ").items.map(\.id) == [world.a.estate.id])
            #expect(Set(try await portal.search("某路").items.map(\.id)) == [world.a.estate.id, world.b.estate.id])
            #expect(try await portal.search("某路", district: world.b.county.code).items.map(\.id) == [world.b.estate.id])
            #expect(try await portal.search("", district: world.a.county.code).items.map(\.id) == [world.a.estate.id])
            await #expect(throws: LedgerError.self) { _ = try await portal.search("某路", district: world.a.street.code) }
            // One estate a page: two pages, each with its own.
            let first = try await portal.search("某路", page: 1, pageSize: 1)
            let second = try await portal.search("某路", page: 2, pageSize: 1)
            #expect(first.total == 2 && first.hasNext && !second.hasNext)
            #expect(Set(first.items.map(\.id) + second.items.map(\.id)) == [world.a.estate.id, world.b.estate.id])
            #expect(try await portal.districts().map(\.code) == [world.a.county.code, world.b.county.code])
        }
    }

    @Test(arguments: kinds)
    func latestPublishedIsNewestFirstAPageAtATime(kind: TestDatabase.Kind) async throws {
        try await withDatabase(kind) { database in
            let world = try await World.build(in: database)
            let repository = DisclosureRepository(database: database, clock: world.clock)
            let portal = PublicPortal(database: database, clock: world.clock)
            #expect(try await portal.latestPublished().items.isEmpty)
            let published: [(Estate, Int, User)] = [(world.a.estate, 1, world.a.users[.company]!), (world.b.estate, 1, world.b.users[.company]!),
                                                     (world.a.estate, 2, world.a.users[.company]!)]
            for (estate, quarter, user) in published {
                _ = try await repository.publish(estateId: estate.id, quarter: Quarter(year: 2024, quarter: quarter)!,
                                                 document: DisclosureSamples.valid(), reason: nil, scope: user.scope)
            }
            let first = try await portal.latestPublished(page: 1, pageSize: 2)
            let second = try await portal.latestPublished(page: 2, pageSize: 2)
            #expect(first.total == 3 && first.hasNext && !second.hasNext)
            #expect(first.items.map { "\($0.estateName) \($0.year)Q\($0.quarter)" } == ["东湖花园 2024Q2", "洋中新村 2024Q1"])
            #expect(second.items.map { "\($0.estateName) \($0.year)Q\($0.quarter)" } == ["东湖花园 2024Q1"])
            #expect(second.items.first?.version == 1)
        }
    }
}
