import Foundation
import Hummingbird
import HummingbirdCore
import LedgerCore

/// The warning inbox (预警处置): the list per jurisdiction, one warning with its history and the lifecycle forms,
/// and the page where a regulator sets the rules' parameters for its region.
struct WarningController {
    let inbox: WarningInbox
    let parameters: WarningParameters
    let regions: RegionDirectory
    let renderer: Renderer
    let pages: SharedPages
    let clock: any LedgerClock

    func addRoutes(to router: some RouterMethods<AppRequestContext>) {
        router.get("/warnings", use: list)
        router.get("/warnings/export", use: export)
        router.post("/warnings/acknowledge", use: acknowledgeBatch)
        router.get("/warnings/parameters", use: parameterPage)
        router.post("/warnings/parameters", use: setParameter)
        router.get("/warnings/:id", use: show)
        router.post("/warnings/:id", use: act)
    }

    @Sendable func list(_ request: Request, context: AppRequestContext) async throws -> Response {
        let query = request.uri.queryParameters
        var done: String?
        if let n = query["acknowledged"].flatMap({ Int(String($0)) }) {
            let skipped = query["skipped"].flatMap { Int(String($0)) } ?? 0
            done = "已签收 \(n) 条预警" + (skipped > 0 ? "；\(skipped) 条已不是“待处理”状态，未重复签收" : "") + "。"
        }
        return try await listPage(query, context: context, notice: done)
    }

    private func listPage(_ query: Parameters, context: AppRequestContext, notice: String?, status: HTTPResponse.Status = .ok) async throws -> Response {
        let scope = try context.scope()
        let filter = try Self.filter(query)
        let today = Day(Timestamp.shanghaiDay(clock.now()))!
        let model = { @Sendable [inbox, regions] (viewer: Layout.Viewer) async throws -> WarningListPage in
            WarningListPage(layout: Layout(title: "预警处置", viewer: viewer, section: "/warnings"), filter: filter,
                            page: try await inbox.list(scope: scope, filter: filter), subRegions: try await regions.subRegions(scope: scope),
                            recentQuarters: Self.recentQuarters(today), canConfigure: scope.can(.setWarningParameters),
                            canAcknowledge: WarningInbox.Action.acknowledge.permitted(for: scope.role), acknowledged: notice)
        }
        // The plain list is the same for everyone of the scope; a list with a notice of its own is drawn for this request.
        guard notice == nil, status == .ok else { return renderer.render(.warnings, try await model(Layout.Viewer(context)), status: status) }
        return try await pages.render(.warnings, "warnings", key: "\(filter)", scope: scope, today: today, context: context, model)
    }

    /// The most rows one export writes; the file's last line says so when the filter selects more.
    static let exportLimit = 20_000

    /// The filtered inbox as CSV in the list's order, named with the region and the day.
    @Sendable func export(_ request: Request, context: AppRequestContext) async throws -> Response {
        let scope = try context.scope()
        let filter = try Self.filter(request.uri.queryParameters)
        let (items, total) = try await inbox.export(scope: scope, filter: filter, limit: Self.exportLimit)
        var lines = [["编号", "规则", "规则名称", "等级", "小区", "物业企业", "季度", "原因", "状态", "生成时间"]]
        for w in items {
            lines.append(["\(w.id)", w.rule, WarningRules.rule(w.rule)?.name ?? "", SeverityText.title(w.severity), w.estateName, w.companyName ?? "",
                          w.quarter.title, w.detail, w.status.title, Timestamp.display(stored: w.openedAt)].map(CSV.safeCell))
        }
        if total > items.count {
            lines.append(["（共 \(total) 条，仅导出前 \(items.count) 条；请按辖区或季度筛选后分次导出）"])
        }
        let unit = try await regions.unitName(regionCode: filter.regionCode, scope: scope)
        return LedgerQuery.csv(CSV.format(lines), filename: "\(unit)-预警清单-\(Timestamp.shanghaiDay(clock.now())).csv")
    }

    /// 批量签收 from the list's tick boxes; back to the same list (filter, order, page) with how many were signed for.
    @Sendable func acknowledgeBatch(_ request: Request, context: AppRequestContext) async throws -> Response {
        let scope = try context.scope()
        let ids = try (context.form.lists["id"] ?? []).map { text -> Int64 in
            guard let id = Int64(text.trimmingCharacters(in: .whitespaces)), id > 0 else {
                throw LedgerError.invalid("id", code: "bad_id", "预警编号应为正整数")
            }
            return id
        }
        var back = context.form["back"] ?? ""
        if !(back == "/warnings" || back.hasPrefix("/warnings?")) || back.contains("//") || back.contains("\\") { back = "/warnings" }
        let separator = back.contains("?") ? "&" : "?"
        guard !ids.isEmpty else {
            // Nothing ticked: the same list again (400) with the reason above it.
            let query = URI(back).queryParameters
            return try await listPage(query, context: context, notice: "没有勾选任何预警，未签收。请先勾选要签收的预警，再点“批量签收”。", status: .badRequest)
        }
        let (done, skipped) = try await inbox.acknowledge(ids, scope: scope)
        return .redirect(to: back + separator + "acknowledged=\(done)&skipped=\(skipped)", type: .normal)
    }

    @Sendable func show(_ request: Request, context: AppRequestContext) async throws -> Response {
        try await detail(context, errors: FieldErrors())
    }

    /// One lifecycle step from the form (`action` and `note`); a refused step shows its message on the page.
    @Sendable func act(_ request: Request, context: AppRequestContext) async throws -> Response {
        let scope = try context.scope()
        let id = try RegistryAPI.id(context)
        guard let action = WarningInbox.Action(rawValue: context.form["action"] ?? "") else {
            _ = try await inbox.warning(id, scope: scope)
            throw LedgerError.invalid("action", code: "unknown_action", "请选择处置动作")
        }
        return try await submitting {
            try await inbox.act(action, on: id, note: context.form["note"] ?? "", scope: scope)
            return .redirect(to: "/warnings/\(id)?done=\(action.rawValue)", type: .normal)
        } reshow: { errors in
            try await detail(context, errors: errors, status: .badRequest)
        }
    }

    private func detail(_ context: AppRequestContext, errors: FieldErrors, status: HTTPResponse.Status = .ok) async throws -> Response {
        let scope = try context.scope()
        let (warning, events) = try await inbox.warning(try RegistryAPI.id(context), scope: scope)
        let names = try await regions.names(onPath: warning.regionPath).map(\.name).joined(separator: " / ")
        let plan = try await regions.policyPlan(onPath: warning.regionPath)
        let title = WarningRules.rule(warning.rule)?.label ?? warning.rule
        let model = WarningDetailPage(layout: Layout(title: "预警：\(title)", context: context, section: "/warnings"), warning: warning,
                                      events: events, regionNames: names, plan: plan, role: scope.role, errors: errors, values: context.form.fields)
        return renderer.render(.warning, model, status: status)
    }

    @Sendable func parameterPage(_ request: Request, context: AppRequestContext) async throws -> Response {
        try await parameters(context, regionCode: request.uri.queryParameters["region"].map(String.init), errors: FieldErrors(), notice: nil)
    }

    @Sendable func setParameter(_ request: Request, context: AppRequestContext) async throws -> Response {
        let scope = try context.scope()
        let region = context.form["region"] ?? ""
        return try await submitting {
            try await parameters.set(regionCode: region, rule: context.form["rule"] ?? "", name: context.form["name"] ?? "",
                                     value: context.form["value"] ?? "", scope: scope)
            return .redirect(to: "/warnings/parameters?region=\(region.urlQueryEncoded)&saved=1", type: .normal)
        } reshow: { errors in
            try await parameters(context, regionCode: region, errors: errors, notice: nil, status: .badRequest)
        }
    }

    private func parameters(_ context: AppRequestContext, regionCode: String?, errors: FieldErrors, notice: String?,
                            status: HTTPResponse.Status = .ok) async throws -> Response {
        let scope = try context.scope()
        try scope.require(.setWarningParameters)
        var code = regionCode ?? ""
        if code.isEmpty { code = try await regions.home(scope: scope) }
        let (region, effective) = try await parameters.effective(regionCode: code, scope: scope)
        let names = Dictionary(try await regions.names(onPath: region.path).map { ($0.code, $0.name) }) { a, _ in a }
        let choices = [region] + (try await regions.children(of: region.code, scope: scope)).filter { $0.level != .community }
        var above: [Region] = []
        if let ownPath = scope.regionPath {
            above = try await regions.names(onPath: region.path).filter { $0.path.hasPrefix(ownPath) && $0.code != region.code }
        }
        let model = WarningParameterPage(layout: Layout(title: "预警规则参数", context: context, section: "/warnings"), region: region,
                                         plan: try await regions.policyPlan(onPath: region.path), effective: effective, regionNames: names, choices: above + choices, errors: errors,
                                         submitted: context.form.fields)
        return renderer.render(.warningParameters, model, status: status)
    }

    static func filter(_ query: Parameters) throws -> WarningInbox.Filter {
        var filter = WarningInbox.Filter()
        filter.rule = String((query["rule"] ?? "").prefix(8))
        filter.severity = String((query["severity"] ?? "").prefix(8))
        filter.status = query["status"].map { String($0.prefix(16)) } ?? "active"
        filter.regionCode = String((query["region"] ?? "").prefix(20))
        filter.companyId = try RegistryAPI.positive(query["company"], field: "company").map(Int64.init)
        filter.estateId = try RegistryAPI.positive(query["estate"], field: "estate").map(Int64.init)
        filter.page = try RegistryAPI.page(query)
        if let text = query["sort"], !text.isEmpty {
            guard let sort = WarningInbox.Sort(rawValue: String(text)) else {
                throw LedgerError.invalid("sort", code: "unknown_sort", "排序字段须为 severity、rule、estate、company、quarter 或 opened")
            }
            filter.sort = sort
        }
        filter.descending = query["desc"] == "1"
        if let text = query["quarter"], !text.isEmpty {
            guard let quarter = Quarter(text: String(text)) else {
                throw LedgerError.invalid("quarter", code: "bad_quarter", "季度格式应为 2024Q3")
            }
            filter.quarter = quarter
        }
        return filter
    }

    static func recentQuarters(_ today: Day) -> [Quarter] {
        var quarters = [Quarter(containing: today).previous]
        while quarters.count < 8 { quarters.append(quarters.last!.previous) }
        return quarters
    }
}
