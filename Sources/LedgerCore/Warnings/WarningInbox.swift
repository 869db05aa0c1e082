import Foundation
import SQLKit

/// The warnings of a jurisdiction and their lifecycle: open → acknowledged → resolved (with an explanation),
/// dismissed (a false positive, with the reason) or escalated to a problem. The engine closes a warning whose cause is gone.
public struct WarningInbox: Sendable {
    public enum Status: String, Sendable, CaseIterable, Codable {
        case open, acknowledged, resolved, dismissed, escalated, closed

        public var title: String {
            switch self {
            case .open: "待处理"
            case .acknowledged: "已签收"
            case .resolved: "已办结"
            case .dismissed: "已排除（误报）"
            case .escalated: "已转为问题"
            case .closed: "已自动关闭"
            }
        }

        public var isActive: Bool { self == .open || self == .acknowledged }
    }

    /// What a user may do to a warning.
    public enum Action: String, Sendable, CaseIterable {
        case acknowledge, explain, resolve, dismiss, escalate

        public var title: String {
            switch self {
            case .acknowledge: "签收"
            case .explain: "企业说明"
            case .resolve: "办结"
            case .dismiss: "排除误报"
            case .escalate: "转为问题"
            }
        }

        /// What the note is called on the form (the note is required except for acknowledging).
        public var noteLabel: String {
            switch self {
            case .acknowledge: "签收意见（可不填）"
            case .explain: "情况说明"
            case .resolve: "办结说明"
            case .dismiss: "排除理由"
            case .escalate: "转问题说明"
            }
        }

        /// The status this step leads to from `status`, or nil when it is not allowed from there.
        public func next(from status: Status) -> Status? {
            switch self {
            case .acknowledge: status == .open ? .acknowledged : nil
            case .explain: status.isActive ? .acknowledged : nil
            case .resolve: status.isActive ? .resolved : nil
            case .dismiss: status.isActive ? .dismissed : nil
            case .escalate: status.isActive ? .escalated : nil
            }
        }

        /// Officials act on warnings in their region; a company acknowledges and explains its own.
        public var permission: Permission {
            switch self {
            case .acknowledge: .acknowledgeWarning
            case .explain: .explainWarning
            case .resolve: .resolveWarning
            case .dismiss: .dismissWarning
            case .escalate: .escalateWarning
            }
        }

        public func permitted(for role: Role) -> Bool { role.permissions.contains(permission) }
    }

    public struct Warning: Sendable {
        public let id: Int64
        public let rule: String
        public let estateId: Int64
        public let estateName: String
        public let companyId: Int64?
        public let companyName: String?
        public let regionPath: String
        public let quarter: Quarter
        public let severity: String
        public let status: Status
        public let detail: String
        public let openedAt: String
        public let updatedAt: String
        public let closedReason: String?
    }

    public struct Event: Sendable, Codable {
        public let at: String
        public let username: String
        public let role: String
        public let action: String
        public let fromStatus: String
        public let toStatus: String
        public let note: String
    }

    public struct Filter: Sendable {
        public var rule = ""
        public var severity = ""
        /// A status, `active` (open or acknowledged, the default) or `all`.
        public var status = "active"
        /// A region inside the scope (sub-region filter).
        public var regionCode = ""
        public var companyId: Int64?
        public var estateId: Int64?
        public var quarter: Quarter?
        /// The column the list is ordered by (`Sort`), most urgent first by default, and whether to reverse it.
        public var sort = Sort.severity
        public var descending = false
        public var page = 1
        public var pageSize = 30
        public init() {}
    }

    /// The columns of the inbox a user may order it by.
    public enum Sort: String, Sendable, CaseIterable {
        case severity, rule, estate, company, quarter, opened

        /// Ascending means: high severity, W01, 甲 before 乙, the older quarter, the earlier warning first.
        var expression: SQLQueryString {
            switch self {
            case .severity: "CASE w.severity WHEN 'high' THEN 0 WHEN 'medium' THEN 1 ELSE 2 END"
            case .rule: "w.rule"
            case .estate: "e.name"
            case .company: "COALESCE(c.name, '')"
            case .quarter: "w.year * 10 + w.quarter"
            case .opened: "w.opened_at"
            }
        }
    }

    let database: Database
    let clock: any LedgerClock

    public init(database: Database, clock: any LedgerClock) {
        self.database = database
        self.clock = clock
    }

    /// Which warnings a scope may see: officials by region, a company those about its estates, a committee its estate's.
    static func predicate(_ scope: Scope) -> SQLQueryString {
        switch scope.role {
        case .admin: return "1 = 1"
        case .company: return scope.companyId.map { "w.company_id = \(bind: $0)" } ?? "1 = 0"
        case .committee: return scope.estateId.map { "w.estate_id = \(bind: $0)" } ?? "1 = 0"
        case .auditor: return "1 = 0"
        default: return Scope.pathPredicate("w.region_path", scope.regionPath)
        }
    }

    static let select: SQLQueryString = """
        SELECT w.id, w.rule, w.estate_id, e.name AS estate_name, w.company_id, c.name AS company_name, w.region_path, w.year, w.quarter,
               w.severity, w.status, w.detail, w.opened_at, w.updated_at, w.closed_reason
        FROM warnings w JOIN estates e ON e.id = w.estate_id LEFT JOIN companies c ON c.id = w.company_id
        """

    /// Checks a filter's values, so a mistyped rule or status is refused rather than answered with an empty list.
    public static func validate(_ filter: Filter) throws {
        if !filter.rule.isEmpty, WarningRules.rule(filter.rule) == nil {
            throw LedgerError.invalid("rule", code: "unknown_rule", "没有编号为「\(filter.rule.prefix(20))」的预警规则")
        }
        if !filter.status.isEmpty, filter.status != "active", filter.status != "all", Status(rawValue: filter.status) == nil {
            throw LedgerError.invalid("status", code: "unknown_status", "状态须为 open、acknowledged、resolved、dismissed、escalated、closed、active 或 all")
        }
        if !filter.severity.isEmpty, !["high", "medium", "low"].contains(filter.severity) {
            throw LedgerError.invalid("severity", code: "unknown_severity", "等级须为 high、medium 或 low")
        }
    }

    public func list(scope: Scope, filter: Filter) async throws -> Page<Warning> {
        try Self.validate(filter)
        let today = Day(Timestamp.shanghaiDay(clock.now()))!
        return try await database.cachedList("warnings", scope: scope, key: "\(filter)", today: today) { try await listed(scope: scope, filter: filter) }
    }

    private func listed(scope: Scope, filter: Filter) async throws -> Page<Warning> {
        try await database.read { db in
            let condition = try await Self.condition(scope: scope, filter: filter, on: db)
            let total = try await db.raw("SELECT COUNT(*) AS n FROM warnings w WHERE \(condition)").first(decodingColumn: "n", as: Int.self) ?? 0
            let page = max(1, min(filter.page, 1_000_000)), size = max(1, min(filter.pageSize, 200))
            let rows = try await db.raw("""
                \(Self.select) WHERE \(condition) ORDER BY \(Self.order(filter)) LIMIT \(bind: size) OFFSET \(bind: (page - 1) * size)
                """).all()
            return Page(items: try rows.map(Self.decode), total: total, page: page, pageSize: size)
        }
    }

    /// Every warning the filter selects, in the list's order, up to `limit` (for the export); with the total selected.
    public func export(scope: Scope, filter: Filter, limit: Int) async throws -> (items: [Warning], total: Int) {
        try Self.validate(filter)
        return try await database.read { db in
            let condition = try await Self.condition(scope: scope, filter: filter, on: db)
            let total = try await db.raw("SELECT COUNT(*) AS n FROM warnings w WHERE \(condition)").first(decodingColumn: "n", as: Int.self) ?? 0
            let rows = try await db.raw("\(Self.select) WHERE \(condition) ORDER BY \(Self.order(filter)) LIMIT \(bind: max(1, limit))").all()
            return (try rows.map(Self.decode), total)
        }
    }

    /// The WHERE clause of a filter under the scope (a sub-region must lie inside the scope, or the read is refused).
    static func condition(scope: Scope, filter: Filter, on db: any SQLDatabase) async throws -> SQLQueryString {
        var conditions: [SQLQueryString] = [Self.predicate(scope)]
        if !filter.regionCode.isEmpty {
            let region = try await RegionDirectory.covered(filter.regionCode, scope: scope, on: db)
            conditions.append(Scope.pathPredicate("w.region_path", region.path))
        }
        if !filter.rule.isEmpty { conditions.append("w.rule = \(bind: filter.rule)") }
        if !filter.severity.isEmpty { conditions.append("w.severity = \(bind: filter.severity)") }
        switch filter.status {
        case "", "active": conditions.append("w.status IN ('open', 'acknowledged')")
        case "all": break
        default: conditions.append("w.status = \(bind: filter.status)")
        }
        if let company = filter.companyId { conditions.append("w.company_id = \(bind: company)") }
        if let estate = filter.estateId { conditions.append("w.estate_id = \(bind: estate)") }
        if let quarter = filter.quarter { conditions.append("w.year = \(bind: quarter.year) AND w.quarter = \(bind: quarter.quarter)") }
        return conditions.dropFirst().reduce(conditions[0]) { "\($0) AND \($1)" }
    }

    /// The chosen column (reversed when asked), then the default order, then the newest id, so a page is stable.
    static func order(_ filter: Filter) -> SQLQueryString {
        let direction: SQLQueryString = filter.descending ? "DESC" : "ASC"
        let first: SQLQueryString = "\(filter.sort.expression) \(direction)"
        return filter.sort == .severity ? "\(first), w.year DESC, w.quarter DESC, w.id DESC" : "\(first), w.id DESC"
    }

    /// 批量签收: signs for every ticked warning still `open` in one transaction (each with its event and audit entry, as
    /// one by one); those already signed for or closed are skipped and counted. A warning outside the scope, or a
    /// role that may not sign, refuses the whole batch and nothing is written.
    public func acknowledge(_ ids: [Int64], scope: Scope) async throws -> (acknowledged: Int, skipped: Int) {
        let unique = Array(Set(ids)).sorted()
        guard !unique.isEmpty else { throw LedgerError.invalid("id", code: "required", "请先勾选要签收的预警") }
        guard unique.count <= 200 else { throw LedgerError.invalid("id", code: "too_many", "一次最多签收200条预警") }
        guard Action.acknowledge.permitted(for: scope.role) else { throw LedgerError.forbidden }
        let at = clock.now()
        return try await database.transaction { db in
            var done = 0, skipped = 0
            for id in unique {
                guard let warning = try await Self.find(id, scope: scope, on: db) else { throw LedgerError.notFound("预警") }
                guard warning.status == .open else { skipped += 1; continue }
                _ = try await Self.act(.acknowledge, on: id, note: "批量签收", scope: scope, at: at, on: db)
                done += 1
            }
            return (done, skipped)
        }
    }

    /// One warning in scope with its history.
    public func warning(_ id: Int64, scope: Scope) async throws -> (Warning, [Event]) {
        try await database.read { db in
            guard let warning = try await Self.find(id, scope: scope, on: db) else { throw LedgerError.notFound("预警") }
            let events = try await db.raw("""
                SELECT at, username, role, action, from_status, to_status, note FROM warning_events WHERE warning_id = \(bind: id) ORDER BY id
                """).all(decoding: Event.self, keyDecodingStrategy: .convertFromSnakeCase)
            return (warning, events)
        }
    }

    /// Moves a warning along its lifecycle; a step that is not allowed from its status is refused and nothing is written.
    @discardableResult
    public func act(_ action: Action, on id: Int64, note rawNote: String, scope: Scope) async throws -> Warning {
        let note = InputReader.halfWidth(rawNote).trimmingCharacters(in: .whitespacesAndNewlines)
        guard note.count <= 2_000 else { throw LedgerError.invalid("note", code: "too_long", "\(action.noteLabel)不能超过2000个字符") }
        if action != .acknowledge && note.isEmpty { throw LedgerError.invalid("note", code: "required", "请填写\(action.noteLabel)") }
        if note.unicodeScalars.contains(where: { $0.properties.generalCategory == .control && $0 != "\n" && $0 != "\r" && $0 != "\t" }) {
            throw LedgerError.invalid("note", code: "bad_char", "\(action.noteLabel)含有不可见的控制字符")
        }
        let at = clock.now()
        return try await database.transaction { db in try await Self.act(action, on: id, note: note, scope: scope, at: at, on: db).warning }
    }

    /// `act` inside the caller's transaction, the note checked; also returns the problem an escalation raised.
    static func act(_ action: Action, on id: Int64, note: String, scope: Scope, at: Date, on db: any SQLDatabase) async throws -> (warning: Warning, problem: Int64?) {
        try await db.lockRow("warnings", id: id)
        guard let before = try await Self.find(id, scope: scope, on: db) else { throw LedgerError.notFound("预警") }
        guard action.permitted(for: scope.role) else { throw LedgerError.forbidden }
        guard let target = action.next(from: before.status) else {
            throw LedgerError(.conflict, code: "transition_not_allowed",
                              message: "该预警当前为「\(before.status.title)」，不能\(action.title)", field: "action")
        }
        let now = Timestamp.storage(at)
        var recorded = note, raised: Int64?
        if action == .escalate {
            let problemId = try await Problems.insert(ProblemInput(
                estateId: before.estateId, category: ProblemCategory.forRule(before.rule),
                description: String("预警 \(before.rule) \(WarningRules.rule(before.rule)?.name ?? "")（\(before.quarter.title)）：\(before.detail)。\(note)".prefix(2_000)),
                severity: ProblemSeverity(rawValue: before.severity) ?? .medium, source: .warning), sourceId: id, scope: scope, at: at, on: db)
            try await db.raw("UPDATE warnings SET problem_id = \(bind: problemId) WHERE id = \(bind: id)").run()
            recorded = "转为问题 #\(problemId)：\(note)"
            raised = problemId
        }
        let note = recorded
        let reason: String? = target.isActive ? nil : note
        try await db.raw("""
            UPDATE warnings SET status = \(bind: target.rawValue), updated_at = \(bind: now), closed_reason = \(bind: reason)
            WHERE id = \(bind: id) AND status = \(bind: before.status.rawValue)
            """).run()
        try await db.raw("""
            INSERT INTO warning_events (warning_id, at, username, role, action, from_status, to_status, note)
            VALUES (\(bind: id), \(bind: now), \(bind: scope.username), \(bind: scope.role.rawValue), \(bind: action.rawValue),
                    \(bind: before.status.rawValue), \(bind: target.rawValue), \(bind: note))
            """).run()
        let after = try await Self.find(id, scope: .system, on: db)!
        try await AuditLog.record(on: db, scope: scope, at: at, action: action.rawValue, entity: "warning", entityId: "\(id)",
                                  regionPath: before.regionPath, before: ["status": before.status.rawValue],
                                  after: ["status": target.rawValue, "note": note])
        return (after, raised)
    }

    static func find(_ id: Int64, scope: Scope, on db: any SQLDatabase) async throws -> Warning? {
        try await db.raw("\(select) WHERE w.id = \(bind: id) AND \(predicate(scope))").first().map(decode)
    }

    static func decode(_ row: any SQLRow) throws -> Warning {
        Warning(id: try row.decode(column: "id", as: Int64.self), rule: try row.decode(column: "rule", as: String.self),
                estateId: try row.decode(column: "estate_id", as: Int64.self), estateName: try row.decode(column: "estate_name", as: String.self),
                companyId: try row.decode(column: "company_id", as: Int64?.self), companyName: try row.decode(column: "company_name", as: String?.self),
                regionPath: try row.decode(column: "region_path", as: String.self),
                quarter: Quarter(year: try row.decode(column: "year", as: Int.self), quarter: try row.decode(column: "quarter", as: Int.self))!,
                severity: try row.decode(column: "severity", as: String.self),
                status: Status(rawValue: try row.decode(column: "status", as: String.self)) ?? .open,
                detail: try row.decode(column: "detail", as: String.self), openedAt: try row.decode(column: "opened_at", as: String.self),
                updatedAt: try row.decode(column: "updated_at", as: String.self), closedReason: try row.decode(column: "closed_reason", as: String?.self))
    }
}
