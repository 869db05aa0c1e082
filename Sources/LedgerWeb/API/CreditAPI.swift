import Foundation
import Hummingbird
import LedgerCore

/// `GET /api/v1/credit/events?since=YYYY-MM-DD`: the credit events recorded in the caller's jurisdiction since a day,
/// for the provincial credit platform to pull (双公示).
struct CreditAPI {
    let credit: CreditFile

    func addRoutes(to router: some RouterMethods<AppRequestContext>) {
        router.get("/api/v1/credit/events", use: events)
    }

    struct EventBody: Encodable {
        let id: Int64
        let companyId: Int64
        let rule: String
        let title: String
        let points: Int
        let basis: String
        let source: String
        let sourceId: Int64?
        let occurredOn: String
        let expiresOn: String
        let documentNumber: String
        let status: String

        init(_ e: CreditFile.Event) {
            (id, companyId, rule, points, basis, sourceId) = (e.id, e.companyId, e.rule, e.points, e.basis, e.sourceId)
            title = CreditRules.rule(e.rule)?.title ?? e.rule
            source = e.sourceType
            (occurredOn, expiresOn, documentNumber, status) = (e.occurredOn, e.expiresOn, e.documentNumber, e.status.rawValue)
        }
    }

    struct ListBody: Encodable { let items: [EventBody] }

    @Sendable func events(_ request: Request, context: AppRequestContext) async throws -> Response {
        let text = request.uri.queryParameters["since"].map(String.init) ?? ""
        guard let since = Day(text) else {
            throw LedgerError.invalid("since", code: "invalid_date", "since 须为日期，格式 YYYY-MM-DD")
        }
        let events = try await credit.events(since: since, scope: try context.scope())
        return try JSONResponse.make(ListBody(items: events.map(EventBody.init)))
    }
}
