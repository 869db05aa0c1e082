import Foundation
import LedgerCore
import LedgerTestSupport
import SQLKit
import Testing
import ZIPFoundation

/// The casework kernel: state tables as the one rule, the shared filter, the streamed ledger read and the streamed
/// ledger writers.
@Suite struct CaseworkTests {
    static let kinds = TestDatabase.available

    /// Every kind's steps answer from its table and nothing else: an action is offered exactly where the table lists it
    /// and the role holds its permission.
    @Test func stateTablesAreTheOnlyRule() {
        func check<Status: CaseStatus, Action: Hashable & CaseIterable>(_ table: StateTable<Status, Action>, allowed: (Action, Status) -> Bool,
                                                                         permitted: (Action, Role) -> Bool) {
            #expect(Set(table.transitions.map(\.action)).count == Array(Action.allCases).count, "each action once")
            for status in Status.allCases {
                for role in Role.allCases {
                    let offered = table.available(at: status, for: role)
                    let expected = Array(Action.allCases).filter { allowed($0, status) && permitted($0, role) }
                    #expect(Set(offered) == Set(expected), "\(status) \(role)")
                }
            }
        }
        check(Complaints.steps, allowed: { $0.allowed(from: $1) }, permitted: { $0.permitted(for: $1) })
        check(Problems.steps, allowed: { $0.allowed(from: $1) }, permitted: { $0.permitted(for: $1) })
        // Spot checks against the plans: only a transferred complaint is decided, only a submitted rectification verified.
        #expect(Complaints.steps.available(at: .transferred, for: .oversight) == [.decide])
        #expect(Problems.steps.available(at: .submitted, for: .regulator).contains(.accept))
        #expect(!Problems.steps.available(at: .open, for: .regulator).contains(.accept))
        #expect(Problems.steps.available(at: .closed, for: .admin).isEmpty)
    }

    @Test(arguments: kinds)
    func streamedReadGivesEveryCaseOnceInBatchesAndKeepsToTheScope(kind: TestDatabase.Kind) async throws {
        try await withDatabase(kind) { database in
            let world = try await World.build(in: database)
            let desk = Complaints(database: database, clock: world.clock, filesDirectory: NSTemporaryDirectory() + "ledger-test-files")
            for index in 0..<7 {
                _ = try await desk.file(ComplaintInput(estateId: world.a.estate.id, category: "revenue_undisclosed", content: "第\(index)条：停车费收入没有公示，请核查。"),
                                       uploads: [], address: "192.0.2.\(index)")
            }
            let regulator = world.a.users[.regulator]!.scope
            let today = Day(Timestamp.shanghaiDay(world.clock.now()))!
            var streamed: [Int64] = []
            try await Casework.forEach(Complaints.self, scope: regulator, filter: CaseFilter(), today: today, batch: 2, on: database) { streamed.append($0.id) }
            var all = CaseFilter()
            all.pageSize = 500
            let listed = try await desk.list(scope: regulator, filter: all).items.map(\.id)
            #expect(streamed.count == 7 && streamed == streamed.sorted() && Set(streamed) == Set(listed))
            // Another region's officer streams nothing of region A; a filter narrows the stream as it narrows the list.
            var other: [Int64] = []
            try await Casework.forEach(Complaints.self, scope: world.b.users[.regulator]!.scope, filter: CaseFilter(), today: today, batch: 2,
                                       on: database) { other.append($0.id) }
            #expect(other.isEmpty)
            var search = CaseFilter()
            search.search = "第3条"
            var found: [Int64] = []
            try await desk.forEach(scope: regulator, filter: search) { found.append($0.id) }
            let listedFound = try await desk.list(scope: regulator, filter: search).items.map(\.id)
            #expect(found.count == 1 && listedFound == found)
            // An unknown code is refused with the kind's own statuses named.
            var wrong = CaseFilter()
            wrong.status = "open"
            await #expect(throws: LedgerError.invalid("status", code: "unknown_status", "状态须为 received、assigned、transferred 或 closed")) {
                try await desk.forEach(scope: regulator, filter: wrong) { _ in }
            }
        }
    }

    static let layout = LedgerLayout<(String, Int)>(
        sheet: XLSXSheet(name: "台账", rows: [[.bold("标题")], ["序号", "名称", "数量"].map(XLSXCell.bold)], merges: ["A1:C1"], columnWidths: [6, 20, 8],
                         frozenRows: 2),
        headers: ["序号", "名称", "数量"]
    ) { item, number in [.integer(Int64(number)), .text(item.0), .integer(Int64(item.1))] }

    @Test func csvStreamWritesWhatTheWholeTextWouldInChunks() {
        let items = (0..<10_000).map { ("=名称\($0), \"引号\"", $0) }
        var stream = CSVStream(Self.layout)
        var bytes: [UInt8] = []
        var chunks = 0
        for item in items {
            if let chunk = stream.append(item) {
                bytes += chunk
                chunks += 1
            }
        }
        bytes += stream.finish()
        let whole = "\u{FEFF}" + CSV.format([Self.layout.headers] + items.enumerated().map { ["\($0.offset + 1)", $0.element.0, "\($0.element.1)"] })
        #expect(chunks >= 2, "the text left in chunks")
        #expect(String(decoding: bytes, as: UTF8.self) == whole)
    }

    @Test func xlsxStreamHoldsTheSamePartsAsTheWholeWorkbook() throws {
        let items = (0..<2_500).map { ("名称<\($0)>&", $0 * 3) }
        let stream = try XLSXStream(Self.layout)
        for item in items { try stream.append(item) }
        let url = try stream.finish()
        defer { try? FileManager.default.removeItem(at: url) }
        var sheet = Self.layout.sheet
        sheet.rows += items.enumerated().map { Self.layout.row($0.element, $0.offset + 1) }
        let whole = try Archive(data: try XLSXWriter.data([sheet]), accessMode: .read)
        let streamed = try Archive(url: url, accessMode: .read)
        func parts(_ archive: Archive) throws -> [String: Data] {
            var parts: [String: Data] = [:]
            for entry in archive {
                var data = Data()
                _ = try archive.extract(entry) { data.append($0) }
                parts[entry.path] = data
            }
            return parts
        }
        let expected = try parts(whole)
        #expect(expected.count == 6)
        #expect(try parts(streamed) == expected)
    }
}
