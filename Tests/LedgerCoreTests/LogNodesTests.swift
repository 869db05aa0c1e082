import Crypto
import Foundation
@testable import LedgerCore
import LedgerTestSupport
import SQLKit
import Testing

/// Log proofs in O(log n) (issue #16 item 7): the stored complete subtrees give the same proofs as the whole-log
/// recursion of RFC 6962, and a proof reads O(log n) node rows, on every available database.
@Suite struct LogNodesTests {
    static func leaves(_ n: Int) -> [Data] {
        (0..<n).map { Merkle.leafHash(Data("leaf \($0)".utf8)) }
    }

    @Test func proofsFromStoredNodesEqualTheWholeLogRecursion() {
        for size in [1, 2, 3, 4, 5, 7, 8, 9, 13, 31, 64, 100] {
            let leaves = Self.leaves(size)
            var frontier = LogFrontier(), nodes: [LogNodes.Key: Data] = [:]
            for leaf in leaves {
                for node in frontier.append(leaf) { nodes[.init(level: node.level, index: node.index)] = node.hash }
            }
            #expect(LogNodes.root(0, size, nodes) == Merkle.root(leaves) && frontier.root == Merkle.root(leaves))
            for index in 0..<size {
                #expect(LogNodes.path(index: index, 0, size) { LogNodes.root($0, $1, nodes) } == Merkle.inclusionPath(index: index, leaves[...]),
                        "path of \(index) in \(size)")
            }
            for first in 1..<size {
                let proof = LogNodes.subproof(first, 0, size, complete: true) { LogNodes.root($0, $1, nodes) }
                #expect(proof == Merkle.consistencyProof(first: first, leaves[...]), "consistency \(first) → \(size)")
            }
        }
    }

    @Test(arguments: TestDatabase.available)
    func aProofReadsLogarithmicallyManyRows(kind: TestDatabase.Kind) async throws {
        try await withDatabase(kind) { database in
            // setup: 1,000 leaves' nodes, as appends write them
            let size = 1_000
            let leaves = Self.leaves(size)
            try await database.transaction { db in
                var frontier = LogFrontier(), batch: [LogFrontier.Node] = []
                for leaf in leaves {
                    batch += frontier.append(leaf)
                    if batch.count > 300 { try await LogNodes.insert(batch, on: db); batch = [] }
                }
                try await LogNodes.insert(batch, on: db)
            }
            let stored = try await database.read { db in
                try await db.raw("SELECT COUNT(*) AS n FROM log_nodes").first(decodingColumn: "n", as: Int.self)
            }
            #expect(stored == 2 * size - size.nonzeroBitCount, "one row per complete subtree")
            // MUT + validation: ⌈log₂ 1000⌉ = 10; a path needs at most two pieces per level
            for index in [0, 1, 499, 511, 512, 998, 999] {
                let (path, rows) = try await database.read { db in try await LogNodes.inclusionPath(index: index, size: size, on: db) }
                #expect(path == Merkle.inclusionPath(index: index, leaves[...]))
                #expect(rows <= 2 * 10 && rows < size / 20, "\(rows) rows for the path of \(index)")
            }
            for first in [1, 3, 500, 512, 777, 999] {
                let (proof, rows) = try await database.read { db in try await LogNodes.consistencyProof(first: first, second: size, on: db) }
                #expect(proof == Merkle.consistencyProof(first: first, leaves[...]))
                #expect(rows <= 2 * 10, "\(rows) rows for the consistency proof from \(first)")
            }
        }
    }
}
