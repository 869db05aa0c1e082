import Foundation
import SQLKit

/// Handling complaints inside a jurisdiction: the staff list, one complaint, the audited look at the complainant's
/// contact, and the steps from assignment to 销号, transfer and a problem raised from a substantiated complaint.
extension Complaints {
    /// Which complaints a scope may see: officials of the region; a department or the discipline commission also
    /// (and a department only) what was transferred to it.
    public static func visible(to scope: Scope) -> SQLQueryString {
        switch scope.role {
        case .admin: return "1 = 1"
        case .regulator, .street, .oversight: return Scope.pathPredicate("c.region_path", scope.regionPath)
        case .department: return "(c.transferred_to = 'department' AND \(Scope.pathPredicate("c.region_path", scope.regionPath)))"
        default: return "1 = 0"
        }
    }

    public static let select: SQLQueryString = """
        SELECT c.id, c.tracking_code, c.source, c.source_ref, c.estate_id, e.name AS estate_name, c.company_id, co.name AS company_name,
               c.region_path, c.category, c.content, c.complainant_name, c.complainant_phone, c.received_at, c.received_by, c.handling_region,
               r.name AS handling_region_name, c.handler, c.deadline, c.status, c.outcome, c.closed_at, c.closure_note, c.reply, c.replied_at,
               c.reopened_count, c.transferred_to, c.transfer_decision, c.problem_id, c.personal_erased_at
        FROM complaints c JOIN estates e ON e.id = c.estate_id LEFT JOIN companies co ON co.id = c.company_id
        LEFT JOIN regions r ON r.code = c.handling_region
        """

    public func list(scope: Scope, filter: Filter) async throws -> Page<Complaint> {
        let today = Day(Timestamp.shanghaiDay(clock.now()))!
        return try await database.cachedList("complaints", scope: scope, key: "\(filter)", today: today) {
            try await database.read { db in try await Casework.list(Complaints.self, scope: scope, filter: filter, today: today, on: db) }
        }
    }

    /// Every complaint the filter selects, one at a time, in constant memory (the ledger export).
    public func forEach(scope: Scope, filter: Filter, _ each: (Complaint) async throws -> Void) async throws {
        try await Casework.forEach(Complaints.self, scope: scope, filter: filter, today: Day(Timestamp.shanghaiDay(clock.now()))!, on: database, each)
    }

    public func complaint(_ id: Int64, scope: Scope) async throws -> (Complaint, [Event]) {
        try await database.read { db in
            guard let complaint = try await Self.find(id, scope: scope, on: db) else { throw LedgerError.notFound("投诉") }
            return (complaint, try await Self.events(id, publicOnly: false, on: db))
        }
    }

    /// The complainant's name and phone, for the handling officer only; every look is written to the audit log.
    public func unmask(_ id: Int64, scope: Scope) async throws -> (name: String?, phone: String?) {
        let at = clock.now()
        return try await database.transaction { db in
            guard let complaint = try await Self.find(id, scope: scope, on: db) else { throw LedgerError.notFound("投诉") }
            guard complaint.handler == scope.username else {
                throw LedgerError(.forbidden, code: "not_handler", message: "只有承办人可以查看投诉人联系方式")
            }
            try await AuditLog.record(on: db, scope: scope, at: at, action: "unmask", entity: "complaint", entityId: "\(id)",
                                      regionPath: complaint.regionPath, after: ["fields": "complainant_name,complainant_phone"])
            return (complaint.complainantName, complaint.complainantPhone)
        }
    }

    /// The steps of handling, with who may take them from which status.
    public enum Action: String, Sendable, CaseIterable {
        case assign, note, reply, close, transfer, decide, problem

        public var title: String {
            switch self {
            case .assign: "分派承办"
            case .note: "记录办理进展"
            case .reply: "答复投诉人"
            case .close: "办结销号"
            case .transfer: "移交"
            case .decide: "反馈处理意见"
            case .problem: "立案为问题"
            }
        }

        public func allowed(from status: Status) -> Bool { Complaints.steps.allowed(self, from: status) }

        public var permission: Permission { Complaints.steps.permission(self) }

        public func permitted(for role: Role) -> Bool { role.permissions.contains(permission) }
    }

    /// One handling step: `step.note` (required but for assign and problem), the outcome (close), the target
    /// (transfer), the unit, handler and deadline (assign), the problem to raise (problem).
    @discardableResult
    public func act(_ action: Action, on id: Int64, _ step: ComplaintStep, uploads: [Upload] = [], scope: Scope) async throws -> Complaint {
        var reader = InputReader(["note": step.note, "deadline": step.deadline, "reply": step.reply])
        let note = reader.text("note", label: action == .reply ? "答复内容" : action == .close ? "办理结果及证据说明" : "说明",
                               required: action != .assign && action != .problem, max: 2_000)
        let outcome = step.outcome
        if action == .close && outcome == nil { reader.errors.add("outcome", code: "required", "请选择办结结果（已解决，或未解决的原因）") }
        // 办结 answers the complainant (docs/design.md §28): the reply is public on the tracking page, so it cannot be left out.
        let reply = action == .close ? reader.text("reply", label: "给投诉人的答复", required: false, max: 2_000) : ""
        if action == .close && reply.isEmpty && reader.errors.message(for: "reply") == nil {
            reader.errors.add("reply", code: "required", "办结前须填写给投诉人的答复（投诉人在查询页可以看到）")
        }
        if action == .transfer && step.transferTo == nil {
            reader.errors.add("to", code: "required", "请选择移交对象（协同部门或纪委监委）")
        }
        let deadline = action == .assign ? reader.day("deadline", label: "办理时限", required: false) : nil
        let today = Day(Timestamp.shanghaiDay(clock.now()))!
        if let deadline, deadline < today { reader.errors.add("deadline", code: "past_deadline", "办理时限不能早于今天") }
        try reader.errors.throwIfAny()
        let checked = try uploads.map { try StoredFiles.check(filename: $0.filename, bytes: $0.bytes, label: "证据材料", field: "files") }
        let at = clock.now()
        return try await database.transaction { db in
            try await db.lockRow("complaints", id: id)
            guard let before = try await Self.find(id, scope: scope, on: db) else { throw LedgerError.notFound("投诉") }
            guard action.permitted(for: scope.role) else { throw LedgerError.forbidden }
            if action == .decide && before.transferredTo != scope.role.rawValue { throw LedgerError.forbidden }
            guard action.allowed(from: before.status) else {
                throw LedgerError(.conflict, code: "transition_not_allowed",
                                  message: "该投诉当前为「\(before.status.title)」，不能\(action.title)", field: "action")
            }
            let now = Timestamp.storage(at)
            var text = note
            var isPublic = false
            var publicText: String?
            switch action {
            case .assign:
                let chosen = step.handlingRegion.trimmingCharacters(in: .whitespaces)
                let code = chosen.isEmpty ? before.handlingRegion ?? "" : chosen
                guard let region = try? await RegionDirectory.covered(code, scope: scope, on: db),
                      before.regionPath.hasPrefix(region.path), region.level != .community else {
                    throw LedgerError.invalid("handlingRegion", code: "outside_jurisdiction", "承办单位须为该小区所在的街道（乡镇）或上级部门，且在您的管辖范围内")
                }
                let handlerName = step.handler.trimmingCharacters(in: .whitespaces)
                var handler = scope.username
                if !handlerName.isEmpty {
                    guard let path = try await db.raw("""
                        SELECT r.path FROM users u JOIN regions r ON r.code = u.region_code
                        WHERE u.username = \(bind: handlerName) AND u.disabled = 0 AND u.role IN ('regulator', 'street')
                        """).first(decodingColumn: "path", as: String.self), before.regionPath.hasPrefix(path) else {
                        throw LedgerError.invalid("handler", code: "unknown_handler", "承办人须为承办单位的工作人员账号")
                    }
                    handler = handlerName
                }
                let due = deadline?.description ?? before.deadline ?? today.description
                try await db.raw("""
                    UPDATE complaints SET status = 'assigned', handling_region = \(bind: region.code), handler = \(bind: handler),
                    deadline = \(bind: due), updated_at = \(bind: now) WHERE id = \(bind: id)
                    """).run()
                text = "分派至\(region.name)，承办人 \(handler)，办理时限 \(due)" + (note.isEmpty ? "" : "：\(note)")
                // The complainant sees the handling unit and the deadline, never a person's login or the internal note.
                publicText = "分派至\(region.name)办理，办理时限 \(due)"
                isPublic = true
            case .note:
                break
            case .reply:
                try await db.raw("UPDATE complaints SET reply = \(bind: note), replied_at = \(bind: now), updated_at = \(bind: now) WHERE id = \(bind: id)").run()
                isPublic = true
            case .close:
                try await db.raw("""
                    UPDATE complaints SET status = 'closed', outcome = \(bind: outcome!.rawValue), closed_at = \(bind: now), closure_note = \(bind: note),
                    reply = \(bind: reply), replied_at = \(bind: now), updated_at = \(bind: now) WHERE id = \(bind: id)
                    """).run()
                // The reply is its own public step, as a reply given during handling is.
                try await Casework.record(Complaints.self, id, at: at, username: scope.username, role: scope.role.rawValue, action: Action.reply.rawValue,
                                          note: reply, isPublic: true, on: db)
                text = "办结（\(outcome!.title)）：\(note)"
                isPublic = true
                for (upload, file) in zip(uploads, checked) {
                    try files.write(file, bytes: upload.bytes)
                    try await Self.attach(file, owner: "complaint", id: id, by: scope.username, at: at, on: db)
                }
            case .transfer:
                let transferTo = step.transferTo!.rawValue
                try await db.raw("""
                    UPDATE complaints SET status = 'transferred', transferred_to = \(bind: transferTo), transfer_decision = NULL, updated_at = \(bind: now)
                    WHERE id = \(bind: id)
                    """).run()
                text = "移交\(step.transferTo!.title)：\(note)"
                publicText = "已移交\(step.transferTo!.title)处理"
                isPublic = true
            case .decide:
                try await db.raw("""
                    UPDATE complaints SET status = 'assigned', transfer_decision = \(bind: note), updated_at = \(bind: now) WHERE id = \(bind: id)
                    """).run()
                text = "\(scope.role.title)处理意见：\(note)"
            case .problem:
                var problem = step.problem ?? ProblemInput(estateId: nil, category: "", description: "")
                guard !problem.description.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty else {
                    // The complaint's own words may name the complainant; the company reads problems, so the officer writes it.
                    throw LedgerError.invalid("description", code: "required", "请填写问题描述（由承办人核实后撰写，勿照抄投诉原文）")
                }
                guard before.problemId == nil else {
                    throw LedgerError(.conflict, code: "already_problem", message: "该投诉已立案为问题 #\(before.problemId!)", field: "action")
                }
                problem.estateId = before.estateId
                problem.source = .complaint
                if problem.category.isEmpty { problem.category = before.category }
                let problemId = try await Problems.insert(problem, sourceId: id, scope: scope, at: at, on: db)
                try await db.raw("UPDATE complaints SET problem_id = \(bind: problemId), updated_at = \(bind: now) WHERE id = \(bind: id)").run()
                text = "经核实属实，立案为问题 #\(problemId)" + (note.isEmpty ? "" : "：\(note)")
            }
            try await Casework.record(Complaints.self, id, at: at, username: scope.username, role: scope.role.rawValue, action: action.rawValue,
                                      note: text, isPublic: isPublic, publicNote: publicText, on: db)
            let after = try await Self.find(id, scope: .system, on: db)!
            try await AuditLog.record(on: db, scope: scope, at: at, action: action.rawValue, entity: "complaint", entityId: "\(id)",
                                      regionPath: before.regionPath, before: ["status": before.status.rawValue],
                                      after: action == .close ? ["status": after.status.rawValue, "note": text, "reply": reply]
                                          : ["status": after.status.rawValue, "note": text])
            return after
        }
    }
}
