import Crypto
import Foundation

/// The pairing of a cross-inspection round (交叉检查, Putian §四(四)): which participating region inspects which, as a
/// documented deterministic function of a public seed and the participant list fixed before the seed existed.
///
/// Method `sha256-ctr-derangement-v1`:
/// 1. The participant list is the regions' codes sorted ascending (byte order), one line each, ended by `\n`.
///    `participantsHash` = SHA-256 (hex) of that text. It is published with the round, before the seed exists.
/// 2. The random stream is `SpotCheckDraw`'s: SHA-256(`seed` `|` `participantsHash` `|` `pairing` `|` counter) for
///    counter = 0, 1, 2 …, read as big-endian unsigned 64-bit numbers, numbers below `n` drawn by rejection.
/// 3. Positions 0 … n−1 are shuffled by Fisher–Yates with that stream (for i = n−1 down to 1, swap i with draw(i + 1)).
///    If the shuffle leaves some position in place (a region would inspect itself), it is thrown away and the stream
///    runs on into the next shuffle, until one has no fixed point: a uniformly random derangement.
/// 4. The region at sorted position i inspects the region at position π(i). Each region inspects exactly one other
///    and is inspected by exactly one; none inspects itself.
public enum CrossInspectionDraw {
    public static let method = "sha256-ctr-derangement-v1"

    /// One group: the inspecting region's team checks the inspected region's estates.
    public struct Pair: Sendable, Hashable, Codable {
        public let inspecting: String
        public let inspected: String
        public init(inspecting: String, inspected: String) {
            self.inspecting = inspecting
            self.inspected = inspected
        }
    }

    /// SHA-256 of the sorted participant list (step 1), in hex.
    public static func participantsHash(_ codes: [String]) -> String {
        let text = sortedCodes(codes).map { $0 + "\n" }.joined()
        return Hex.encode(SHA256.hash(data: Data(text.utf8)))
    }

    /// The participants in the order the method reads them: distinct, ascending by bytes.
    public static func sortedCodes(_ codes: [String]) -> [String] {
        Array(Set(codes)).sorted { Array($0.utf8).lexicographicallyPrecedes(Array($1.utf8)) }
    }

    /// The pairing (steps 2–4), in the sorted order of the inspecting regions. Fewer than two participants: no pairs.
    public static func draw(seed: String, participants: [String]) -> [Pair] {
        let codes = sortedCodes(participants)
        let n = codes.count
        guard n >= 2 else { return [] }
        var stream = SpotCheckDraw.Stream(seed: seed, hash: participantsHash(codes), purpose: "pairing")
        while true {
            var positions = Array(0..<n)
            for i in stride(from: n - 1, to: 0, by: -1) {
                positions.swapAt(i, stream.below(i + 1))
            }
            if positions.enumerated().allSatisfy({ $0.offset != $0.element }) {
                return positions.enumerated().map { Pair(inspecting: codes[$0.offset], inspected: codes[$0.element]) }
            }
        }
    }
}
