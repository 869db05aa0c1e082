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
        return Hex.encode(digest)
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
}
