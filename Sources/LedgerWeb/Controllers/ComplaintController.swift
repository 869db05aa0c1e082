import Foundation
import Hummingbird
import LedgerCore

/// Staff pages for complaints: the inbox per jurisdiction, intake for the other sources, one complaint with its
/// handling steps, and the complaint ledger (附件5) as CSV and XLSX.
struct ComplaintController {
    let complaints: Complaints
    let regions: RegionDirectory
    let renderer: Renderer
    let clock: any LedgerClock

    func addRoutes(to router: some RouterMethods<AppRequestContext>) {
        router.get("/complaints", use: list)
        router.get("/complaints/new", use: intakeForm)
        router.post("/complaints/new", use: intake)
        router.get("/complaints/ledger.csv", use: ledgerCSV)
        router.get("/complaints/ledger.xlsx", use: ledgerXLSX)
        router.get("/complaints/:id", use: show)
        router.post("/complaints/:id", use: act)
    }

    static func filter(_ query: Parameters) throws -> Complaints.Filter {
        var filter = Complaints.Filter()
        filter.status = String((query["status"] ?? "").prefix(16))
        filter.source = String((query["source"] ?? "").prefix(16))
        filter.category = String((query["category"] ?? "").prefix(40))
        filter.regionCode = String((query["region"] ?? "").prefix(20))
        filter.estateId = try RegistryAPI.positive(query["estate"], field: "estate").map(Int64.init)
        filter.overdue = query["overdue"] == "1"
        filter.from = try LedgerQuery.day(query["from"], field: "from")
        filter.until = try LedgerQuery.day(query["until"], field: "until")
        filter.search = String((query["q"] ?? "").prefix(50))
        filter.page = try RegistryAPI.positive(query["page"], field: "page") ?? 1
        return filter
    }

    @Sendable func list(_ request: Request, context: AppRequestContext) async throws -> Response {
        let scope = try context.scope()
        let filter = try Self.filter(request.uri.queryParameters)
        let page = try await complaints.list(scope: scope, filter: filter)
        let today = Day(Timestamp.shanghaiDay(clock.now()))!
        let subRegions = try await regions.subRegions(scope: scope)
        let query: [(String, String)] = [("status", filter.status), ("source", filter.source), ("category", filter.category),
                                         ("region", filter.regionCode), ("overdue", filter.overdue ? "1" : ""), ("from", filter.from?.description ?? ""),
                                         ("until", filter.until?.description ?? ""), ("q", filter.search)]
        let model = ComplaintListPage(
            layout: Layout(title: "投诉举报", context: context, section: "/complaints"),
            statuses: [Option(value: "", label: "全部状态", selected: filter.status.isEmpty)]
                + Complaints.Status.allCases.map { Option(value: $0.rawValue, label: $0.title, selected: $0.rawValue == filter.status) },
            sources: [Option(value: "", label: "全部来源", selected: filter.source.isEmpty)]
                + ComplaintSource.allCases.map { Option(value: $0.rawValue, label: $0.title, selected: $0.rawValue == filter.source) },
            categories: CategoryGroup.all(selected: filter.category),
            regions: Option.regions(subRegions, selected: filter.regionCode),
            showRegions: !subRegions.isEmpty, overdue: filter.overdue, from: filter.from?.description ?? "", until: filter.until?.description ?? "",
            search: filter.search, canIntake: scope.can(.intakeComplaint),
            exportQuery: query.filter { !$0.1.isEmpty }.map { "\($0.0)=\($0.1.urlQueryEncoded)" }.joined(separator: "&"),
            rows: page.items.map { ComplaintRow($0, today: today) }, pager: Pager(page, base: "/complaints", query: query), empty: page.items.isEmpty)
        return renderer.render(.complaints, model)
    }

    @Sendable func intakeForm(_ request: Request, context: AppRequestContext) async throws -> Response {
        try context.scope().require(.intakeComplaint)
        return intakePage(context, errors: FieldErrors())
    }

    private func intakePage(_ context: AppRequestContext, errors: FieldErrors, status: HTTPResponse.Status = .ok) -> Response {
        let values = context.form.fields
        let model = ComplaintIntakePage(
            layout: Layout(title: "登记投诉线索", context: context, section: "/complaints"),
            sources: ComplaintSource.allCases.filter { $0 != .online }.map { Option(value: $0.rawValue, label: $0.title, selected: $0.rawValue == values["source"]) },
            categories: CategoryGroup.all(selected: values["category"] ?? ""), estate: Field("estate", values, errors),
            sourceRef: Field("sourceRef", values, errors), content: Field("content", values, errors), name: Field("name", values, errors),
            phone: Field("phone", values, errors), sourceError: errors.message(for: "source"), categoryError: errors.message(for: "category"))
        return renderer.render(.complaintIntake, model, status: status)
    }

    @Sendable func intake(_ request: Request, context: AppRequestContext) async throws -> Response {
        let scope = try context.scope()
        return try await submitting {
            let id = try await complaints.intake(fields: context.form.fields, scope: scope)
            return .redirect(to: "/complaints/\(id)", type: .normal)
        } reshow: { errors in
            intakePage(context, errors: errors, status: .badRequest)
        }
    }

    @Sendable func show(_ request: Request, context: AppRequestContext) async throws -> Response {
        try await detail(context, errors: FieldErrors(), unmasked: nil)
    }

    @Sendable func act(_ request: Request, context: AppRequestContext) async throws -> Response {
        let scope = try context.scope()
        let id = try RegistryAPI.id(context)
        let name = context.form["action"] ?? ""
        if name == "unmask" {
            return try await detail(context, errors: FieldErrors(), unmasked: try await complaints.unmask(id, scope: scope))
        }
        guard let action = Complaints.Action(rawValue: name) else {
            _ = try await complaints.complaint(id, scope: scope)
            throw LedgerError.invalid("action", code: "unknown_action", "请选择办理动作")
        }
        let uploads = context.form.files.filter { $0.field == "files" && !$0.filename.isEmpty }
        return try await submitting {
            guard uploads.count <= 3 else { throw LedgerError.invalid("files", code: "too_many_files", "最多上传3份证据材料") }
            try await complaints.act(action, on: id, fields: context.form.fields,
                                     uploads: uploads.map { Complaints.Upload(filename: $0.filename, bytes: $0.data) }, scope: scope)
            return .redirect(to: "/complaints/\(id)", type: .normal)
        } reshow: { errors in
            try await detail(context, errors: errors, unmasked: nil, status: .badRequest)
        }
    }

    private func detail(_ context: AppRequestContext, errors: FieldErrors, unmasked: (name: String?, phone: String?)?,
                        status: HTTPResponse.Status = .ok) async throws -> Response {
        let scope = try context.scope()
        let (complaint, events) = try await complaints.complaint(try RegistryAPI.id(context), scope: scope)
        let today = Day(Timestamp.shanghaiDay(clock.now()))!
        let submitted = context.form["action"]
        let actions = Complaints.Action.allCases.filter { $0.permitted(for: scope.role) && $0.allowed(from: complaint.status) }.map { action in
            let mine = submitted == action.rawValue
            return ComplaintDetailPage.ActionForm(
                action: action.rawValue, title: action.title, isAssign: action == .assign, isClose: action == .close, isTransfer: action == .transfer,
                isProblem: action == .problem,
                noteLabel: action == .reply ? "答复内容（投诉人可在查询页看到）" : action == .close ? "办理结果及证据说明" : action == .decide ? "处理意见" : "说明",
                noteRequired: action != .assign && action != .problem, note: mine ? context.form["note"] ?? "" : "",
                error: mine ? errors.items.first?.message : nil)
        }
        var units: [Region] = []
        if actions.contains(where: { $0.isAssign }) {
            units = (try await regions.names(onPath: complaint.regionPath)).filter { $0.level == .street || $0.level == .county }
                .filter { scope.covers(regionPath: $0.path) }
        }
        let model = ComplaintDetailPage(
            layout: Layout(title: "投诉 \(complaint.trackingCode)", context: context, section: "/complaints"),
            row: ComplaintRow(complaint, today: today), sourceRef: complaint.sourceRef ?? "—", content: complaint.content,
            name: unmasked.map { $0.name ?? "匿名" } ?? complaint.maskedName, phone: unmasked.map { $0.phone ?? "—" } ?? complaint.maskedPhone,
            unmasked: unmasked != nil, canUnmask: unmasked == nil && complaint.handler == scope.username && (complaint.complainantName != nil || complaint.complainantPhone != nil),
            reply: complaint.reply, transferDecision: complaint.transferDecision, closureNote: complaint.closureNote, problemId: complaint.problemId,
            events: events.map {
                .init(at: Timestamp.display(stored: $0.at), username: $0.username, role: Role(rawValue: $0.role)?.title ?? ($0.role == "anonymous" ? "投诉人" : "工作人员"),
                      action: Complaints.Action(rawValue: $0.action)?.title ?? ["receive": "受理", "reopen": "投诉人申请重办"][$0.action] ?? $0.action,
                      note: $0.note, isPublic: $0.isPublic)
            },
            actions: actions, hasActions: !actions.isEmpty,
            units: units.map { Option(value: $0.code, label: $0.name, selected: $0.code == complaint.handlingRegion) },
            outcomes: ComplaintOutcome.allCases.map { Option(value: $0.rawValue, label: $0.title, selected: $0.rawValue == context.form["outcome"]) },
            categories: CategoryGroup.all(selected: complaint.category),
            formError: actions.contains { $0.error != nil } ? nil : errors.items.first?.message)
        return renderer.render(.complaint, model, status: status)
    }

    @Sendable func ledgerCSV(_ request: Request, context: AppRequestContext) async throws -> Response {
        let rows = try await ledgerRows(request, context)
        return LedgerQuery.csv(ComplaintLedger.csv(rows), filename: "complaint-ledger.csv")
    }

    @Sendable func ledgerXLSX(_ request: Request, context: AppRequestContext) async throws -> Response {
        let rows = try await ledgerRows(request, context)
        let scope = try context.scope()
        let unit = try await regions.names(onPath: scope.regionPath ?? "").last?.name ?? "全平台"
        return LedgerQuery.xlsx(try ComplaintLedger.xlsx(rows, unit: unit, filledOn: Day(Timestamp.shanghaiDay(clock.now()))!),
                                filename: "complaint-ledger.xlsx")
    }

    private func ledgerRows(_ request: Request, _ context: AppRequestContext) async throws -> [Complaints.Complaint] {
        var filter = try Self.filter(request.uri.queryParameters)
        filter.pageSize = 500
        let scope = try context.scope()
        return try await LedgerQuery.all { page in
            filter.page = page
            return try await complaints.list(scope: scope, filter: filter)
        }.reversed()
    }
}
