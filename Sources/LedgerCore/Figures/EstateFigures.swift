import Foundation
import SQLKit

/// 统计口径: what each figure counted per estate and quarter means, written once. The dashboard, the 情况汇总表, the
/// warning facts (W01, W06, W15), the disclosure calendar, filing and publishing, the registry overview, the estate
/// pages and API, the 整治到位率 page and the demo's truth all read their definitions here (docs/design.md §11); each
/// has its test in `EstateFiguresTests`. Where a caller counts in SQL the definition is an SQL fragment, where it counts rows in Swift a
/// function — and where both are needed they stand side by side below.
public enum EstateFigures {
    /// A management contract as the figures read it: which company managed the estate from which day until which
    /// (nil: open-ended). Days are `YYYY-MM-DD`.
    public struct Contract: Sendable, Equatable {
        public let companyId: Int64
        public let start: String
        public let end: String?

        public init(companyId: Int64, start: String, end: String?) {
            self.companyId = companyId
            self.start = start
            self.end = end
        }
    }

    // MARK: Managed on a day, and who owes a quarter's filing

    /// **Managed on a day** (在管): the company whose management contract covers the day — begun on or before it and
    /// not ended before it. A new contract ends the previous one the day before (`EstateRecords.assignCompany`), so at
    /// most one covers a day; should two, the one begun later counts.
    public static func manager(on day: Day, of contracts: [Contract]) -> Int64? {
        let d = day.description
        return contracts.filter { $0.start <= d && ($0.end ?? d) >= d }.max { $0.start < $1.start }?.companyId
    }

    /// **Owes the quarter's filing** (应公示): the company that managed the estate on the quarter's last day, whether or
    /// not it manages the estate today; an estate no contract covers on that day owes nothing for the quarter. W01,
    /// the calendar, filing and publishing, the on-time KPI's denominator and the demo's truth all ask this.
    public static func filer(of quarter: Quarter, contracts: [Contract]) -> Int64? { manager(on: quarter.lastDay, of: contracts) }

    /// `manager(on:of:)` in SQL: the id of the company managing `estate` (an SQL expression such as `e.id`) on `day`, or NULL.
    static func managerSQL(_ estate: SQLQueryString, on day: Day) -> SQLQueryString {
        """
        (SELECT k.company_id FROM contracts k WHERE k.estate_id = \(estate) AND k.start_date <= \(bind: day.description)
         AND (k.end_date IS NULL OR k.end_date >= \(bind: day.description)) ORDER BY k.start_date DESC LIMIT 1)
        """
    }

    /// `filer(of:contracts:)` in SQL.
    static func filerSQL(_ estate: SQLQueryString, of quarter: Quarter) -> SQLQueryString { managerSQL(estate, on: quarter.lastDay) }

    /// **Managed during a period** (期间在管): the companies that managed the estate (`manager(on:of:)`) on any day from
    /// `from` to `until` — an outgoing company that handed over inside the period counts as well as the incoming one.
    /// A new contract ends the previous one, so in SQL these are the contracts (aliased `k`) overlapping the period.
    /// The 情况汇总表's 涉及企业数 asks it.
    static func managedDuringSQL(from: Day, until: Day) -> SQLQueryString {
        "(k.start_date <= \(bind: until.description) AND (k.end_date IS NULL OR k.end_date >= \(bind: from.description)))"
    }

    /// The management contracts of the estates (aliased `e`) matching `predicate`, by estate.
    static func contracts(where predicate: SQLQueryString, on db: any SQLDatabase) async throws -> [Int64: [Contract]] {
        var contracts: [Int64: [Contract]] = [:]
        for row in try await db.raw("""
            SELECT k.estate_id, k.company_id, k.start_date, k.end_date FROM contracts k JOIN estates e ON e.id = k.estate_id WHERE \(predicate)
            """).all() {
            contracts[try row.decode(column: "estate_id", as: Int64.self), default: []].append(
                Contract(companyId: try row.decode(column: "company_id", as: Int64.self), start: try row.decode(column: "start_date", as: String.self),
                         end: try row.decode(column: "end_date", as: String?.self)))
        }
        return contracts
    }

    // MARK: The registry on a day

    /// **Account open by a day** (专户已设立): the estate has a dedicated account opened on or before the day. The
    /// dashboard asks on the quarter's last day; W06, the home page and the estate pages and API
    /// (`EstateRepository.select(at:)`) ask today.
    static func accountOpenSQL(_ estate: SQLQueryString, by day: Day) -> SQLQueryString {
        "EXISTS (SELECT 1 FROM dedicated_accounts a WHERE a.estate_id = \(estate) AND a.opened_on <= \(bind: day.description))"
    }

    /// **Committee in term on a day** (业委会在任): an owners' or management committee whose term has begun by the day
    /// and ends on or after it. The dashboard asks on the quarter's last day; W15 and the home page ask today.
    static func committeeInTermSQL(_ estate: SQLQueryString, on day: Day) -> SQLQueryString {
        "EXISTS (SELECT 1 FROM committees m WHERE m.estate_id = \(estate) AND m.term_start <= \(bind: day.description) AND m.term_end >= \(bind: day.description))"
    }

    /// A condition as a 0/1 column (both databases).
    static func flag(_ condition: SQLQueryString) -> SQLQueryString { "CASE WHEN \(condition) THEN 1 ELSE 0 END" }

    // MARK: Disclosure on time

    /// The instant a quarter's filing is late from: midnight Beijing time after the due date (docs/policy.md §2), in UTC.
    public static func deadline(_ quarter: Quarter) -> String { "\(quarter.dueDate)T16:00:00Z" }

    /// Whether a quarter's filing is counted yet: its due date has passed.
    public static func isPastDue(_ quarter: Quarter, today: Day) -> Bool { quarter.dueDate < today }

    /// **Disclosed on time** (按时公示): the quarter's first published version (version 1) was published before the
    /// deadline instant. Published at or after it: late; nothing published once the due date has passed: missing.
    /// A later correction does not change when the quarter was first disclosed.
    public static func onTime(firstPublishedAt: String, quarter: Quarter) -> Bool { firstPublishedAt < deadline(quarter) }

    // MARK: Complaints, problems, warnings

    /// Stored UTC instants of the Beijing days `from`…`until`, as a half-open range on `column`.
    static func within(_ column: SQLQueryString, from: Day, until: Day) -> SQLQueryString {
        "(\(column) >= \(bind: Timestamp.startOfShanghaiDay(from)) AND \(column) < \(bind: Timestamp.startOfShanghaiDay(until.adding(days: 1))))"
    }

    /// **Complaints received** in a period: received (`received_at`) within its Beijing days (`within`).
    /// **Closed** (办结): closed, whatever the outcome.
    public static func complaintClosed(status: String) -> Bool { status == "closed" }

    /// **Fixed** (已解决): closed with the outcome `fixed` — a closure without a fix is not a fix.
    public static func complaintFixed(status: String, outcome: String?) -> Bool { complaintClosed(status: status) && outcome == "fixed" }

    /// **Rated** (已评价) in a period: ratings given (`complaint_ratings.rated_at`) within its Beijing days, one per
    /// closure — a complaint reopened and closed again can be rated again. **Satisfied** (满意率's numerator): rated
    /// 满意 or 基本满意. 满意率 = satisfied ÷ rated (docs/design.md §28); nothing rated: no rate ("—").
    public static func ratingSatisfied(_ rating: String) -> Bool {
        rating == ComplaintRating.satisfied.rawValue || rating == ComplaintRating.basicallySatisfied.rawValue
    }

    /// **Problems found** in a period: created (`created_at`) within its Beijing days. **Put right** (整改到位，已销号):
    /// closed with the outcome `fixed`, i.e. its rectification verified; every other problem is still **open**.
    public static func problemPutRight(status: String, outcome: String?) -> Bool { status == "closed" && outcome == "fixed" }

    /// **整治到位率** counts the problems of the categories decided by 自然资源 and enforced by 城管 (occupied common
    /// space, changed service rooms) found up to the end of the period — cumulative, since a campaign's target is
    /// that every one found is put right — and of them those put right.
    public static var putRightCategories: [String] { ProblemCategory.referable.keys.sorted() }

    public static func countsForPutRight(category: String) -> Bool { ProblemCategory.referable[category] != nil }

    /// **Warnings open** (未办结预警): open or acknowledged — nobody has finished with them yet.
    public static let openWarningStatuses = ["open", "acknowledged"]
}

extension EstateFigures {
    /// The estates (aliased `e`) whose `quarter` filing `scope` sees as owed: a company those whose filing it owes —
    /// managed on the quarter's last day, whether or not it manages them today (so the outgoing company still sees
    /// and files its last quarter, and the incoming one does not); everyone else the estates of its jurisdiction that
    /// owe the quarter.
    static func owedFilings(_ quarter: Quarter, scope: Scope) -> SQLQueryString {
        let filer = filerSQL("e.id", of: quarter)
        guard scope.role == .company else { return "\(scope.estatePredicate()) AND \(filer) IS NOT NULL" }
        // The estates the company ever held a contract for (an index range), then the definition itself.
        return scope.companyId.map { "e.id IN (SELECT h.estate_id FROM contracts h WHERE h.company_id = \(bind: $0)) AND \(filer) = \(bind: $0)" } ?? "1 = 0"
    }
}
