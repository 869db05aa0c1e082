import Foundation
import SQLKit

/// 异议 and 信用修复: a company objects to an event of its file, or applies to have a bad-credit event repaired once its
/// rectification is verified and the rule's waiting period has passed; the regulator of the region that recorded the event
/// decides. A withdrawn or repaired event stops counting and stays on file with its state. Each step is one audited
/// transaction.
extension CreditFile {
    public enum RequestKind: String, Sendable, Codable, CaseIterable {
        case objection, repair
        public var title: String { self == .objection ? "异议" : "信用修复申请" }
    }

    public enum RequestStatus: String, Sendable, Codable {
        /// Waiting for the regulator.
        case pending
        /// Objection: the event stands (维持). Repair: refused.
        case upheld, refused
        /// Objection: the event is withdrawn. Repair: the event is repaired.
        case withdrawn, approved

        public var title: String {
            switch self {
            case .pending: "待处理"
            case .upheld: "维持原记录"
            case .refused: "不予修复"
            case .withdrawn: "已撤销原记录"
            case .approved: "准予修复"
            }
        }
    }

    /// The regulator's decision on a request.
    public enum RequestDecision: String, Sendable, CaseIterable {
        case uphold, withdraw, approve, refuse

        var kind: RequestKind { self == .uphold || self == .withdraw ? .objection : .repair }
        var status: RequestStatus {
            switch self {
            case .uphold: .upheld
            case .withdraw: .withdrawn
            case .approve: .approved
            case .refuse: .refused
            }
        }
        public var title: String {
            switch self {
            case .uphold: "维持原记录（异议不成立）"
            case .withdraw: "撤销该信用记录（异议成立）"
            case .approve: "准予信用修复"
            case .refuse: "不予修复"
            }
        }
    }

    public struct Request: Sendable, Equatable {
        public let id: Int64
        public let eventId: Int64
        public let companyId: Int64
        public let kind: RequestKind
        public let reasons: String
        public let status: RequestStatus
        public let filedAt: String
        public let decidedAt: String?
        public let decisionNote: String
    }

    /// The company objects to one of its events (which must still count), with up to three evidence files.
    @discardableResult
    public func object(to eventId: Int64, reasons: String, uploads: [Complaints.Upload] = [], scope: Scope) async throws -> Int64 {
        try await file(.objection, eventId: eventId, reasons: reasons, uploads: uploads, scope: scope)
    }

    /// The company applies to have a bad-credit event repaired, with up to three evidence files.
    @discardableResult
    public func applyForRepair(of eventId: Int64, reasons: String, uploads: [Complaints.Upload] = [], scope: Scope) async throws -> Int64 {
        try await file(.repair, eventId: eventId, reasons: reasons, uploads: uploads, scope: scope)
    }

    private func file(_ kind: RequestKind, eventId: Int64, reasons: String, uploads: [Complaints.Upload], scope: Scope) async throws -> Int64 {
        try scope.require(.objectToCredit)
        var reader = InputReader()
        let text = reader.text(reasons, field: "reasons", label: kind == .objection ? "异议理由" : "修复理由及整改情况", max: 2000)
        if uploads.count > 3 { reader.errors.add("files", code: "too_many_files", "最多上传3份证明材料") }
        var accepted: [StoredFiles.Checked] = []
        for upload in uploads.prefix(3) {
            do {
                accepted.append(try StoredFiles.check(filename: upload.filename, bytes: upload.bytes, label: "证明材料", field: "files"))
            } catch let error as LedgerError {
                if reader.errors.message(for: "files") == nil { reader.errors.add(error) }
            }
        }
        try reader.errors.throwIfAny()
        let checked = accepted
        let at = clock.now()
        let today = Day(Timestamp.shanghaiDay(at))!
        return try await database.transaction { db in
            // A company sees only its own file; an admin may file on a company's behalf.
            let own: SQLQueryString = scope.role == .admin ? "1 = 1" : scope.companyId.map { "company_id = \(bind: $0)" } ?? "1 = 0"
            guard let event = try await Self.events(condition: "id = \(bind: eventId) AND \(own)", on: db).first else {
                throw LedgerError.notFound("信用记录")
            }
            guard event.status == .valid else {
                throw LedgerError(.conflict, code: "not_valid", message: "该信用记录已\(event.status.title)，无需再提出", field: "reasons")
            }
            if kind == .repair, let refusal = try await Self.repairRefusal(event, today: today, on: db) {
                throw LedgerError(.conflict, code: "repair_not_allowed", message: refusal, field: "reasons")
            }
            let pending = try await db.raw("""
                SELECT id FROM credit_requests WHERE event_id = \(bind: eventId) AND kind = \(bind: kind.rawValue) AND status = 'pending'
                """).first()
            guard pending == nil else { throw LedgerError(.conflict, code: "pending", message: "该记录已有待处理的\(kind.title)", field: "reasons") }
            let id = try await db.raw("""
                INSERT INTO credit_requests (event_id, company_id, kind, reasons, status, region_path, filed_at, filed_by)
                VALUES (\(bind: eventId), \(bind: event.companyId), \(bind: kind.rawValue), \(bind: text), 'pending', \(bind: event.regionPath),
                        \(bind: Timestamp.storage(at)), \(bind: scope.username))
                RETURNING id
                """).first(decodingColumn: "id", as: Int64.self)!
            for (upload, file) in zip(uploads, checked) {
                try files.write(file, bytes: upload.bytes)
                try await Complaints.attach(file, owner: "credit_request", id: id, by: scope.username, at: at, on: db)
            }
            try await AuditLog.record(on: db, scope: scope, at: at, action: kind == .objection ? "object" : "apply_repair", entity: "credit_event",
                                      entityId: "\(eventId)", regionPath: event.regionPath,
                                      after: ["request": "\(id)", "reasons": text, "files": "\(checked.count)"])
            return id
        }
    }

    /// Why an event may not be repaired today, or nil: the rule must allow repair, its waiting period must have passed, and
    /// the rectification behind the event must be verified (the problem closed as fixed, the W01 resolved; for other
    /// sources, no problem of the company left open).
    static func repairRefusal(_ event: Event, today: Day, on db: any SQLDatabase) async throws -> String? {
        guard event.points < 0 else { return "守信激励记录不适用信用修复" }
        guard let rule = try await CreditRules.applied(event.rule, path: event.regionPath, on: db) else { return "该信用规则不存在" }
        guard rule.repairAllowed else { return "按本辖区信用规则，「\(rule.title)」不予信用修复" }
        if let occurred = Day(event.occurredOn) {
            let from = expiry(occurred, months: rule.repairAfterMonths)
            if today < from { return "「\(rule.title)」须在记录满\(rule.repairAfterMonths)个月后（\(from.description)起）方可申请信用修复" }
        }
        func problemFixed(_ id: Int64) async throws -> Bool {
            try await db.raw("SELECT 1 AS n FROM problems WHERE id = \(bind: id) AND status = 'closed' AND outcome = 'fixed'").first() != nil
        }
        let unverified = "所涉问题尚未整改到位并经核验销号，暂不能申请信用修复"
        switch CreditSource(rawValue: event.sourceType) {
        case .overdueProblem:
            if let id = event.sourceId, try await !problemFixed(id) { return unverified }
        case .undisclosed:
            let resolved = try await db.raw("""
                SELECT 1 AS n FROM warnings WHERE id = \(bind: event.sourceId ?? 0) AND status IN ('resolved', 'closed')
                """).first() != nil
            if !resolved { return "逾期未公示的预警尚未办结（补齐公示并经核实），暂不能申请信用修复" }
        case .enforcement:
            let problem = try await db.raw("SELECT problem_id FROM enforcement_actions WHERE id = \(bind: event.sourceId ?? 0)")
                .first(decodingColumn: "problem_id", as: Int64?.self) ?? nil
            if let problem {
                if try await !problemFixed(problem) { return unverified }
            } else if try await hasOpenProblems(event.companyId, on: db) {
                return "企业尚有未整改销号的问题，暂不能申请信用修复"
            }
        default:
            if try await hasOpenProblems(event.companyId, on: db) { return "企业尚有未整改销号的问题，暂不能申请信用修复" }
        }
        return nil
    }

    static func hasOpenProblems(_ companyId: Int64, on db: any SQLDatabase) async throws -> Bool {
        try await db.raw("SELECT 1 AS n FROM problems WHERE company_id = \(bind: companyId) AND status <> 'closed'").first() != nil
    }

    /// Whether a company may apply for repair of an event today, and if not why (for the page's hint).
    public func repairRefusal(eventId: Int64) async throws -> String? {
        let today = Day(Timestamp.shanghaiDay(clock.now()))!
        return try await database.read { db in
            guard let event = try await Self.events(condition: "id = \(bind: eventId)", on: db).first else { return "该信用记录不存在" }
            return try await Self.repairRefusal(event, today: today, on: db)
        }
    }

    /// The regulator of the event's region decides a pending request; a withdrawal or repair changes the event and the
    /// grade in the same transaction.
    public func decide(request requestId: Int64, _ decision: RequestDecision?, note: String, scope: Scope) async throws {
        try scope.require(.recordEnforcement)
        var reader = InputReader()
        if decision == nil { reader.errors.add("decision", code: "required", "请选择处理决定") }
        let text = reader.text(note, field: "note", label: "处理意见", max: 1000)
        try reader.errors.throwIfAny()
        let at = clock.now()
        let today = Day(Timestamp.shanghaiDay(at))!
        try await database.transaction { db in
            guard let row = try await db.raw("""
                SELECT event_id, company_id, kind, status, region_path FROM credit_requests
                WHERE id = \(bind: requestId) AND \(scope.officialPredicate("region_path"))
                """).first() else { throw LedgerError.notFound("异议或修复申请") }
            let kind = RequestKind(rawValue: try row.decode(column: "kind", as: String.self)) ?? .objection
            guard let decision, decision.kind == kind else {
                throw LedgerError.invalid("decision", code: "wrong_decision", "该决定不适用于\(kind.title)")
            }
            guard try row.decode(column: "status", as: String.self) == RequestStatus.pending.rawValue else {
                throw LedgerError(.conflict, code: "decided", message: "该\(kind.title)已处理", field: "note")
            }
            let eventId = try row.decode(column: "event_id", as: Int64.self), companyId = try row.decode(column: "company_id", as: Int64.self)
            let path = try row.decode(column: "region_path", as: String.self)
            if decision == .withdraw || decision == .approve,
               let event = try await Self.events(condition: "id = \(bind: eventId)", on: db).first, event.status != .valid {
                throw LedgerError(.conflict, code: "not_valid", message: "该信用记录已\(event.status.title)，只能维持或不予修复", field: "decision")
            }
            try await Self.regrade([companyId], cause: "初次评级", today: today, at: at, on: db)
            let stamp = Timestamp.storage(at)
            switch decision {
            case .withdraw:
                try await db.raw("""
                    UPDATE credit_events SET status = 'withdrawn', withdrawn_at = \(bind: stamp), withdrawn_reason = \(bind: text)
                    WHERE id = \(bind: eventId) AND status = 'valid'
                    """).run()
            case .approve:
                // The terms are checked again at the decision: the rule or the rectification may have changed since.
                if let event = try await Self.events(condition: "id = \(bind: eventId)", on: db).first,
                   let refusal = try await Self.repairRefusal(event, today: today, on: db) {
                    throw LedgerError(.conflict, code: "repair_not_allowed", message: refusal, field: "decision")
                }
                try await db.raw("UPDATE credit_events SET status = 'repaired', repaired_at = \(bind: stamp) WHERE id = \(bind: eventId) AND status = 'valid'").run()
            case .uphold, .refuse:
                break
            }
            try await db.raw("""
                UPDATE credit_requests SET status = \(bind: decision.status.rawValue), decided_at = \(bind: stamp), decided_by = \(bind: scope.username),
                       decision_note = \(bind: text) WHERE id = \(bind: requestId)
                """).run()
            try await AuditLog.record(on: db, scope: scope, at: at, action: decision.rawValue, entity: "credit_request", entityId: "\(requestId)",
                                      regionPath: path, after: ["event": "\(eventId)", "decision": decision.status.rawValue, "note": text])
            try await Self.regrade([companyId], cause: "信用记录 #\(eventId) \(decision.status.title)", today: today, at: at, on: db)
        }
    }

    /// A company's requests, newest first.
    public func requests(companyId: Int64) async throws -> [Request] {
        try await database.read { db in
            try await Self.requests(condition: "company_id = \(bind: companyId)", on: db)
        }
    }

    /// Pending requests in the scope's jurisdiction (the regulator's to-do).
    public func pendingRequests(scope: Scope) async throws -> [Request] {
        try scope.require(.viewCredit)
        return try await database.read { db in
            try await Self.requests(condition: "status = 'pending' AND \(scope.officialPredicate("region_path"))", on: db)
        }
    }

    static func requests(condition: SQLQueryString, on db: any SQLDatabase) async throws -> [Request] {
        try await db.raw("""
            SELECT id, event_id, company_id, kind, reasons, status, filed_at, decided_at, decision_note FROM credit_requests
            WHERE \(condition) ORDER BY id DESC LIMIT 500
            """).all().map { row in
            Request(id: try row.decode(column: "id", as: Int64.self), eventId: try row.decode(column: "event_id", as: Int64.self),
                    companyId: try row.decode(column: "company_id", as: Int64.self),
                    kind: RequestKind(rawValue: try row.decode(column: "kind", as: String.self)) ?? .objection,
                    reasons: try row.decode(column: "reasons", as: String.self),
                    status: RequestStatus(rawValue: try row.decode(column: "status", as: String.self)) ?? .pending,
                    filedAt: try row.decode(column: "filed_at", as: String.self), decidedAt: try row.decode(column: "decided_at", as: String?.self),
                    decisionNote: try row.decode(column: "decision_note", as: String.self))
        }
    }
}
