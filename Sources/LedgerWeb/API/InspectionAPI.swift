import Foundation
import Hummingbird
import LedgerCore

/// `GET /api/v1/inspection-plans`: the spot-check plans of the caller's jurisdiction, with what anyone needs to redraw
/// them (seed, eligible-list hash, method) and their result.
struct InspectionAPI {
    let plans: InspectionPlans

    func addRoutes(to router: some RouterMethods<AppRequestContext>) {
        router.get("/api/v1/inspection-plans", use: list)
    }

    struct PlanBody: Encodable {
        struct Pick: Encodable { let estateId: Int64; let forced: Bool; let inspectors: [Int64] }
        let id: Int64
        let region: String
        let regionName: String
        let year: Int
        /// null for an annual plan.
        let quarter: JSONNullable<Int>
        /// The share of the region's estates, 0–1.
        let ratio: Double
        let status: String
        let seedSource: String
        /// null until the plan is drawn.
        let seed: JSONNullable<String>
        let eligibleHash: String
        let eligibleCount: Int
        let method: String
        let estates: [Pick]
        let inspectors: [Int64]

        init(_ p: InspectionPlans.Plan) {
            id = p.id
            region = p.regionCode
            regionName = p.regionName
            year = p.year
            quarter = JSONNullable(p.quarter)
            ratio = Double(p.ratioBasisPoints) / 10_000
            status = p.status.rawValue
            seedSource = p.seedSource
            seed = JSONNullable(p.seed)
            eligibleHash = p.eligibleHash
            eligibleCount = p.eligibleCount
            method = p.method
            let forced = Set(p.forced)
            estates = p.estates.map { Pick(estateId: $0, forced: forced.contains($0), inspectors: p.inspectors[$0] ?? []) }
            inspectors = Array(Set(p.inspectors.values.joined())).sorted()
        }
    }

    @Sendable func list(_ request: Request, context: AppRequestContext) async throws -> Response {
        let query = request.uri.queryParameters
        let page = try await plans.list(scope: try context.scope(), page: try RegistryAPI.positive(query["page"], field: "page") ?? 1,
                                        pageSize: try RegistryAPI.pageSize(query))
        return try JSONResponse.make(PageBody(items: page.items.map(PlanBody.init), page: page.page, pageSize: page.pageSize, total: page.total))
    }
}
