import Foundation
import Hummingbird
import LedgerCore

/// The home page: what the user's jurisdiction holds and where to go next.
struct HomeController {
    let overview: RegistryOverview
    let renderer: Renderer

    struct HomePage: Sendable {
        let layout: Layout
        let scopeName: String
        let figures: RegistryOverview.Figures
        let accountRate: String
        let committeeRate: String
    }

    func addRoutes(to router: some RouterMethods<AppRequestContext>) {
        router.get("/", use: home)
    }

    @Sendable func home(_ request: Request, context: AppRequestContext) async throws -> Response {
        let scope = try context.scope()
        let figures = try await overview.figures(scope: scope)
        func rate(_ part: Int) -> String {
            figures.estates == 0 ? "—" : percentText(basisPoints: part * 10_000 / figures.estates)
        }
        let model = HomePage(
            layout: Layout(title: "首页", context: context, section: "/"), scopeName: figures.scopeName, figures: figures,
            accountRate: rate(figures.withAccount), committeeRate: rate(figures.withCommittee))
        return renderer.render(.home, model)
    }
}
