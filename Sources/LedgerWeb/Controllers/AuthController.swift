import Foundation
import Hummingbird
import LedgerCore

/// Login and logout pages.
struct AuthController {
    let authenticator: Authenticator
    let renderer: Renderer
    let secureCookies: Bool

    struct LoginPage: Sendable {
        let layout: Layout
        let username: String
        let error: String?
    }

    func addRoutes(to router: some RouterMethods<AppRequestContext>) {
        router.get("/login", use: show)
        router.post("/login", use: login)
        router.post("/logout", use: logout)
    }

    /// The login form.
    @Sendable func show(_ request: Request, context: AppRequestContext) async throws -> Response {
        if context.user != nil { return .redirect(to: "/", type: .normal) }
        return renderer.render(.login, LoginPage(layout: Layout(title: "登录", context: context), username: "", error: nil))
    }

    /// Checks the password, opens a new session (a new id at every login) and goes to the home page.
    @Sendable func login(_ request: Request, context: AppRequestContext) async throws -> Response {
        let username = String((context.form["username"] ?? "").trimmingCharacters(in: .whitespaces).prefix(64))
        let password = String((context.form["password"] ?? "").prefix(200))
        let totp = String((context.form["totp"] ?? "").prefix(20))
        do {
            if let old = context.sessionToken { try await authenticator.logout(token: old) }
            let (_, token) = try await authenticator.login(username: username, password: password, totp: totp,
                                                          address: context.remoteAddress, kind: .browser)
            var response = Response.redirect(to: "/", type: .normal)
            response.setCookie(Cookie(name: SessionMiddleware.cookieName, value: token, path: "/", secure: secureCookies,
                                      httpOnly: true, sameSite: .lax))
            return response
        } catch let error as LedgerError {
            let page = LoginPage(layout: Layout(title: "登录", context: context), username: username, error: error.message)
            return renderer.render(.login, page, status: ErrorMiddleware.status(for: error.kind))
        }
    }

    /// Ends the session and clears the cookie.
    @Sendable func logout(_ request: Request, context: AppRequestContext) async throws -> Response {
        if let token = context.sessionToken { try await authenticator.logout(token: token) }
        var response = Response.redirect(to: "/login", type: .normal)
        response.setCookie(Cookie(name: SessionMiddleware.cookieName, value: "", maxAge: 0, path: "/", secure: secureCookies,
                                  httpOnly: true, sameSite: .lax))
        return response
    }
}
