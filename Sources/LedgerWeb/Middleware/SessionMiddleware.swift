import Foundation
import Hummingbird
import LedgerCore

/// Finds the signed-in user: the `ledger_session` cookie for pages, a bearer token for the API.
struct SessionMiddleware: RouterMiddleware {
    typealias Context = AppRequestContext
    static let cookieName = "ledger_session"

    let authenticator: Authenticator
    let notifications: Notifications

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        var context = context
        let isAPI = request.uri.path.hasPrefix("/api/")
        let token: String? = if isAPI {
            request.headers[.authorization].flatMap { $0.hasPrefix("Bearer ") ? String($0.dropFirst(7)) : nil }
        } else {
            request.cookies[Self.cookieName]?.value
        }
        if let token, token.count == 64, token.allSatisfy(\.isHexDigit) {
            context.user = try await authenticator.user(forToken: token)
            if let user = context.user {
                context.sessionToken = token
                if !isAPI { context.unreadNotifications = try await notifications.unreadCount(userId: user.id) }
            }
        }
        return try await next(request, context)
    }
}

/// Refuses requests without a signed-in user: pages redirect to the login page, the API answers 401.
///
/// A user who must first choose a new password (after a reset) or enrol in two-factor sign-in (the role requires it)
/// reaches only the own-account page until that is done; the API answers 403 meanwhile.
struct RequireLogin: RouterMiddleware {
    typealias Context = AppRequestContext

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        let path = request.uri.path
        guard let user = context.user else {
            if path.hasPrefix("/api/") {
                throw LedgerError(.unauthorized, code: "login_required", message: "请先登录（缺少或无效的访问令牌）")
            }
            return .redirect(to: "/login", type: .normal)
        }
        if user.mustChangePassword == 1 || user.mustEnrolTOTP, path != "/account", !path.hasPrefix("/account/") {
            if path.hasPrefix("/api/") {
                throw user.mustChangePassword == 1
                    ? LedgerError(.forbidden, code: "password_change_required", message: "管理员已重置您的密码，请先登录网页设置新密码")
                    : LedgerError(.forbidden, code: "totp_enrolment_required", message: "您的角色须启用两步验证，请先登录网页绑定手机验证器")
            }
            return .redirect(to: "/account", type: .normal)
        }
        return try await next(request, context)
    }
}
