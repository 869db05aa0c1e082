import Foundation
import SQLKit

/// Reading audits (see `Audits`): the lists and pages officials, committees, companies and auditors see, each through
/// `predicate(_:)`; the public estate page's petitions and results; the dashboard's figures.
extension Audits {
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
