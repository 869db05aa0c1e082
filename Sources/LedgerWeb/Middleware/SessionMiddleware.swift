import Foundation
import Hummingbird
import LedgerCore

/// Finds the signed-in user: the `ledger_session` cookie for pages, a bearer token for the API.
struct SessionMiddleware: RouterMiddleware {
    typealias Context = AppRequestContext
    static let cookieName = "ledger_session"

    let authenticator: Authenticator

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
            if context.user != nil { context.sessionToken = token }
        }
        return try await next(request, context)
    }
}

/// Refuses requests without a signed-in user: pages redirect to the login page, the API answers 401.
struct RequireLogin: RouterMiddleware {
    typealias Context = AppRequestContext

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        guard context.user != nil else {
            if request.uri.path.hasPrefix("/api/") {
                throw LedgerError(.unauthorized, code: "login_required", message: "请先登录（缺少或无效的访问令牌）")
            }
            return .redirect(to: "/login", type: .normal)
        }
        return try await next(request, context)
    }
}
