import Foundation
import Hummingbird
import LedgerCore

/// The way in. For staff with a session: their to-do list (docs/design.md §29), what their jurisdiction holds and where to go next. For everyone else: the
/// public portal — estate search, the latest disclosures, complaint and tracking, credit and inspections, and a short
/// guide (docs/design.md §13) — so an owner who scans a notice's QR code or types the address is never sent to a login.
struct HomeController {
    let overview: RegistryOverview
    let portal: PublicPortal
    let plans: InspectionPlans
    let todo: TodoList
    let renderer: Renderer

    struct HomePage: Sendable {
        let layout: Layout
        let scopeName: String
        let figures: RegistryOverview.Figures
        let accountRate: String
        let committeeRate: String
        /// The to-do list (docs/design.md §29): the items with something to do.
        let todos: [TodoRow]
        let hasTodos: Bool
    }

    /// Registered on the public router: `/` decides by the session; the search and the disclosure list need none.
    func addRoutes(to router: some RouterMethods<AppRequestContext>) {
        router.get("/", use: home)
        router.get("/public/estates", use: search)
        router.get("/public/disclosures", use: disclosures)
    }

    @Sendable func home(_ request: Request, context: AppRequestContext) async throws -> Response {
        guard context.user != nil else { return try await portalPage(context) }
        // A signed-in user goes through the same checks as every staff page (a password to change, a second factor to
        // enrol first).
        return try await RequireLogin().handle(request, context: context) { _, context in try await staffHome(context) }
    }

    private func staffHome(_ context: AppRequestContext) async throws -> Response {
        let scope = try context.scope()
        let figures = try await overview.figures(scope: scope)
        let todos = try await todo.items(scope: scope).filter { $0.count > 0 }.map(TodoRow.init)
        func rate(_ part: Int) -> String {
            figures.estates == 0 ? "—" : percentText(basisPoints: part * 10_000 / figures.estates)
        }
        let model = HomePage(
            layout: Layout(title: "首页", context: context, section: "/"), scopeName: figures.scopeName, figures: figures,
            accountRate: rate(figures.withAccount), committeeRate: rate(figures.withCommittee), todos: todos, hasTodos: !todos.isEmpty)
        return renderer.render(.home, model)
    }

    private func portalPage(_ context: AppRequestContext) async throws -> Response {
        let latest = try await portal.latestPublished(page: 1, pageSize: 8)
        let drawn = try await plans.list(scope: .system, page: 1, pageSize: 5)
        let model = PortalPage(
            layout: Layout(title: "首页", context: context),
            search: EstateSearchForm(query: "", district: "", districts: try await portal.districts()),
            latest: latest.items.map(PublishedRow.init), hasLatest: !latest.items.isEmpty, moreLatest: latest.hasNext,
            plans: drawn.items.map { PortalPlanLink(PlanRow($0)) }, hasPlans: !drawn.items.isEmpty, guide: .standard)
        return renderer.render(.portal, model)
    }

    /// `GET /public/estates?q=&district=&page=`: estates by name or address (two characters at least), optionally in
    /// one district, a page at a time, each linking to its public page.
    @Sendable func search(_ request: Request, context: AppRequestContext) async throws -> Response {
        let query = request.formQuery("q", max: 50)
        let district = request.formQuery("district", max: 20)
        let page = Int(request.formQuery("page", max: 6)) ?? 1
        let districts = try await portal.districts()
        var results: Page<Estate>?
        var error: String?
        var status: HTTPResponse.Status = .ok
        if !query.isEmpty || !district.isEmpty {
            do {
                results = try await portal.search(query, district: district.isEmpty ? nil : district, page: page)
            } catch let failure as LedgerError where failure.kind == .invalid {
                error = failure.message
                status = .badRequest
            }
        }
        let rows = results?.items.map(EstateResultRow.init) ?? []
        let model = EstateSearchPage(
            layout: Layout(title: query.isEmpty ? "查找小区" : "查找小区：\(query)", context: context),
            search: EstateSearchForm(query: query, district: district, districts: districts), error: error,
            searched: results != nil, results: rows, hasResults: !rows.isEmpty, total: results?.total ?? 0,
            pager: results.map { Pager($0, base: "/public/estates", query: [("q", query), ("district", district)]) })
        return renderer.render(.publicEstates, model, status: status)
    }

    /// `GET /public/disclosures?page=`: every published version, newest first.
    @Sendable func disclosures(_ request: Request, context: AppRequestContext) async throws -> Response {
        let page = Int(request.formQuery("page", max: 6)) ?? 1
        let published = try await portal.latestPublished(page: page, pageSize: 20)
        let model = PublishedListPage(layout: Layout(title: "最新公示", context: context), rows: published.items.map(PublishedRow.init),
                                      hasRows: !published.items.isEmpty, pager: Pager(published, base: "/public/disclosures", query: []))
        return renderer.render(.publicDisclosures, model)
    }
}
