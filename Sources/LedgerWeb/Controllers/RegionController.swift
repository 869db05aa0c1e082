import Foundation
import Hummingbird
import LedgerCore

/// Browsing the region tree inside the user's jurisdiction.
struct RegionController {
    let regions: RegionDirectory
    let estates: EstateRepository
    let renderer: Renderer

    struct RegionPage: Sendable {
        struct Child: Sendable { let code: String; let name: String; let level: String; let href: String }
        let layout: Layout
        let current: Region?
        let breadcrumb: [Child]
        let children: [Child]
        let estateCount: Int
        let estatesHref: String?
        let empty: Bool
    }

    func addRoutes(to router: some RouterMethods<AppRequestContext>) {
        router.get("/regions", use: browse)
    }

    /// A region's children, with the number of estates in scope beneath it.
    @Sendable func browse(_ request: Request, context: AppRequestContext) async throws -> Response {
        let scope = try context.scope()
        let code = request.uri.queryParameters["code"].map(String.init) ?? context.user?.regionCode
        let current = try await code.asyncMap { try await regions.region($0, scope: scope) }
        let children = try await regions.children(of: current?.code, scope: scope)
        let trail = try await current.asyncMap { try await regions.names(onPath: $0.path) } ?? []
        let count = try await estates.estates(scope: scope, under: current?.path, request: ListRequest(sort: .name, pageSize: 1)).total
        func child(_ r: Region) -> RegionPage.Child {
            .init(code: r.code, name: r.name, level: r.level.title, href: "/regions?code=\(r.code)")
        }
        let model = RegionPage(
            layout: Layout(title: current?.name ?? "行政区划", context: context, section: "/regions"),
            current: current, breadcrumb: trail.map(child), children: children.map(child), estateCount: count,
            estatesHref: current?.level == .community ? "/estates?q=" : nil, empty: children.isEmpty)
        return renderer.render(.regions, model)
    }
}
