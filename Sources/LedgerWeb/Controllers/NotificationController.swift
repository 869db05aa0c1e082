import Foundation
import Hummingbird
import LedgerCore

/// 消息: the signed-in user's own inbox (docs/design.md §29) — unread first, one read at a time or all at once.
struct NotificationController {
    let notifications: Notifications
    let renderer: Renderer

    func addRoutes(to router: some RouterMethods<AppRequestContext>) {
        router.get("/notifications", use: inbox)
        router.post("/notifications/read-all", use: readAll)
        router.post("/notifications/:id/read", use: read)
    }

    /// `GET /notifications?page=`: the inbox, twenty to a page.
    @Sendable func inbox(_ request: Request, context: AppRequestContext) async throws -> Response {
        try await page(context, number: Int(request.formQuery("page", max: 6)) ?? 1, error: nil)
    }

    private func page(_ context: AppRequestContext, number: Int, error: String?, notice: String? = nil) async throws -> Response {
        let scope = try context.scope()
        let inbox = try await notifications.inbox(scope: scope, page: number)
        let model = NotificationPage(layout: Layout(title: "消息", context: context, notice: notice), inbox: inbox, unread: context.unreadNotifications,
                                     error: error)
        return renderer.render(.notifications, model, status: error == nil ? .ok : .badRequest)
    }

    /// `POST /notifications/:id/read`: marks one read; `open=1` goes on to the page it points to, otherwise back to the inbox.
    @Sendable func read(_ request: Request, context: AppRequestContext) async throws -> Response {
        let scope = try context.scope()
        guard let id = context.parameters.get("id").flatMap(Int64.init) else { throw LedgerError.notFound("消息") }
        let notification = try await notifications.markRead(id, scope: scope)
        let target = context.form.value("open") == "1" && notification.link.hasPrefix("/") && !notification.link.hasPrefix("//")
            ? notification.link : "/notifications"
        return .redirect(to: target, type: .normal)
    }

    /// `POST /notifications/read-all`: marks every unread one read, once the user has ticked the confirmation.
    @Sendable func readAll(_ request: Request, context: AppRequestContext) async throws -> Response {
        let scope = try context.scope()
        guard context.form.value("confirm") == "1" else {
            return try await page(context, number: 1, error: "请勾选“确认将全部消息标为已读”后再提交")
        }
        try await notifications.markAllRead(scope: scope)
        return .redirect(to: "/notifications", type: .normal)
    }
}
