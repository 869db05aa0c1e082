import Foundation
import Hummingbird
import LedgerCore

/// Browsing the audit log (admin and the discipline commission); there is no route that edits or deletes it.
struct AuditController {
    let database: Database
    let renderer: Renderer

    struct AuditPage: Sendable {
        struct Row: Sendable {
            let at: String; let username: String; let role: String; let action: String
            let entity: String; let entityId: String; let before: String; let after: String
        }
        let layout: Layout
        let username: String, entity: String, action: String, from: String, until: String
        let rows: [Row]
        let pager: Pager
        let empty: Bool
    }

    func addRoutes(to router: some RouterMethods<AppRequestContext>) {
        router.get("/audit", use: list)
    }

    @Sendable func list(_ request: Request, context: AppRequestContext) async throws -> Response {
        let scope = try context.scope()
        let query = request.uri.queryParameters
        var filter = AuditFilter()
        filter.username = String((query["user"].map(String.init) ?? "").prefix(64))
        filter.entity = String((query["entity"].map(String.init) ?? "").prefix(40))
        filter.action = String((query["action"].map(String.init) ?? "").prefix(40))
        filter.from = query["from"].flatMap { Day(String($0)) }
        filter.until = query["until"].flatMap { Day(String($0)) }
        filter.page = query["page"].flatMap { Int(String($0)) } ?? 1
        let page = try await AuditLog.entries(in: database, scope: scope, filter: filter)
        let rows = page.items.map {
            AuditPage.Row(at: Timestamp.display(stored: $0.at), username: $0.username, role: Role(rawValue: $0.role)?.title ?? $0.role,
                          action: $0.action, entity: $0.entity, entityId: $0.entityId,
                          before: String(($0.beforeJson ?? "").prefix(300)), after: String(($0.afterJson ?? "").prefix(300)))
        }
        let model = AuditPage(
            layout: Layout(title: "审计日志", context: context, section: "/audit"),
            username: filter.username, entity: filter.entity, action: filter.action,
            from: filter.from?.description ?? "", until: filter.until?.description ?? "", rows: rows,
            pager: Pager(page, base: "/audit", query: [("user", filter.username), ("entity", filter.entity), ("action", filter.action),
                                                       ("from", filter.from?.description ?? ""), ("until", filter.until?.description ?? "")]),
            empty: rows.isEmpty)
        return renderer.render(.audit, model)
    }
}
