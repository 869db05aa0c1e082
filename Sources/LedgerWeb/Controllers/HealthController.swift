import Foundation
import Hummingbird
import LedgerCore
import Logging

/// `GET /healthz`: liveness and database reachability, for load balancers; `GET /api/openapi.yaml`: the API description.
struct HealthController {
    let database: Database

    func addRoutes(to router: some RouterMethods<AppRequestContext>) {
        router.get("/healthz", use: health)
        router.get("/api/openapi.yaml", use: openAPI)
    }

    @Sendable func health(_ request: Request, context: AppRequestContext) async throws -> Response {
        do {
            try await database.ping()
            return try JSONResponse.make(["status": "ok", "database": database.kind.rawValue])
        } catch {
            context.logger.error("health check: database unreachable: \(String(reflecting: error))")
            return try JSONResponse.make(["status": "unavailable", "database": "unreachable"], status: .serviceUnavailable)
        }
    }

    static let openAPIDocument: String = {
        guard let url = Bundle.module.url(forResource: "openapi", withExtension: "yaml"),
              let text = try? String(contentsOf: url, encoding: .utf8) else { return "" }
        return text
    }()

    @Sendable func openAPI(_ request: Request, context: AppRequestContext) async throws -> Response {
        Response(status: .ok, headers: [.contentType: "application/yaml; charset=utf-8"],
                 body: .init(byteBuffer: ByteBuffer(string: Self.openAPIDocument)))
    }
}
