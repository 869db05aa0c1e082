import Foundation
import Hummingbird
import LedgerCore

/// `GET /api/v1/warnings?region=CODE&rule=W01&status=open`: the warnings of the caller's jurisdiction, paged.
struct WarningAPI {
    let inbox: WarningInbox

    func addRoutes(to router: some RouterMethods<AppRequestContext>) {
        router.get("/api/v1/warnings", use: list)
    }

    struct WarningBody: Encodable {
        let id: Int64
        let rule: String
        let ruleName: String
        let severity: String
        let status: String
        let estateId: Int64
        let estateName: String
        let companyId: Int64?
        let companyName: String?
        let regionPath: String
        let year: Int
        let quarter: Int
        let detail: String
        let openedAt: String
        let updatedAt: String
        let closedReason: String?

        init(_ w: WarningInbox.Warning) {
            id = w.id
            rule = w.rule
            ruleName = WarningRules.rule(w.rule)?.name ?? w.rule
            severity = w.severity
            status = w.status.rawValue
            estateId = w.estateId
            estateName = w.estateName
            companyId = w.companyId
            companyName = w.companyName
            regionPath = w.regionPath
            year = w.quarter.year
            quarter = w.quarter.quarter
            detail = w.detail
            openedAt = w.openedAt
            updatedAt = w.updatedAt
            closedReason = w.closedReason
        }
    }

    @Sendable func list(_ request: Request, context: AppRequestContext) async throws -> Response {
        let query = request.uri.queryParameters
        // The page's filter form sends empty fields for "any"; the API refuses them, as openapi.yaml declares.
        try APIInput.refuseEmpty(query, ["region", "rule", "status", "severity", "quarter"])
        var filter = try WarningController.filter(query)
        filter.pageSize = try RegistryAPI.pageSize(query)
        let page = try await inbox.list(scope: try context.scope(), filter: filter)
        return try JSONResponse.make(PageBody(items: page.items.map(WarningBody.init), page: page.page, pageSize: page.pageSize, total: page.total))
    }
}
