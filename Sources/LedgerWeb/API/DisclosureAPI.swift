import Foundation
import Hummingbird
import LedgerCore

/// Filing through the API: save a draft, publish (or correct), and read every quarter's versions.
struct DisclosureAPI {
    let repository: DisclosureRepository
    let history: DisclosureHistory

    func addRoutes(to router: some RouterMethods<AppRequestContext>) {
        router.put("/api/v1/estates/:id/disclosures/:year/:quarter", use: saveDraft)
        router.post("/api/v1/estates/:id/disclosures/:year/:quarter/publish", use: publish)
        router.get("/api/v1/estates/:id/disclosures", use: list)
    }

    /// The body of `publish`: an optional reason (required for a correction) and, optionally, the disclosure itself.
    struct PublishRequest: Decodable {
        let reason: String?
        let document: DisclosureDocument?

        enum CodingKeys: String, CodingKey { case reason, income, costs, distribution, expenditures, transfer, openingBalance, contact, display }

        init(from decoder: any Decoder) throws {
            let c = try decoder.container(keyedBy: CodingKeys.self)
            reason = try c.decodeIfPresent(String.self, forKey: .reason)
            let hasContent = c.allKeys.contains { $0 != .reason }
            document = hasContent ? try DisclosureDocument(from: decoder) : nil
        }
    }

    /// Saves a draft; malformed values are refused with the field's path (`income.0.amount`).
    @Sendable func saveDraft(_ request: Request, context: AppRequestContext) async throws -> Response {
        let (estateId, quarter) = try Self.target(context)
        let document = try await request.decodeJSON(as: DisclosureDocument.self, context: context)
        try Self.checkLengths(document)
        let content = try await repository.saveDraft(estateId: estateId, quarter: quarter, document: document, scope: try context.scope())
        return try JSONResponse.make(DraftBody(quarter: quarter, content: content))
    }

    /// Publishes the draft or the document sent; a quarter already published needs `reason` and becomes a new version.
    @Sendable func publish(_ request: Request, context: AppRequestContext) async throws -> Response {
        let (estateId, quarter) = try Self.target(context)
        let body = try await request.decodeJSON(as: PublishRequest.self, context: context)
        try APIInput.limit(body.reason, "reason", max: 500)
        if let document = body.document { try Self.checkLengths(document) }
        let version = try await repository.publish(estateId: estateId, quarter: quarter, document: body.document, reason: body.reason,
                                                   scope: try context.scope())
        return try JSONResponse.make(VersionBody(version), status: .created)
    }

    /// All quarters and all versions of an estate in the caller's jurisdiction.
    @Sendable func list(_ request: Request, context: AppRequestContext) async throws -> Response {
        let id = try RegistryAPI.id(context)
        let versions = try await history.versions(estateId: id, scope: try context.scope())
        let grouped = Dictionary(grouping: versions) { $0.period }
        let quarters = grouped.keys.sorted(by: >).map { QuarterBody(year: $0.year, quarter: $0.quarter, dueDate: $0.dueDate.description,
                                                                    versions: grouped[$0]!.map(VersionBody.init)) }
        return try JSONResponse.make(["quarters": quarters])
    }

    /// The `maxLength`s of openapi.yaml, counted as sent (the domain then checks the trimmed text).
    static func checkLengths(_ d: DisclosureDocument) throws {
        for (i, line) in d.income.enumerated() { try APIInput.limit(line.description, "income.\(i).description", max: 200) }
        for (i, line) in d.costs.enumerated() { try APIInput.limit(line.description, "costs.\(i).description", max: 200) }
        for (i, line) in d.expenditures.enumerated() {
            try APIInput.limit(line.description, "expenditures.\(i).description", max: 200)
            try APIInput.limit(line.decision, "expenditures.\(i).decision", max: 200)
        }
        try APIInput.limit(d.contact?.name, "contact.name", max: 50)
        try APIInput.limit(d.contact?.phone, "contact.phone", max: 30)
    }

    /// The estate id and quarter of the path; an impossible quarter is 404 like an unknown estate.
    static func target(_ context: AppRequestContext) throws -> (Int64, Quarter) {
        let id = try RegistryAPI.id(context)
        guard let year = context.parameters.get("year").flatMap(Int.init), let q = context.parameters.get("quarter").flatMap(Int.init),
              let quarter = Quarter(year: year, quarter: q) else {
            throw LedgerError(.notFound, code: "bad_quarter", message: "季度不存在（年份四位数字，季度为1至4）", field: "quarter")
        }
        return (id, quarter)
    }
}

struct DraftBody: Encodable {
    let year: Int, quarter: Int
    let incomeTotal: String, costTotal: String, surplus: String, closingBalance: String?
    init(quarter: Quarter, content: DisclosureContent) {
        (year, self.quarter) = (quarter.year, quarter.quarter)
        incomeTotal = content.incomeTotal.description
        costTotal = content.costTotal.description
        surplus = content.surplus.description
        closingBalance = content.closingBalance?.description
    }
}

struct VersionBody: Encodable {
    let year: Int, quarter: Int, version: Int
    let income: String, cost: String, ownersShare: String, companyShare: String, expenditure: String, closingBalance: String
    let reason: String?, publishedAt: String, publishedBy: String, leafIndex: Int, leafHash: String
    init(_ v: PublishedVersion) {
        (year, quarter, version) = (v.year, v.quarter, v.version)
        income = Money(fen: v.incomeFen).description
        cost = Money(fen: v.costFen).description
        ownersShare = Money(fen: v.ownersShareFen).description
        companyShare = Money(fen: v.companyShareFen).description
        expenditure = Money(fen: v.expenditureFen).description
        closingBalance = Money(fen: v.closingFen).description
        (reason, publishedAt, publishedBy, leafIndex, leafHash) = (v.reason, v.publishedAt, v.publishedBy, v.leafIndex, v.leafHash)
    }
}

struct QuarterBody: Encodable {
    let year: Int, quarter: Int, dueDate: String
    let versions: [VersionBody]
}
