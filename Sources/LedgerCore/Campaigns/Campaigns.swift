import Foundation
import SQLKit

/// 专项整治: a regulator's campaign with its phases — named and counted as its own plan has them (Dehua's four ending in
/// 总结验收, Fuzhou's third 交叉督导, Panjin's five steps ending in 监督问责) — and task list. A task is due on a date,
/// weekly on a weekday (Wen County's brief every Thursday), monthly by day N, or quarterly by day N of the month after
/// the quarter; the responsible units report progress per period, and a period past its due day without a report of
/// completion is overdue.
public struct Campaigns: Sendable {
    public enum Schedule: String, Sendable, CaseIterable, Codable {
        case date, weekly, monthly, quarterly

        public var title: String {
            switch self {
            case .date: "限期完成"
            case .weekly: "每周"
            case .monthly: "每月"
            case .quarterly: "每季度"
            }
        }
    }

    /// 周一 … 周日 (a weekly task's `day`, 1 = Monday).
    public static let weekdayNames = ["周一", "周二", "周三", "周四", "周五", "周六", "周日"]

    /// What a responsible unit reports for a period.
    public enum Progress: String, Sendable, Codable, CaseIterable {
        case done
        case inProgress = "in_progress"
    }

    public static let phaseNames = ["动员部署阶段", "自查自纠阶段", "检查督导阶段", "总结验收阶段"]

    /// The phase lists of the plans in use, to start a campaign from (the names stay editable, phases can be added or left out).
    public static let phaseLayouts: [(key: String, title: String, names: [String])] = [
        ("dehua", "德化县方案：四个阶段", phaseNames),
        ("fuzhou", "福州市方案：第三阶段为交叉督导", ["动员部署阶段", "自查自纠阶段", "交叉督导阶段", "总结验收阶段"]),
        ("putian", "莆田市方案：四个阶段", ["全面动员部署", "自查自纠阶段", "组织督导整改", "总结经验提升"]),
        ("wenxian", "温县方案：整治与督导并行", ["动员部署阶段", "专项整治阶段", "督导检查阶段", "巩固提高阶段"]),
        ("panjin", "盘锦市方案：五个步骤", ["动员部署", "自查自纠", "督查巡查", "总结提高", "监督问责"]),
    ]
    /// At most this many phases.
    public static let maxPhases = 8

    public struct Phase: Sendable, Codable {
        public let name: String
        public let startsOn: String
        public let endsOn: String
    }

    /// One period of a task: what is due when, and what was reported.
    public struct Period: Sendable {
        public let period: String
        public let due: Day
        public let status: Progress?
        public let note: String?
        public let overdue: Bool

        public var title: String {
            if period == "once" { return "完成" }
            if period.hasPrefix("W"), let monday = Day(String(period.dropFirst())) {
                let sunday = monday.adding(days: 6)
                return "\(monday.month)月\(monday.day)日—\(sunday.month)月\(sunday.day)日当周"
            }
            if period.contains("Q"), let q = Quarter(text: period) { return q.title }
            let parts = period.split(separator: "-")
            return parts.count == 2 ? "\(parts[0])年\(Int(parts[1]) ?? 0)月" : period
        }
    }

    public struct Task: Sendable {
        public let id: Int64
        public let position: Int
        public let content: String
        public let responsible: String
        public let schedule: Schedule
        public let dueOn: String?
        public let day: Int?
        public let dueText: String
        public let periods: [Period]

        public var overdue: [Period] { periods.filter(\.overdue) }
    }

    public struct Campaign: Sendable {
        public let id: Int64
        public let regionCode: String
        public let regionPath: String
        public let name: String
        public let createdAt: String
        public let phases: [Phase]
    }

    /// A period past its due day with no completion, for the dashboard.
    public struct Overdue: Sendable, Codable {
        public let campaignId: Int64
        public let campaign: String
        public let taskId: Int64
        public let content: String
        public let responsible: String
        public let period: String
        public let due: String
    }

    let database: Database
    let clock: any LedgerClock

    public init(database: Database, clock: any LedgerClock) {
        self.database = database
        self.clock = clock
    }

    /// Officials see the campaigns of their region and below, and those of the regions above them (a street reports on
    /// its county's campaign).
    static func predicate(_ scope: Scope) -> SQLQueryString {
        guard scope.role != .admin else { return "1 = 1" }
        guard scope.role.isRegional, let path = scope.regionPath else { return "1 = 0" }
        let ancestors = path.split(separator: "/").map(String.init)
        return "(\(Scope.pathPredicate("c.region_path", path)) OR c.region_code IN (\(binds: ancestors)))"
    }

    // MARK: Writing

    /// Creates a campaign for a region the regulator covers.
    public func create(_ command: NewCampaign, scope: Scope) async throws -> Int64 {
        try scope.require(.manageCampaigns)
        let input = try command.validated()
        let at = clock.now()
        return try await database.transaction { db in
            let region = try await RegionDirectory.covered(input.region, scope: scope, on: db)
            let id = try await Self.insert(input, regionCode: region.code, regionPath: region.path, by: scope.username, at: at, on: db)
            try await AuditLog.record(on: db, scope: scope, at: at, action: "create", entity: "campaign", entityId: "\(id)", regionPath: region.path,
                                      after: ["name": input.name])
            return id
        }
    }

    /// Adds a task to a campaign of the regulator's region.
    @discardableResult
    public func addTask(campaignId: Int64, _ command: NewTask, scope: Scope) async throws -> Int64 {
        try scope.require(.manageCampaigns)
        let task = try command.validated()
        let at = clock.now()
        return try await database.transaction { db in
            guard let campaign = try await Self.find(campaignId, scope: scope, on: db) else { throw LedgerError.notFound("专项整治") }
            guard scope.covers(regionPath: campaign.regionPath) else { throw LedgerError.forbidden }
            let position = try await db.raw("SELECT COUNT(*) AS n FROM campaign_tasks WHERE campaign_id = \(bind: campaignId)")
                .first(decodingColumn: "n", as: Int.self) ?? 0
            let id = try await Self.insert(task, campaignId: campaignId, position: position + 1, on: db)
            try await AuditLog.record(on: db, scope: scope, at: at, action: "add_task", entity: "campaign", entityId: "\(campaignId)",
                                      regionPath: campaign.regionPath, after: ["task": id])
            return id
        }
    }

    /// The campaign and its phases (shared with the demo).
    static func insert(_ campaign: NewCampaign.Valid, regionCode: String, regionPath: String, by username: String, at: Date, on db: any SQLDatabase) async throws -> Int64 {
        let id = try await db.raw("""
            INSERT INTO campaigns (region_code, region_path, name, created_at, created_by)
            VALUES (\(bind: regionCode), \(bind: regionPath), \(bind: campaign.name), \(bind: Timestamp.storage(at)), \(bind: username)) RETURNING id
            """).first(decodingColumn: "id", as: Int64.self)!
        for (index, phase) in campaign.phases.enumerated() {
            try await db.raw("""
                INSERT INTO campaign_phases (campaign_id, position, name, starts_on, ends_on)
                VALUES (\(bind: id), \(bind: index), \(bind: phase.name), \(bind: phase.from.description), \(bind: phase.until.description))
                """).run()
        }
        return id
    }

    /// One task at `position` (shared with the demo).
    static func insert(_ task: NewTask.Valid, campaignId: Int64, position: Int, on db: any SQLDatabase) async throws -> Int64 {
        try await db.raw("""
            INSERT INTO campaign_tasks (campaign_id, position, content, responsible, schedule, due_on, day, due_text)
            VALUES (\(bind: campaignId), \(bind: position), \(bind: task.content), \(bind: task.responsible), \(bind: task.schedule.rawValue),
                    \(bind: task.dueOn?.description), \(bind: task.day), \(bind: task.dueText)) RETURNING id
            """).first(decodingColumn: "id", as: Int64.self)!
    }

    /// A responsible unit reports progress for one period of a task (officials of the campaign's own region).
    public func report(taskId: Int64, period: String, status: Progress?, note rawNote: String, scope: Scope) async throws {
        try scope.require(.reportCampaignTasks)
        var reader = InputReader()
        let note = reader.text(rawNote, field: "note", label: "进展情况", max: 1_000)
        if status == nil { reader.errors.add("status", code: "required", "请选择已完成或推进中") }
        try reader.errors.throwIfAny()
        let progress = status!
        let at = clock.now()
        try await database.transaction { db in
            guard let row = try await db.raw("""
                SELECT t.campaign_id FROM campaign_tasks t JOIN campaigns c ON c.id = t.campaign_id WHERE t.id = \(bind: taskId) AND \(Self.predicate(scope))
                """).first() else { throw LedgerError.notFound("任务") }
            let campaignId = try row.decode(column: "campaign_id", as: Int64.self)
            let campaign = try await Self.find(campaignId, scope: scope, on: db)!
            // The responsible units are those of the campaign's own region (a district's tasks are its bureaus'); those
            // beneath it read the list but do not report for the district.
            guard scope.covers(regionPath: campaign.regionPath) else { throw LedgerError.forbidden }
            let task = try await Self.tasks(campaign, today: Day(Timestamp.shanghaiDay(at))!, on: db).first { $0.id == taskId }!
            guard task.periods.contains(where: { $0.period == period }) else {
                throw LedgerError.invalid("period", code: "unknown_period", "该任务没有这一报送期，或报送期尚未开始")
            }
            try await db.raw("DELETE FROM task_reports WHERE task_id = \(bind: taskId) AND period = \(bind: period)").run()
            try await db.raw("""
                INSERT INTO task_reports (task_id, period, status, note, reported_at, reported_by)
                VALUES (\(bind: taskId), \(bind: period), \(bind: progress.rawValue), \(bind: note), \(bind: Timestamp.storage(at)), \(bind: scope.username))
                """).run()
            try await AuditLog.record(on: db, scope: scope, at: at, action: "report", entity: "campaign_task", entityId: "\(taskId)",
                                      regionPath: campaign.regionPath, after: ["period": period, "status": progress.rawValue, "note": note])
        }
    }

    // MARK: Reading

    public func list(scope: Scope) async throws -> [Campaign] {
        try await database.read { db in
            let ids = try await db.raw("SELECT c.id FROM campaigns c WHERE \(Self.predicate(scope)) ORDER BY c.id DESC LIMIT 200")
                .all(decodingColumn: "id", as: Int64.self)
            var result: [Campaign] = []
            for id in ids { if let campaign = try await Self.find(id, scope: scope, on: db) { result.append(campaign) } }
            return result
        }
    }

    public func campaign(_ id: Int64, scope: Scope) async throws -> (Campaign, [Task]) {
        try await database.read { db in
            guard let campaign = try await Self.find(id, scope: scope, on: db) else { throw LedgerError.notFound("专项整治") }
            return (campaign, try await Self.tasks(campaign, today: Day(Timestamp.shanghaiDay(clock.now()))!, on: db))
        }
    }

    /// Every overdue period of the campaigns under `path` (the dashboard flags them).
    static func overdue(under path: String, today: Day, on db: any SQLDatabase) async throws -> [Overdue] {
        let ids = try await db.raw("SELECT c.id FROM campaigns c WHERE \(Scope.pathPredicate("c.region_path", path)) ORDER BY c.id")
            .all(decodingColumn: "id", as: Int64.self)
        var result: [Overdue] = []
        for id in ids {
            guard let campaign = try await find(id, scope: .system, on: db) else { continue }
            for task in try await tasks(campaign, today: today, on: db) {
                for period in task.overdue {
                    result.append(Overdue(campaignId: id, campaign: campaign.name, taskId: task.id, content: task.content, responsible: task.responsible,
                                          period: period.title, due: period.due.description))
                }
            }
        }
        return result
    }

    static func find(_ id: Int64, scope: Scope, on db: any SQLDatabase) async throws -> Campaign? {
        guard let row = try await db.raw("""
            SELECT c.id, c.region_code, c.region_path, c.name, c.created_at FROM campaigns c WHERE c.id = \(bind: id) AND \(predicate(scope))
            """).first() else { return nil }
        let phases = try await db.raw("SELECT name, starts_on, ends_on FROM campaign_phases WHERE campaign_id = \(bind: id) ORDER BY position")
            .all(decoding: Phase.self, keyDecodingStrategy: .convertFromSnakeCase)
        return Campaign(id: id, regionCode: try row.decode(column: "region_code", as: String.self), regionPath: try row.decode(column: "region_path", as: String.self),
                        name: try row.decode(column: "name", as: String.self), createdAt: try row.decode(column: "created_at", as: String.self), phases: phases)
    }

    /// Days since the Monday of the day's week (0 = Monday … 6 = Sunday).
    static func weekday(_ day: Day) -> Int {
        ((Day(year: 2024, month: 1, day: 1).days(until: day) % 7) + 7) % 7
    }

    /// The campaign's tasks with their periods up to today (monthly and quarterly ones from the first phase to the last).
    static func tasks(_ campaign: Campaign, today: Day, on db: any SQLDatabase) async throws -> [Task] {
        let start = campaign.phases.first.flatMap { Day($0.startsOn) } ?? today
        let end = min(campaign.phases.last.flatMap { Day($0.endsOn) } ?? today, today)
        var reports: [Int64: [String: (Progress?, String)]] = [:]
        for row in try await db.raw("""
            SELECT r.task_id, r.period, r.status, r.note FROM task_reports r JOIN campaign_tasks t ON t.id = r.task_id WHERE t.campaign_id = \(bind: campaign.id)
            """).all() {
            reports[try row.decode(column: "task_id", as: Int64.self), default: [:]][try row.decode(column: "period", as: String.self)] =
                (Progress(rawValue: try row.decode(column: "status", as: String.self)), try row.decode(column: "note", as: String.self))
        }
        return try await db.raw("""
            SELECT id, position, content, responsible, schedule, due_on, day, due_text FROM campaign_tasks WHERE campaign_id = \(bind: campaign.id) ORDER BY position
            """).all().map { row in
            let id = try row.decode(column: "id", as: Int64.self)
            let schedule = Schedule(rawValue: try row.decode(column: "schedule", as: String.self)) ?? .date
            let dueOn = try row.decode(column: "due_on", as: String?.self), day = try row.decode(column: "day", as: Int?.self)
            var due: [(String, Day)] = []
            switch schedule {
            case .date:
                if let d = dueOn.flatMap(Day.init) { due = [("once", d)] }
            case .weekly:
                // Weeks run Monday to Sunday; each is due on its weekday `day` (1 = Monday).
                var monday = start.adding(days: -Self.weekday(start))
                while monday <= end {
                    due.append(("W" + monday.description, monday.adding(days: (day ?? 4) - 1)))
                    monday = monday.adding(days: 7)
                }
            case .monthly:
                var month = Day(year: start.year, month: start.month, day: 1)
                while month <= end {
                    due.append((String(format: "%04d-%02d", month.year, month.month), Day(year: month.year, month: month.month, day: day ?? 20)))
                    month = month.month == 12 ? Day(year: month.year + 1, month: 1, day: 1) : Day(year: month.year, month: month.month + 1, day: 1)
                }
            case .quarterly:
                var quarter = Quarter(containing: start)
                while quarter.firstDay <= end {
                    let next = quarter.next.firstDay
                    due.append((quarter.description, Day(year: next.year, month: next.month, day: day ?? 5)))
                    quarter = quarter.next
                }
            }
            let periods = due.map { period, date in
                let reported = reports[id]?[period]
                return Period(period: period, due: date, status: reported?.0, note: reported?.1, overdue: date < today && reported?.0 != .done)
            }
            return Task(id: id, position: try row.decode(column: "position", as: Int.self), content: try row.decode(column: "content", as: String.self),
                        responsible: try row.decode(column: "responsible", as: String.self), schedule: schedule, dueOn: dueOn, day: day,
                        dueText: try row.decode(column: "due_text", as: String.self), periods: periods)
        }
    }
}
