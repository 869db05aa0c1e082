import Foundation
import Hummingbird
import LedgerCore

/// Staff pages for complaints: the inbox per jurisdiction, intake for the other sources, one complaint with its
/// handling steps, and the complaint ledger (附件5) as CSV and XLSX.
struct ComplaintController {
    let complaints: Complaints
    let regions: RegionDirectory
    let renderer: Renderer
    let pages: SharedPages
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

    @Sendable func list(_ request: Request, context: AppRequestContext) async throws -> Response {
        let scope = try context.scope()
        let filter = try LedgerQuery.caseFilter(request.uri.queryParameters)
        let buttons = scope.can(.intakeComplaint) ? [CaseButton(href: "/complaints/new", label: "登记线索", secondary: false)] : []
        let today = Day(Timestamp.shanghaiDay(clock.now()))!
        return try await pages.render(.cases, "complaints", key: "\(filter)", kept: filter.search.isEmpty, scope: scope, today: today, context: context) { [complaints, regions] viewer in
            CaseListPage(.complaints, page: try await complaints.list(scope: scope, filter: filter), filter: filter, buttons: buttons,
                         subRegions: try await regions.subRegions(scope: scope), viewer: viewer, today: today)
        }
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
            let id = try await complaints.intake(ComplaintInput(form: context.form.fields), scope: scope)
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
            try await complaints.act(action, on: id, ComplaintStep(form: context.form.fields),
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
                reply: mine ? context.form["reply"] ?? "" : "",
                // The close form shows each field's error beside it (all at once); other forms their first error.
                error: !mine ? nil : action == .close ? errors.items.first(where: { !["outcome", "reply"].contains($0.field ?? "") })?.message : errors.items.first?.message,
                outcomeError: mine && action == .close ? errors.message(for: "outcome") : nil,
                replyError: mine && action == .close ? errors.message(for: "reply") : nil)
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
                      action: Complaints.Action(rawValue: $0.action)?.title ?? ["receive": "受理", "reopen": "投诉人不满意，重新办理", "rate": "投诉人评价"][$0.action] ?? $0.action,
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
        let (scope, filter, unit) = try await ledgerQuery(request, context)
        let period = ComplaintLedger.period(from: filter.from, until: filter.until, today: today)
        return LedgerQuery.csvStream(ComplaintLedger.layout(unit: unit, filledOn: today, period: period?.title),
                                     filename: "投诉举报台账-\(unit)-\(period?.name ?? today.description).csv") { [complaints] each in
            try await complaints.forEach(scope: scope, filter: filter, each)
        }
    }

    @Sendable func ledgerXLSX(_ request: Request, context: AppRequestContext) async throws -> Response {
        let (scope, filter, unit) = try await ledgerQuery(request, context)
        let period = ComplaintLedger.period(from: filter.from, until: filter.until, today: today)
        return try await LedgerQuery.xlsxStream(ComplaintLedger.layout(unit: unit, filledOn: today, period: period?.title),
                                                filename: "投诉举报台账-\(unit)-\(period?.name ?? today.description).xlsx") { each in
            try await complaints.forEach(scope: scope, filter: filter, each)
        }
    }

    private var today: Day { Day(Timestamp.shanghaiDay(clock.now()))! }

    /// The export's scope, its checked filter (a wrong one is refused before the download starts) and the unit's name.
    private func ledgerQuery(_ request: Request, _ context: AppRequestContext) async throws -> (Scope, CaseFilter, String) {
        var filter = try LedgerQuery.caseFilter(request.uri.queryParameters)
        filter.pageSize = 1
        let scope = try context.scope()
        _ = try await complaints.list(scope: scope, filter: filter)
        return (scope, filter, try await regions.unitName(regionCode: filter.regionCode, scope: scope))
    }
}
