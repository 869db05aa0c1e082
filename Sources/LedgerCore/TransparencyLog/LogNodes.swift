import Foundation
import SQLKit

/// The stored interior of the Merkle tree (`log_nodes`, M0031): every complete, aligned subtree's root — level `L`,
/// index `i` is MTH of leaves `i·2^L ..< (i+1)·2^L`, level 0 the leaves themselves. Appending a leaf writes the nodes
/// it completes (at most log₂ n + 1); an inclusion or consistency proof then reads only the O(log n) nodes its
/// hashes are folded from, never the whole log. `ledger verify` does not trust these: it recomputes from the leaves.
public enum LogNodes {
    public struct Key: Hashable, Sendable {
        public let level: Int
        public let index: Int
    }

    /// The complete aligned subtrees covering leaves `start ..< end`, largest first (the binary digits of the count).
    /// Every range the RFC 6962 recursion asks the root of starts on a multiple of its largest piece, so each piece is
    /// a stored node.
    static func cover(_ start: Int, _ end: Int) -> [Key] {
        var keys: [Key] = [], at = start, remaining = end - start
        while remaining > 0 {
            let level = Int.bitWidth - 1 - remaining.leadingZeroBitCount
            keys.append(Key(level: level, index: at >> level))
            at += 1 << level
            remaining -= 1 << level
        }
        return keys
    }

    /// MTH of leaves `start ..< end` folded from its stored pieces (as `LogFrontier.root` folds the right edge).
    static func root(_ start: Int, _ end: Int, _ nodes: [Key: Data]) -> Data {
        let pieces = cover(start, end).map { nodes[$0] ?? Data() }
        guard var hash = pieces.last else { return Merkle.root([]) }
        for piece in pieces.dropLast().reversed() { hash = Merkle.nodeHash(piece, hash) }
        return hash
    }

    /// PATH(m, D[start..<end]) of RFC 6962 §2.1.1, each element given by `root(start, end)` of a subrange: the
    /// subrange roots' hashes, or (to know what to read first) the nodes they are folded from.
    static func path<T>(index: Int, _ start: Int, _ end: Int, root: (Int, Int) -> T) -> [T] {
        let n = end - start
        guard n > 1 else { return [] }
        let k = Merkle.split(n)
        if index < k { return path(index: index, start, start + k, root: root) + [root(start + k, end)] }
        return path(index: index - k, start + k, end, root: root) + [root(start, start + k)]
    }

    /// SUBPROOF(m, D[start..<end], b) of RFC 6962 §2.1.2, in the same way.
    static func subproof<T>(_ m: Int, _ start: Int, _ end: Int, complete: Bool, root: (Int, Int) -> T) -> [T] {
        let n = end - start
        if m == n { return complete ? [] : [root(start, end)] }
        let k = Merkle.split(n)
        if m <= k { return subproof(m, start, start + k, complete: complete, root: root) + [root(start + k, end)] }
        return subproof(m - k, start + k, end, complete: false, root: root) + [root(start, start + k)]
    }

    /// The audit path of leaf `index` in the tree of `size` leaves, and how many node rows it read.
    static func inclusionPath(index: Int, size: Int, on db: any SQLDatabase) async throws -> (path: [Data], rowsRead: Int) {
        let keys = Set(path(index: index, 0, size) { cover($0, $1) }.flatMap { $0 })
        let nodes = try await fetch(keys, on: db)
        return (path(index: index, 0, size) { root($0, $1, nodes) }, nodes.count)
    }

    /// PROOF(first, D[second]), and how many node rows it read.
    static func consistencyProof(first: Int, second: Int, on db: any SQLDatabase) async throws -> (proof: [Data], rowsRead: Int) {
        guard first > 0, first < second else { return ([], 0) }
        let keys = Set(subproof(first, 0, second, complete: true) { cover($0, $1) }.flatMap { $0 })
        let nodes = try await fetch(keys, on: db)
        return (subproof(first, 0, second, complete: true) { root($0, $1, nodes) }, nodes.count)
    }

    /// Writes the nodes a leaf completed (`LogFrontier.append`'s answer).
    static func insert(_ nodes: [LogFrontier.Node], on db: any SQLDatabase) async throws {
        guard !nodes.isEmpty else { return }
        var insert = db.insert(into: "log_nodes").columns(["level", "idx", "hash"])
        for node in nodes { insert = insert.values([node.level, node.index, node.hash.hex] as [any Encodable & Sendable]) }
        try await insert.run()
    }

    /// Reads the given nodes in one query; returns them with how many rows were read.
    static func fetch(_ keys: Set<Key>, on db: any SQLDatabase) async throws -> [Key: Data] {
        guard !keys.isEmpty else { return [:] }
        let condition = keys.sorted { ($0.level, $0.index) < ($1.level, $1.index) }
            .map { "(level = \(bind: $0.level) AND idx = \(bind: $0.index))" as SQLQueryString }
        let joined = condition.dropFirst().reduce(condition[0]) { "\($0) OR \($1)" }
        var nodes: [Key: Data] = [:]
        for row in try await db.raw("SELECT level, idx, hash FROM log_nodes WHERE \(joined)").all() {
            guard let hash = Data(hex: try row.decode(column: "hash", as: String.self)) else {
                throw StorageError.migrationFailed("log_nodes", underlying: "corrupt node hash")
            }
            nodes[Key(level: try row.decode(column: "level", as: Int.self), index: try row.decode(column: "idx", as: Int.self))] = hash
        }
        guard nodes.count == keys.count else { throw StorageError.migrationFailed("log_nodes", underlying: "missing nodes") }
        return nodes
    }
}
