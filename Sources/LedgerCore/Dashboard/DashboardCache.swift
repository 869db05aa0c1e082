import Foundation

/// The dashboard's cache: one entry per region and quarter, valid while its stamp (newest audit entry, today) holds.
public actor DashboardCache {
    private var entries: [String: (String, Dashboard.View)] = [:]
    /// How many views were asked for and not found current (each one computed): for tests.
    public private(set) var misses = 0
    private var parts: [String: (String, Dashboard.Part)] = [:]
    /// How many subtree parts were computed rather than found current: for tests.
    public private(set) var partMisses = 0
    /// How long each stage of the last recomputed view took, in order (`ledger-bench` prints them).
    public private(set) var lastStages: [(name: String, seconds: Double)] = []

    public init() {}

    func get(_ key: String, stamp: String) -> Dashboard.View? {
        guard let (held, view) = entries[key], held == stamp else { misses += 1; return nil }
        return view
    }

    func put(_ key: String, stamp: String, view: Dashboard.View, stages: [(name: String, seconds: Double)] = []) {
        lastStages = stages
        if entries.count >= 512 { entries.removeAll() }
        entries[key] = (stamp, view)
    }

    /// A street's, district's, city's or province's subtree figures, valid while its own stamp holds.
    func part(_ key: String, stamp: String) -> Dashboard.Part? {
        guard let (held, part) = parts[key], held == stamp else { partMisses += 1; return nil }
        return part
    }

    /// How many subtree parts were counted from the rows (neither in memory nor kept in the database): for tests.
    public private(set) var partsCounted = 0

    func putPart(_ key: String, stamp: String, part: Dashboard.Part, counted: Bool = false) {
        if counted { partsCounted += 1 }
        if parts.count >= 4_096 { parts.removeAll() }
        parts[key] = (stamp, part)
    }
}

extension Dashboard {
    /// Durations of a recomputation's stages (what `DashboardCache.lastStages` reports).
    struct Stages {
        private(set) var list: [(name: String, seconds: Double)] = []

        mutating func time<T>(_ name: String, _ work: () async throws -> T) async rethrows -> T {
            let start = ContinuousClock.now
            let value = try await work()
            let elapsed = ContinuousClock.now - start
            list.append((name, Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18))
            return value
        }
    }
}
