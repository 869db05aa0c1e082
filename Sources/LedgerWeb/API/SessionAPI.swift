import Foundation
import Hummingbird
import LedgerCore

/// `POST /api/v1/session`: exchange a username and password for a bearer token.
struct SessionAPI {
    let authenticator: Authenticator

    struct LoginRequest: Decodable {
        let username: String
        let password: String
        /// The authenticator's current code (or a recovery code), for accounts with two-factor sign-in.
        let totp: String?
    }

    struct UserBody: Encodable {
        let id: Int64
        let username: String
        let displayName: String
        let role: String
        let regionCode: String?
        let companyId: Int64?
        let estateId: Int64?

        init(_ u: User) {
            (id, username, displayName, role) = (u.id, u.username, u.displayName, u.role.rawValue)
            (regionCode, companyId, estateId) = (u.regionCode, u.companyId, u.estateId)
        }
    }

    struct LoginResponse: Encodable {
        let token: String
        let user: UserBody
        let expiresIn: Int
    }

    func addRoutes(to router: some RouterMethods<AppRequestContext>) {
        router.post("/api/v1/session", use: create)
        router.delete("/api/v1/session", use: delete)
    }

    /// Logs in; a wrong password is 401, a locked account or address 429.
    @Sendable func create(_ request: Request, context: AppRequestContext) async throws -> Response {
        let body = try await request.decodeJSON(as: LoginRequest.self, context: context)
        guard body.username.count <= 64, body.password.count <= 200, (body.totp ?? "").count <= 20 else {
            throw LedgerError(.unauthorized, code: "bad_credentials", message: "用户名或密码错误")
        }
        let (user, token) = try await authenticator.login(username: body.username, password: body.password, totp: body.totp,
                                                          address: context.remoteAddress, kind: .api)
        return try JSONResponse.make(LoginResponse(token: token, user: UserBody(user), expiresIn: Int(authenticator.policy.absoluteLifetime)),
                                     status: .created)
    }

    /// Ends the token's session.
    @Sendable func delete(_ request: Request, context: AppRequestContext) async throws -> Response {
        guard let token = context.sessionToken else { throw LedgerError(.unauthorized, code: "login_required", message: "请先登录") }
        try await authenticator.logout(token: token)
        return Response(status: .noContent)
    }
}
