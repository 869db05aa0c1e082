import Foundation

/// The right edge of the Merkle tree: the roots of its perfect subtrees, largest first. Appending a leaf and
/// computing the new root cost O(log n), so publishing never re-reads the whole log.
public struct LogFrontier: Sendable, Equatable {
    public private(set) var size: Int
    /// Roots of the perfect subtrees whose sizes are the binary digits of `size`, largest first.
    public private(set) var subtrees: [Data]

    public init(size: Int = 0, subtrees: [Data] = []) {
        self.size = size
        self.subtrees = subtrees
    }

    /// A complete subtree: level `L`, index `i` covers leaves `i·2^L ..< (i+1)·2^L` (`log_nodes`).
    public struct Node: Sendable, Equatable {
        public let level: Int
        public let index: Int
        public let hash: Data
    }

    /// Appends a leaf; returns the complete subtrees it finished — the leaf itself (level 0) and one node for each
    /// subtree it completes, for `log_nodes`.
    @discardableResult
    public mutating func append(_ leafHash: Data) -> [Node] {
        subtrees.append(leafHash)
        var nodes = [Node(level: 0, index: size, hash: leafHash)]
        // Each trailing 1-bit of the old size is a subtree the new leaf completes.
        var carry = size, level = 0
        while carry & 1 == 1 {
            let right = subtrees.removeLast()
            let left = subtrees.removeLast()
            let hash = Merkle.nodeHash(left, right)
            subtrees.append(hash)
            carry >>= 1
            level += 1
            nodes.append(Node(level: level, index: size >> level, hash: hash))
        }
        size += 1
        return nodes
    }

    /// MTH of the leaves appended so far: the subtrees folded from the right.
    public var root: Data {
        guard var hash = subtrees.last else { return Merkle.root([]) }
        for subtree in subtrees.dropLast().reversed() { hash = Merkle.nodeHash(subtree, hash) }
        return hash
    }

    /// Stored as the subtree hashes in hex, comma-separated.
    public var encoded: String { subtrees.map(\.hex).joined(separator: ",") }

    public init?(size: Int, encoded: String) {
        let parts = encoded.isEmpty ? [] : encoded.split(separator: ",").map { Data(hex: String($0)) }
        guard parts.allSatisfy({ $0 != nil }), parts.count == size.nonzeroBitCount else { return nil }
        self.init(size: size, subtrees: parts.map { $0! })
    }
}
