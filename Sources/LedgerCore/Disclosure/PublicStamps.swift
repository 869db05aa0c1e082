import Foundation
import SQLKit
import Synchronization

/// The validity stamp of an estate's public pages (its page, notices and version histories), so that a page is rendered
/// once per change of what it shows and then served from memory (`PublicPageCache` in LedgerWeb).
///
/// Every write is one transaction with an audit entry (the project's rule), and the entry names the region path the write
/// concerns — for anything about an estate, the estate's own path. `AuditLog.append` therefore bumps, in the same
/// transaction, one row of `public_stamps` per path it wrote at, to that entry's id; entries without a path, and those
/// about a company or the credit system (a company's name and credit are shown on the pages of estates in every region),
/// bump the shared row (key `""`). An estate's stamp is the newest id over the shared row and the rows of every prefix of
/// its path (city, district, street, community), together with the transparency log's size (its tree head is printed
/// on the page) and today's date in Beijing (what is open or printed "today" changes at midnight).
///
/// So new public content needs nothing here: as long as its writes are audited at the estate's path (or at none), the
/// next request re-renders. A write elsewhere — another community, another district — leaves the page's stamp alone.
/// Only `private` entities (sessions, key rotation), which no public page can show, bump nothing.
public struct PublicStamps: Sendable {
    /// One estate's stamp: the path it was computed for, and the value to compare.
    public struct Stamp: Sendable, Equatable {
        public let estateId: Int64
        public let regionPath: String
        public let value: String
    }

    /// Audit entities that no public page or kept list shows: writing them leaves every stamp as it is (a daily job's
    /// start changes nothing shown; what the job writes is audited on its own).
    static let privateEntities: Set<String> = ["session", "secrets", "notification", "outbox", "job"]

    let database: Database
    let clock: any LedgerClock
    let memo: Memo?

    /// `freshness`: how long a stamp read from the database is trusted without reading it again, as long as this
    /// process has committed no transaction since (nil: read every time). A write through this process is seen at
    /// once; a write through another server over the same PostgreSQL within `freshness`.
    public init(database: Database, clock: any LedgerClock, freshness: Duration? = nil) {
        self.database = database
        self.clock = clock
        self.memo = freshness.map { Memo(freshness: $0) }
    }

    /// The stamps last read, by estate, with the commit count and the moment they were read.
    final class Memo: Sendable {
        struct Entry {
            let stamp: Stamp
            let commits: UInt64
            let readAt: ContinuousClock.Instant
        }

        let freshness: Duration
        /// A bound on the memo: past it, it starts again empty (a public page per estate is what it holds).
        let capacity = 50_000
        private let entries = Mutex<[Int64: Entry]>([:])

        init(freshness: Duration) { self.freshness = freshness }

        func stamp(_ estateId: Int64, day: String, commits: UInt64, now: ContinuousClock.Instant) -> Stamp? {
            entries.withLock { entries in
                guard let entry = entries[estateId], entry.commits == commits, now - entry.readAt < freshness,
                      entry.stamp.value.hasSuffix("-\(day)") else { return nil }
                return entry.stamp
            }
        }

        func remember(_ stamp: Stamp, commits: UInt64, readAt: ContinuousClock.Instant) {
            entries.withLock { entries in
                if entries.count >= capacity { entries.removeAll(keepingCapacity: true) }
                entries[stamp.estateId] = Entry(stamp: stamp, commits: commits, readAt: readAt)
            }
        }
    }

    /// The stamp row an audit entry bumps: its path (as a directory, `/35/3501/`), `""` for everyone, nil for none.
    static func key(entity: String, regionPath: String?) -> String? {
        if privateEntities.contains(entity) { return nil }
        if entity == "company" || entity.hasPrefix("credit") { return "" }
        guard let regionPath, regionPath.hasPrefix("/"), regionPath.count > 1 else { return "" }
        return regionPath.hasSuffix("/") ? regionPath : regionPath + "/"
    }

    /// Sets each row to its newest entry id (inside the writing transaction, after the audit rows).
    static func bump(_ stamps: [String: Int64], on db: any SQLDatabase) async throws {
        for (key, id) in stamps.sorted(by: { $0.key < $1.key }) {
            try await db.raw("""
                INSERT INTO public_stamps (scope_key, audit_id) VALUES (\(bind: key), \(bind: id))
                ON CONFLICT (scope_key) DO UPDATE SET audit_id = excluded.audit_id
                """).run()
        }
    }

    /// Every prefix of a path, and the shared key: `/35/3501/` → `""`, `/35/`, `/35/3501/`.
    static func keys(covering path: String) -> [String] {
        var keys = [""]
        var prefix = "/"
        for code in path.split(separator: "/") {
            prefix += code + "/"
            keys.append(prefix)
        }
        return keys
    }

    /// The current stamp of an estate's public pages; nil when there is no such estate. `knownPath` (the path of the
    /// cached page) saves reading the estate first; if the estate has moved, the stamp is read again for its new path.
    public func stamp(estateId: Int64, knownPath: String? = nil) async throws -> Stamp? {
        let day = Timestamp.shanghaiDay(clock.now())
        guard let memo else { return try await read(estateId: estateId, knownPath: knownPath, day: day) }
        // The commit count is taken before reading, so a write committed during the read makes the next call read again.
        let commits = database.committedTransactions, now = ContinuousClock.now
        if let stamp = memo.stamp(estateId, day: day, commits: commits, now: now) { return stamp }
        let stamp = try await read(estateId: estateId, knownPath: knownPath, day: day)
        if let stamp { memo.remember(stamp, commits: commits, readAt: now) }
        return stamp
    }

    private func read(estateId: Int64, knownPath: String?, day: String) async throws -> Stamp? {
        try await database.read { db in
            var path = knownPath
            if path == nil {
                path = try await db.raw("SELECT region_path FROM estates WHERE id = \(bind: estateId)")
                    .first(decodingColumn: "region_path", as: String.self)
            }
            for _ in 0..<2 {
                guard let current = path else { return nil }
                let row = try await db.raw("""
                    SELECT (SELECT region_path FROM estates WHERE id = \(bind: estateId)) AS path,
                           (SELECT MAX(size) FROM tree_heads) AS log_size,
                           (SELECT MAX(audit_id) FROM public_stamps WHERE scope_key IN (\(binds: Self.keys(covering: current)))) AS audit_id
                    """).first()
                guard let row else { return nil }
                let found = try row.decode(column: "path", as: String?.self)
                if found == current {
                    let audit = try row.decode(column: "audit_id", as: Int64?.self) ?? 0
                    let size = try row.decode(column: "log_size", as: Int64?.self) ?? 0
                    return Stamp(estateId: estateId, regionPath: current, value: "\(audit)-\(size)-\(day)")
                }
                path = found
            }
            return nil
        }
    }
}
