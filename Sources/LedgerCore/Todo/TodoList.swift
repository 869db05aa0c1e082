import Foundation
import SQLKit

/// 待办事项: what a signed-in user has to do now, each item a count with the page that lists it — the staff home
/// (docs/design.md §29). Every count is a query with the caller's scope applied in SQL, through the same predicate its
/// list page uses, so the number on the home page is the number of rows the link shows.
///
/// - A company (物业服务企业): the quarter's filings not yet published, owners' questions not answered, warnings awaiting
///   its explanation, problems awaiting rectification, letters (提醒函, 督办函, 约谈通知书) on problems not yet put right.
/// - Officials who handle cases (regulators, street officers; the admin over everything): complaints past or within
///   three working days of their deadline, new warnings not yet signed for, rectifications awaiting verification,
///   campaign task reports overdue or due within a week.
public struct TodoList: Sendable {
    public enum Urgency: String, Sendable {
        case overdue, dueSoon = "due_soon", normal

        public var title: String {
            switch self {
            case .overdue: "已逾期"
            case .dueSoon: "即将到期"
            case .normal: ""
            }
        }
    }

    /// One line of the list.
    public struct Item: Sendable, Equatable {
        /// Stable key (tests, the page's element ids).
        public let key: String
        /// Plain Chinese, e.g. "业主存疑待答复".
        public let label: String
        public let count: Int
        /// The page that lists these rows.
        public let link: String
        public let urgency: Urgency
        /// A short line under the label (a deadline), or nil.
        public let note: String?
    }

    /// Days ahead in which a campaign task report counts as due soon.
    public static let campaignDueSoonDays = 7
    /// Working days ahead in which a complaint counts as due soon (Saturdays and Sundays do not count).
    public static let complaintDueSoonWorkingDays = 3

    let database: Database
    let clock: any LedgerClock

    public init(database: Database, clock: any LedgerClock) {
        self.database = database
        self.clock = clock
    }

    /// Every item the scope's role has, counts included (zero too); the page shows those above zero.
    public func items(scope: Scope) async throws -> [Item] {
        let today = Day(Timestamp.shanghaiDay(clock.now()))!
        return try await database.read { db in
            switch scope.role {
            case .company: return try await Self.companyItems(scope: scope, today: today, on: db)
            case .admin, .regulator, .street, .department: return try await Self.officerItems(scope: scope, today: today, on: db)
            default: return []
            }
        }
    }

    static func count(_ sql: SQLQueryString, on db: any SQLDatabase) async throws -> Int {
        try await db.raw(sql).first(decodingColumn: "n", as: Int.self) ?? 0
    }

    // MARK: Company

    static func companyItems(scope: Scope, today: Day, on db: any SQLDatabase) async throws -> [Item] {
        guard let companyId = scope.companyId else { return [] }
        var items: [Item] = []
        // The quarter being filed now (the last that ended): the estates the company owes it for and has not published.
        let quarter = Quarter(containing: today).previous
        let unfiled = try await count("""
            SELECT COUNT(*) AS n FROM estates e WHERE \(EstateFigures.owedFilings(quarter, scope: scope)) AND NOT EXISTS (SELECT 1 FROM disclosure_versions v
            WHERE v.estate_id = e.id AND v.year = \(bind: quarter.year) AND v.quarter = \(bind: quarter.quarter))
            """, on: db)
        let pastDue = EstateFigures.isPastDue(quarter, today: today)
        items.append(Item(key: "filings", label: pastDue ? "\(quarter.title)公示逾期未提交" : "\(quarter.title)公示待提交", count: unfiled,
                          link: "/filings?quarter=\(quarter.description)&state=\(pastDue ? "missing" : "due,draft")",
                          urgency: pastDue ? .overdue : today.adding(days: 14) >= quarter.dueDate ? .dueSoon : .normal,
                          note: "截止 \(quarter.dueDate)"))
        // Owners' questions not answered, on the company's estates; the link opens the estate of the oldest one.
        let questions = try await db.raw("""
            SELECT COUNT(*) AS n, MIN(q.estate_id) AS estate FROM disclosure_questions q JOIN estates e ON e.id = q.estate_id
            WHERE q.answer IS NULL AND \(scope.estatePredicate())
            """).first()
        let unanswered = try questions?.decode(column: "n", as: Int.self) ?? 0
        let estate = try questions?.decode(column: "estate", as: Int64?.self) ?? nil
        items.append(Item(key: "questions", label: "业主存疑待答复", count: unanswered,
                          link: estate.map { "/estates/\($0)#questions" } ?? "/estates", urgency: .normal, note: nil))
        let warnings = try await count("SELECT COUNT(*) AS n FROM warnings w WHERE \(WarningInbox.predicate(scope)) AND w.status = 'open'", on: db)
        items.append(Item(key: "warnings", label: "预警待说明情况", count: warnings, link: "/warnings?status=open", urgency: .normal, note: nil))
        let problems = try await db.raw("""
            SELECT COUNT(*) AS n, SUM(CASE WHEN p.deadline < \(bind: today.description) THEN 1 ELSE 0 END) AS late FROM problems p
            WHERE \(Problems.visible(to: scope)) AND p.status = 'open'
            """).first()
        let open = try problems?.decode(column: "n", as: Int.self) ?? 0
        let late = (try problems?.decode(column: "late", as: Int?.self) ?? nil) ?? 0
        items.append(Item(key: "problems", label: "问题待整改", count: open, link: "/problems?status=open", urgency: late > 0 ? .overdue : .normal,
                          note: late > 0 ? "其中 \(late) 件已过整改期限" : nil))
        let letters = try await count("""
            SELECT COUNT(*) AS n FROM letters l JOIN problems p ON p.id = l.problem_id WHERE p.company_id = \(bind: companyId) AND p.status <> 'closed'
            """, on: db)
        items.append(Item(key: "letters", label: "收到督办文书（问题未销号）", count: letters, link: "/problems?status=open",
                          urgency: letters > 0 ? .overdue : .normal, note: nil))
        return items
    }

    // MARK: Officials

    static func officerItems(scope: Scope, today: Day, on db: any SQLDatabase) async throws -> [Item] {
        var items: [Item] = []
        if scope.can(.handleComplaint) {
            let soon = today.addingWorkingDays(complaintDueSoonWorkingDays)
            let open: SQLQueryString = "c.status IN (\(binds: Complaints.overdueStatuses.map(\.rawValue)))"
            let row = try await db.raw("""
                SELECT SUM(CASE WHEN c.deadline < \(bind: today.description) THEN 1 ELSE 0 END) AS late,
                       SUM(CASE WHEN c.deadline >= \(bind: today.description) AND c.deadline <= \(bind: soon.description) THEN 1 ELSE 0 END) AS soon
                FROM complaints c WHERE \(Complaints.visible(to: scope)) AND \(open)
                """).first()
            let late = (try row?.decode(column: "late", as: Int?.self) ?? nil) ?? 0
            let dueSoon = (try row?.decode(column: "soon", as: Int?.self) ?? nil) ?? 0
            items.append(Item(key: "complaints_overdue", label: "投诉已超过办理时限", count: late, link: "/complaints?overdue=1", urgency: .overdue, note: nil))
            items.append(Item(key: "complaints_due", label: "投诉 3 个工作日内到期", count: dueSoon, link: "/complaints?due=\(soon)", urgency: .dueSoon,
                              note: "截至 \(soon)"))
        }
        if scope.can(.acknowledgeWarning) {
            let warnings = try await count("SELECT COUNT(*) AS n FROM warnings w WHERE \(WarningInbox.predicate(scope)) AND w.status = 'open'", on: db)
            items.append(Item(key: "warnings", label: "新预警待签收", count: warnings, link: "/warnings?status=open", urgency: .normal, note: nil))
        }
        if scope.can(.verifyRectification) {
            let submitted = try await count("SELECT COUNT(*) AS n FROM problems p WHERE \(Problems.visible(to: scope)) AND p.status = 'submitted'", on: db)
            items.append(Item(key: "rectifications", label: "整改待核验", count: submitted, link: "/problems?status=submitted", urgency: .normal, note: nil))
        }
        if scope.can(.reportCampaignTasks) {
            var late = 0, soon = 0
            let horizon = today.adding(days: campaignDueSoonDays)
            let ids = try await db.raw("SELECT c.id FROM campaigns c WHERE \(Campaigns.predicate(scope)) ORDER BY c.id DESC LIMIT 200")
                .all(decodingColumn: "id", as: Int64.self)
            for id in ids {
                guard let campaign = try await Campaigns.find(id, scope: scope, on: db) else { continue }
                for task in try await Campaigns.tasks(campaign, today: today, on: db) {
                    for period in task.periods where period.status != .done {
                        if period.overdue { late += 1 } else if period.due <= horizon { soon += 1 }
                    }
                }
            }
            items.append(Item(key: "campaign_reports", label: "专项整治任务待报送", count: late + soon, link: "/campaigns",
                              urgency: late > 0 ? .overdue : soon > 0 ? .dueSoon : .normal, note: late > 0 ? "其中 \(late) 项已逾期" : nil))
        }
        return items
    }
}
