import Crypto
import Foundation

/// The Merkle tree of RFC 6962 / RFC 9162 §2.1: leaf = SHA-256(0x00 ‖ data), node = SHA-256(0x01 ‖ left ‖ right),
/// with proofs and their verification. Hashes are 32-byte `Data`.
public enum Merkle {
    public static func leafHash(_ data: Data) -> Data {
        var hasher = SHA256()
        hasher.update(data: Data([0x00]))
        hasher.update(data: data)
        return Data(hasher.finalize())
    }

    static func nodeHash(_ left: Data, _ right: Data) -> Data {
        var hasher = SHA256()
        hasher.update(data: Data([0x01]))
        hasher.update(data: left)
        hasher.update(data: right)
        return Data(hasher.finalize())
    }

    /// The largest power of two smaller than `n` (n ≥ 2).
    static func split(_ n: Int) -> Int {
        var k = 1
        while k << 1 < n { k <<= 1 }
        return k
    }

    /// MTH(D[n]) over leaf hashes; the empty tree's hash is SHA-256 of nothing.
    public static func root(_ leaves: ArraySlice<Data>) -> Data {
        switch leaves.count {
        case 0: return Data(SHA256.hash(data: Data()))
        case 1: return leaves[leaves.startIndex]
        default:
            let k = split(leaves.count)
            let mid = leaves.startIndex + k
            return nodeHash(root(leaves[leaves.startIndex..<mid]), root(leaves[mid...]))
        }
    }

    public static func root(_ leaves: [Data]) -> Data { root(leaves[...]) }

    /// PATH(m, D[n]): the audit path proving leaf `index` is in the tree of these leaves.
    public static func inclusionPath(index: Int, _ leaves: ArraySlice<Data>) -> [Data] {
        guard leaves.count > 1 else { return [] }
        let k = split(leaves.count)
        let mid = leaves.startIndex + k
        if index < k {
            return inclusionPath(index: index, leaves[leaves.startIndex..<mid]) + [root(leaves[mid...])]
        }
        return inclusionPath(index: index - k, leaves[mid...]) + [root(leaves[leaves.startIndex..<mid])]
    }

    /// PROOF(m, D[n]): the consistency proof between the tree of the first `m` leaves and the tree of all of them.
    public static func consistencyProof(first m: Int, _ leaves: ArraySlice<Data>) -> [Data] {
        guard m > 0, m < leaves.count else { return [] }
        return subproof(m, leaves, complete: true)
    }

    private static func subproof(_ m: Int, _ leaves: ArraySlice<Data>, complete: Bool) -> [Data] {
        let n = leaves.count
        if m == n { return complete ? [] : [root(leaves)] }
        let k = split(n)
        let mid = leaves.startIndex + k
        if m <= k {
            return subproof(m, leaves[leaves.startIndex..<mid], complete: complete) + [root(leaves[mid...])]
        }
        return subproof(m - k, leaves[mid...], complete: false) + [root(leaves[leaves.startIndex..<mid])]
    }

    /// RFC 9162 §2.1.3.2: does `path` prove that `leaf` sits at `index` in the tree of `size` with `rootHash`?
    public static func verifyInclusion(leaf: Data, index: Int, size: Int, path: [Data], rootHash: Data) -> Bool {
        guard index >= 0, index < size else { return false }
        var fn = index, sn = size - 1
        var r = leaf
        for p in path {
            if sn == 0 { return false }
            if fn & 1 == 1 || fn == sn {
                r = nodeHash(p, r)
                if fn & 1 == 0 {
                    while fn & 1 == 0 && fn != 0 { fn >>= 1; sn >>= 1 }
                }
            } else {
                r = nodeHash(r, p)
            }
            fn >>= 1
            sn >>= 1
        }
        return sn == 0 && r == rootHash
    }

    /// RFC 9162 §2.1.4.2: does `proof` show the tree of `second` leaves extends the tree of `first` leaves?
    public static func verifyConsistency(first: Int, second: Int, firstHash: Data, secondHash: Data, proof: [Data]) -> Bool {
        guard first > 0, first <= second else { return false }
        if first == second { return proof.isEmpty && firstHash == secondHash }
        guard !proof.isEmpty else { return false }
        var path = proof
        if first & (first - 1) == 0 { path.insert(firstHash, at: 0) }
        var fn = first - 1, sn = second - 1
        while fn & 1 == 1 { fn >>= 1; sn >>= 1 }
        var fr = path[0], sr = path[0]
        for c in path.dropFirst() {
            if sn == 0 { return false }
            if fn & 1 == 1 || fn == sn {
                fr = nodeHash(c, fr)
                sr = nodeHash(c, sr)
                if fn & 1 == 0 {
                    while fn & 1 == 0 && fn != 0 { fn >>= 1; sn >>= 1 }
                }
            } else {
                sr = nodeHash(sr, c)
            }
            fn >>= 1
            sn >>= 1
        }
        return fr == firstHash && sr == secondHash && sn == 0
    }
}
