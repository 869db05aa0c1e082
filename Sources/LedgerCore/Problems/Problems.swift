import Foundation
import SQLKit

/// 问题台账: one ledger fed by every source (a substantiated complaint, an escalated warning, manual entry from
/// inspections and audits). The company answers with a rectification report and evidence; the officer verifies and
/// closes (销号) or sends it back with reasons.
public struct Problems: Sendable {
    public enum Status: String, Sendable, CaseIterable, Codable {
        case open, submitted, closed

        public var title: String {
            switch self {
            case .open: "整改中"
            case .submitted: "待核验"
            case .closed: "已销号"
            }
        }
    }

    public static let sources = ["complaint": "投诉举报", "warning": "预警转入", "manual": "人工录入", "inspection": "检查发现", "audit": "审计发现"]
    public static let severities = ["high": "严重", "medium": "一般", "low": "轻微"]

    public struct Problem: Sendable {
        public let id: Int64
        public let estateId: Int64
        public let estateName: String
        public let companyId: Int64?
        public let companyName: String?
        public let regionPath: String
        public let category: String
        public let description: String
        public let severity: String
        public let source: String
        public let sourceId: Int64?
        public let deadline: String
        public let responsible: String
        public let status: Status
        public let escalationLevel: Int
        public let referredTo: String?
        public let referralDecision: String?
        public let outcome: String?
        public let createdAt: String
        public let createdBy: String
        public let closedAt: String?

        public var categoryTitle: String { ProblemCategory.named(category)?.title ?? category }
        public var sourceTitle: String { Problems.sources[source] ?? source }
        public var severityTitle: String { Problems.severities[severity] ?? severity }
        public func daysOverdue(today: Day) -> Int? {
            guard status == .open, let due = Day(deadline), due < today else { return nil }
            return due.days(until: today)
        }
    }

    public struct Event: Sendable, Codable {
        public let at: String
        public let username: String
        public let role: String
        public let action: String
        public let note: String
    }

    public struct Letter: Sendable, Codable {
        public let kind: String
        public let number: String
        public let issuedOn: String
        public let facts: [String: String]

        public var title: String { Escalation.letterTitles[kind] ?? kind }
    }

    public struct Attachment: Sendable, Codable {
        public let id: Int64
        public let filename: String
        public let contentType: String
        public let size: Int
        public let uploadedAt: String
        public let uploadedBy: String
    }

    public struct Filter: Sendable {
        public var status = ""
        public var category = ""
        public var source = ""
        public var regionCode = ""
        public var companyId: Int64?
        public var estateId: Int64?
        public var overdue = false
        public var from: Day?
        public var until: Day?
        public var page = 1
        public var pageSize = 30
        public init() {}
    }

    let database: Database
    let clock: any LedgerClock
    let files: StoredFiles

    public init(database: Database, clock: any LedgerClock, filesDirectory: String) {
        self.database = database
        self.clock = clock
        self.files = StoredFiles(directory: filesDirectory)
    }

    /// Officials by region; a company its estates' problems; a department what was referred to it in its region.
    static func predicate(_ scope: Scope) -> SQLQueryString {
        switch scope.role {
        case .admin: return "1 = 1"
        case .regulator, .street, .oversight, .supervisor: return Scope.pathPredicate("p.region_path", scope.regionPath)
        case .department: return "(p.referred_to IS NOT NULL AND \(Scope.pathPredicate("p.region_path", scope.regionPath)))"
        case .company: return scope.companyId.map { "p.company_id = \(bind: $0)" } ?? "1 = 0"
        case .committee: return scope.estateId.map { "p.estate_id = \(bind: $0)" } ?? "1 = 0"
        case .auditor: return "1 = 0"
        }
    }

    static let select: SQLQueryString = """
        SELECT p.id, p.estate_id, e.name AS estate_name, p.company_id, c.name AS company_name, p.region_path, p.category, p.description,
               p.severity, p.source, p.source_id, p.deadline, p.responsible, p.status, p.escalation_level, p.referred_to, p.referral_decision,
               p.outcome, p.created_at, p.created_by, p.closed_at
        FROM problems p JOIN estates e ON e.id = p.estate_id LEFT JOIN companies c ON c.id = p.company_id
        """

    // MARK: Creation

    /// Manual entry (inspections and audits feed it this way until they have their own capability).
    public func create(fields: [String: String], scope: Scope) async throws -> Int64 {
        try scope.require(.createProblem)
        var reader = InputReader(fields)
        let estateId = Int64((fields["estate"] ?? "").trimmingCharacters(in: .whitespaces))
        if estateId == nil { reader.errors.add("estate", code: "required", "请填写小区编号") }
        _ = reader.text("description", label: "问题描述", max: 2_000)
        _ = reader.text("category", label: "问题类别", max: 40)
        let source = fields["source"].flatMap { $0.isEmpty ? nil : $0 } ?? "manual"
        if !["manual", "inspection", "audit"].contains(source) { reader.errors.add("source", code: "unknown_source", "来源须为人工录入、检查发现或审计发现") }
        try reader.errors.throwIfAny()
        let at = clock.now()
        return try await database.transaction { db in
            guard try await EstateRepository.estate(estateId!, scope: scope, on: db) != nil else {
                throw LedgerError.invalid("estate", code: "not_found", "小区不存在或不在您的管辖范围内")
            }
            return try await Self.insert(estateId: estateId!, category: fields["category"] ?? "", description: fields["description"] ?? "",
                                         severity: fields["severity"] ?? "medium", source: source, sourceId: nil, deadline: fields["deadline"],
                                         responsible: fields["responsible"], scope: scope, at: at, on: db)
        }
    }

    /// Inserts a problem inside the caller's transaction (complaints and warnings escalate through here), validating its fields.
    static func insert(estateId: Int64, category: String, description rawDescription: String, severity: String, source: String, sourceId: Int64?,
                       deadline rawDeadline: String?, responsible rawResponsible: String?, scope: Scope, at: Date,
                       on db: any SQLDatabase) async throws -> Int64 {
        var errors = FieldErrors()
        if ProblemCategory.named(category) == nil { errors.add("category", code: "unknown_category", "请选择问题类别") }
        let description = rawDescription.trimmingCharacters(in: .whitespacesAndNewlines)
        if description.isEmpty { errors.add("description", code: "required", "请填写问题描述") }
        if description.count > 2_000 || InputReader.hasControlCharacters(description) {
            errors.add("description", code: "too_long", "问题描述不能超过2000个字符，且不能包含控制字符")
        }
        if Problems.severities[severity] == nil { errors.add("severity", code: "unknown_severity", "请选择严重程度") }
        let today = Day(Timestamp.shanghaiDay(at))!
        var deadline: Day?
        let deadlineText = InputReader.halfWidth((rawDeadline ?? "").trimmingCharacters(in: .whitespaces))
        if !deadlineText.isEmpty {
            deadline = Day(deadlineText)
            if deadline == nil { errors.add("deadline", code: "bad_date", "整改期限应为有效日期，格式如 2024-07-01") }
            else if deadline! < today { errors.add("deadline", code: "past_deadline", "整改期限不能早于今天") }
        }
        try errors.throwIfAny()
        guard let estate = try await db.raw("SELECT e.region_path, e.company_id, c.name AS company_name FROM estates e LEFT JOIN companies c ON c.id = e.company_id WHERE e.id = \(bind: estateId)").first() else {
            throw LedgerError.invalid("estate", code: "not_found", "小区不存在")
        }
        let path = try estate.decode(column: "region_path", as: String.self)
        if deadline == nil { deadline = today.adding(days: try await RegionSettings.value("problem_days", at: path, on: db)) }
        let responsible = (rawResponsible ?? "").trimmingCharacters(in: .whitespaces).isEmpty
            ? (try estate.decode(column: "company_name", as: String?.self) ?? "建设单位或业委会") : String(rawResponsible!.prefix(100))
        let now = Timestamp.storage(at)
        let id = try await db.raw("""
            INSERT INTO problems (estate_id, company_id, region_path, category, description, severity, source, source_id, deadline, responsible,
                                  status, created_at, created_by, updated_at)
            VALUES (\(bind: estateId), \(bind: try estate.decode(column: "company_id", as: Int64?.self)), \(bind: path), \(bind: category),
                    \(bind: description), \(bind: severity), \(bind: source), \(bind: sourceId), \(bind: deadline!.description), \(bind: responsible),
                    'open', \(bind: now), \(bind: scope.username), \(bind: now))
            RETURNING id
            """).first(decodingColumn: "id", as: Int64.self)!
        try await event(id, at: at, scope: scope, action: "create",
                        note: "立案（\(sources[source] ?? source)），整改期限 \(deadline!)，责任主体 \(responsible)", on: db)
        try await AuditLog.record(on: db, scope: scope, at: at, action: "create", entity: "problem", entityId: "\(id)", regionPath: path,
                                  after: ["category": category, "source": source, "deadline": deadline!.description])
        return id
    }

    // MARK: Reading

    public func list(scope: Scope, filter: Filter) async throws -> Page<Problem> {
        if !filter.status.isEmpty && Status(rawValue: filter.status) == nil {
            throw LedgerError.invalid("status", code: "unknown_status", "状态须为 open、submitted 或 closed")
        }
        let today = Timestamp.shanghaiDay(clock.now())
        return try await database.read { db in
            var conditions: [SQLQueryString] = [Self.predicate(scope)]
            if !filter.regionCode.isEmpty {
                let region = try await RegionDirectory.covered(filter.regionCode, scope: scope, on: db)
                conditions.append(Scope.pathPredicate("p.region_path", region.path))
            }
            if !filter.status.isEmpty { conditions.append("p.status = \(bind: filter.status)") }
            if !filter.category.isEmpty {
                let codes = [filter.category] + ProblemCategory.all.filter { $0.parent == filter.category }.map(\.code)
                conditions.append("p.category IN (\(binds: codes))")
            }
            if !filter.source.isEmpty { conditions.append("p.source = \(bind: filter.source)") }
            if let company = filter.companyId { conditions.append("p.company_id = \(bind: company)") }
            if let estate = filter.estateId { conditions.append("p.estate_id = \(bind: estate)") }
            if filter.overdue { conditions.append("p.status = 'open' AND p.deadline < \(bind: today)") }
            if let from = filter.from { conditions.append("p.created_at >= \(bind: Timestamp.startOfShanghaiDay(from))") }
            if let until = filter.until { conditions.append("p.created_at < \(bind: Timestamp.startOfShanghaiDay(until.adding(days: 1)))") }
            let condition = conditions.dropFirst().reduce(conditions[0]) { "\($0) AND \($1)" }
            let total = try await db.raw("SELECT COUNT(*) AS n FROM problems p WHERE \(condition)").first(decodingColumn: "n", as: Int.self) ?? 0
            let page = max(1, min(filter.page, 1_000_000)), size = max(1, min(filter.pageSize, 500))
            let rows = try await db.raw("""
                \(Self.select) WHERE \(condition)
                ORDER BY CASE p.status WHEN 'closed' THEN 1 ELSE 0 END, p.deadline, p.id LIMIT \(bind: size) OFFSET \(bind: (page - 1) * size)
                """).all()
            return Page(items: try rows.map(Self.decode), total: total, page: page, pageSize: size)
        }
    }

    public struct Detail: Sendable {
        public let problem: Problem
        public let events: [Event]
        public let letters: [Letter]
        public let attachments: [Attachment]
        public let enforcement: [Enforcement.Action]
    }

    public func problem(_ id: Int64, scope: Scope) async throws -> Detail {
        try await database.read { db in
            guard let problem = try await Self.find(id, scope: scope, on: db) else { throw LedgerError.notFound("问题") }
            let events = try await db.raw("SELECT at, username, role, action, note FROM problem_events WHERE problem_id = \(bind: id) ORDER BY id")
                .all(decoding: Event.self, keyDecodingStrategy: .convertFromSnakeCase)
            let letters = try await Self.letters(id, on: db)
            let attachments = try await db.raw("""
                SELECT id, filename, content_type, size, uploaded_at, uploaded_by FROM attachments WHERE owner_type = 'problem' AND owner_id = \(bind: id) ORDER BY id
                """).all(decoding: Attachment.self, keyDecodingStrategy: .convertFromSnakeCase)
            let actions = try await Enforcement.actions(on: db, condition: "a.problem_id = \(bind: id)")
            return Detail(problem: problem, events: events, letters: letters, attachments: attachments, enforcement: actions)
        }
    }

    /// An evidence file of a problem the scope may see.
    public func attachment(_ id: Int64, problemId: Int64, scope: Scope) async throws -> (Attachment, Data) {
        let found = try await database.read { db -> (Attachment, String)? in
            guard try await Self.find(problemId, scope: scope, on: db) != nil else { return nil }
            guard let row = try await db.raw("""
                SELECT id, filename, content_type, size, uploaded_at, uploaded_by, sha256 FROM attachments
                WHERE id = \(bind: id) AND owner_type = 'problem' AND owner_id = \(bind: problemId)
                """).first() else { return nil }
            return (try row.decode(model: Attachment.self, keyDecodingStrategy: .convertFromSnakeCase), try row.decode(column: "sha256", as: String.self))
        }
        guard let (attachment, sha) = found, let data = files.read(sha256: sha, contentType: attachment.contentType) else {
            throw LedgerError.notFound("证据材料")
        }
        return (attachment, data)
    }

    // MARK: Rectification

    public enum Action: String, Sendable, CaseIterable {
        case rectify, accept, sendBack = "send_back", refer, decide, note

        public var title: String {
            switch self {
            case .rectify: "提交整改报告"
            case .accept: "核验通过并销号"
            case .sendBack: "退回重新整改"
            case .refer: "移送职能部门"
            case .decide: "部门认定意见"
            case .note: "记录进展"
            }
        }

        public func allowed(from status: Status) -> Bool {
            switch self {
            case .rectify: status == .open
            case .accept, .sendBack: status == .submitted
            case .refer, .decide, .note: status != .closed
            }
        }

        /// The permission the step needs (the table is `Role.permissions`).
        public var permission: Permission {
            switch self {
            case .rectify: .rectifyProblem
            case .accept, .sendBack: .verifyRectification
            case .refer: .referProblem
            case .decide: .decideReferredProblem
            case .note: .noteProblem
            }
        }

        public func permitted(for role: Role) -> Bool { role.permissions.contains(permission) }
    }

    @discardableResult
    public func act(_ action: Action, on id: Int64, note rawNote: String, uploads: [Complaints.Upload] = [], scope: Scope) async throws -> Problem {
        var reader = InputReader(["note": rawNote])
        let label = action == .rectify ? "整改报告" : action == .sendBack ? "退回理由" : action == .accept ? "核验意见" : "说明"
        let note = reader.text("note", label: label, max: 2_000)
        try reader.errors.throwIfAny()
        let checked = try uploads.map { try StoredFiles.check(filename: $0.filename, bytes: $0.bytes, label: "证据材料", field: "files") }
        let at = clock.now()
        return try await database.transaction { db in
            try await db.lockRow("problems", id: id)
            guard let before = try await Self.find(id, scope: scope, on: db) else { throw LedgerError.notFound("问题") }
            // Where no company manages the estate, the officer records the rectification of whoever is responsible.
            let officialRectifies = action == .rectify && before.companyId == nil && [.admin, .regulator, .street].contains(scope.role)
            guard action.permitted(for: scope.role) || officialRectifies else { throw LedgerError.forbidden }
            guard action.allowed(from: before.status) else {
                throw LedgerError(.conflict, code: "transition_not_allowed", message: "该问题当前为「\(before.status.title)」，不能\(action.title)", field: "action")
            }
            let now = Timestamp.storage(at)
            var text = note
            switch action {
            case .rectify:
                guard !uploads.isEmpty else { throw LedgerError.invalid("files", code: "required", "请上传整改证据材料（照片或文件）") }
                try await db.raw("UPDATE problems SET status = 'submitted', updated_at = \(bind: now) WHERE id = \(bind: id)").run()
                for (upload, file) in zip(uploads, checked) {
                    try files.write(file, bytes: upload.bytes)
                    try await Complaints.attach(file, owner: "problem", id: id, by: scope.username, at: at, on: db)
                }
                text = "整改报告：\(note)（证据 \(uploads.count) 份）"
            case .accept:
                try await db.raw("""
                    UPDATE problems SET status = 'closed', outcome = 'fixed', closed_at = \(bind: now), updated_at = \(bind: now) WHERE id = \(bind: id)
                    """).run()
                text = "核验通过，销号：\(note)"
            case .sendBack:
                try await db.raw("UPDATE problems SET status = 'open', updated_at = \(bind: now) WHERE id = \(bind: id)").run()
                text = "退回重新整改：\(note)"
            case .refer:
                guard let department = ProblemCategory.referable[before.category] else {
                    throw LedgerError.invalid("action", code: "not_referable", "只有占用公共空间、擅自改变物业服务用房用途的问题需要移送职能部门")
                }
                try await db.raw("UPDATE problems SET referred_to = \(bind: department), updated_at = \(bind: now) WHERE id = \(bind: id)").run()
                text = "移送\(department)认定处理：\(note)"
            case .decide:
                try await db.raw("UPDATE problems SET referral_decision = \(bind: note), updated_at = \(bind: now) WHERE id = \(bind: id)").run()
                text = "部门意见：\(note)"
            case .note:
                break
            }
            try await Self.event(id, at: at, scope: scope, action: action.rawValue, note: text, on: db)
            let after = try await Self.find(id, scope: .system, on: db)!
            try await AuditLog.record(on: db, scope: scope, at: at, action: action.rawValue, entity: "problem", entityId: "\(id)",
                                      regionPath: before.regionPath, before: ["status": before.status.rawValue],
                                      after: ["status": after.status.rawValue, "note": text])
            return after
        }
    }

    // MARK: 整治到位率

    /// For occupied common space and changed service rooms: problems found and put right, per sub-region of `regionCode`.
    public struct PutRight: Sendable {
        public let region: Region
        public let found: Int
        public let putRight: Int
        public var rate: Double? { found == 0 ? nil : Double(putRight) / Double(found) }
    }

    public func putRightRates(regionCode: String, scope: Scope) async throws -> (PutRight, [PutRight]) {
        try await database.read { db in
            let region = try await RegionDirectory.covered(regionCode, scope: scope, on: db)
            let children = try await db.raw("SELECT \(RegionDirectory.columns) FROM regions r WHERE r.parent_code = \(bind: region.code) ORDER BY r.code")
                .all(decoding: Region.self, keyDecodingStrategy: .convertFromSnakeCase)
            // EstateFigures.putRightCategories and problemPutRight: the problems found up to now, and of them those put right.
            func rate(_ r: Region) async throws -> PutRight {
                var found = 0, putRight = 0
                for row in try await db.raw("""
                    SELECT p.status, p.outcome FROM problems p WHERE \(Scope.pathPredicate("p.region_path", r.path))
                    AND p.category IN (\(binds: EstateFigures.putRightCategories))
                    """).all() {
                    found += 1
                    if EstateFigures.problemPutRight(status: try row.decode(column: "status", as: String.self),
                                                     outcome: try row.decode(column: "outcome", as: String?.self)) { putRight += 1 }
                }
                return PutRight(region: r, found: found, putRight: putRight)
            }
            var rows: [PutRight] = []
            for child in children { rows.append(try await rate(child)) }
            return (try await rate(region), rows)
        }
    }

    // MARK: Storage helpers

    static func find(_ id: Int64, scope: Scope, on db: any SQLDatabase) async throws -> Problem? {
        try await db.raw("\(select) WHERE p.id = \(bind: id) AND \(predicate(scope))").first().map(decode)
    }

    static func event(_ id: Int64, at: Date, scope: Scope, action: String, note: String, on db: any SQLDatabase) async throws {
        try await db.raw("""
            INSERT INTO problem_events (problem_id, at, username, role, action, note)
            VALUES (\(bind: id), \(bind: Timestamp.storage(at)), \(bind: scope.username), \(bind: scope.role.rawValue), \(bind: action), \(bind: note))
            """).run()
    }

    static func letters(_ id: Int64, on db: any SQLDatabase) async throws -> [Letter] {
        try await db.raw("SELECT kind, number, issued_on, facts FROM letters WHERE problem_id = \(bind: id) ORDER BY id").all().map {
            Letter(kind: try $0.decode(column: "kind", as: String.self), number: try $0.decode(column: "number", as: String.self),
                   issuedOn: try $0.decode(column: "issued_on", as: String.self),
                   facts: (try? JSONDecoder().decode([String: String].self, from: Data(try $0.decode(column: "facts", as: String.self).utf8))) ?? [:])
        }
    }

    static func decode(_ row: any SQLRow) throws -> Problem {
        Problem(
            id: try row.decode(column: "id", as: Int64.self), estateId: try row.decode(column: "estate_id", as: Int64.self),
            estateName: try row.decode(column: "estate_name", as: String.self), companyId: try row.decode(column: "company_id", as: Int64?.self),
            companyName: try row.decode(column: "company_name", as: String?.self), regionPath: try row.decode(column: "region_path", as: String.self),
            category: try row.decode(column: "category", as: String.self), description: try row.decode(column: "description", as: String.self),
            severity: try row.decode(column: "severity", as: String.self), source: try row.decode(column: "source", as: String.self),
            sourceId: try row.decode(column: "source_id", as: Int64?.self), deadline: try row.decode(column: "deadline", as: String.self),
            responsible: try row.decode(column: "responsible", as: String.self),
            status: Status(rawValue: try row.decode(column: "status", as: String.self)) ?? .open,
            escalationLevel: try row.decode(column: "escalation_level", as: Int.self), referredTo: try row.decode(column: "referred_to", as: String?.self),
            referralDecision: try row.decode(column: "referral_decision", as: String?.self), outcome: try row.decode(column: "outcome", as: String?.self),
            createdAt: try row.decode(column: "created_at", as: String.self), createdBy: try row.decode(column: "created_by", as: String.self),
            closedAt: try row.decode(column: "closed_at", as: String?.self))
    }
}
