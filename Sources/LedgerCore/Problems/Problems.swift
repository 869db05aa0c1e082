import Foundation
import SQLKit

/// 问题台账: one ledger fed by every source (a substantiated complaint, an escalated warning, manual entry from
/// inspections and audits). The company answers with a rectification report and evidence; the officer verifies and
/// closes (销号) or sends it back with reasons.
public struct Problems: Sendable {
    public enum Status: String, CaseStatus, Codable {
        case open, submitted, closed

        public var title: String {
            switch self {
            case .open: "整改中"
            case .submitted: "待核验"
            case .closed: "已销号"
            }
        }
    }


    public struct Problem: Sendable {
        public let id: Int64
        public let estateId: Int64
        public let estateName: String
        public let companyId: Int64?
        public let companyName: String?
        public let regionPath: String
        public let category: String
        public let description: String
        public let severity: ProblemSeverity
        public let source: ProblemSource
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
        public var sourceTitle: String { source.title }
        public var severityTitle: String { severity.title }
        public func daysOverdue(today: Day) -> Int? {
            guard status == .open, let due = Day(deadline), due < today else { return nil }
            return due.days(until: today)
        }
    }

    public typealias Event = CaseEvent

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

    public typealias Filter = CaseFilter

    let database: Database
    let clock: any LedgerClock
    let files: StoredFiles

    public init(database: Database, clock: any LedgerClock, filesDirectory: String) {
        self.database = database
        self.clock = clock
        self.files = StoredFiles(directory: filesDirectory)
    }

    /// Officials by region; a company its estates' problems; a department what was referred to it in its region.
    public static func visible(to scope: Scope) -> SQLQueryString {
        switch scope.role {
        case .admin: return "1 = 1"
        case .regulator, .street, .oversight, .supervisor: return Scope.pathPredicate("p.region_path", scope.regionPath)
        case .department: return "(p.referred_to IS NOT NULL AND \(Scope.pathPredicate("p.region_path", scope.regionPath)))"
        case .company: return scope.companyId.map { "p.company_id = \(bind: $0)" } ?? "1 = 0"
        case .committee: return scope.estateId.map { "p.estate_id = \(bind: $0)" } ?? "1 = 0"
        case .auditor: return "1 = 0"
        }
    }

    public static let select: SQLQueryString = """
        SELECT p.id, p.estate_id, e.name AS estate_name, p.company_id, c.name AS company_name, p.region_path, p.category, p.description,
               p.severity, p.source, p.source_id, p.deadline, p.responsible, p.status, p.escalation_level, p.referred_to, p.referral_decision,
               p.outcome, p.created_at, p.created_by, p.closed_at
        FROM problems p JOIN estates e ON e.id = p.estate_id LEFT JOIN companies c ON c.id = p.company_id
        """

    // MARK: Creation

    /// Manual entry (inspections and audits feed it this way until they have their own capability).
    public func create(_ input: ProblemInput, scope: Scope) async throws -> Int64 {
        try scope.require(.createProblem)
        var errors = FieldErrors()
        if input.estateId == nil { errors.add("estate", code: "required", "请填写小区编号") }
        if let source = input.source, !ProblemSource.enteredByHand.contains(source) {
            errors.add("source", code: "unknown_source", "来源须为人工录入、检查发现或审计发现")
        }
        let at = clock.now()
        let checked = input.problems(today: Day(Timestamp.shanghaiDay(at))!)
        try FieldErrors(merging: errors, checked).throwIfAny()
        return try await database.transaction { db in
            guard let estateId = input.estateId, try await EstateRepository.isVisible(estateId, scope: scope, on: db) else {
                throw LedgerError.invalid("estate", code: "not_found", "小区不存在或不在您的管辖范围内")
            }
            return try await Self.insert(input, sourceId: nil, scope: scope, at: at, on: db)
        }
    }

    /// Inserts a problem inside the caller's transaction (complaints and warnings escalate through here), validating its fields.
    static func insert(_ input: ProblemInput, sourceId: Int64?, scope: Scope, at: Date, on db: any SQLDatabase) async throws -> Int64 {
        let today = Day(Timestamp.shanghaiDay(at))!
        try input.problems(today: today).throwIfAny()
        let source = input.source ?? .manual, severity = input.severity ?? .medium
        guard let estateId = input.estateId, let estate = try await db.raw("""
            SELECT e.region_path, e.company_id, c.name AS company_name FROM estates e LEFT JOIN companies c ON c.id = e.company_id WHERE e.id = \(bind: estateId)
            """).first() else {
            throw LedgerError.invalid("estate", code: "not_found", "小区不存在")
        }
        let path = try estate.decode(column: "region_path", as: String.self)
        var deadline = today
        if let chosen = input.deadlineDay { deadline = chosen } else { deadline = today.adding(days: try await RegionSettings.value("problem_days", at: path, on: db)) }
        let responsible = input.responsible.trimmingCharacters(in: .whitespaces).isEmpty
            ? (try estate.decode(column: "company_name", as: String?.self) ?? "建设单位或业委会") : String(input.responsible.prefix(100))
        let now = Timestamp.storage(at)
        let description = input.description.trimmingCharacters(in: .whitespacesAndNewlines)
        let id = try await db.raw("""
            INSERT INTO problems (estate_id, company_id, region_path, category, description, severity, source, source_id, deadline, responsible,
                                  status, created_at, created_by, updated_at)
            VALUES (\(bind: estateId), \(bind: try estate.decode(column: "company_id", as: Int64?.self)), \(bind: path), \(bind: input.category),
                    \(bind: description), \(bind: severity.rawValue), \(bind: source.rawValue), \(bind: sourceId), \(bind: deadline.description),
                    \(bind: responsible), 'open', \(bind: now), \(bind: scope.username), \(bind: now))
            RETURNING id
            """).first(decodingColumn: "id", as: Int64.self)!
        try await Casework.record(Problems.self, id, at: at, username: scope.username, role: scope.role.rawValue, action: "create",
                                  note: "立案（\(source.title)），整改期限 \(deadline)，责任主体 \(responsible)", on: db)
        try await AuditLog.record(on: db, scope: scope, at: at, action: "create", entity: "problem", entityId: "\(id)", regionPath: path,
                                  after: ["category": input.category, "source": source.rawValue, "deadline": deadline.description])
        return id
    }

    // MARK: Reading

    public func list(scope: Scope, filter: Filter) async throws -> Page<Problem> {
        let today = Day(Timestamp.shanghaiDay(clock.now()))!
        return try await database.cachedList("problems", scope: scope, key: "\(filter)", today: today) {
            try await database.read { db in try await Casework.list(Problems.self, scope: scope, filter: filter, today: today, on: db) }
        }
    }

    /// Every problem the filter selects, one at a time, in constant memory (the ledger export).
    public func forEach(scope: Scope, filter: Filter, _ each: (Problem) async throws -> Void) async throws {
        try await Casework.forEach(Problems.self, scope: scope, filter: filter, today: Day(Timestamp.shanghaiDay(clock.now()))!, on: database, each)
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
            let events = try await Casework.events(Problems.self, id, publicOnly: false, on: db)
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

        public func allowed(from status: Status) -> Bool { Problems.steps.allowed(self, from: status) }

        /// The permission the step needs (the table is `Role.permissions`).
        public var permission: Permission { Problems.steps.permission(self) }

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
                // The officer who opened the problem verifies it; where that was the system or an account no longer active,
                // the officers of the estate's county, street and community (§29).
                let body = "\(before.estateName)：问题「\(before.categoryTitle)」已提交整改，请核验"
                if try await Notifications.notify(.officials([before.createdBy]), kind: .rectificationSubmitted, body: body,
                                                  link: "/problems/\(id)", at: at, on: db) == 0 {
                    try await Notifications.notify(.officers(coveringPath: before.regionPath), kind: .rectificationSubmitted, body: body,
                                                   link: "/problems/\(id)", at: at, on: db)
                }
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
            try await Casework.record(Problems.self, id, at: at, username: scope.username, role: scope.role.rawValue, action: action.rawValue,
                                      note: text, on: db)
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
            let children = try await RegionDirectory.children(of: region, on: db)
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
        try await db.raw("\(select) WHERE p.id = \(bind: id) AND \(visible(to: scope))").first().map(decode)
    }

    static func event(_ id: Int64, at: Date, scope: Scope, action: String, note: String, on db: any SQLDatabase) async throws {
        try await Casework.record(Problems.self, id, at: at, username: scope.username, role: scope.role.rawValue, action: action, note: note, on: db)
    }

    static func letters(_ id: Int64, on db: any SQLDatabase) async throws -> [Letter] {
        try await db.raw("SELECT kind, number, issued_on, facts FROM letters WHERE problem_id = \(bind: id) ORDER BY id").all().map {
            Letter(kind: try $0.decode(column: "kind", as: String.self), number: try $0.decode(column: "number", as: String.self),
                   issuedOn: try $0.decode(column: "issued_on", as: String.self),
                   facts: (try? JSONDecoder().decode([String: String].self, from: Data(try $0.decode(column: "facts", as: String.self).utf8))) ?? [:])
        }
    }

    public static func decode(_ row: any SQLRow) throws -> Problem {
        Problem(
            id: try row.decode(column: "id", as: Int64.self), estateId: try row.decode(column: "estate_id", as: Int64.self),
            estateName: try row.decode(column: "estate_name", as: String.self), companyId: try row.decode(column: "company_id", as: Int64?.self),
            companyName: try row.decode(column: "company_name", as: String?.self), regionPath: try row.decode(column: "region_path", as: String.self),
            category: try row.decode(column: "category", as: String.self), description: try row.decode(column: "description", as: String.self),
            severity: ProblemSeverity(rawValue: try row.decode(column: "severity", as: String.self)) ?? .medium,
            source: ProblemSource(rawValue: try row.decode(column: "source", as: String.self)) ?? .manual,
            sourceId: try row.decode(column: "source_id", as: Int64?.self), deadline: try row.decode(column: "deadline", as: String.self),
            responsible: try row.decode(column: "responsible", as: String.self),
            status: Status(rawValue: try row.decode(column: "status", as: String.self)) ?? .open,
            escalationLevel: try row.decode(column: "escalation_level", as: Int.self), referredTo: try row.decode(column: "referred_to", as: String?.self),
            referralDecision: try row.decode(column: "referral_decision", as: String?.self), outcome: try row.decode(column: "outcome", as: String?.self),
            createdAt: try row.decode(column: "created_at", as: String.self), createdBy: try row.decode(column: "created_by", as: String.self),
            closedAt: try row.decode(column: "closed_at", as: String?.self))
    }
}
