import Foundation
import SQLKit

/// The parts a province's, city's or district's view is summed from (docs/design.md §11 and §32): each child's whole
/// subtree, found in memory, among the parts kept in the database, or counted from the rows, each under its own stamp.
extension Dashboard {
    /// A subtree's figures and trend counts: what a region above the streets sums from its children (`childParts`).
    struct Part: Sendable, Codable {
        var figures = Figures()
        var trend: [TrendCount]
        /// Estates each company manages today in the subtree: the credit block's "who manages what" (`CreditSummary`),
        /// summed from the parts like the figures, so that a view recomputed after a write reads one street's estates.
        var managers: [Int64: Int] = [:]

        mutating func add(_ other: Part) {
            figures.add(other.figures)
            for index in trend.indices where index < other.trend.count { trend[index].add(other.trend[index]) }
            managers.merge(other.managers, uniquingKeysWith: +)
        }
    }


    /// The part of each of `region`'s children (its whole subtree, cached under the child's own stamp: a street counted
    /// from its rows, a district, city or province summed from its children and its own rows) and the part of the rows
    /// at `region`'s own path, found in as few queries as the tree is deep: one read of the subtree's regions and
    /// stamps, then, level by level, the parts in memory, then those kept in the database (one query per level); every
    /// part found in neither is counted in one pass over the rows (`tally` split by part), summed upwards, and kept in
    /// one transaction. So the first view ever reads the rows once rather than once per street, and a view after a
    /// write reads the one street written in.
    func childParts(_ region: Region, children: [Region], quarter: Quarter, today: Day) async throws -> (own: Part, children: [Part]) {
        let (tree, stamps) = try await database.read { db in
            let regions = try await db.raw("""
                SELECT \(RegionDirectory.columns) FROM regions r WHERE \(Scope.pathPredicate("r.path", region.path))
                AND r.level IN ('city', 'county', 'street') ORDER BY r.code
                """).all().map(Region.init(row:))
            let stamps = try await Self.stamps(under: region.path, on: db)
            return (Dictionary(grouping: regions, by: { $0.parentCode ?? "" }), stamps)
        }
        func key(_ node: Region) -> String { "part|\(node.path)|\(quarter)" }
        func held(_ node: Region) -> String { "\(stamps.stamp(of: node.path))/\(today)/\(Self.countedAs)" }
        func isSummed(_ node: Region) -> Bool { Self.isComposed(node) && !(tree[node.code] ?? []).isEmpty }
        var found: [String: Part] = [:]  // by path
        var missing: [Region] = []  // top down
        var level = children
        while !level.isEmpty {
            var notInMemory: [Region] = []
            for node in level {
                if let part = await cache.part(key(node), stamp: held(node)) { found[node.path] = part } else { notInMemory.append(node) }
            }
            let wanted = notInMemory.map { (key: key($0), stamp: held($0)) }
            let kept = wanted.isEmpty ? [:] : try await database.read { db in try await Self.keptParts(wanted, on: db) }
            level = []
            for node in notInMemory {
                if let part = kept[key(node)] {
                    found[node.path] = part
                    await cache.putPart(key(node), stamp: held(node), part: part)
                } else {
                    missing.append(node)
                    if isSummed(node) { level += tree[node.code] ?? [] }
                }
            }
        }
        // One pass over the rows for every part missing: a street's subtree, a summed region's own path.
        let leaves = missing.filter { !isSummed($0) }.map(\.path)
        let owns = [region.path] + missing.filter(isSummed).map(\.path)
        let (leafSet, ownSet) = (Set(leaves), Set(owns))
        // Many parts at once (the first view): the whole subtree, rows of parts already found left out by their key.
        let selection: PathSelection = leaves.count + owns.count > Self.countWholeSubtreeAbove ? .under(region.path) : .union(under: leaves, at: owns)
        let (tally, managers) = try await database.read { db in
            // A row's part: the street above it, else the summed region at its path; "" for a row of a part found.
            var units: [String: String] = [:]
            func unit(_ rowPath: String) -> String {
                if let known = units[rowPath] { return known }
                var prefix = "/", result = ownSet.contains(rowPath) ? rowPath : ""
                for code in rowPath.split(separator: "/") {
                    prefix += code + "/"
                    if leafSet.contains(prefix) { result = prefix; break }
                }
                units[rowPath] = result
                return result
            }
            let tally = try await Self.tally(selection, quarter: quarter, today: today, byEstate: false, trendByUnit: true, on: db) { rowPath, _ in unit(rowPath) }
            var managers: [String: [Int64: Int]] = [:]
            for row in try await db.raw("""
                SELECT company_id, region_path, COUNT(*) AS n FROM estates WHERE company_id IS NOT NULL AND \(selection.predicate("region_path"))
                GROUP BY company_id, region_path
                """).all() {
                let path = unit(try row.decode(column: "region_path", as: String.self))
                managers[path, default: [:]][try row.decode(column: "company_id", as: Int64.self), default: 0] += try row.decode(column: "n", as: Int.self)
            }
            return (tally, managers)
        }
        let noTrend = Array(repeating: TrendCount(), count: Self.window(quarter).count)
        func counted(_ path: String) -> Part {
            Part(figures: tally.units[path] ?? Figures(), trend: tally.trends[path] ?? noTrend, managers: managers[path] ?? [:])
        }
        var fresh: [(key: String, stamp: String, part: Part)] = []
        for node in missing.reversed() {  // deepest first: a summed region's children are found or counted before it
            var part = counted(node.path)
            if isSummed(node) { for child in tree[node.code] ?? [] { part.add(found[child.path] ?? counted(child.path)) } }
            found[node.path] = part
            await cache.putPart(key(node), stamp: held(node), part: part, counted: true)
            fresh.append((key(node), held(node), part))
        }
        // Keeping them is a convenience for the next server: a database that refuses the write (read-only) still shows the view.
        if !fresh.isEmpty {
            _ = try? await database.transaction { [fresh] db in for item in fresh { try await Self.keep(item.part, key: item.key, stamp: item.stamp, on: db) } }
        }
        return (counted(region.path), children.map { found[$0.path] ?? counted($0.path) })
    }

    /// Above this many parts to count, `childParts` reads the whole subtree once rather than each part's paths (a test
    /// sets it to 0 to check that the rows of parts already found are left out).
    @TaskLocal static var countWholeSubtreeAbove = 24

    /// The `public_stamps` rows that can move the stamp of `path` or of any region beneath it: the shared row, the
    /// rows of `path`'s ancestors and of every path under it. `stamp(of:)` gives each region's `Dashboard.stamp` from
    /// them, as one query per region would.
    struct SubtreeStamps: Sendable {
        let rows: [String: Int64]
        /// The newest row at or under each region path (a row counts for every prefix of its key).
        let below: [String: Int64]

        init(rows: [String: Int64]) {
            self.rows = rows
            var below: [String: Int64] = [:]
            for (key, id) in rows {
                for prefix in PublicStamps.keys(covering: key) where below[prefix].map({ $0 < id }) ?? true { below[prefix] = id }
            }
            self.below = below
        }

        func stamp(of path: String) -> Int64 {
            let own = path.hasSuffix("/") ? path : path + "/"
            return PublicStamps.keys(covering: own).reduce(below[own] ?? 0) { max($0, rows[$1] ?? 0) }
        }
    }

    static func stamps(under path: String, on db: any SQLDatabase) async throws -> SubtreeStamps {
        let own = path.hasSuffix("/") ? path : path + "/"
        var rows: [String: Int64] = [:]
        for row in try await db.raw("""
            SELECT scope_key, audit_id FROM public_stamps
            WHERE scope_key IN (\(binds: PublicStamps.keys(covering: own))) OR \(Scope.pathPredicate("scope_key", own))
            """).all() {
            rows[try row.decode(column: "scope_key", as: String.self)] = try row.decode(column: "audit_id", as: Int64.self)
        }
        return SubtreeStamps(rows: rows)
    }

    /// The version of what a part counts, held in its stamp: a release that changes a figure's definition or the
    /// part's shape raises it, so that parts kept by an older release are counted again rather than shown.
    static let countedAs = 1

    /// The parts kept in the database (`dashboard_parts`, M0034) for these keys, each only if it was counted for its
    /// stamp: what a restarted server, or another server over the same database, reads instead of counting the subtree
    /// again. A body that no longer decodes (a part of an older shape) is counted again and replaced.
    static func keptParts(_ wanted: [(key: String, stamp: String)], on db: any SQLDatabase) async throws -> [String: Part] {
        let stamps = Dictionary(wanted, uniquingKeysWith: { a, _ in a })
        var parts: [String: Part] = [:]
        for start in stride(from: 0, to: wanted.count, by: 500) {
            let keys = wanted[start..<min(start + 500, wanted.count)].map(\.key)
            for row in try await db.raw("SELECT part_key, stamp, body FROM dashboard_parts WHERE part_key IN (\(binds: keys))").all() {
                let key = try row.decode(column: "part_key", as: String.self)
                guard try row.decode(column: "stamp", as: String.self) == stamps[key],
                      let part = try? JSONDecoder().decode(Part.self, from: Data(try row.decode(column: "body", as: String.self).utf8)) else { continue }
                parts[key] = part
            }
        }
        return parts
    }

    /// Keeps a part counted for `stamp` (derived figures, not a record of anything: not audited). The stamp was read
    /// before the rows were counted, so a write committed in between leaves a kept part newer than its stamp, which
    /// the next reader, seeing the newer stamp, counts again — never one older than its stamp.
    static func keep(_ part: Part, key: String, stamp: String, on db: any SQLDatabase) async throws {
        let body = String(decoding: try JSONEncoder().encode(part), as: UTF8.self)
        try await db.raw("""
            INSERT INTO dashboard_parts (part_key, stamp, body) VALUES (\(bind: key), \(bind: stamp), \(bind: body))
            ON CONFLICT (part_key) DO UPDATE SET stamp = excluded.stamp, body = excluded.body
            """).run()
    }
}
