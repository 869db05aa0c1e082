import Foundation
import SQLKit

/// Pressure on lagging regions (Fuzhou §六(三): 对工作推进缓慢的部门和地区发提醒函、督办函; Putian §五(三)): a city or county
/// sees how each sub-region stands — on-time disclosure, problems past their deadline, campaign tasks overdue — and
/// sends a lagging one a 提醒函 or 督办函 with those facts filled in (frozen as issued) and a reply deadline; the
/// sub-region's officials answer in the system.
public struct RegionLetters: Sendable {
    public enum Kind: String, Sendable, Codable, CaseIterable {
        case reminder, supervision

        public var title: String { self == .reminder ? "提醒函" : "督办函" }
        var numberWord: String { self == .reminder ? "提醒" : "督办" }
    }

    /// How a sub-region stands today: the last ended quarter's on-time disclosure, problems open past their deadline,
    /// campaign tasks past due.
    public struct Standing: Sendable, Codable, Equatable {
        public let code: String
        public let name: String
        public let quarter: String
        public let due: Int
        public let onTime: Int
        public let overdueProblems: Int
        public let overdueTasks: Int

        public var onTimeRate: Double? { due == 0 ? nil : Double(onTime) / Double(due) }
        /// Below the target (every estate on time), or anything overdue.
        public var lagging: Bool { (onTimeRate.map { $0 < 1 } ?? false) || overdueProblems > 0 || overdueTasks > 0 }

        /// The facts as a letter states them.
        public var facts: [String] {
            var lines: [String] = []
            if due > 0 {
                lines.append("\(quarter)应公示小区\(due)个，按时公示\(onTime)个，按时公示率\(String(format: "%.1f%%", (onTimeRate ?? 0) * 100))（目标100%）")
            } else {
                lines.append("\(quarter)没有应公示的小区")
            }
            lines.append(overdueProblems == 0 ? "没有逾期未整改的问题" : "逾期未整改的问题\(overdueProblems)个")
            lines.append(overdueTasks == 0 ? "专项整治任务均按期完成" : "专项整治任务逾期未完成\(overdueTasks)项次")
            return lines
        }
    }

    public struct Letter: Sendable, Equatable {
        public let id: Int64
        public let kind: Kind
        public let number: String
        public let fromCode: String
        public let fromName: String
        public let toCode: String
        public let toName: String
        public let toPath: String
        public let addressee: String
        public let issuedOn: String
        public let replyDue: String
        public let standing: Standing
        public let requirements: String
        public let issuedBy: String
        public let reply: String?
        public let repliedAt: String?
        public let repliedBy: String?

        public var statusTitle: String { reply == nil ? "待答复" : "已答复" }
        public func overdue(today: Day) -> Bool { reply == nil && replyDue < today.description }
    }

    /// A letter as an official writes it.
    public struct LetterInput: Sendable {
        public var kind: String
        public var toCode: String
        /// The addressee as printed (主送机关); empty: the sub-region's housing department or street office.
        public var addressee: String
        public var replyDue: String
        public var requirements: String

        public init(kind: String, toCode: String, addressee: String = "", replyDue: String, requirements: String = "") {
            self.kind = kind
            self.toCode = toCode
            self.addressee = addressee
            self.replyDue = replyDue
            self.requirements = requirements
        }
    }

    let database: Database
    let clock: any LedgerClock

    public init(database: Database, clock: any LedgerClock) {
        self.database = database
        self.clock = clock
    }

    // MARK: Standing

    /// How each sub-region of a region the scope covers stands today.
    public func standings(regionCode: String, scope: Scope) async throws -> (Region, [Standing]) {
        try scope.require(.viewDashboard)
        let dashboard = Dashboard(database: database, clock: clock)
        let today = Day(Timestamp.shanghaiDay(clock.now()))!
        let region = try await database.read { db in try await RegionDirectory.covered(regionCode, scope: scope, on: db) }
        let quarter = dashboard.defaultQuarter()
        let view = try await dashboard.view(regionCode: region.code, quarter: quarter, scope: scope)
        guard view.units.first?.kind != "estate" else { return (region, []) }
        return (region, try await database.read { db in
            try await Self.standings(of: view.units.map { ($0.code, $0.name, $0.figures.due, $0.figures.onTime) }, under: region, quarter: quarter,
                                     today: today, on: db)
        })
    }

    static func standings(of units: [(code: String, name: String, due: Int, onTime: Int)], under region: Region, quarter: Quarter, today: Day,
                          on db: any SQLDatabase) async throws -> [Standing] {
        let depth = region.path.split(separator: "/").count
        func unit(_ path: String) -> String? {
            let parts = path.split(separator: "/")
            return parts.count > depth ? String(parts[depth]) : nil
        }
        var problems: [String: Int] = [:]
        for row in try await db.raw("""
            SELECT region_path FROM problems WHERE status = 'open' AND deadline < \(bind: today.description)
            AND \(Scope.pathPredicate("region_path", region.path))
            """).all() {
            if let code = unit(try row.decode(column: "region_path", as: String.self)) { problems[code, default: 0] += 1 }
        }
        // The region's campaigns and where each lies, read once (not once per overdue task).
        var campaigns: [Int64: String] = [:]
        for row in try await db.raw("SELECT id, region_path FROM campaigns WHERE \(Scope.pathPredicate("region_path", region.path))").all() {
            campaigns[try row.decode(column: "id", as: Int64.self)] = try row.decode(column: "region_path", as: String.self)
        }
        var tasks: [String: Int] = [:]
        for overdue in try await Campaigns.overdue(under: region.path, today: today, on: db) {
            if let code = campaigns[overdue.campaignId].flatMap(unit) { tasks[code, default: 0] += 1 }
        }
        return units.map {
            Standing(code: $0.code, name: $0.name, quarter: quarter.title, due: $0.due, onTime: $0.onTime, overdueProblems: problems[$0.code] ?? 0,
                     overdueTasks: tasks[$0.code] ?? 0)
        }
    }

    // MARK: Issuing and answering

    /// Issues a letter to a sub-region below the official's own region, with the facts as they stand today.
    @discardableResult
    public func issue(_ input: LetterInput, scope: Scope) async throws -> Int64 {
        try scope.require(.superviseRegions)
        let at = clock.now()
        let today = Day(Timestamp.shanghaiDay(at))!
        var reader = InputReader()
        let kind = Kind(rawValue: input.kind)
        if kind == nil { reader.errors.add("letterKind", code: "invalid", "请选择提醒函或督办函") }
        let due = reader.day(input.replyDue, field: "replyDue", label: "答复期限")
        if let due, due <= today { reader.errors.add("replyDue", code: "not_after_today", "答复期限应晚于今天") }
        if let due, due > today.adding(days: 90) { reader.errors.add("replyDue", code: "too_far", "答复期限不应超过90天") }
        let addressee = reader.text(input.addressee, field: "addressee", label: "主送机关", required: false, max: 60)
        let requirements = reader.text(input.requirements, field: "requirements", label: "督办要求", required: false, max: 1_000)
        try reader.errors.throwIfAny()
        let dashboard = Dashboard(database: database, clock: clock)
        let quarter = dashboard.defaultQuarter()
        let (to, from) = try await database.read { db -> (Region, Region) in
            let to = try await RegionDirectory.covered(input.toCode, scope: scope, on: db)
            guard let parent = to.parentCode, to.level == .county || to.level == .street else {
                throw LedgerError.invalid("to", code: "not_sub_region", "提醒函、督办函只发给下级县（区）或街道（乡镇）")
            }
            let from = try await RegionDirectory.covered(parent, scope: scope, on: db)
            // An official writes from their own region: a county to its streets, a city to its counties.
            if scope.role != .admin, scope.regionPath != from.path {
                throw LedgerError.invalid("to", code: "not_sub_region", "只能向本级的直接下级辖区发函")
            }
            return (to, from)
        }
        let parentView = try await dashboard.view(regionCode: from.code, quarter: quarter, scope: scope)
        let figures = parentView.units.first { $0.code == to.code }?.figures
        return try await database.transaction { db in
            let standing = try await Self.standings(of: [(to.code, to.name, figures?.due ?? 0, figures?.onTime ?? 0)], under: from, quarter: quarter,
                                                    today: today, on: db)[0]
            let prefix = "\(from.name)物业\(kind!.numberWord)〔\(today.year)〕"
            let count = try await db.raw("SELECT COUNT(*) AS n FROM region_letters WHERE number LIKE \(bind: prefix + "%")")
                .first(decodingColumn: "n", as: Int.self) ?? 0
            let number = "\(prefix)\(count + 1)号"
            let printed = addressee.isEmpty ? (to.level == .street ? "\(to.name)办事处" : "\(to.name)住房和城乡建设局") : addressee
            let id = try await db.raw("""
                INSERT INTO region_letters (kind, number, from_code, from_path, to_code, to_path, addressee, issued_on, reply_due, facts, requirements,
                                            issued_at, issued_by)
                VALUES (\(bind: kind!.rawValue), \(bind: number), \(bind: from.code), \(bind: from.path), \(bind: to.code), \(bind: to.path), \(bind: printed),
                        \(bind: today.description), \(bind: due!.description), \(bind: try InspectionPlans.json(standing)), \(bind: requirements),
                        \(bind: Timestamp.storage(at)), \(bind: scope.username))
                RETURNING id
                """).first(decodingColumn: "id", as: Int64.self)!
            try await AuditLog.record(on: db, scope: scope, at: at, action: "issue", entity: "region_letter", entityId: "\(id)", regionPath: to.path,
                                      after: ["kind": kind!.title, "number": number, "to": to.name, "replyDue": due!.description])
            return id
        }
    }

    /// The recipient region's own officials answer a letter, once.
    public func reply(_ id: Int64, text: String, scope: Scope) async throws {
        try scope.require(.answerSupervision)
        var reader = InputReader()
        let reply = reader.text(text, field: "reply", label: "答复内容（整改落实情况）", max: 2_000)
        try reader.errors.throwIfAny()
        let at = clock.now()
        try await database.transaction { db in
            try await db.lockRow("region_letters", id: id)
            guard let letter = try await Self.letters(condition: "l.id = \(bind: id) AND \(Self.visible(scope))", on: db).first else {
                throw LedgerError.notFound("督办文书")
            }
            guard scope.regionPath == letter.toPath else {
                throw LedgerError(.forbidden, code: "not_recipient", message: "只有\(letter.toName)的工作人员可以答复该函", field: "reply")
            }
            guard letter.reply == nil else { throw LedgerError(.conflict, code: "already_replied", message: "该函已答复", field: "reply") }
            try await db.raw("""
                UPDATE region_letters SET reply = \(bind: reply), replied_at = \(bind: Timestamp.storage(at)), replied_by = \(bind: scope.username)
                WHERE id = \(bind: id)
                """).run()
            try await AuditLog.record(on: db, scope: scope, at: at, action: "reply", entity: "region_letter", entityId: "\(id)", regionPath: letter.toPath,
                                      after: ["reply": reply])
        }
    }

    // MARK: Reading

    /// Letters the scope sent (its region and below) or received (its region and below), newest first.
    public func list(scope: Scope, page: Int = 1, pageSize: Int = 20) async throws -> Page<Letter> {
        try scope.require(.viewDashboard)
        let size = max(1, min(pageSize, 200)), number = max(1, min(page, 1_000_000))
        return try await database.read { db in
            let total = try await db.raw("SELECT COUNT(*) AS n FROM region_letters l WHERE \(Self.visible(scope))").first(decodingColumn: "n", as: Int.self) ?? 0
            let items = try await Self.letters(condition: Self.visible(scope), limit: size, offset: (number - 1) * size, on: db)
            return Page(items: items, total: total, page: number, pageSize: size)
        }
    }

    public func letter(_ id: Int64, scope: Scope) async throws -> Letter {
        try scope.require(.viewDashboard)
        return try await database.read { db in
            guard let letter = try await Self.letters(condition: "l.id = \(bind: id) AND \(Self.visible(scope))", on: db).first else {
                throw LedgerError.notFound("督办文书")
            }
            return letter
        }
    }

    /// Letters issued under a region in a period (for the monthly bulletin).
    static func issued(under path: String, from: Day, until: Day, on db: any SQLDatabase) async throws -> [Letter] {
        try await letters(condition: """
            \(Scope.pathPredicate("l.to_path", path)) AND l.issued_on >= \(bind: from.description) AND l.issued_on <= \(bind: until.description)
            """, limit: 1_000, on: db)
    }

    static func visible(_ scope: Scope) -> SQLQueryString {
        "(\(scope.officialPredicate("l.from_path")) OR \(scope.officialPredicate("l.to_path")))"
    }

    static func letters(condition: SQLQueryString, limit: Int = 1, offset: Int = 0, on db: any SQLDatabase) async throws -> [Letter] {
        try await db.raw("""
            SELECT l.id, l.kind, l.number, l.from_code, f.name AS from_name, l.to_code, t.name AS to_name, l.to_path, l.addressee, l.issued_on, l.reply_due,
                   l.facts, l.requirements, l.issued_by, l.reply, l.replied_at, l.replied_by
            FROM region_letters l JOIN regions f ON f.code = l.from_code JOIN regions t ON t.code = l.to_code
            WHERE \(condition) ORDER BY l.issued_on DESC, l.id DESC LIMIT \(bind: limit) OFFSET \(bind: offset)
            """).all().map { row in
            Letter(id: try row.decode(column: "id", as: Int64.self), kind: Kind(rawValue: try row.decode(column: "kind", as: String.self)) ?? .reminder,
                   number: try row.decode(column: "number", as: String.self), fromCode: try row.decode(column: "from_code", as: String.self),
                   fromName: try row.decode(column: "from_name", as: String.self), toCode: try row.decode(column: "to_code", as: String.self),
                   toName: try row.decode(column: "to_name", as: String.self), toPath: try row.decode(column: "to_path", as: String.self),
                   addressee: try row.decode(column: "addressee", as: String.self), issuedOn: try row.decode(column: "issued_on", as: String.self),
                   replyDue: try row.decode(column: "reply_due", as: String.self),
                   standing: try JSONDecoder().decode(Standing.self, from: Data(try row.decode(column: "facts", as: String.self).utf8)),
                   requirements: try row.decode(column: "requirements", as: String.self), issuedBy: try row.decode(column: "issued_by", as: String.self),
                   reply: try row.decode(column: "reply", as: String?.self), repliedAt: try row.decode(column: "replied_at", as: String?.self),
                   repliedBy: try row.decode(column: "replied_by", as: String?.self))
        }
    }
}
