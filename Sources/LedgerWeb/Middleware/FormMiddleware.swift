import Foundation
import Hummingbird
import LedgerCore
import NIOCore

/// Parses submitted forms once and checks their anti-forgery token (double-submit: the `_csrf` field must
/// match the browser's `ledger_csrf` cookie, which other sites can neither read nor set).
struct FormMiddleware: RouterMiddleware {
    typealias Context = AppRequestContext
    static let cookieName = "ledger_csrf"
    static let importLimit = 8 << 20
    /// Up to three evidence files (or self-inspection photos) of 5 MB each, with the form around them.
    static let evidenceLimit = 3 * StoredFiles.maxBytes + (256 << 10)

    let secureCookies: Bool
    /// The registered routes: a method a path does not answer is left to the router (405 with `Allow`), not refused here.
    var routes: RouteTable? = nil

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        var context = context
        var request = request
        let path = request.uri.path
        let isAPI = path.hasPrefix("/api/")
        let cookieToken = request.cookies[Self.cookieName]?.value
        let hasToken = cookieToken.map { $0.count == 32 && $0.allSatisfy(\.isHexDigit) } ?? false
        context.csrfToken = hasToken ? cookieToken! : Self.newToken()

        let routed = routes.map { $0.methods(for: path).contains(request.method) } ?? true
        if isAPI, routed, [.post, .put, .patch].contains(request.method), !path.hasPrefix("/api/test/") {
            // JSON writes only: a plain HTML form on another site cannot send this content type without CORS's consent.
            let mediaType = (request.headers[.contentType] ?? "").split(separator: ";").first?
                .trimmingCharacters(in: .whitespaces).lowercased()
            guard mediaType == "application/json" else { throw HTTPError(.unsupportedMediaType) }
        }
        if !isAPI, routed, request.method == .post {
            // Staff forms are read only for a signed-in user: nobody else gets to make the server parse a body.
            if context.user == nil && !Self.isPublicForm(path) {
                return .redirect(to: "/login", type: .normal)
            }
            let contentType = request.headers[.contentType] ?? ""
            let isMultipart = contentType.lowercased().hasPrefix("multipart/form-data")
            let boundary = isMultipart ? FormData.boundary(inContentType: contentType) : nil
            if isMultipart && boundary == nil {
                throw LedgerError(.invalid, code: "bad_multipart",
                                  message: "表单格式不正确：分隔符（boundary）缺失或超过\(FormData.maxBoundaryLength)个字符")
            }
            let limit = path.hasPrefix("/import/") || path == "/filings/import" ? Self.importLimit
                : path.hasSuffix("/vouchers") || path.hasSuffix("/decisions") ? VoucherStore.maxBytes + (64 << 10)
                : path.hasPrefix("/public/complaints/") || path.hasPrefix("/complaints/") || path.hasPrefix("/problems/")
                    || path == "/self-inspections/new" || path.hasPrefix("/credit/events/") ? Self.evidenceLimit
                : context.maxUploadSize
            if let length = request.headers[.contentLength].flatMap(Int.init), length > limit {
                throw LedgerError(.tooLarge, code: "too_large", message: "提交的内容超过\(limit >> 20) MB 上限")
            }
            let body: ByteBuffer
            do {
                body = try await request.collectBody(upTo: limit)
            } catch {
                throw LedgerError(.tooLarge, code: "too_large", message: "提交的内容超过\(limit >> 20) MB 上限")
            }
            if let boundary {
                context.form = FormData.multipart(body, boundary: boundary) ?? FormData()
            } else {
                context.form = FormData.urlEncoded(body)
            }
            guard hasToken, context.form["_csrf"] == cookieToken else {
                throw LedgerError(.forbidden, code: "csrf", message: "页面已过期或来源不明，请刷新页面后重新提交")
            }
        }
        var response = try await next(request, context)
        if !isAPI, !hasToken {
            response.setCookie(Cookie(name: Self.cookieName, value: context.csrfToken, path: "/", secure: secureCookies, httpOnly: true, sameSite: .lax))
        }
        return response
    }

    /// POST routes that need no login: the login form and the public pages (complaints, tracking, owners' questions).
    static func isPublicForm(_ path: String) -> Bool {
        path == "/login" || path.hasPrefix("/public/")
    }

    static func newToken() -> String {
        Hex.random(bytes: 16)
    }
}
