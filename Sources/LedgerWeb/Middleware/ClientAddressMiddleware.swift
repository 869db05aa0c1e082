import Foundation
import Hummingbird

/// Behind a load balancer every request comes from the balancer. When the peer is one of the configured trusted
/// proxies, the client is the last address it appended to `X-Forwarded-For`; login throttling and question limits
/// then count real clients. Requests from anyone else cannot choose their address this way.
struct ClientAddressMiddleware: RouterMiddleware {
    typealias Context = AppRequestContext
    let trustedProxies: Set<String>

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        var context = context
        if trustedProxies.contains(context.remoteAddress),
           let forwarded = request.headers[.init("X-Forwarded-For")!]?.split(separator: ",").last?.trimmingCharacters(in: .whitespaces),
           !forwarded.isEmpty, forwarded.count <= 45 {
            context.remoteAddress = forwarded
        }
        return try await next(request, context)
    }
}
