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

    /// Estates in scope with their state for `quarter`, optionally only those in `states`.
    public func listing(scope: Scope, quarter: Quarter, states: Set<State>, page: Int, pageSize: Int = 50) async throws -> Listing {
        let today = Day(Timestamp.shanghaiDay(clock.now()))!
        let onTimeLimit = EstateFigures.deadline(quarter)
        let ended = quarter.lastDay < today
        let pastDue = EstateFigures.isPastDue(quarter, today: today)
        let state: SQLQueryString = """
            CASE WHEN \(bind: ended ? 1 : 0) = 0 THEN 'notDue'
                 WHEN v.published_at IS NOT NULL AND v.published_at < \(bind: onTimeLimit) THEN 'onTime'
                 WHEN v.published_at IS NOT NULL THEN 'late'
                 WHEN \(bind: pastDue ? 1 : 0) = 1 THEN 'missing'
                 WHEN d.estate_id IS NOT NULL THEN 'draft'
                 ELSE 'due' END
            """
        // The estates that owe the quarter, each shown with the company that owes it (EstateFigures.filer).
        let from: SQLQueryString = """
            FROM estates e
            LEFT JOIN companies c ON c.id = \(EstateFigures.filerSQL("e.id", of: quarter))
            LEFT JOIN disclosure_versions v ON v.estate_id = e.id AND v.year = \(bind: quarter.year) AND v.quarter = \(bind: quarter.quarter) AND v.version = 1
            LEFT JOIN disclosure_drafts d ON d.estate_id = e.id AND d.year = \(bind: quarter.year) AND d.quarter = \(bind: quarter.quarter)
            WHERE \(EstateFigures.owedFilings(quarter, scope: scope))
            """
        let filter: SQLQueryString = states.isEmpty ? "" : "WHERE s.state IN (\(binds: states.map(\.rawValue).sorted()))"
        let pageNumber = min(max(1, page), 1_000_000)
        let key = "\(quarter)|\(states.map(\.rawValue).sorted())|\(pageNumber)|\(pageSize)"
        return try await database.cachedList("filings", scope: scope, key: key, today: today) { try await database.read { db in
            var counts: [State: Int] = [:]
            for row in try await db.raw("SELECT s.state, COUNT(*) AS n FROM (SELECT \(state) AS state \(from)) s GROUP BY s.state").all() {
                if let key = State(rawValue: try row.decode(column: "state", as: String.self)) { counts[key] = try row.decode(column: "n", as: Int.self) }
            }
            let total = try await db.raw("SELECT COUNT(*) AS n FROM (SELECT \(state) AS state \(from)) s \(filter)")
                .first(decodingColumn: "n", as: Int.self) ?? 0
            let rows = try await db.raw("""
                SELECT s.* FROM (SELECT e.id, e.name, c.name AS company_name, v.published_at,
                    CASE WHEN d.estate_id IS NULL THEN 0 ELSE 1 END AS has_draft, \(state) AS state \(from)) s \(filter)
                ORDER BY s.name, s.id LIMIT \(literal: pageSize) OFFSET \(literal: (pageNumber - 1) * pageSize)
                """).all()
            let items = try rows.map { row in
                let state = State(rawValue: try row.decode(column: "state", as: String.self)) ?? .missing
                let hasDraft = try row.decode(column: "has_draft", as: Int.self) == 1
                return Row(estateId: try row.decode(column: "id", as: Int64.self), estateName: try row.decode(column: "name", as: String.self),
                           companyName: try row.decode(column: "company_name", as: String?.self),
                           state: state, publishedAt: try row.decode(column: "published_at", as: String?.self),
                           draftOverdue: state == .missing && hasDraft)
            }
            return Listing(quarter: quarter, page: Page(items: items, total: total, page: pageNumber, pageSize: pageSize), counts: counts)
        } }
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
