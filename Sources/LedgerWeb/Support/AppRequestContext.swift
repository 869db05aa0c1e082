import Foundation
import Hummingbird
import LedgerCore
import Logging
import NIOCore

/// What every handler knows about its request: the signed-in user, the parsed form, the request id.
public struct AppRequestContext: RequestContext {
    public var coreContext: CoreRequestContextStorage
    /// The signed-in user, set by `SessionMiddleware`.
    public var user: User?
    /// How many of the user's notifications are unread (pages only; the menu shows it), set by `SessionMiddleware`.
    public var unreadNotifications = 0
    /// The session token the user came with (cookie or bearer), for logging out.
    public var sessionToken: String?
    /// The anti-forgery token for this browser, embedded in every form.
    public var csrfToken = ""
    /// Fields of a submitted form (urlencoded or multipart), parsed once by `FormMiddleware`.
    public var form = FormData()
    /// Short id shown on error pages and written to the log, to match a complaint with its log line.
    public let requestId: String
    /// The client's address: the peer, or — behind a trusted proxy — the address the proxy reports (`ClientAddressMiddleware`).
    public var remoteAddress: String

    public init(source: ApplicationRequestContextSource) {
        coreContext = .init(source: source)
        requestId = String(UInt64.random(in: 0...UInt64.max), radix: 36)
        remoteAddress = source.channel.remoteAddress?.ipAddress ?? "local"
        // Every line a handler logs carries the id its error page shows.
        logger[metadataKey: "request_id"] = .string(requestId)
    }

    /// Bodies over 1 MiB are refused (413) before any handler sees them; imports have their own, larger limit.
    public var maxUploadSize: Int { 1 << 20 }

    /// The scope of the signed-in user; handlers behind `RequireLogin` always have one.
    public func scope() throws -> Scope {
        guard let user else { throw LedgerError(.unauthorized, code: "login_required", message: "请先登录") }
        return user.scope
    }
}
