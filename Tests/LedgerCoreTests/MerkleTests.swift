import Foundation
import LedgerCore
import Testing

@Suite struct MerkleTests {
    /// The RFC 6962 test leaves used by Certificate Transparency implementations, and their roots for sizes 1…8.
    static let leaves: [Data] = ["", "00", "10", "2021", "3031", "40414243", "5051525354555657", "606162636465666768696a6b6c6d6e6f"]
        .map { Data(hex: $0)! }
    static let roots = [
        "6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d",
        "fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125",
        "aeb6bcfe274b70a14fb067a5e5578264db0fa9b51af5e0ba159158f329e06e77",
        "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7",
        "4e3bbb1f7b478dcfe71fb631631519a3bca12c9aefca1612bfce4c13a86264d4",
        "76e67dadbcdf1e10e1b74ddc608abd2f98dfb16fbce75277b5232a127f2087ef",
        "ddb89be403809e325750d3d263cd78929c2942b7942a34b77e122c9594a74c8c",
        "5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328",
    ]

    static func hashes(_ count: Int) -> [Data] {
        (0..<count).map { Merkle.leafHash(Data("leaf \($0)".utf8)) }
    }

    // MARK: Tests

    @Test func rootsMatchTheReferenceVectors() {
        let hashes = Self.leaves.map(Merkle.leafHash)
        for size in 1...8 {
            #expect(Merkle.root(Array(hashes.prefix(size))).hex == Self.roots[size - 1], "size \(size)")
        }
        #expect(Merkle.root([]).hex == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")
    }

    @Test(arguments: [1, 2, 3, 5, 7, 8, 13, 31, 32, 33, 100])
    func everyInclusionProofVerifies(size: Int) {
        let hashes = Self.hashes(size)
        let root = Merkle.root(hashes)
        for index in 0..<size {
            let path = Merkle.inclusionPath(index: index, hashes[...])
            #expect(Merkle.verifyInclusion(leaf: hashes[index], index: index, size: size, path: path, rootHash: root), "\(index)/\(size)")
            // The same path does not prove another leaf, another position, or another root.
            let other = Merkle.leafHash(Data("not in the log".utf8))
            #expect(!Merkle.verifyInclusion(leaf: other, index: index, size: size, path: path, rootHash: root))
            if size > 1 {
                #expect(!Merkle.verifyInclusion(leaf: hashes[index], index: (index + 1) % size, size: size, path: path, rootHash: root))
            }
        }
    }

    @Test(arguments: [2, 3, 6, 7, 8, 9, 17, 50])
    func everyConsistencyProofVerifies(size: Int) {
        let hashes = Self.hashes(size)
        let secondRoot = Merkle.root(hashes)
        for first in 1..<size {
            let firstRoot = Merkle.root(Array(hashes.prefix(first)))
            let proof = Merkle.consistencyProof(first: first, hashes[...])
            #expect(Merkle.verifyConsistency(first: first, second: size, firstHash: firstRoot, secondHash: secondRoot, proof: proof),
                    "\(first)→\(size)")
            // A rewritten history does not verify.
            var forged = hashes
            forged[first - 1] = Merkle.leafHash(Data("rewritten".utf8))
            let forgedRoot = Merkle.root(Array(forged.prefix(first)))
            #expect(!Merkle.verifyConsistency(first: first, second: size, firstHash: forgedRoot, secondHash: secondRoot, proof: proof))
        }
    }

    @Test func referenceConsistencyProofShape() {
        // RFC 6962 §2.1.3's example tree of 7 leaves: PROOF(3, D[7]) = [c, d, g, l].
        let hashes = Self.leaves.prefix(7).map(Merkle.leafHash)
        let proof = Merkle.consistencyProof(first: 3, hashes[...])
        #expect(proof.count == 4)
        #expect(proof[0] == hashes[2])
        #expect(proof[3] == Merkle.root(Array(hashes[4..<7])))
    }
}

extension MerkleTests {
    @Test func frontierGivesTheSameRootAsTheFullTree() {
        let hashes = Self.hashes(70)
        var frontier = LogFrontier()
        for (index, hash) in hashes.enumerated() {
            frontier.append(hash)
            #expect(frontier.root == Merkle.root(Array(hashes.prefix(index + 1))), "size \(index + 1)")
            #expect(LogFrontier(size: frontier.size, encoded: frontier.encoded) == frontier)
        }
    }
}
