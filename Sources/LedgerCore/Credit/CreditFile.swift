import Foundation
import SQLKit

/// 企业信用档案: the dated credit events of each company, raised from their sources (idempotently: one event per rule and
/// source record, however often the daily job runs), recorded by hand with a document number, withdrawn on objection;
/// and the score and grade computed from the valid events every time — never a stored counter that could drift.
public struct CreditFile: Sendable {
    public enum Status: String, Sendable, Codable {
        case valid, withdrawn, repaired
        public var title: String {
            switch self {
            case .valid: "有效"
            case .withdrawn: "已撤销"
            case .repaired: "已信用修复"
            }
        }
    }

    public struct Event: Sendable, Codable, Equatable {
        public let id: Int64
        public let companyId: Int64
        public let rule: String
        public let points: Int
        public let basis: String
        public let sourceType: String
        public let sourceId: Int64?
        public let regionPath: String
        public let occurredOn: String
        public let expiresOn: String
        public let documentNumber: String
        public let note: String
        public let status: Status

        /// Counts on `day`: valid, already happened, not yet expired.
        public func counts(on day: Day) -> Bool {
            status == .valid && occurredOn <= day.description && day.description < expiresOn
        }
    }

    /// A grade from a score, with the region's thresholds (AAA ≥ 85, AA ≥ 80, A ≥ 70, B ≥ 60, C below).
    public enum Grade: String, Sendable, Codable, CaseIterable {
        case aaa = "AAA", aa = "AA", a = "A", b = "B", c = "C"

        public var title: String { rawValue + "级" }

        public static let thresholds: [(Grade, Int)] = [(.aaa, 85), (.aa, 80), (.a, 70), (.b, 60)]

        public static func of(_ score: Int) -> Grade {
            thresholds.first { score >= $0.1 }?.0 ?? .c
        }
    }

    /// The arithmetic behind a grade: basic information (up to 80), good-credit events (up to 40), bad-credit events.
    public struct Score: Sendable, Equatable {
        public let registration: Int
        public let managing: Int
        public let filing: Int
        public let good: Int
        public let bad: Int

        public init(registration: Int, managing: Int, filing: Int, good: Int, bad: Int) {
            (self.registration, self.managing, self.filing, self.good, self.bad) = (registration, managing, filing, good, bad)
        }

        public var basic: Int { registration + managing + filing }
        public var total: Int { basic + min(good, Self.goodCap) - bad }
        public var grade: Grade { Grade.of(total) }

        public static let goodCap = 40
    }

    let database: Database
    let clock: any LedgerClock
    /// Evidence a company attaches to an objection or a repair application (异议、修复材料).
    let files: StoredFiles

    public init(database: Database, clock: any LedgerClock, filesDirectory: String = NSTemporaryDirectory() + "ledger-files") {
        self.database = database
        self.clock = clock
        self.files = StoredFiles(directory: filesDirectory)
    }

    // MARK: Raising events

    /// Raises the events of every automatic source not raised yet; returns how many were new. Run by the daily job and
    /// after a source's own step; running it again raises nothing twice.
    @discardableResult
    public func collect() async throws -> Int {
        let at = clock.now()
        let today = Day(Timestamp.shanghaiDay(at))!
        return try await database.transaction { db in
            let settings = try await CreditRules.settings(on: db)
            var raised = 0
            func raise(_ rule: CreditRule, company: Int64, source: CreditSource, id: Int64, path: String, on day: String, basis: String,
                       document: String, note: String) async throws {
                let applied = CreditRules.resolve(rule, path: path, settings: settings)
                guard applied.enabled else { return }
                let occurred = Day(day) ?? today
                try await db.raw("""
                    INSERT INTO credit_events (company_id, rule, points, basis, source_type, source_id, region_path, occurred_on, expires_on,
                                               document_number, note, status, created_at, created_by)
                    VALUES (\(bind: company), \(bind: rule.code), \(bind: applied.points), \(bind: basis), \(bind: source.rawValue), \(bind: id), \(bind: path),
                            \(bind: occurred.description), \(bind: Self.expiry(occurred, months: applied.validityMonths).description), \(bind: document),
                            \(bind: note), 'valid', \(bind: Timestamp.storage(at)), 'system')
                    """).run()
                raised += 1
            }
            func fresh(_ source: CreditSource, _ rule: String, alias: String) -> SQLQueryString {
                "NOT EXISTS (SELECT 1 FROM credit_events e WHERE e.rule = \(bind: rule) AND e.source_type = \(bind: source.rawValue) AND e.source_id = \(unsafeRaw: alias).id)"
            }
            for rule in CreditRules.defaults where rule.source != .manual {
                switch rule.source {
                case .enforcement:
                    for row in try await db.raw("""
                        SELECT a.id, a.company_id, a.region_path, a.decided_on, a.basis, a.document_number FROM enforcement_actions a
                        WHERE a.kind = \(bind: rule.enforcementKind ?? "") AND \(fresh(.enforcement, rule.code, alias: "a")) ORDER BY a.id
                        """).all() {
                        let basis = try row.decode(column: "basis", as: String.self)
                        try await raise(rule, company: try row.decode(column: "company_id", as: Int64.self), source: .enforcement,
                                        id: try row.decode(column: "id", as: Int64.self), path: try row.decode(column: "region_path", as: String.self),
                                        on: try row.decode(column: "decided_on", as: String.self), basis: basis.isEmpty ? rule.basis : basis,
                                        document: try row.decode(column: "document_number", as: String.self), note: rule.title)
                    }
                case .overdueProblem:
                    for row in try await db.raw("""
                        SELECT p.id, p.company_id, p.region_path, l.issued_on, l.number FROM problems p JOIN letters l ON l.problem_id = p.id AND l.kind = 'supervision'
                        WHERE p.company_id IS NOT NULL AND \(fresh(.overdueProblem, rule.code, alias: "p")) ORDER BY p.id
                        """).all() {
                        try await raise(rule, company: try row.decode(column: "company_id", as: Int64.self), source: .overdueProblem,
                                        id: try row.decode(column: "id", as: Int64.self), path: try row.decode(column: "region_path", as: String.self),
                                        on: try row.decode(column: "issued_on", as: String.self), basis: rule.basis,
                                        document: try row.decode(column: "number", as: String.self), note: "问题 #\(try row.decode(column: "id", as: Int64.self)) 逾期未整改")
                    }
                case .undisclosed:
                    let cutoff = Timestamp.startOfShanghaiDay(today.adding(days: -CreditRules.undisclosedDays))
                    for row in try await db.raw("""
                        SELECT w.id, w.company_id, w.region_path, w.opened_at, w.year, w.quarter FROM warnings w
                        WHERE w.rule = 'W01' AND w.status IN ('open', 'acknowledged') AND w.company_id IS NOT NULL AND w.opened_at < \(bind: cutoff)
                        AND \(fresh(.undisclosed, rule.code, alias: "w")) ORDER BY w.id
                        """).all() {
                        let opened = Day(Timestamp.shanghaiDay(Timestamp.parse(try row.decode(column: "opened_at", as: String.self)) ?? at))!
                        let quarter = "\(try row.decode(column: "year", as: Int.self))年第\(try row.decode(column: "quarter", as: Int.self))季度"
                        try await raise(rule, company: try row.decode(column: "company_id", as: Int64.self), source: .undisclosed,
                                        id: try row.decode(column: "id", as: Int64.self), path: try row.decode(column: "region_path", as: String.self),
                                        on: opened.adding(days: CreditRules.undisclosedDays).description, basis: rule.basis, document: "",
                                        note: "\(quarter)公共收益逾期未公示超过\(CreditRules.undisclosedDays)日")
                    }
                case .complaint:
                    for row in try await db.raw("""
                        SELECT c.id, c.company_id, c.region_path, c.closed_at, c.tracking_code FROM complaints c
                        WHERE c.status = 'closed' AND c.outcome = 'fixed' AND c.company_id IS NOT NULL AND \(fresh(.complaint, rule.code, alias: "c")) ORDER BY c.id
                        """).all() {
                        let closed = try row.decode(column: "closed_at", as: String?.self).flatMap(Timestamp.parse) ?? at
                        try await raise(rule, company: try row.decode(column: "company_id", as: Int64.self), source: .complaint,
                                        id: try row.decode(column: "id", as: Int64.self), path: try row.decode(column: "region_path", as: String.self),
                                        on: Timestamp.shanghaiDay(closed), basis: rule.basis, document: try row.decode(column: "tracking_code", as: String.self),
                                        note: "投诉举报经查属实并已整改")
                    }
                case .falseSelfInspection:
                    for row in try await db.raw("""
                        SELECT s.id, s.company_id, s.region_path, s.false_at, s.year, s.quarter FROM self_inspections s
                        WHERE s.false_at IS NOT NULL AND s.company_id IS NOT NULL AND \(fresh(.falseSelfInspection, rule.code, alias: "s")) ORDER BY s.id
                        """).all() {
                        let found = Timestamp.parse(try row.decode(column: "false_at", as: String.self)) ?? at
                        try await raise(rule, company: try row.decode(column: "company_id", as: Int64.self), source: .falseSelfInspection,
                                        id: try row.decode(column: "id", as: Int64.self), path: try row.decode(column: "region_path", as: String.self),
                                        on: Timestamp.shanghaiDay(found), basis: rule.basis, document: "",
                                        note: "\(try row.decode(column: "year", as: Int.self))年第\(try row.decode(column: "quarter", as: Int.self))季度自查结果经核查弄虚作假")
                    }
                case .manual:
                    break
                }
            }
            if raised > 0 {
                try await AuditLog.record(on: db, scope: .system, at: at, action: "collect", entity: "credit_events", entityId: "", regionPath: nil,
                                          after: ["raised": "\(raised)"])
            }
            // Events raised, expired or filings come due: every grade is checked, and each change recorded (重新核级).
            let regraded = try await Self.regrade(nil, cause: raised > 0 ? "每日核级（新增信用记录 \(raised) 条）" : "每日核级", today: today, at: at, on: db)
            if regraded > 0 {
                try await AuditLog.record(on: db, scope: .system, at: at, action: "regrade", entity: "credit_grade_changes", entityId: "", regionPath: nil,
                                          after: ["changed": "\(regraded)"])
            }
            return raised
        }
    }

    /// The day an event stops counting: `months` after it happened (an event without its own period counts 12 months).
    static func expiry(_ day: Day, months: Int) -> Day {
        let total = day.year * 12 + (day.month - 1) + months
        let year = total / 12, month = total % 12 + 1
        return Day(year: year, month: month, day: min(day.day, Day.daysIn(year: year, month: month)))
    }

    /// A regulator records an event by hand (a manual rule, or a sanction by its document), with the document it rests on;
    /// `points` empty takes the rule's points in the regulator's region.
    @discardableResult
    public func record(companyId: Int64, rule code: String, points pointsText: String = "", occurredOn: String, documentNumber: String, note: String,
                       scope: Scope) async throws -> Int64 {
        try scope.require(.recordEnforcement)
        var reader = InputReader()
        let rule = CreditRules.rule(code)
        if rule == nil || rule?.recordable != true { reader.errors.add("rule", code: "unknown_rule", "请选择可人工记录的信用规则") }
        var points: Int?
        if !pointsText.trimmingCharacters(in: .whitespaces).isEmpty {
            let value = reader.integer(pointsText, field: "points", label: "分值", range: -100...100)
            if reader.errors.message(for: "points") == nil, let rule {
                if value == 0 || (value > 0) != rule.isGood {
                    reader.errors.add("points", code: "wrong_sign", rule.isGood ? "守信激励的分值须为正数" : "失信行为的分值须为负数（扣分）")
                } else {
                    points = value
                }
            }
        }
        let day = reader.day(occurredOn, field: "occurredOn", label: "发生日期")
        let document = reader.text(documentNumber, field: "documentNumber", label: "文书编号", max: 60)
        let text = reader.text(note, field: "note", label: "事实摘要", max: 500)
        let at = clock.now()
        if let day, day > Day(Timestamp.shanghaiDay(at))! { reader.errors.add("occurredOn", code: "future_date", "发生日期不能晚于今天") }
        try reader.errors.throwIfAny()
        let chosen = points
        return try await database.transaction { db in
            guard let path = try await Self.companyPath(companyId, scope: scope, on: db) else { throw LedgerError.notFound("物业服务企业") }
            guard let home = scope.regionPath, scope.role.isRegional else { throw LedgerError.forbidden }
            let points = chosen
            let applied = CreditRules.resolve(rule!, path: home, settings: try await CreditRules.settings(on: db))
            guard applied.enabled else { throw LedgerError.invalid("rule", code: "rule_disabled", "该信用规则在本辖区已停用") }
            let today = Day(Timestamp.shanghaiDay(at))!
            try await Self.regrade([companyId], cause: "初次评级", today: today, at: at, on: db)
            let id = try await db.raw("""
                INSERT INTO credit_events (company_id, rule, points, basis, source_type, source_id, region_path, occurred_on, expires_on,
                                           document_number, note, status, created_at, created_by)
                VALUES (\(bind: companyId), \(bind: applied.code), \(bind: points ?? applied.points), \(bind: applied.basis), 'manual', NULL, \(bind: home),
                        \(bind: day!.description), \(bind: Self.expiry(day!, months: applied.validityMonths).description), \(bind: document), \(bind: text),
                        'valid', \(bind: Timestamp.storage(at)), \(bind: scope.username))
                RETURNING id
                """).first(decodingColumn: "id", as: Int64.self)!
            try await AuditLog.record(on: db, scope: scope, at: at, action: "record", entity: "credit_event", entityId: "\(id)", regionPath: home,
                                      after: ["company": "\(companyId)", "rule": applied.code, "points": "\(points ?? applied.points)", "companyRegion": path])
            try await Self.regrade([companyId], cause: "记入\(applied.title)（\(document)）", today: today, at: at, on: db)
            return id
        }
    }

    /// The region path of a company the scope's officials deal with — registered in their region or managing an estate
    /// there — else nil (another region's company is "not found").
    static func companyPath(_ companyId: Int64, scope: Scope, on db: any SQLDatabase) async throws -> String? {
        try await db.raw("""
            SELECT c.region_path FROM companies c WHERE c.id = \(bind: companyId) AND (\(scope.officialPredicate("c.region_path"))
                OR EXISTS (SELECT 1 FROM estates e WHERE e.company_id = c.id AND \(scope.officialPredicate("e.region_path"))))
            """).first(decodingColumn: "region_path", as: String.self)
    }

    /// Withdraws an event (an objection upheld): it stops counting and stays visible as withdrawn.
    public func withdraw(_ id: Int64, reason: String, scope: Scope) async throws {
        try scope.require(.recordEnforcement)
        var reader = InputReader()
        let text = reader.text(reason, field: "reason", label: "撤销理由", max: 500)
        try reader.errors.throwIfAny()
        let at = clock.now()
        try await database.transaction { db in
            guard let row = try await db.raw("""
                SELECT region_path, status, company_id FROM credit_events WHERE id = \(bind: id) AND \(scope.officialPredicate("region_path"))
                """).first() else { throw LedgerError.notFound("信用记录") }
            guard try row.decode(column: "status", as: String.self) == Status.valid.rawValue else {
                throw LedgerError(.conflict, code: "already_withdrawn", message: "该信用记录已撤销", field: "reason")
            }
            try await Self.regrade([try row.decode(column: "company_id", as: Int64.self)], cause: "初次评级", today: Day(Timestamp.shanghaiDay(at))!,
                                   at: at, on: db)
            try await db.raw("""
                UPDATE credit_events SET status = 'withdrawn', withdrawn_at = \(bind: Timestamp.storage(at)), withdrawn_reason = \(bind: text) WHERE id = \(bind: id)
                """).run()
            try await AuditLog.record(on: db, scope: scope, at: at, action: "withdraw", entity: "credit_event", entityId: "\(id)",
                                      regionPath: try row.decode(column: "region_path", as: String.self), after: ["reason": text])
            try await Self.regrade([try row.decode(column: "company_id", as: Int64.self)], cause: "信用记录 #\(id) 撤销", today: Day(Timestamp.shanghaiDay(at))!,
                                   at: at, on: db)
        }
    }

    // MARK: Reading

    public func events(companyId: Int64) async throws -> [Event] {
        try await database.read { db in try await Self.events(condition: "company_id = \(bind: companyId)", on: db) }
    }

    static func events(condition: SQLQueryString, limit: Int? = nil, on db: any SQLDatabase) async throws -> [Event] {
        try await db.raw("""
            SELECT id, company_id, rule, points, basis, source_type, source_id, region_path, occurred_on, expires_on, document_number, note, status
            FROM credit_events WHERE \(condition) ORDER BY occurred_on DESC, id DESC \(unsafeRaw: limit.map { "LIMIT \($0)" } ?? "")
            """).all().map { row in
            Event(id: try row.decode(column: "id", as: Int64.self), companyId: try row.decode(column: "company_id", as: Int64.self),
                  rule: try row.decode(column: "rule", as: String.self), points: try row.decode(column: "points", as: Int.self),
                  basis: try row.decode(column: "basis", as: String.self), sourceType: try row.decode(column: "source_type", as: String.self),
                  sourceId: try row.decode(column: "source_id", as: Int64?.self), regionPath: try row.decode(column: "region_path", as: String.self),
                  occurredOn: try row.decode(column: "occurred_on", as: String.self), expiresOn: try row.decode(column: "expires_on", as: String.self),
                  documentNumber: try row.decode(column: "document_number", as: String.self), note: try row.decode(column: "note", as: String.self),
                  status: Status(rawValue: try row.decode(column: "status", as: String.self)) ?? .valid)
        }
    }
}
