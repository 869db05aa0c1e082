import Foundation
import Hummingbird
import LedgerCore

/// The problem ledger: list, manual entry, one problem with its rectification steps, the escalation letters as
/// printable pages, evidence files, the 整治到位率 page and the ledger as CSV and XLSX.
struct ProblemController {
    let problems: Problems
    let escalation: Escalation
    let regions: RegionDirectory
    let renderer: Renderer
    let pages: SharedPages
    let clock: any LedgerClock

    func addRoutes(to router: some RouterMethods<AppRequestContext>) {
        router.get("/problems", use: list)
        router.get("/problems/new", use: newForm)
        router.post("/problems/new", use: create)
        router.get("/problems/ledger.csv", use: ledgerCSV)
        router.get("/problems/ledger.xlsx", use: ledgerXLSX)
        router.get("/problems/put-right", use: putRight)
        router.get("/problems/:id", use: show)
        router.post("/problems/:id", use: act)
        router.get("/problems/:id/letters/:kind", use: letter)
        router.get("/problems/:id/files/:file", use: file)
    }

    @Sendable func list(_ request: Request, context: AppRequestContext) async throws -> Response {
        let scope = try context.scope()
        let filter = try LedgerQuery.caseFilter(request.uri.queryParameters)
        let buttons = (scope.can(.createProblem) ? [CaseButton(href: "/problems/new", label: "录入问题", secondary: false)] : [])
            + [CaseButton(href: "/problems/put-right", label: "整治到位率", secondary: true)]
        let today = Day(Timestamp.shanghaiDay(clock.now()))!
        return try await pages.render(.cases, "problems", key: "\(filter)", kept: filter.search.isEmpty, scope: scope, today: today, context: context) { [problems, regions] viewer in
            CaseListPage(.problems, page: try await problems.list(scope: scope, filter: filter), filter: filter, buttons: buttons,
                         subRegions: try await regions.subRegions(scope: scope), viewer: viewer, today: today)
        }
    }

    @Sendable func newForm(_ request: Request, context: AppRequestContext) async throws -> Response {
        try context.scope().require(.createProblem)
        var values = context.form.fields
        if let estate = request.uri.queryParameters["estate"] { values["estate"] = String(estate.prefix(12)) }
        return formPage(context, values: values, errors: FieldErrors())
    }

    private func formPage(_ context: AppRequestContext, values: [String: String], errors: FieldErrors, status: HTTPResponse.Status = .ok) -> Response {
        let model = ProblemFormPage(
            layout: Layout(title: "录入问题", context: context, section: "/problems"), estate: Field("estate", values, errors),
            description: Field("description", values, errors), deadline: Field("deadline", values, errors),
            responsible: Field("responsible", values, errors), categories: CategoryGroup.all(selected: values["category"] ?? ""),
            severities: ProblemSeverity.allCases.map { Option(value: $0.rawValue, label: $0.title, selected: $0.rawValue == (values["severity"] ?? "medium")) },
            sources: ProblemSource.enteredByHand.map { Option(value: $0.rawValue, label: $0.title, selected: $0.rawValue == values["source"]) },
            categoryError: errors.message(for: "category"))
        return renderer.render(.problemForm, model, status: status)
    }

    @Sendable func create(_ request: Request, context: AppRequestContext) async throws -> Response {
        let scope = try context.scope()
        return try await submitting {
            let id = try await problems.create(ProblemInput(form: context.form.fields), scope: scope)
            return .redirect(to: "/problems/\(id)", type: .normal)
        } reshow: { errors in
            formPage(context, values: context.form.fields, errors: errors, status: .badRequest)
        }
    }

    @Sendable func show(_ request: Request, context: AppRequestContext) async throws -> Response {
        try await detail(context, errors: FieldErrors())
    }

    @Sendable func act(_ request: Request, context: AppRequestContext) async throws -> Response {
        let scope = try context.scope()
        let id = try RegistryAPI.id(context)
        guard let action = Problems.Action(rawValue: context.form["action"] ?? "") else {
            _ = try await problems.problem(id, scope: scope)
            throw LedgerError.invalid("action", code: "unknown_action", "请选择办理动作")
        }
        let uploads = context.form.files.filter { $0.field == "files" && !$0.filename.isEmpty }
        return try await submitting {
            guard uploads.count <= 3 else { throw LedgerError.invalid("files", code: "too_many_files", "最多上传3份证据材料") }
            try await problems.act(action, on: id, note: context.form["note"] ?? "",
                                   uploads: uploads.map { Complaints.Upload(filename: $0.filename, bytes: $0.data) }, scope: scope)
            return .redirect(to: "/problems/\(id)", type: .normal)
        } reshow: { errors in
            try await detail(context, errors: errors, status: .badRequest)
        }
    }

    private func detail(_ context: AppRequestContext, errors: FieldErrors, status: HTTPResponse.Status = .ok) async throws -> Response {
        let scope = try context.scope()
        let detail = try await problems.problem(try RegistryAPI.id(context), scope: scope)
        let p = detail.problem
        let today = Day(Timestamp.shanghaiDay(clock.now()))!
        let submitted = context.form["action"]
        let actions = Problems.Action.allCases.filter { $0.permitted(for: scope.role) && $0.allowed(from: p.status) }
            .filter { $0 != .refer || ProblemCategory.referable[p.category] != nil && p.referredTo == nil }
            .filter { $0 != .decide || p.referredTo != nil }
            .map { action in
                ProblemDetailPage.ActionForm(action: action.rawValue, title: action.title, withFiles: action == .rectify,
                                             note: submitted == action.rawValue ? context.form["note"] ?? "" : "",
                                             error: submitted == action.rawValue ? errors.items.first?.message : nil)
            }
        let sourceHref: String? = switch p.source {
        case .complaint: p.sourceId.map { "/complaints/\($0)" }
        case .warning: p.sourceId.map { "/warnings/\($0)" }
        default: nil
        }
        let model = ProblemDetailPage(
            layout: Layout(title: "问题 #\(p.id)", context: context, section: "/problems"), row: ProblemRow(p, today: today),
            description: p.description, responsible: p.responsible, createdAt: Timestamp.display(stored: p.createdAt), createdBy: p.createdBy,
            referredTo: p.referredTo, referralDecision: p.referralDecision, sourceHref: sourceHref,
            events: detail.events.map { .init(at: Timestamp.display(stored: $0.at), username: $0.username, role: Role(rawValue: $0.role)?.title ?? "系统",
                                              action: Problems.Action(rawValue: $0.action)?.title
                                                ?? ["create": "立案", "escalate": "逾期督办", "enforce": "执法措施"][$0.action] ?? $0.action, note: $0.note) },
            letters: detail.letters.map { .init(kind: $0.kind, title: $0.title, number: $0.number, issuedOn: $0.issuedOn) },
            hasLetters: !detail.letters.isEmpty,
            files: detail.attachments.map { .init(id: $0.id, filename: $0.filename, size: "\(max(1, $0.size / 1024)) KB",
                                                  uploadedAt: Timestamp.display(stored: $0.uploadedAt)) },
            hasFiles: !detail.attachments.isEmpty,
            enforcement: detail.enforcement.map { .init(kind: $0.kindTitle, decidedOn: $0.decidedOn, basis: $0.basis, number: $0.documentNumber) },
            hasEnforcement: !detail.enforcement.isEmpty, actions: actions, hasActions: !actions.isEmpty,
            canEnforce: scope.can(.recordEnforcement) && p.companyId != nil, companyId: p.companyId,
            formError: actions.contains { $0.error != nil } ? nil : errors.items.first?.message)
        return renderer.render(.problem, model, status: status)
    }

    /// A letter of the ladder as a printable A4 page.
    @Sendable func letter(_ request: Request, context: AppRequestContext) async throws -> Response {
        let (problem, letter) = try await escalation.letter(problemId: try RegistryAPI.id(context), kind: context.parameters.get("kind") ?? "",
                                                            scope: try context.scope())
        let model = LetterPage(problem: problem, letter: letter)
        return renderer.render(.letter, model)
    }

    @Sendable func file(_ request: Request, context: AppRequestContext) async throws -> Response {
        guard let fileId = context.parameters.get("file").flatMap(Int64.init) else { throw LedgerError.notFound("证据材料") }
        let (attachment, data) = try await problems.attachment(fileId, problemId: try RegistryAPI.id(context), scope: try context.scope())
        return Response(status: .ok, headers: [.contentType: attachment.contentType, .contentSecurityPolicy: "sandbox; default-src 'none'",
                                               .contentDisposition: "inline; filename=\"evidence-\(attachment.id)\""],
                        body: .init(byteBuffer: ByteBuffer(bytes: data)))
    }

    @Sendable func putRight(_ request: Request, context: AppRequestContext) async throws -> Response {
        let scope = try context.scope()
        var code = String((request.uri.queryParameters["region"] ?? "").prefix(20))
        if code.isEmpty { code = try await regions.home(scope: scope) }
        let (total, rows) = try await problems.putRightRates(regionCode: code, scope: scope)
        func row(_ r: Problems.PutRight) -> PutRightPage.Row {
            .init(code: r.region.code, name: r.region.name, found: r.found, putRight: r.putRight,
                  rate: r.rate.map { String(format: "%.1f%%", $0 * 100) } ?? "—（无问题）", drill: r.region.level != .community)
        }
        return renderer.render(.putRight, PutRightPage(layout: Layout(title: "整治到位率", context: context, section: "/problems"),
                                                          total: row(total), rows: rows.map(row)))
    }

    @Sendable func ledgerCSV(_ request: Request, context: AppRequestContext) async throws -> Response {
        let (scope, filter, name, layout) = try await ledgerQuery(request, context, extension: "csv")
        return LedgerQuery.csvStream(layout, filename: name) { [problems] each in
            try await problems.forEach(scope: scope, filter: filter, each)
        }
    }

    @Sendable func ledgerXLSX(_ request: Request, context: AppRequestContext) async throws -> Response {
        let (scope, filter, name, layout) = try await ledgerQuery(request, context, extension: "xlsx")
        return try await LedgerQuery.xlsxStream(layout, filename: name) { each in
            try await problems.forEach(scope: scope, filter: filter, each)
        }
    }

    /// The export's scope, its checked filter (a wrong one is refused before the download starts) and the file's name.
    private func ledgerQuery(_ request: Request, _ context: AppRequestContext, extension ext: String) async throws
        -> (Scope, CaseFilter, String, LedgerLayout<Problems.Problem>) {
        var filter = try LedgerQuery.caseFilter(request.uri.queryParameters)
        filter.pageSize = 1
        let scope = try context.scope()
        _ = try await problems.list(scope: scope, filter: filter)
        // Named as officials file it: the region chosen (else the user's own) and the period, as the other ledgers are.
        let unit = try await regions.unitName(regionCode: filter.regionCode, scope: scope)
        let today = Day(Timestamp.shanghaiDay(clock.now()))!
        let period = try InspectionLedgers.Period.covering(from: filter.from, until: filter.until, today: today)
        return (scope, filter, "\(unit)-问题台账-\(period.fileLabel).\(ext)", ProblemLedger.layout(unit: unit, period: period.title, filledOn: today))
    }
}

struct PutRightPage: Sendable {
    struct Row: Sendable { let code: String; let name: String; let found: Int; let putRight: Int; let rate: String; let drill: Bool }
    let layout: Layout
    let total: Row
    let rows: [Row]
}
