import Crypto
import Foundation

/// The 双随机 draw of a spot-check plan: which estates are checked and which inspectors go, as a documented
/// deterministic function of a public seed and a list fixed before the seed existed. Anyone can recompute it.
///
/// Method `sha256-ctr-v1`:
/// 1. The eligible list is the plan's estates sorted by id, one line each `id|street|company` (company empty when
///    none); the inspector pool is sorted by id, one line each `id|street|conflicting company ids joined by ,`.
///    `eligibleHash` = SHA-256 (hex) of the eligible lines and the pool lines, each line ended by `\n`, with a line
///    `--\n` between the two lists. It is published with the plan, before the seed exists.
/// 2. The random stream for a purpose `p` (`estates`, `inspectors`) is the concatenation of
///    SHA-256(`seed` `|` `eligibleHash` `|` `p` `|` counter) for counter = 0, 1, 2 … (the counter in decimal), read as
///    big-endian unsigned 64-bit numbers. A number below `n` is drawn by rejection: numbers ≥ 2^64 − (2^64 mod n)
///    are skipped, the rest taken modulo n.
/// 3. Forced inclusions are always in the sample. The rest of the sample, up to ⌈ratio × eligible⌉ estates, is a
///    partial Fisher–Yates shuffle of the other eligible ids (ascending) with the `estates` stream: for i = 0 …, swap
///    position i with i + draw(remaining − i).
/// 4. For each sampled estate, in ascending id order, the inspectors who may go (not serving the estate's street, no
///    declared conflict with its company, not already chosen for it) are shuffled the same way with the
///    `inspectors` stream, which runs on across estates; the first `inspectorsPerEstate` go.
public enum SpotCheckDraw {
    public static let method = "sha256-ctr-v1"
    /// Inspectors sent to each sampled estate (双随机: at least two); a plan whose pool cannot send them is refused.
    public static let inspectorsPerEstate = 2

    public struct Estate: Sendable, Hashable, Codable {
        public let id: Int64
        public let street: String
        public let companyId: Int64?
        public init(id: Int64, street: String, companyId: Int64?) {
            self.id = id
            self.street = street
            self.companyId = companyId
        }
        var line: String { "\(id)|\(street)|\(companyId.map(String.init) ?? "")" }
    }

    public struct Inspector: Sendable, Hashable, Codable {
        public let id: Int64
        /// The street the inspector serves ("" for none): never sent to an estate of that street.
        public let street: String
        /// Companies the inspector declared a conflict with.
        public let conflicts: [Int64]
        public init(id: Int64, street: String, conflicts: [Int64]) {
            self.id = id
            self.street = street
            self.conflicts = conflicts.sorted()
        }
        var line: String { "\(id)|\(street)|\(conflicts.map(String.init).joined(separator: ","))" }

        public func mayInspect(_ estate: Estate) -> Bool {
            (street.isEmpty || street != estate.street) && !(estate.companyId.map(conflicts.contains) ?? false)
        }
    }

    public struct Result: Sendable, Equatable, Codable {
        /// The sampled estates, ascending.
        public let estates: [Int64]
        /// Per sampled estate, its inspectors in the order drawn.
        public let inspectors: [Int64: [Int64]]
    }

    /// SHA-256 of the eligible list and the inspector pool (step 1), in hex.
    public static func eligibleHash(estates: [Estate], pool: [Inspector]) -> String {
        Hex.encode(SHA256.hash(data: Data(eligibleText(estates: estates, pool: pool).utf8)))
    }

    /// The exact text whose SHA-256 is `eligibleHash` (step 1): published so that anyone can check the hash and redraw.
    public static func eligibleText(estates: [Estate], pool: [Inspector]) -> String {
        estates.sorted { $0.id < $1.id }.map { $0.line + "\n" }.joined() + "--\n" + pool.sorted { $0.id < $1.id }.map { $0.line + "\n" }.joined()
    }

    /// How many estates a ratio (basis points) of `count` asks for: rounded up.
    public static func sampleSize(ratioBasisPoints: Int, of count: Int) -> Int {
        min(count, (count * ratioBasisPoints + 9_999) / 10_000)
    }

    /// The draw (steps 2–4). `forced` ids not in the eligible list are ignored.
    public static func draw(seed: String, estates: [Estate], forced: Set<Int64>, ratioBasisPoints: Int, pool: [Inspector],
                            inspectorsPerEstate: Int = SpotCheckDraw.inspectorsPerEstate) -> Result {
        let eligible = estates.sorted { $0.id < $1.id }
        let hash = eligibleHash(estates: eligible, pool: pool)
        let forcedIn = eligible.filter { forced.contains($0.id) }.map(\.id)
        var others = eligible.filter { !forced.contains($0.id) }.map(\.id)
        let wanted = max(0, sampleSize(ratioBasisPoints: ratioBasisPoints, of: eligible.count) - forcedIn.count)
        var stream = Stream(seed: seed, hash: hash, purpose: "estates")
        for i in 0..<min(wanted, others.count) {
            others.swapAt(i, i + stream.below(others.count - i))
        }
        let sample = (forcedIn + others.prefix(wanted)).sorted()
        let byId = Dictionary(uniqueKeysWithValues: eligible.map { ($0.id, $0) })
        let sortedPool = pool.sorted { $0.id < $1.id }
        var people = Stream(seed: seed, hash: hash, purpose: "inspectors")
        var assigned: [Int64: [Int64]] = [:]
        for id in sample {
            var candidates = sortedPool.filter { $0.mayInspect(byId[id]!) }.map(\.id)
            let take = min(inspectorsPerEstate, candidates.count)
            for i in 0..<take { candidates.swapAt(i, i + people.below(candidates.count - i)) }
            assigned[id] = Array(candidates.prefix(take))
        }
        return Result(estates: sample, inspectors: assigned)
    }

    /// The counter-mode SHA-256 stream (step 2).
    struct Stream {
        let prefix: String
        var counter = 0
        var buffer: [UInt8] = []

        init(seed: String, hash: String, purpose: String) {
            prefix = "\(seed)|\(hash)|\(purpose)|"
        }

        mutating func next() -> UInt64 {
            if buffer.count < 8 {
                buffer += Array(SHA256.hash(data: Data((prefix + String(counter)).utf8)))
                counter += 1
            }
            let value = buffer.prefix(8).reduce(UInt64(0)) { $0 << 8 | UInt64($1) }
            buffer.removeFirst(8)
            return value
        }

        /// A number in 0..<n, by rejection.
        mutating func below(_ n: Int) -> Int {
            precondition(n > 0)
            let bound = UInt64(n)
            let limit = UInt64.max - (UInt64.max % bound + 1) % bound
            while true {
                let value = next()
                if value <= limit { return Int(value % bound) }
            }
        }
    }
}
