import Foundation
import SQLKit

/// What a list or report over a large region is summed from (issue #16, items 4 and 5): one part per subtree, each kept
/// under that subtree's own stamp (`Dashboard.stamp`), so that after a write in one street the next view counts that
/// street again and sums everything else from memory. The dashboard keeps its own parts (`Dashboard.part`); the filing
/// calendar and the 情况汇总表 use these.
///
/// Rows are keyed by region path, and a path lies in exactly one child of a region, so the children's parts never
/// count a row twice; the rows at a region's own path (a city-level record, say) are its own part.
protocol SubtreePart: Sendable {
    /// Adds another subtree's part (disjoint rows) to this one.
    mutating func add(_ other: Self)
}

extension Database {
    /// The figure `kind` (with `key`: its period, quarter…) for `region`'s whole subtree on `today`: a province, city or
    /// district with children (`Dashboard.isComposed`) is its own rows plus each child's part; a street or below is
    /// counted from its rows. `count` counts the rows a `PathSelection` picks.
    func subtreePart<P: SubtreePart>(_ kind: String, region: Region, key: String, today: Day,
                                     count: @escaping @Sendable (PathSelection, any SQLDatabase) async throws -> P) async throws -> P {
        let stamp = "\(try await read { db in try await Dashboard.stamp(regionPath: region.path, on: db) })/\(today)"
        return try await cached(in: parts, "\(kind)|\(region.path)|\(key)", stamp: stamp) {
            if let split = try await subtreeParts(kind, region: region, key: key, today: today, count: count) {
                return split.children.reduce(into: split.own) { $0.add($1.part) }
            }
            return try await read { db in try await count(.under(region.path), db) }
        }
    }

    /// `region`'s own rows and each child's part (`subtreePart`), or nil when the region is counted from its rows
    /// (a street or below, or a region without children).
    func subtreeParts<P: SubtreePart>(_ kind: String, region: Region, key: String, today: Day,
                                      count: @escaping @Sendable (PathSelection, any SQLDatabase) async throws -> P)
    async throws -> (own: P, children: [(region: Region, part: P)])? {
        guard Dashboard.isComposed(region) else { return nil }
        let (children, own) = try await read { db in
            let children = try await RegionDirectory.children(of: region, on: db)
            return (children, children.isEmpty ? nil : try await count(.at([region.path]), db))
        }
        guard let own else { return nil }
        var parts: [(region: Region, part: P)] = []
        for child in children {
            parts.append((child, try await subtreePart(kind, region: child, key: key, today: today, count: count)))
        }
        return (own, parts)
    }
}
