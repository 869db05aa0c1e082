import Foundation
@testable import LedgerCore
import LedgerTestSupport
import SQLKit
import Testing

/// Staff lists are computed once per change of what their reader may see (issue #16 item 4, `ListCache`): a second
/// request is answered from memory, a write in another district leaves the page as it is, a write in the reader's own
/// district shows at once.
@Suite struct ListCacheTests {
    @Test(arguments: TestDatabase.available)
    func aListIsKeptUntilAWriteInTheReadersRegion(kind: TestDatabase.Kind) async throws {
        try await withDatabase(kind) { database in
            // setup
            let world = try await World.build(in: database)
            let desk = Complaints(database: database, clock: world.clock, filesDirectory: NSTemporaryDirectory())
            let officerA = world.a.users[.regulator]!.scope
            func listA() async throws -> Int { try await desk.list(scope: officerA, filter: CaseFilter()).total }
            let before = try await listA()
            let computed = database.lists.computed
            #expect(try await listA() == before && database.lists.computed == computed, "the same page again: from memory")
            // MUT: a complaint in county B, then one in county A
            _ = try await desk.file(ComplaintInput(estateId: world.b.estate.id, category: "revenue_ratio", content: "台江区的一条测试投诉内容。"),
                                    uploads: [], address: "203.0.113.1")
            #expect(try await listA() == before && database.lists.computed == computed, "a write in county B leaves county A's page warm")
            _ = try await desk.file(ComplaintInput(estateId: world.a.estate.id, category: "revenue_ratio", content: "鼓楼区的一条测试投诉内容。"),
                                    uploads: [], address: "203.0.113.2")
            // validation
            #expect(try await listA() == before + 1, "a write in county A shows at once")
            #expect(database.lists.computed == computed + 1)
        }
    }

    /// A computation under way is shared: a second request for the same key and stamp waits for it instead of starting
    /// its own (`ListCache.flight`), another stamp starts anew, and once it has landed the value is kept.
    @Test func concurrentRequestsShareOneComputation() async throws {
        let cache = ListCache()
        let (gate, open) = AsyncStream<Void>.makeStream()
        let first = cache.flight("k", stamp: "1") { Task { for await _ in gate { break }; return 42 as any Sendable } }
        let second = cache.flight("k", stamp: "1") { Task { 7 as any Sendable } }
        let newer = cache.flight("k", stamp: "2") { Task { 8 as any Sendable } }
        #expect(first.own && !second.own && newer.own)
        #expect(cache.computed == 2, "the second request started nothing")
        open.yield()
        #expect(try await second.task.value as? Int == 42, "the waiting request gets the first one's value")
        // Through `Database.cached`: eight at once after the value is kept compute nothing more.
        try await withDatabase(.sqlite) { database in
            let value = try await database.cached(in: cache, "list", stamp: "s") { 1 }
            try await withThrowingTaskGroup(of: Int.self) { group in
                for _ in 0..<8 { group.addTask { try await database.cached(in: cache, "list", stamp: "s") { 2 } } }
                for try await shown in group { #expect(shown == value) }
            }
            #expect(cache.computed == 3)
        }
    }
}
