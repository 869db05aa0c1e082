import Crypto
import Foundation
import SQLKit

/// The audit workflow (see `AuditCase`). Every step is one transaction with its audit-log entry; who sees which audit is
/// decided in SQL by `predicate(_:)`: officials their region, a committee its estate, a company the audits of its estates,
/// an auditor only the audits assigned to its organisation (accepted and later), nobody else anything.
public struct Audits: Sendable {
    let database: Database
    let clock: any LedgerClock
    let files: StoredFiles

    /// Signatures one address may add in a day (a household signs once; a family or a committee office a few).
    public static let dailySignaturesPerAddress = 20

    public init(database: Database, clock: any LedgerClock, filesDirectory: String) {
        self.database = database
        self.clock = clock
        self.files = StoredFiles(directory: filesDirectory)
    }

    /// Households needed for 20%: the smallest n with n ≥ 20% of `households` (n × 5 ≥ households).
    public static func threshold(households: Int) -> Int { max(1, (households + 4) / 5) }

    /// Whether `signed` distinct households are at least 20% of `households`.
    public static func qualifies(signed: Int, households: Int) -> Bool { households > 0 && signed * 5 >= households }

    /// One household however its building and room are typed: "3号楼 1201室", "3栋1201" and "３－１２０１" are the same.
    static func householdKey(estateId: Int64, building: String, room: String) -> String {
        func normal(_ text: String) -> String {
            let dropped = Set("号楼栋幢座室#-－—_ ")
            return String(InputReader.halfWidth(text).lowercased().filter { !dropped.contains($0) && !$0.isWhitespace })
        }
        let digest = SHA256.hash(data: Data("\(estateId)|\(normal(building))|\(normal(room))".utf8))
        return digest.map { String(format: "%02x", $0) }.joined()
    }

    // MARK: Who sees what

    /// Audits (aliased `a`) the scope may see.
    static func predicate(_ scope: Scope) -> SQLQueryString {
        switch scope.role {
        case .admin: return "1 = 1"
        case .committee:
            guard let estate = scope.estateId else { return "1 = 0" }
            return "a.estate_id = \(bind: estate)"
        case .company:
            guard let company = scope.companyId else { return "1 = 0" }
            return "a.company_id = \(bind: company)"
        case .auditor:
            guard let user = scope.userId else { return "1 = 0" }
            return """
                (a.org_id IS NOT NULL AND a.org_id = (SELECT u.auditor_org_id FROM users u WHERE u.id = \(bind: user)) \
                AND a.status IN ('accepted', 'reported', 'closed'))
                """
        default:
            return scope.officialPredicate("a.region_path")
        }
    }

    static let select: SQLQueryString = """
        SELECT a.id, a.estate_id, e.name AS estate_name, a.region_path, a.company_id, c.name AS company_name, a.year, a.quarter, a.origin,
               a.objection, a.status, a.households, a.requested_at, a.requested_by, a.qualified_at, a.decision, a.reason, a.decided_at,
               a.bundle_of, a.org_id, o.name AS org_name, a.deadline, a.summary, a.reported_at, a.closed_at, a.rectification,
               (SELECT COUNT(DISTINCT s.household_key) FROM audit_signatures s WHERE s.audit_id = a.id AND s.verified = 1) AS signed
        FROM audits a JOIN estates e ON e.id = a.estate_id LEFT JOIN companies c ON c.id = a.company_id LEFT JOIN auditor_orgs o ON o.id = a.org_id
        """

    static func decode(_ row: any SQLRow) throws -> AuditCase {
        AuditCase(
            id: try row.decode(column: "id", as: Int64.self), estateId: try row.decode(column: "estate_id", as: Int64.self),
            estateName: try row.decode(column: "estate_name", as: String.self), regionPath: try row.decode(column: "region_path", as: String.self),
            companyId: try row.decode(column: "company_id", as: Int64?.self), companyName: try row.decode(column: "company_name", as: String?.self),
            quarter: Quarter(year: try row.decode(column: "year", as: Int.self), quarter: try row.decode(column: "quarter", as: Int.self))!,
            origin: AuditOrigin(rawValue: try row.decode(column: "origin", as: String.self)) ?? .committee,
            objection: try row.decode(column: "objection", as: String.self),
            status: AuditStatus(rawValue: try row.decode(column: "status", as: String.self)) ?? .pending,
            households: try row.decode(column: "households", as: Int.self), signedHouseholds: try row.decode(column: "signed", as: Int.self),
            requestedAt: try row.decode(column: "requested_at", as: String.self), requestedBy: try row.decode(column: "requested_by", as: String.self),
            qualifiedAt: try row.decode(column: "qualified_at", as: String?.self),
            decision: try row.decode(column: "decision", as: String?.self).flatMap(AuditDecision.init(rawValue:)),
            reason: try row.decode(column: "reason", as: String?.self), decidedAt: try row.decode(column: "decided_at", as: String?.self),
            bundleOf: try row.decode(column: "bundle_of", as: Int64?.self), orgId: try row.decode(column: "org_id", as: Int64?.self),
            orgName: try row.decode(column: "org_name", as: String?.self), deadline: try row.decode(column: "deadline", as: String?.self),
            summary: try row.decode(column: "summary", as: String?.self), reportedAt: try row.decode(column: "reported_at", as: String?.self),
            closedAt: try row.decode(column: "closed_at", as: String?.self), rectification: try row.decode(column: "rectification", as: String?.self))
    }

    static func find(_ id: Int64, scope: Scope, on db: any SQLDatabase) async throws -> AuditCase {
        guard let row = try await db.raw("\(select) WHERE a.id = \(bind: id) AND \(predicate(scope))").first() else {
            throw LedgerError.notFound("审计")
        }
        return try decode(row)
    }

    /// 404 unless the scope sees the audit: checked before a step's fields, so another region's audit tells nothing.
    func visible(_ id: Int64, scope: Scope) async throws {
        _ = try await database.read { db in try await Self.find(id, scope: scope, on: db) }
    }

    // MARK: Requests

    /// The owners' committee objects to a published quarter and requests an audit (it qualifies at once), or a county
    /// official puts an estate's quarter into an audit it organises (no objection; may be exempted if nothing was earned).
    @discardableResult
    public func request(estateId: Int64, year: String, quarter: String, objection: String, scope: Scope) async throws -> Int64 {
        let origin: AuditOrigin
        if scope.can(.requestAudit) { origin = .committee } else { try scope.require(.decideAudit); origin = .county }
        var reader = InputReader()
        let y = reader.integer(year, field: "year", label: "年度", range: 2000...2100)
        let q = reader.integer(quarter, field: "quarter", label: "季度", range: 1...4)
        let objection = reader.text(objection, field: "objection", label: "异议内容", required: origin == .committee, max: 1_000)
        try reader.errors.throwIfAny()
        let period = Quarter(year: y, quarter: q)!
        let at = clock.now()
        return try await database.transaction { db in
            guard let estate = try await EstateRepository.estate(estateId, scope: scope, at: at, on: db) else {
                throw LedgerError.invalid("estate", code: "not_found", "小区不存在或不在您的管辖范围内")
            }
            return try await Self.insert(estate: estate, quarter: period, origin: origin, objection: objection,
                                         status: .pending, by: scope.username, scope: scope, at: at, on: db)
        }
    }

    /// An owner starts a petition on the public estate page (objection and first signature). Returns the audit's id.
    public func startPetition(estateId: Int64, year: String, quarter: String, objection: String, signer: PetitionSigner, address: String) async throws -> Int64 {
        var reader = InputReader()
        let y = reader.integer(year, field: "year", label: "年度", range: 2000...2100)
        let q = reader.integer(quarter, field: "quarter", label: "季度", range: 1...4)
        let objection = reader.text(objection, field: "objection", label: "异议内容", max: 1_000)
        let signer = Self.check(signer, errors: &reader.errors)
        try reader.errors.throwIfAny()
        let period = Quarter(year: y, quarter: q)!
        let at = clock.now()
        let owner = Scope(userId: nil, username: "owner", role: .auditor, regionPath: nil, companyId: nil, estateId: nil)
        return try await database.transaction { db in
            guard let estate = try await EstateRepository.estate(estateId, scope: .system, at: at, on: db) else { throw LedgerError.notFound("小区") }
            let id = try await Self.insert(estate: estate, quarter: period, origin: .petition, objection: objection, status: .petitioning,
                                           by: "业主联名", scope: owner, at: at, on: db)
            try await Self.addSignature(auditId: id, estateId: estateId, households: estate.households, signer: signer, address: address, at: at, on: db)
            return id
        }
    }

    static func insert(estate: Estate, quarter: Quarter, origin: AuditOrigin, objection: String, status: AuditStatus, by: String,
                       scope: Scope, at: Date, on db: any SQLDatabase) async throws -> Int64 {
        guard try await db.raw("""
            SELECT 1 AS n FROM disclosure_versions WHERE estate_id = \(bind: estate.id) AND year = \(bind: quarter.year) AND quarter = \(bind: quarter.quarter)
            """).first() != nil else {
            throw LedgerError.invalid("quarter", code: "not_published", "\(quarter.title)尚未公示，只能对已公示的季度提出异议和审计申请")
        }
        if let open = try await db.raw("""
            SELECT id, status FROM audits WHERE estate_id = \(bind: estate.id) AND year = \(bind: quarter.year) AND quarter = \(bind: quarter.quarter)
            AND status IN ('petitioning', 'pending', 'accepted', 'reported')
            """).first() {
            let status = AuditStatus(rawValue: try open.decode(column: "status", as: String.self)) ?? .pending
            throw LedgerError(.conflict, code: "already_requested",
                              message: "\(quarter.title)已有审计申请（#\(try open.decode(column: "id", as: Int64.self))，\(status.title)），请在原申请上继续",
                              field: "quarter")
        }
        let now = Timestamp.storage(at)
        let id = try await db.raw("""
            INSERT INTO audits (estate_id, region_path, company_id, year, quarter, origin, objection, status, households, requested_at, requested_by,
                                qualified_at)
            VALUES (\(bind: estate.id), \(bind: estate.regionPath), \(bind: estate.companyId), \(bind: quarter.year), \(bind: quarter.quarter),
                    \(bind: origin.rawValue), \(bind: objection), \(bind: status.rawValue), \(bind: estate.households), \(bind: now), \(bind: by),
                    \(bind: status == .pending ? now : nil))
            RETURNING id
            """).first(decodingColumn: "id", as: Int64.self)!
        try await AuditLog.record(on: db, scope: scope, at: at, action: origin == .petition ? "start_petition" : "request", entity: "audit",
                                  entityId: "\(id)", regionPath: estate.regionPath,
                                  after: ["estate": "\(estate.id)", "quarter": quarter.description, "origin": origin.rawValue, "objection": objection],
                                  role: origin == .petition ? "anonymous" : nil)
        return id
    }

    // MARK: The county's decision

    /// Accepts (with an auditor organisation that has not worked for the company, and a deadline), bundles with another
    /// accepted audit, or exempts a zero-revenue quarter nobody objected to. Reasons are required.
    public func decide(_ id: Int64, decision: String, reason: String, orgId: String, deadline: String, bundleWith: String, scope: Scope) async throws {
        try scope.require(.decideAudit)
        try await visible(id, scope: scope)
        var reader = InputReader()
        let choice = AuditDecision(rawValue: decision)
        if choice == nil { reader.errors.add("decision", code: "required", "请选择处理方式：同意审计、整合打包或免于审计") }
        let reason = reader.text(reason, field: "reason", label: "理由", max: 500)
        var org: Int64?, due: Day?, lead: Int64?
        let today = Day(Timestamp.shanghaiDay(clock.now()))!
        if choice == .accept {
            org = Int64(orgId.trimmingCharacters(in: .whitespaces))
            if org == nil { reader.errors.add("org", code: "required", "请选择承担审计的第三方机构") }
            let text = InputReader.halfWidth(deadline.trimmingCharacters(in: .whitespaces))
            if text.isEmpty { reader.errors.add("deadline", code: "required", "请填写审计完成期限") }
            else if let day = Day(text) {
                if day <= today { reader.errors.add("deadline", code: "past_deadline", "审计完成期限应晚于今天") } else { due = day }
            } else { reader.errors.add("deadline", code: "bad_date", "审计完成期限应为有效日期，格式如 2025-03-31") }
        }
        if choice == .bundle {
            lead = Int64(bundleWith.trimmingCharacters(in: .whitespaces).trimmingCharacters(in: CharacterSet(charactersIn: "#")))
            if lead == nil { reader.errors.add("bundle", code: "required", "请填写合并到的审计编号") }
        }
        try reader.errors.throwIfAny()
        let at = clock.now()
        let (chosen, givenOrg, givenDue, lead0) = (choice!, org, due, lead)
        try await database.transaction { db in
            var org = givenOrg, due = givenDue
            let lead = lead0, choice: AuditDecision? = chosen
            try await db.lockRow("audits", id: id)
            let audit = try await Self.find(id, scope: scope, on: db)
            guard audit.status == .pending else {
                throw LedgerError(.conflict, code: "not_pending", message: "该审计申请当前为“\(audit.status.title)”，不能再作决定", field: "decision")
            }
            switch choice! {
            case .exempt:
                if audit.origin.isObjection {
                    throw LedgerError(.unprocessable, code: "objection_exists",
                                      message: "业主已对该季度公示提出异议（\(audit.origin.title)），不能以公共收益为零免于审计", field: "decision")
                }
                let objected = try await db.raw("""
                    SELECT id FROM audits WHERE estate_id = \(bind: audit.estateId) AND year = \(bind: audit.quarter.year)
                    AND quarter = \(bind: audit.quarter.quarter) AND origin IN ('committee', 'petition') AND id <> \(bind: id)
                    """).first()
                if objected != nil {
                    throw LedgerError(.unprocessable, code: "objection_exists", message: "业主已对该季度公示提出异议，不能以公共收益为零免于审计", field: "decision")
                }
                let income = try await db.raw("""
                    SELECT income_fen FROM disclosure_versions WHERE estate_id = \(bind: audit.estateId) AND year = \(bind: audit.quarter.year)
                    AND quarter = \(bind: audit.quarter.quarter) ORDER BY version DESC LIMIT 1
                    """).first(decodingColumn: "income_fen", as: Int64.self) ?? 0
                if income != 0 {
                    throw LedgerError(.unprocessable, code: "revenue_not_zero",
                                      message: "该季度公示的公共收益为\(Money(fen: income).display)元，不为零，不能免于审计", field: "decision")
                }
            case .accept:
                try await Self.checkOrg(org!, for: audit, scope: scope, on: db)
            case .bundle:
                guard lead != id, let leader = try? await Self.find(lead!, scope: scope, on: db), leader.status == .accepted,
                      let leaderOrg = leader.orgId, leader.bundleOf == nil else {
                    throw LedgerError.invalid("bundle", code: "bad_bundle", "只能合并到本辖区内审计中的、未被合并的审计（填写其编号）")
                }
                try await Self.checkOrg(leaderOrg, for: audit, scope: scope, on: db)
                org = leaderOrg
                due = leader.deadline.flatMap(Day.init)
            }
            try await db.raw("""
                UPDATE audits SET status = \(bind: choice == .exempt ? "exempted" : "accepted"), decision = \(bind: choice!.rawValue), reason = \(bind: reason),
                decided_at = \(bind: Timestamp.storage(at)), decided_by = \(bind: scope.username), org_id = \(bind: org), deadline = \(bind: due?.description),
                bundle_of = \(bind: choice == .bundle ? lead : nil)
                WHERE id = \(bind: id)
                """).run()
            try await AuditLog.record(on: db, scope: scope, at: at, action: "decide", entity: "audit", entityId: "\(id)", regionPath: audit.regionPath,
                                      before: ["status": audit.status.rawValue],
                                      after: ["decision": choice!.rawValue, "reason": reason, "org": org.map(String.init) ?? "",
                                              "deadline": due?.description ?? "", "bundleOf": lead.map(String.init) ?? ""])
        }
    }

    /// The organisation must be one the official may use, and must not have worked for the estate's company (回避).
    static func checkOrg(_ orgId: Int64, for audit: AuditCase, scope: Scope, on db: any SQLDatabase) async throws {
        guard let row = try await db.raw("SELECT name, region_path FROM auditor_orgs WHERE id = \(bind: orgId)").first(),
              Self.usable(orgPath: try row.decode(column: "region_path", as: String.self), scope: scope) else {
            throw LedgerError.invalid("org", code: "not_found", "审计机构不存在或不在本辖区登记")
        }
        if let company = audit.companyId, try await db.raw("""
            SELECT 1 AS n FROM auditor_org_clients WHERE org_id = \(bind: orgId) AND company_id = \(bind: company)
            """).first() != nil {
            throw LedgerError.invalid("org", code: "recusal",
                                      "\(try row.decode(column: "name", as: String.self))曾为\(audit.companyName ?? "该物业企业")提供服务，应当回避，请另选审计机构")
        }
    }

    /// An official may use an organisation registered in its region, above it or below it.
    static func usable(orgPath: String, scope: Scope) -> Bool {
        guard scope.role != .admin else { return true }
        guard scope.role.isRegional, let own = scope.regionPath else { return false }
        return own.hasPrefix(orgPath) || orgPath.hasPrefix(own)
    }

    // MARK: The auditor

    /// A finding of the assigned auditor: the line, what is wrong, the amount; it becomes a problem for the company at once.
    @discardableResult
    public func addFinding(auditId: Int64, line: String, issue: String, amount: String, category: String, scope: Scope) async throws -> Int64 {
        try scope.require(.fileAuditReport)
        try await visible(auditId, scope: scope)
        var reader = InputReader()
        let line = reader.text(line, field: "line", label: "涉及的公示项目", max: 200)
        let issue = reader.text(issue, field: "issue", label: "审计发现的问题", max: 2_000)
        var money: Money?
        let amountText = amount.trimmingCharacters(in: .whitespaces)
        if !amountText.isEmpty {
            switch Money.parse(amountText) {
            case .success(let value): money = value
            case .failure(let error): reader.errors.add("amount", code: "bad_amount", "涉及金额：\(error.message)")
            }
        }
        let category = category.isEmpty ? "revenue_misappropriated" : category
        if ProblemCategory.named(category) == nil { reader.errors.add("category", code: "unknown_category", "请选择问题类别") }
        try reader.errors.throwIfAny()
        let at = clock.now()
        let money0 = money
        return try await database.transaction { db in
            let money = money0
            try await db.lockRow("audits", id: auditId)
            let audit = try await Self.find(auditId, scope: scope, on: db)
            guard audit.status == .accepted else {
                throw LedgerError(.conflict, code: "not_in_progress", message: "审计报告已出具，不能再补充发现", field: "issue")
            }
            let description = "第三方审计（\(audit.orgName ?? "审计机构")，审计#\(audit.id)，\(audit.quarter.title)）：\(line) — \(issue)"
                + (money.map { "，涉及金额\($0.display)元" } ?? "")
            let problem = try await Problems.insert(ProblemInput(estateId: audit.estateId, category: category, description: description,
                                                                 severity: .high, source: .audit),
                                                    sourceId: audit.id, scope: scope, at: at, on: db)
            let id = try await db.raw("""
                INSERT INTO audit_findings (audit_id, line, issue, amount_fen, problem_id, created_at, created_by)
                VALUES (\(bind: auditId), \(bind: line), \(bind: issue), \(bind: money?.fen), \(bind: problem), \(bind: Timestamp.storage(at)), \(bind: scope.username))
                RETURNING id
                """).first(decodingColumn: "id", as: Int64.self)!
            try await AuditLog.record(on: db, scope: scope, at: at, action: "add_finding", entity: "audit", entityId: "\(auditId)",
                                      regionPath: audit.regionPath, after: ["finding": "\(id)", "line": line, "problem": "\(problem)"])
            return id
        }
    }

    /// The auditor files the report (a PDF) and the summary that the estate's public page shows.
    public func fileReport(auditId: Int64, summary: String, report: Complaints.Upload?, scope: Scope) async throws {
        try scope.require(.fileAuditReport)
        try await visible(auditId, scope: scope)
        var reader = InputReader()
        let summary = reader.text(summary, field: "summary", label: "审计结论摘要（将在小区公开）", max: 2_000)
        var checked: StoredFiles.Checked?
        if let report {
            do {
                let file = try StoredFiles.check(filename: report.filename, bytes: report.bytes, label: "审计报告", field: "report")
                if file.contentType != "application/pdf" { reader.errors.add("report", code: "not_pdf", "审计报告须为 PDF 文件") } else { checked = file }
            } catch let error as LedgerError { reader.errors.add(error) }
        } else {
            reader.errors.add("report", code: "required", "请上传审计报告（PDF）")
        }
        try reader.errors.throwIfAny()
        if let checked, let report { try files.write(checked, bytes: report.bytes) }
        let at = clock.now()
        let stored = checked
        try await database.transaction { db in
            let checked = stored
            try await db.lockRow("audits", id: auditId)
            let audit = try await Self.find(auditId, scope: scope, on: db)
            guard audit.status == .accepted else {
                throw LedgerError(.conflict, code: "not_in_progress", message: "该审计当前为“\(audit.status.title)”，不能出具报告", field: "summary")
            }
            try await Complaints.attach(checked!, owner: "audit_report", id: auditId, by: scope.username, at: at, on: db)
            try await db.raw("""
                UPDATE audits SET status = 'reported', summary = \(bind: summary), reported_at = \(bind: Timestamp.storage(at)),
                reported_by = \(bind: scope.username) WHERE id = \(bind: auditId)
                """).run()
            try await AuditLog.record(on: db, scope: scope, at: at, action: "file_report", entity: "audit", entityId: "\(auditId)",
                                      regionPath: audit.regionPath, after: ["summary": summary, "report": checked!.sha256])
        }
    }

    /// The county closes a reported audit with the rectification it posts (all findings' problems closed first).
    public func close(_ id: Int64, rectification: String, scope: Scope) async throws {
        try scope.require(.decideAudit)
        try await visible(id, scope: scope)
        var reader = InputReader()
        let text = reader.text(rectification, field: "rectification", label: "整改情况（将在小区公开）", max: 2_000)
        try reader.errors.throwIfAny()
        let at = clock.now()
        try await database.transaction { db in
            try await db.lockRow("audits", id: id)
            let audit = try await Self.find(id, scope: scope, on: db)
            guard audit.status == .reported else {
                throw LedgerError(.conflict, code: "not_reported", message: "审计报告出具后才能办结", field: "rectification")
            }
            let open = try await db.raw("""
                SELECT COUNT(*) AS n FROM audit_findings f JOIN problems p ON p.id = f.problem_id WHERE f.audit_id = \(bind: id) AND p.status <> 'closed'
                """).first(decodingColumn: "n", as: Int.self) ?? 0
            guard open == 0 else {
                throw LedgerError(.conflict, code: "findings_open", message: "还有\(open)个审计发现的问题未整改销号，不能办结", field: "rectification")
            }
            try await db.raw("""
                UPDATE audits SET status = 'closed', rectification = \(bind: text), closed_at = \(bind: Timestamp.storage(at)), closed_by = \(bind: scope.username)
                WHERE id = \(bind: id)
                """).run()
            try await AuditLog.record(on: db, scope: scope, at: at, action: "close", entity: "audit", entityId: "\(id)", regionPath: audit.regionPath,
                                      after: ["rectification": text])
        }
    }

    // MARK: Reading

    public func list(scope: Scope, status: AuditStatus? = nil, page: Int = 1, pageSize: Int = 50) async throws -> Page<AuditCase> {
        try scope.require(.viewAudits)
        let size = max(1, min(pageSize, 200)), number = max(1, min(page, 1_000_000))
        return try await database.read { db in
            var condition = Self.predicate(scope)
            if let status { condition = "\(condition) AND a.status = \(bind: status.rawValue)" }
            let total = try await db.raw("SELECT COUNT(*) AS n FROM audits a WHERE \(condition)").first(decodingColumn: "n", as: Int.self) ?? 0
            let items = try await db.raw("""
                \(Self.select) WHERE \(condition)
                ORDER BY CASE a.status WHEN 'pending' THEN 0 WHEN 'accepted' THEN 1 WHEN 'petitioning' THEN 2 WHEN 'reported' THEN 3 ELSE 4 END, a.id DESC
                LIMIT \(bind: size) OFFSET \(bind: (number - 1) * size)
                """).all().map(Self.decode)
            return Page(items: items, total: total, page: number, pageSize: size)
        }
    }

    /// One audit with what its page shows. Signatures and unused codes only to officials and the estate's committee.
    public struct Detail: Sendable {
        public let audit: AuditCase
        public let findings: [AuditFinding]
        public let signatures: [AuditSignature]
        public let codes: [String]
        public let reportFileId: Int64?
        public let account: (bank: String, number: String, openedOn: String)?
    }

    public func detail(_ id: Int64, scope: Scope) async throws -> Detail {
        try scope.require(.viewAudits)
        return try await database.read { db in
            let audit = try await Self.find(id, scope: scope, on: db)
            let findings = try await Self.findings(id, on: db)
            let seesPetition = scope.role == .admin || scope.role.isRegional || scope.role == .committee
            let signatures = seesPetition ? try await db.raw("""
                SELECT id, building, room, name_masked, phone_masked, verified, method, signed_at FROM audit_signatures
                WHERE audit_id = \(bind: id) ORDER BY id
                """).all().map { row in
                AuditSignature(id: try row.decode(column: "id", as: Int64.self), building: try row.decode(column: "building", as: String?.self) ?? "已删除",
                               room: try row.decode(column: "room", as: String?.self) ?? "", name: try row.decode(column: "name_masked", as: String?.self) ?? "已按期删除",
                               phone: try row.decode(column: "phone_masked", as: String?.self) ?? "", verified: try row.decode(column: "verified", as: Int.self),
                               method: try row.decode(column: "method", as: String?.self), signedAt: try row.decode(column: "signed_at", as: String.self))
            } : []
            let codes = seesPetition && audit.status == .petitioning ? try await db.raw("""
                SELECT code FROM audit_codes WHERE audit_id = \(bind: id) AND used_at IS NULL ORDER BY id
                """).all(decodingColumn: "code", as: String.self) : []
            let report = try await db.raw("""
                SELECT id FROM attachments WHERE owner_type = 'audit_report' AND owner_id = \(bind: id) ORDER BY id DESC LIMIT 1
                """).first(decodingColumn: "id", as: Int64.self)
            let account = try await db.raw("SELECT bank, account_number, opened_on FROM dedicated_accounts WHERE estate_id = \(bind: audit.estateId)").first()
                .map { (try $0.decode(column: "bank", as: String.self), try $0.decode(column: "account_number", as: String.self),
                        try $0.decode(column: "opened_on", as: String.self)) }
            return Detail(audit: audit, findings: findings, signatures: signatures, codes: codes, reportFileId: report, account: account)
        }
    }

    static func findings(_ id: Int64, on db: any SQLDatabase) async throws -> [AuditFinding] {
        try await db.raw("""
            SELECT f.id, f.line, f.issue, f.amount_fen, f.problem_id, p.status AS problem_status FROM audit_findings f
            LEFT JOIN problems p ON p.id = f.problem_id WHERE f.audit_id = \(bind: id) ORDER BY f.id
            """).all().map { row in
            let status = try row.decode(column: "problem_status", as: String?.self)
            return AuditFinding(id: try row.decode(column: "id", as: Int64.self), line: try row.decode(column: "line", as: String.self),
                                issue: try row.decode(column: "issue", as: String.self),
                                amount: try row.decode(column: "amount_fen", as: Int64?.self).map(Money.init(fen:)),
                                problemId: try row.decode(column: "problem_id", as: Int64?.self),
                                problemStatus: status == "closed" ? "已整改销号" : status == "submitted" ? "已报送整改，待核验" : "整改中",
                                rectified: status == "closed")
        }
    }

    /// The audit report file, for whoever may see the audit.
    public func report(_ id: Int64, scope: Scope) async throws -> (filename: String, data: Data) {
        try scope.require(.viewAudits)
        let row = try await database.read { db in
            _ = try await Self.find(id, scope: scope, on: db)
            return try await db.raw("""
                SELECT filename, content_type, sha256 FROM attachments WHERE owner_type = 'audit_report' AND owner_id = \(bind: id) ORDER BY id DESC LIMIT 1
                """).first()
        }
        guard let row, let data = files.read(sha256: try row.decode(column: "sha256", as: String.self),
                                              contentType: try row.decode(column: "content_type", as: String.self)) else {
            throw LedgerError.notFound("审计报告")
        }
        return (try row.decode(column: "filename", as: String.self), data)
    }

    // MARK: Public

    /// What the estate's public page shows: open petitions (to sign) and audits with a report (summary, findings and
    /// their rectification). Never the signers.
    public func publicAudits(estateId: Int64) async throws -> (petitions: [AuditCase], results: [(AuditCase, [AuditFinding])]) {
        try await database.read { db in
            let rows = try await db.raw("""
                \(Self.select) WHERE a.estate_id = \(bind: estateId) AND a.status IN ('petitioning', 'pending', 'accepted', 'reported', 'closed')
                ORDER BY a.id DESC LIMIT 20
                """).all().map(Self.decode)
            var results: [(AuditCase, [AuditFinding])] = []
            for audit in rows where audit.status == .reported || audit.status == .closed {
                results.append((audit, try await Self.findings(audit.id, on: db)))
            }
            return (rows.filter { $0.status == .petitioning || $0.status == .pending || $0.status == .accepted }, results)
        }
    }

    /// For the form that starts a petition: the estate's name and its published quarters, newest first.
    public func petitionable(estateId: Int64) async throws -> (name: String, quarters: [Quarter]) {
        try await database.read { db in
            guard let name = try await db.raw("SELECT name FROM estates WHERE id = \(bind: estateId)").first(decodingColumn: "name", as: String.self) else {
                throw LedgerError.notFound("小区")
            }
            let quarters = try await db.raw("""
                SELECT DISTINCT year, quarter FROM disclosure_versions WHERE estate_id = \(bind: estateId) ORDER BY year DESC, quarter DESC
                """).all().compactMap { Quarter(year: try $0.decode(column: "year", as: Int.self), quarter: try $0.decode(column: "quarter", as: Int.self)) }
            return (name, quarters)
        }
    }

    /// A petition's public page: the estate, the quarter, the objection and the count (verified households of the total).
    public func publicPetition(_ id: Int64) async throws -> (audit: AuditCase, awaitingCheck: Int) {
        try await database.read { db in
            guard let row = try await db.raw("\(Self.select) WHERE a.id = \(bind: id) AND a.origin = 'petition'").first() else {
                throw LedgerError.notFound("联名")
            }
            let waiting = try await db.raw("SELECT COUNT(*) AS n FROM audit_signatures WHERE audit_id = \(bind: id) AND verified = 0")
                .first(decodingColumn: "n", as: Int.self) ?? 0
            return (try Self.decode(row), waiting)
        }
    }

    // MARK: Dashboard

    static func figures(regionPath: String, on db: any SQLDatabase) async throws -> AuditFigures {
        var figures = AuditFigures()
        for row in try await db.raw("""
            SELECT status, COUNT(*) AS n FROM audits WHERE \(Scope.pathPredicate("region_path", regionPath)) GROUP BY status
            """).all() {
            let n = try row.decode(column: "n", as: Int.self)
            switch AuditStatus(rawValue: try row.decode(column: "status", as: String.self)) {
            case .petitioning: figures.petitioning += n
            case .pending: figures.pending += n
            case .accepted: figures.accepted += n
            case .exempted: figures.exempted += n
            case .reported, .closed: figures.completed += n
            case nil: break
            }
            figures.requested += n
        }
        figures.findingsOpen = try await db.raw("""
            SELECT COUNT(*) AS n FROM audit_findings f JOIN audits a ON a.id = f.audit_id JOIN problems p ON p.id = f.problem_id
            WHERE p.status <> 'closed' AND \(Scope.pathPredicate("a.region_path", regionPath))
            """).first(decodingColumn: "n", as: Int.self) ?? 0
        return figures
    }

    /// The dashboard's `audits` KPI: audits completed (report filed) ÷ audits decided for (accepted, bundled or completed).
    static func kpi(regionPath: String, on db: any SQLDatabase) async throws -> (AuditFigures, Dashboard.KPI) {
        let f = try await figures(regionPath: regionPath, on: db)
        let engaged = f.accepted + f.completed
        let note = "申请\(f.requested)件（联名征集中\(f.petitioning)、待决定\(f.pending)），同意审计\(engaged)件，免于审计\(f.exempted)件，"
            + "已出具报告\(f.completed)件，审计发现未整改\(f.findingsOpen)个（莆田方案四（六））"
        return (f, Dashboard.KPI(key: "audits", title: "第三方审计", value: engaged == 0 ? nil : Double(f.completed) / Double(engaged),
                                 numerator: f.completed, denominator: engaged, target: nil, note: note))
    }
}
