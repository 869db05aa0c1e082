import Foundation
import Hummingbird
import LedgerCore

/// `GET /api/v1/cross-inspections`: the cross-inspection rounds the caller sees (its region's, and those its region takes
/// part in), with what anyone needs to recompute the pairing (participants, their hash, seed, method) and its groups.
struct CrossInspectionAPI {
    let cross: CrossInspections

    func addRoutes(to router: some RouterMethods<AppRequestContext>) {
        router.get("/api/v1/cross-inspections", use: list)
    }

    struct RoundBody: Encodable {
        struct Group: Encodable { let id: Int64; let inspecting: String; let inspected: String; let reportFiled: Bool; let filedAt: String? }
        let id: Int64
        let region: String
        let regionName: String
        let year: Int
        let quarter: Int
        let sample: Int
        let status: String
        let seedSource: String
        let seed: String?
        let participants: [String]
        let participantsHash: String
        let method: String
        let groups: [Group]

        init(_ r: CrossInspections.Round) {
            id = r.id
            region = r.regionCode
            regionName = r.regionName
            year = r.year
            quarter = r.quarter
            sample = r.sample
            status = r.status.rawValue
            seedSource = r.seedSource
            seed = r.seed
            participants = CrossInspectionDraw.sortedCodes(r.participants.map(\.code))
            participantsHash = r.participantsHash
            method = r.method
            groups = r.groups.map { Group(id: $0.id, inspecting: $0.inspecting.code, inspected: $0.inspected.code, reportFiled: $0.filed, filedAt: $0.filedAt) }
        }
    }

    @Sendable func list(_ request: Request, context: AppRequestContext) async throws -> Response {
        let query = request.uri.queryParameters
        let page = try await cross.list(scope: try context.scope(), page: try RegistryAPI.positive(query["page"], field: "page") ?? 1,
                                        pageSize: try RegistryAPI.pageSize(query))
        return try JSONResponse.make(PageBody(items: page.items.map(RoundBody.init), page: page.page, pageSize: page.pageSize, total: page.total))
    }
}
