import Foundation
import SQLKit
import Synchronization

/// Pages of the staff lists (warnings, complaints, problems, the filing calendar, the 情况汇总表) kept while nothing they
/// show can have changed, so that an officer of a city of 50,000 estates does not count the city again on every request
/// (issue #16 item 4).
///
/// A page is valid for a stamp: the newest audit entry that concerns the reader's region — at its path, above it, below
/// it, or shared (`Dashboard.stamp`) — or the newest of all for a reader without a region (a company, a committee, the
/// admin), and today's date. Every write is audited at the path it concerns in its own transaction, which bumps that
/// path's row of `public_stamps` (`PublicStamps`), so any write that could change a page changes the page's stamp, on
/// every server over the same database. One stamp query replaces the counts.
public final class ListCache: Sendable {
    private struct Entry: Sendable {
        let stamp: String
        let value: any Sendable
    }

    private let entries = Mutex<[String: Entry]>([:])
    private let misses = Mutex(0)
    /// Computations under way, by key and stamp: a request that finds one waits for it rather than counting the same
    /// rows again (sixteen officers opening the city's calendar after a write count it once, and hold it once).
    private let flights = Mutex<[String: (stamp: String, task: Task<any Sendable, any Error>)]>([:])
    private let limit: Int

    public init(limit: Int = 512) { self.limit = limit }

    /// How many computations were started (`Database.cached`): requests that found the value current, or one being
    /// computed, add none (for tests).
    public var computed: Int { misses.withLock { $0 } }

    func value<T: Sendable>(_ key: String, stamp: String, as type: T.Type) -> T? {
        entries.withLock { $0[key].flatMap { $0.stamp == stamp ? $0.value as? T : nil } }
    }

    func store(_ key: String, stamp: String, _ value: any Sendable) {
        entries.withLock { entries in
            if entries.count >= limit { entries.removeAll(keepingCapacity: true) }
            entries[key] = Entry(stamp: stamp, value: value)
        }
    }

    /// The computation of `key` for `stamp` under way, or `start`'s, and whether it is the caller's own.
    func flight(_ key: String, stamp: String, start: () -> Task<any Sendable, any Error>) -> (task: Task<any Sendable, any Error>, own: Bool) {
        flights.withLock { flights in
            if let flight = flights[key], flight.stamp == stamp { return (flight.task, false) }
            let task = start()
            flights[key] = (stamp, task)
            misses.withLock { $0 += 1 }
            return (task, true)
        }
    }

    func landed(_ key: String, stamp: String) {
        flights.withLock { flights in if flights[key]?.stamp == stamp { flights[key] = nil } }
    }

    /// The newest audit entry that can change what `scope` sees.
    static func stamp(_ scope: Scope, on db: any SQLDatabase) async throws -> Int64 {
        if scope.role.isRegional, let path = scope.regionPath, !path.isEmpty { return try await Dashboard.stamp(regionPath: path, on: db) }
        return try await db.raw("SELECT MAX(audit_id) AS id FROM public_stamps").first(decodingColumn: "id", as: Int64?.self).flatMap { $0 } ?? 0
    }
}

extension Database {
    /// `compute`'s result for the list `kind` with `key` (its filter and page) as `scope` sees it on `today`, computed
    /// once per change of the scope's stamp (`ListCache`). The web layer keeps whole rendered pages here too
    /// (`SharedPages`), under the same stamp as the lists they show.
    public func cachedList<T: Sendable>(_ kind: String, scope: Scope, key: String, today: Day,
                                 _ compute: @escaping @Sendable () async throws -> T) async throws -> T {
        let stamp = "\(try await read { db in try await ListCache.stamp(scope, on: db) })/\(today)"
        let full = "\(kind)|\(scope.role.rawValue)|\(scope.regionPath.map { "=" + $0 } ?? "-")|\(scope.companyId ?? 0)|\(scope.estateId ?? 0)|\(key)"
        return try await cached(in: lists, full, stamp: stamp, compute)
    }

    /// `compute`'s result kept in `cache` under `key` while `stamp` holds; computed once however many ask at the same time.
    func cached<T: Sendable>(in cache: ListCache, _ key: String, stamp: String, _ compute: @escaping @Sendable () async throws -> T) async throws -> T {
        if let hit = cache.value(key, stamp: stamp, as: T.self) { return hit }
        let (task, own) = cache.flight(key, stamp: stamp) { Task { try await compute() as any Sendable } }
        let result: Result<any Sendable, any Error>
        do { result = .success(try await task.value) } catch { result = .failure(error) }
        // Stored before the flight lands, so that a request in between finds one or the other.
        if own, case .success(let value) = result { cache.store(key, stamp: stamp, value) }
        if own { cache.landed(key, stamp: stamp) }
        guard let value = try result.get() as? T else { return try await compute() }
        return value
    }
}
