import Foundation
import Hummingbird
import LedgerCore
import Metrics
import NIOCore
import Prometheus

/// Metrics in Prometheus's text format: swift-metrics handlers backed by one process-wide registry. Hummingbird's
/// `MetricsMiddleware` counts requests by route and status and times them (`http_server_request_duration` histogram);
/// the daily jobs and the warning run add their own counters (`ledger_job_runs`, `ledger_job_duration`,
/// `ledger_warnings_opened`, `ledger_warnings_closed`).
public enum Observability {
    /// The registry `/metrics` prints.
    public static let registry = PrometheusCollectorRegistry()

    /// swift-metrics can be bootstrapped once per process: every application built in it (the tests build many) shares it.
    private static let bootstrapped: Bool = {
        var factory = PrometheusMetricsFactory(registry: Observability.registry)
        // Prometheus names allow [a-zA-Z0-9_:] only: Hummingbird's `http.server.request.duration` becomes `http_server_request_duration`.
        factory.nameAndLabelSanitizer = { name, labels in
            (Observability.sanitize(name), labels.map { (Observability.sanitize($0.0), $0.1) })
        }
        MetricsSystem.bootstrap(factory)
        return true
    }()

    /// Installs the Prometheus backend (idempotent; called by `buildApplication`).
    public static func start() {
        _ = bootstrapped
    }

    static func sanitize(_ name: String) -> String {
        String(name.unicodeScalars.map { scalar -> Character in
            switch scalar {
            case "a"..."z", "A"..."Z", "0"..."9", "_", ":": Character(scalar)
            default: "_"
            }
        })
    }
}

/// `GET /metrics`: for the monitoring system on this machine (a loopback client: the peer, or the client a trusted proxy
/// reports), or anyone presenting `Authorization: Bearer $LEDGER_METRICS_TOKEN`. Everyone else is told there is no such
/// page (404), as for any path that does not exist.
struct MetricsController {
    let token: String?

    func addRoutes(to router: some RouterMethods<AppRequestContext>) {
        router.get("/metrics", use: metrics)
    }

    static func isLoopback(_ address: String) -> Bool {
        address.hasPrefix("127.") || address == "::1" || address == "::ffff:127.0.0.1"
    }

    func allowed(_ request: Request, context: AppRequestContext) -> Bool {
        if Self.isLoopback(context.remoteAddress) { return true }
        guard let token, !token.isEmpty,
              let given = request.headers[.authorization].flatMap({ $0.hasPrefix("Bearer ") ? String($0.dropFirst(7)) : nil }) else {
            return false
        }
        // Compared in constant time: every byte is looked at whatever the first difference.
        let (a, b) = (Array(given.utf8), Array(token.utf8))
        guard a.count == b.count else { return false }
        return zip(a, b).reduce(UInt8(0)) { $0 | ($1.0 ^ $1.1) } == 0
    }

    @Sendable func metrics(_ request: Request, context: AppRequestContext) async throws -> Response {
        guard allowed(request, context: context) else { throw LedgerError.notFound("页面") }
        return Response(status: .ok, headers: [.contentType: "text/plain; version=0.0.4; charset=utf-8", .cacheControl: "no-store"],
                        body: .init(byteBuffer: ByteBuffer(bytes: Observability.registry.emitToBuffer())))
    }
}
