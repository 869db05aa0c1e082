import Foundation
import SQLKit

/// 公示日历: for each estate and quarter, whether the disclosure is not yet due, due, drafted, published on time,
/// published late, or missing.
public struct DisclosureCalendar: Sendable {
    public enum State: String, Sendable, CaseIterable {
        case notDue, due, draft, onTime, late, missing

        public var title: String {
            switch self {
            case .notDue: "未到期"
            case .due: "待公示"
            case .draft: "草稿"
            case .onTime: "按时公示"
            case .late: "逾期公示"
            case .missing: "逾期未公示"
            }
        }
    }

    public struct Row: Sendable {
        public let estateId: Int64
        public let estateName: String
        public let companyName: String?
        public let state: State
        public let publishedAt: String?
        public let draftOverdue: Bool

        /// The calendar's order: by name (its UTF-8 bytes, as SQLite sorts text and PostgreSQL with `COLLATE "C"`),
        /// then id.
        static func precedes(_ a: Row, _ b: Row) -> Bool {
            a.estateName.utf8.elementsEqual(b.estateName.utf8) ? a.estateId < b.estateId : a.estateName.utf8.lexicographicallyPrecedes(b.estateName.utf8)
        }
    }

    public struct Listing: Sendable {
        public let quarter: Quarter
        public let page: Page<Row>
        public let counts: [State: Int]
    }

    let database: Database
    let clock: any LedgerClock

    public init(database: Database, clock: any LedgerClock) {
        self.database = database
        self.clock = clock
    }

    /// The last quarter that has ended (the one being filed now).
    public func currentFilingQuarter() -> Quarter {
        Quarter(containing: Day(Timestamp.shanghaiDay(clock.now()))!).previous
    }

    /// One subtree's calendar for a quarter (`SubtreePart`): how many estates are in each state, and every row, sorted
    /// (`Row.precedes`). A sum keeps each subtree's sorted rows as they are (shared, not copied); a page merges their heads.
    struct Part: SubtreePart {
        var counts: [State: Int] = [:]
        var rows: [[Row]] = []

        mutating func add(_ other: Part) {
            counts.merge(other.counts, uniquingKeysWith: +)
            rows += other.rows
        }

        /// Page `number` of the rows in `states` (all when empty), in `Row.precedes` order.
        func page(_ number: Int, size: Int, states: Set<State>) -> Page<Row> {
            let total = states.isEmpty ? counts.values.reduce(0, +) : states.reduce(0) { $0 + (counts[$1] ?? 0) }
            // The page's rows are among the first `number × size` wanted rows of some subtree.
            let end = number * size
            var head: [Row] = []
            for list in rows {
                var taken = 0
                for row in list where states.isEmpty || states.contains(row.state) {
                    head.append(row)
                    taken += 1
                    if taken == end { break }
                }
            }
            head.sort(by: Row.precedes)
            return Page(items: Array(head.dropFirst((number - 1) * size).prefix(size)), total: total, page: number, pageSize: size)
        }
    }

    /// Estates in scope with their state for `quarter`, optionally only those in `states`, by name. An official's
    /// province, city or district is summed from its streets' parts (`SubtreePart`), so that a filing recounts one
    /// street rather than every estate of the city.
    public func listing(scope: Scope, quarter: Quarter, states: Set<State>, page: Int, pageSize: Int = 50) async throws -> Listing {
        let today = Day(Timestamp.shanghaiDay(clock.now()))!
        let pageNumber = min(max(1, page), 1_000_000)
        let key = "\(quarter)|\(states.map(\.rawValue).sorted())|\(pageNumber)|\(pageSize)"
        return try await database.cachedList("filings", scope: scope, key: key, today: today) {
            if scope.role.isRegional, let path = scope.regionPath, !path.isEmpty,
               let region = try await database.read({ db in
                   try await db.raw("SELECT \(RegionDirectory.columns) FROM regions r WHERE r.path = \(bind: path)").first().map(Region.init(row:))
               }),
               let split = try await database.subtreeParts("filings", region: region, key: "\(quarter)", today: today, count: { rows, db in
                   try await Self.part(rows, quarter: quarter, today: today, on: db)
               }) {
                let part = split.children.reduce(into: split.own) { $0.add($1.part) }
                return Listing(quarter: quarter, page: part.page(pageNumber, size: pageSize, states: states), counts: part.counts)
            }
            return try await listed(scope: scope, quarter: quarter, states: states, page: pageNumber, pageSize: pageSize, today: today)
        }
    }

    /// The state of each estate (aliased `e`, with its first version `v` and its draft `d`) for `quarter` on `today`.
    static func stateSQL(_ quarter: Quarter, today: Day) -> SQLQueryString {
        """
        CASE WHEN \(bind: quarter.lastDay < today ? 1 : 0) = 0 THEN 'notDue'
             WHEN v.published_at IS NOT NULL AND v.published_at < \(bind: EstateFigures.deadline(quarter)) THEN 'onTime'
             WHEN v.published_at IS NOT NULL THEN 'late'
             WHEN \(bind: EstateFigures.isPastDue(quarter, today: today) ? 1 : 0) = 1 THEN 'missing'
             WHEN d.estate_id IS NOT NULL THEN 'draft'
             ELSE 'due' END
        """
    }

    /// The estates matching `owed` that owe the quarter, each shown with the company that owes it (EstateFigures.filer).
    static func fromSQL(_ quarter: Quarter, owed: SQLQueryString) -> SQLQueryString {
        """
        FROM estates e
        LEFT JOIN companies c ON c.id = \(EstateFigures.filerSQL("e.id", of: quarter))
        LEFT JOIN disclosure_versions v ON v.estate_id = e.id AND v.year = \(bind: quarter.year) AND v.quarter = \(bind: quarter.quarter) AND v.version = 1
        LEFT JOIN disclosure_drafts d ON d.estate_id = e.id AND d.year = \(bind: quarter.year) AND d.quarter = \(bind: quarter.quarter)
        WHERE \(owed)
        """
    }

    static func row(_ row: any SQLRow) throws -> Row {
        let state = State(rawValue: try row.decode(column: "state", as: String.self)) ?? .missing
        let hasDraft = try row.decode(column: "has_draft", as: Int.self) == 1
        return Row(estateId: try row.decode(column: "id", as: Int64.self), estateName: try row.decode(column: "name", as: String.self),
                   companyName: try row.decode(column: "company_name", as: String?.self),
                   state: state, publishedAt: try row.decode(column: "published_at", as: String?.self),
                   draftOverdue: state == .missing && hasDraft)
    }

    static let rowColumns: SQLQueryString = "e.id, e.name, c.name AS company_name, v.published_at, CASE WHEN d.estate_id IS NULL THEN 0 ELSE 1 END AS has_draft"

    /// The calendar of the owing estates among `rows` (by region path), counted and sorted.
    static func part(_ rows: PathSelection, quarter: Quarter, today: Day, on db: any SQLDatabase) async throws -> Part {
        let owed: SQLQueryString = "\(rows.predicate("e.region_path")) AND \(EstateFigures.filerSQL("e.id", of: quarter)) IS NOT NULL"
        let list = try await db.raw("SELECT \(rowColumns), \(stateSQL(quarter, today: today)) AS state \(fromSQL(quarter, owed: owed))")
            .all().map(Self.row).sorted(by: Row.precedes)
        return Part(counts: list.reduce(into: [:]) { $0[$1.state, default: 0] += 1 }, rows: list.isEmpty ? [] : [list])
    }

    /// The calendar as `scope` sees it, counted and paged in SQL.
    func listed(scope: Scope, quarter: Quarter, states: Set<State>, page: Int, pageSize: Int, today: Day) async throws -> Listing {
        let state = Self.stateSQL(quarter, today: today)
        let from = Self.fromSQL(quarter, owed: EstateFigures.owedFilings(quarter, scope: scope))
        let filter: SQLQueryString = states.isEmpty ? "" : "WHERE s.state IN (\(binds: states.map(\.rawValue).sorted()))"
        return try await database.read { db in
            var counts: [State: Int] = [:]
            for row in try await db.raw("SELECT s.state, COUNT(*) AS n FROM (SELECT \(state) AS state \(from)) s GROUP BY s.state").all() {
                if let key = State(rawValue: try row.decode(column: "state", as: String.self)) { counts[key] = try row.decode(column: "n", as: Int.self) }
            }
            let total = try await db.raw("SELECT COUNT(*) AS n FROM (SELECT \(state) AS state \(from)) s \(filter)")
                .first(decodingColumn: "n", as: Int.self) ?? 0
            // By the bytes of the name on both databases (`Row.precedes`), whatever a PostgreSQL database's locale.
            let name: SQLQueryString = db.dialect.name == "postgresql" ? #"s.name COLLATE "C""# : "s.name"
            let items = try await db.raw("""
                SELECT s.* FROM (SELECT \(Self.rowColumns), \(state) AS state \(from)) s \(filter)
                ORDER BY \(name), s.id LIMIT \(literal: pageSize) OFFSET \(literal: (page - 1) * pageSize)
                """).all().map(Self.row)
            return Listing(quarter: quarter, page: Page(items: items, total: total, page: page, pageSize: pageSize), counts: counts)
        }
    }

    /// Estates (of any jurisdiction) that owe `quarter` (EstateFigures.filer) and have not published it.
    public func unfiledEstates(quarter: Quarter, limit: Int) async throws -> [Int64] {
        try await database.read { db in
            try await db.raw("""
                SELECT e.id FROM estates e WHERE \(EstateFigures.owedFilings(quarter, scope: .system)) AND NOT EXISTS (SELECT 1 FROM disclosure_versions v
                WHERE v.estate_id = e.id AND v.year = \(bind: quarter.year) AND v.quarter = \(bind: quarter.quarter))
                ORDER BY e.id LIMIT \(literal: limit)
                """).all(decodingColumn: "id", as: Int64.self)
        }
    }
}
