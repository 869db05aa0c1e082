import Foundation
import Hummingbird
import LedgerCore
import Logging
import NIOCore
import Synchronization

/// Turns every error into what the user should see: a JSON error for the API, a Chinese page otherwise.
/// Unexpected errors show only a generic message and the request id; the details go to the log.
struct ErrorMiddleware: RouterMiddleware {
    typealias Context = AppRequestContext
    let renderer: Renderer
    /// The methods each route answers, so that a known path asked with another method gets 405 and `Allow`.
    let routes: RouteTable

    struct ErrorPage: Sendable {
        let layout: Layout
        let status: Int
        let message: String
        let requestId: String
        let loginLink: Bool
    }

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        do {
            return try await next(request, context)
        } catch {
            var failure = Self.describe(error)
            var allow: String?
            if let http = error as? HTTPError, http.status == .notFound {
                let methods = routes.methods(for: request.uri.path)
                if !methods.isEmpty && !methods.contains(request.method) {
                    failure = Failure(status: .methodNotAllowed, code: "method_not_allowed",
                                      message: "此地址不支持 \(request.method.rawValue) 请求", field: nil)
                    allow = methods.map(\.rawValue).sorted().joined(separator: ", ")
                }
            }
            var response = try respond(to: request, context: context, failure: failure, error: error)
            if let allow { response.headers[.allow] = allow }
            return response
        }
    }

    private func respond(to request: Request, context: Context, failure: Failure, error: any Error) throws -> Response {
        if failure.status == .internalServerError {
            context.logger.error("request \(context.requestId) failed: \(String(reflecting: error))")
        } else {
            context.logger.info("request \(context.requestId) refused: \(failure.code)")
        }
        if request.uri.path.hasPrefix("/api/") || request.uri.path == "/healthz" {
            return APIError.response(status: failure.status, code: failure.code, message: failure.message, field: failure.field)
        }
        let page = ErrorPage(
            layout: Layout(title: "出错了", context: context), status: Int(failure.status.code), message: failure.message,
            requestId: context.requestId, loginLink: failure.status == .unauthorized)
        return renderer.render(.error, page, status: failure.status)
    }

    struct Failure {
        let status: HTTPResponse.Status
        let code: String
        let message: String
        let field: String?
    }

    static func describe(_ error: any Error) -> Failure {
        switch error {
        case let e as LedgerError:
            return Failure(status: status(for: e.kind), code: e.code, message: e.message, field: e.field)
        case let e as FieldErrors:
            let first = e.items.first
            return Failure(status: .badRequest, code: first?.code ?? "invalid", message: first?.message ?? "输入有误", field: first?.field)
        case let e as ImportRejected:
            let first = e.errors.first
            return Failure(status: .badRequest, code: "import_rejected",
                           message: "导入失败，未写入任何数据：第\(first?.line ?? 0)行 \(first?.message ?? "")", field: first?.field)
        case is NIOTooManyBytesError:
            return Failure(status: .contentTooLarge, code: "too_large", message: "请求内容超过上限", field: nil)
        case let e as DecodingError:
            return decodingFailure(e)
        case let e as HTTPError:
            switch e.status {
            case .contentTooLarge: return Failure(status: e.status, code: "too_large", message: "请求内容超过 1 MB 上限", field: nil)
            case .notFound: return Failure(status: e.status, code: "not_found", message: "页面或资源不存在", field: nil)
            case .badRequest: return Failure(status: e.status, code: "bad_request", message: "请求格式不正确", field: nil)
            case .methodNotAllowed: return Failure(status: e.status, code: "method_not_allowed", message: "不支持的请求方法", field: nil)
            case .unsupportedMediaType: return Failure(status: e.status, code: "unsupported_media_type", message: "请以 JSON 格式提交", field: nil)
            default:
                if e.status.code < 500 { return Failure(status: e.status, code: "http_\(e.status.code)", message: "请求无法处理", field: nil) }
                return Failure(status: .internalServerError, code: "internal", message: "系统内部错误，请稍后再试", field: nil)
            }
        default:
            return Failure(status: .internalServerError, code: "internal", message: "系统内部错误，请稍后再试", field: nil)
        }
    }

    static func decodingFailure(_ error: DecodingError) -> Failure {
        let field = error.fieldPath
        switch error {
        case .keyNotFound, .valueNotFound:
            return Failure(status: .badRequest, code: "required", message: "缺少必填字段 \(field ?? "")", field: field)
        case .typeMismatch:
            return Failure(status: .badRequest, code: "wrong_type", message: "字段 \(field ?? "") 的类型不正确", field: field)
        default:
            return Failure(status: .badRequest, code: "bad_json", message: "请求内容不是有效的 JSON", field: field)
        }
    }

    static func status(for kind: LedgerError.Kind) -> HTTPResponse.Status {
        switch kind {
        case .invalid: .badRequest
        case .notFound: .notFound
        case .forbidden: .forbidden
        case .unauthorized: .unauthorized
        case .conflict: .conflict
        case .locked: .tooManyRequests
        case .tooLarge: .contentTooLarge
        case .unprocessable: .unprocessableContent
        }
    }
}

extension DecodingError {
    /// The JSON path of the field that did not decode (`households`, `income.0.amount`).
    var fieldPath: String? {
        let path: [any CodingKey]
        switch self {
        case .typeMismatch(_, let c), .valueNotFound(_, let c), .dataCorrupted(let c): path = c.codingPath
        case .keyNotFound(let key, let c): path = c.codingPath + [key]
        @unknown default: return nil
        }
        let text = path.map { $0.intValue.map(String.init) ?? $0.stringValue }.joined(separator: ".")
        return text.isEmpty ? nil : text
    }
}

/// The registered routes' paths and methods, filled once the router is built (`buildRouter` calls `load`).
final class RouteTable: Sendable {
    private struct Entry: Sendable {
        let segments: [Substring]
        let method: HTTPRequest.Method
    }

    private let entries = Mutex<[Entry]>([])

    func load(_ routes: [(path: String, method: HTTPRequest.Method)]) {
        entries.withLock { $0 = routes.map { Entry(segments: $0.path.split(separator: "/"), method: $0.method) } }
    }

    /// The methods registered for paths that match `path` (`:name` and `*` match one segment, `**` the rest).
    func methods(for path: String) -> Set<HTTPRequest.Method> {
        let parts = path.split(separator: "/")
        return entries.withLock { entries in
            Set(entries.filter { Self.matches($0.segments, parts) }.map(\.method))
        }
    }

    private static func matches(_ pattern: [Substring], _ parts: [Substring]) -> Bool {
        for (index, segment) in pattern.enumerated() {
            if segment == "**" { return true }
            guard index < parts.count else { return false }
            if segment == "*" || segment.hasPrefix(":") || segment.hasPrefix("{") { continue }
            if segment != parts[index] { return false }
        }
        return pattern.count == parts.count
    }
}
