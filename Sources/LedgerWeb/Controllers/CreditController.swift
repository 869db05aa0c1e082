import Foundation
import Hummingbird
import LedgerCore

/// 信用管理 (staff): the register of the jurisdiction's companies with score and grade, and one company's credit file with
/// the regulator's forms (record an event, red/black list decisions, 通报曝光 cases) and the company's own (异议, 信用修复).
struct CreditController {
    let credit: CreditFile
    let regions: RegionDirectory
    let renderer: Renderer
    let clock: any LedgerClock

    func addRoutes(to router: some RouterMethods<AppRequestContext>) {
        router.get("/credit", use: list)
        router.get("/credit/companies/:id", use: company)
        router.post("/credit/companies/:id/events", use: recordEvent)
        router.post("/credit/companies/:id/lists", use: decideList)
        router.post("/credit/companies/:id/lists/remove", use: removeFromList)
        router.post("/credit/companies/:id/cases", use: publishCase)
        router.post("/credit/events/:id/objection", use: object)
        router.post("/credit/events/:id/repair", use: applyForRepair)
        router.post("/credit/requests/:id/decide", use: decideRequest)
        router.get("/credit/requests/:id/files/:file", use: requestFile)
    }

    static let columns: [(CreditFile.SortKey, String)] = [(.name, "企业名称"), (.score, "信用分")]

    /// The companies of the jurisdiction (a company: itself) with score and grade: searchable by name, sortable, paged.
    @Sendable func list(_ request: Request, context: AppRequestContext) async throws -> Response {
        let scope = try context.scope()
        let query = request.uri.queryParameters
        let sort = query["sort"].flatMap { CreditFile.SortKey(rawValue: String($0)) } ?? .name
        let descending = query["desc"] == "1"
        let list = ListRequest(search: query["q"].map(String.init) ?? "", sort: sort, descending: descending,
                               page: query["page"].flatMap { Int(String($0)) } ?? 1)
        let page = try await credit.register(scope: scope, request: list)
        let pending = scope.can(.recordEnforcement) ? try await credit.pendingRequests(scope: scope) : []
        let model = CreditListPage(
            layout: Layout(title: scope.role == .company ? "本企业信用" : "信用管理", context: context, section: "/credit"), search: list.search,
            rows: page.items.map(CreditListPage.row),
            columns: SortLink.make(Self.columns, current: sort, descending: descending, base: "/credit", search: list.search),
            pager: Pager(page, base: "/credit", query: [("q", list.search), ("sort", sort.rawValue), ("desc", descending ? "1" : "")]),
            empty: page.items.isEmpty,
            pending: pending.map { .init(companyId: $0.companyId, kind: $0.kind.title, filedAt: Timestamp.display(stored: $0.filedAt), eventId: $0.eventId) },
            hasPending: !pending.isEmpty, canEditRules: scope.can(.setWarningParameters))
        return renderer.render(.creditList, model)
    }

    /// One company's credit file.
    @Sendable func company(_ request: Request, context: AppRequestContext) async throws -> Response {
        try await companyPage(context, id: try RegistryAPI.id(context))
    }

    /// Records an event by hand; the points default to the rule's.
    @Sendable func recordEvent(_ request: Request, context: AppRequestContext) async throws -> Response {
        let scope = try context.scope(), id = try RegistryAPI.id(context), form = context.form
        return try await submitting {
            try await credit.record(companyId: id, rule: form.value("rule"), points: form.value("points"), occurredOn: form.value("occurredOn"),
                                    documentNumber: form.value("documentNumber"), note: form.value("note"), scope: scope)
            return .redirect(to: "/credit/companies/\(id)#events", type: .normal)
        } reshow: { errors in
            try await companyPage(context, id: id, form: "record", errors: errors)
        }
    }

    /// Puts the company on the red or black list by decision, after a confirmation step.
    @Sendable func decideList(_ request: Request, context: AppRequestContext) async throws -> Response {
        let scope = try context.scope(), id = try RegistryAPI.id(context), form = context.form
        let list = CreditFile.List(rawValue: form.value("list"))
        if form.value("confirm") != "1" {
            try scope.require(.recordEnforcement)
            let company = try await credit.visibleCompany(id, scope: scope)
            return confirm(context, heading: "确认将“\(company.name)”列入\(list?.title ?? "名单")",
                           lines: ["理由：\(form.value("reason"))", "决定文书：\(form.value("documentNumber"))",
                                   "期限：\(form.value("decidedOn")) 至 \(form.value("until"))"] + (list == .black ? ["列入黑名单后，该企业在登记中标注“黑名单 / 限制投标”，并在信用信息公示页公开。"] : []),
                           action: "/credit/companies/\(id)/lists", back: "/credit/companies/\(id)#lists", button: "确认列入")
        }
        return try await submitting {
            try await credit.decide(list, companyId: id, reason: form.value("reason"), documentNumber: form.value("documentNumber"),
                                    decidedOn: form.value("decidedOn"), until: form.value("until"), scope: scope)
            return .redirect(to: "/credit/companies/\(id)#lists", type: .normal)
        } reshow: { errors in
            try await companyPage(context, id: id, form: "list", errors: errors)
        }
    }

    /// Takes the company off a list by decision, after a confirmation step.
    @Sendable func removeFromList(_ request: Request, context: AppRequestContext) async throws -> Response {
        let scope = try context.scope(), id = try RegistryAPI.id(context), form = context.form
        let decision = Int64(form.value("decision")) ?? 0
        if form.value("confirm") != "1" {
            try scope.require(.recordEnforcement)
            let company = try await credit.visibleCompany(id, scope: scope)
            return confirm(context, heading: "确认将“\(company.name)”移出名单", lines: ["名单决定 #\(decision)", "移出理由：\(form.value("reason"))"],
                           action: "/credit/companies/\(id)/lists/remove", back: "/credit/companies/\(id)#lists", button: "确认移出")
        }
        return try await submitting {
            try await credit.removeFromList(decision, companyId: id, reason: form.value("reason"), scope: scope)
            return .redirect(to: "/credit/companies/\(id)#lists", type: .normal)
        } reshow: { errors in
            try await companyPage(context, id: id, form: "remove", errors: errors)
        }
    }

    /// Publishes a 通报曝光 case about the company.
    @Sendable func publishCase(_ request: Request, context: AppRequestContext) async throws -> Response {
        let scope = try context.scope(), id = try RegistryAPI.id(context), form = context.form
        return try await submitting {
            try await credit.publishCase(companyId: id, .init(title: form.value("title"), situation: form.value("situation"), facts: form.value("facts"),
                                                              basis: form.value("basis"), outcome: form.value("outcome"), publishedOn: form.value("publishedOn")),
                                         scope: scope)
            return .redirect(to: "/credit/companies/\(id)#cases", type: .normal)
        } reshow: { errors in
            try await companyPage(context, id: id, form: "case", errors: errors)
        }
    }

    /// The company objects to one of its events.
    @Sendable func object(_ request: Request, context: AppRequestContext) async throws -> Response {
        let scope = try context.scope(), eventId = try RegistryAPI.id(context)
        return try await submitting {
            try await credit.object(to: eventId, reasons: context.form.value("reasons"), uploads: Self.uploads(context), scope: scope)
            return .redirect(to: "/credit/companies/\(try await companyOfEvent(eventId))#requests", type: .normal)
        } reshow: { errors in
            try await companyPage(context, id: try await companyOfEvent(eventId), form: "objection-\(eventId)", errors: errors)
        }
    }

    /// The company applies for the repair of one of its events.
    @Sendable func applyForRepair(_ request: Request, context: AppRequestContext) async throws -> Response {
        let scope = try context.scope(), eventId = try RegistryAPI.id(context)
        return try await submitting {
            try await credit.applyForRepair(of: eventId, reasons: context.form.value("reasons"), uploads: Self.uploads(context), scope: scope)
            return .redirect(to: "/credit/companies/\(try await companyOfEvent(eventId))#requests", type: .normal)
        } reshow: { errors in
            try await companyPage(context, id: try await companyOfEvent(eventId), form: "repair-\(eventId)", errors: errors)
        }
    }

    /// The regulator decides an objection or a repair application, after a confirmation step.
    @Sendable func decideRequest(_ request: Request, context: AppRequestContext) async throws -> Response {
        let scope = try context.scope(), requestId = try RegistryAPI.id(context), form = context.form
        let decision = CreditFile.RequestDecision(rawValue: form.value("decision"))
        guard let companyId = try await credit.companyOfRequest(requestId, scope: scope) else { throw LedgerError.notFound("异议或修复申请") }
        if form.value("confirm") != "1" {
            try scope.require(.recordEnforcement)
            let company = try await credit.visibleCompany(companyId, scope: scope)
            return confirm(context, heading: "确认处理“\(company.name)”的申请 #\(requestId)",
                           lines: ["决定：\(decision?.title ?? "（未选择）")", "处理意见：\(form.value("note"))"],
                           action: "/credit/requests/\(requestId)/decide", back: "/credit/companies/\(companyId)#requests", button: "确认决定")
        }
        return try await submitting {
            try await credit.decide(request: requestId, decision, note: form.value("note"), scope: scope)
            return .redirect(to: "/credit/companies/\(companyId)#requests", type: .normal)
        } reshow: { errors in
            try await companyPage(context, id: companyId, form: "decide-\(requestId)", errors: errors)
        }
    }

    /// An evidence file of a request, shown inline but sandboxed (it came from a company).
    @Sendable func requestFile(_ request: Request, context: AppRequestContext) async throws -> Response {
        guard let fileId = context.parameters.get("file").flatMap(Int64.init) else { throw LedgerError.notFound("证明材料") }
        let (attachment, data) = try await credit.requestFile(fileId, requestId: try RegistryAPI.id(context), scope: try context.scope())
        return Response(status: .ok, headers: [.contentType: attachment.contentType, .contentSecurityPolicy: "sandbox; default-src 'none'",
                                               .contentDisposition: "inline; filename=\"evidence-\(attachment.id)\""],
                        body: .init(byteBuffer: ByteBuffer(bytes: data)))
    }

    static func uploads(_ context: AppRequestContext) -> [Complaints.Upload] {
        context.form.files.filter { $0.field == "files" && !$0.filename.isEmpty }.map { Complaints.Upload(filename: $0.filename, bytes: $0.data) }
    }

    private func companyOfEvent(_ eventId: Int64) async throws -> Int64 {
        guard let id = try await credit.companyOfEvent(eventId) else { throw LedgerError.notFound("信用记录") }
        return id
    }

    private func confirm(_ context: AppRequestContext, heading: String, lines: [String], action: String, back: String, button: String) -> Response {
        let hidden = context.form.fields.filter { $0.key != "_csrf" && $0.key != "confirm" }.sorted { $0.key < $1.key }
            .map { CreditConfirmPage.Hidden(name: $0.key, value: $0.value) } + [.init(name: "confirm", value: "1")]
        return renderer.render(.creditConfirm, CreditConfirmPage(layout: Layout(title: heading, context: context, section: "/credit"), heading: heading,
                                                                 lines: lines, action: action, hidden: hidden, back: back, button: button))
    }
}
