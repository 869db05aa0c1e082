import Foundation
import Hummingbird
import LedgerCore

/// The registry in the JSON API: regions, estates and companies, all scoped to the token's user.
struct RegistryAPI {
    let regions: RegionDirectory
    let estates: EstateRepository
    let records: EstateRecords
    let companies: CompanyRepository

    func addRoutes(to router: some RouterMethods<AppRequestContext>) {
        router.get("/api/v1/regions", use: listRegions)
        router.get("/api/v1/estates", use: listEstates)
        router.post("/api/v1/estates", use: createEstate)
        router.get("/api/v1/estates/:id", use: showEstate)
        router.put("/api/v1/estates/:id", use: updateEstate)
        router.get("/api/v1/companies", use: listCompanies)
        router.post("/api/v1/companies", use: createCompany)
        router.get("/api/v1/companies/:id", use: showCompany)
        router.put("/api/v1/companies/:id", use: updateCompany)
    }

    /// Child regions of `parent` (or the top of the caller's tree).
    @Sendable func listRegions(_ request: Request, context: AppRequestContext) async throws -> Response {
        let parent = try APIInput.nonEmpty(request.uri.queryParameters, "parent")
        let children = try await regions.children(of: parent, scope: try context.scope())
        return try JSONResponse.make(["regions": children.map(RegionBody.init)])
    }

    /// Estates in the caller's jurisdiction, optionally under `region`, paged.
    @Sendable func listEstates(_ request: Request, context: AppRequestContext) async throws -> Response {
        let scope = try context.scope()
        let query = request.uri.queryParameters
        let list = ListRequest(search: query["q"].map(String.init) ?? "", sort: try Self.sort(query["sort"]),
                               descending: try Self.descending(query["desc"]),
                               page: try Self.page(query), pageSize: try Self.pageSize(query))
        let under = try await APIInput.nonEmpty(query, "region").asyncMap { try await regions.region($0, scope: scope).path }
        let page = try await estates.estates(scope: scope, under: under, request: list)
        return try JSONResponse.make(PageBody(items: page.items.map(EstateBody.init), page: page.page, pageSize: page.pageSize, total: page.total))
    }

    /// One estate with its contracts, committees and account; 404 outside the jurisdiction.
    @Sendable func showEstate(_ request: Request, context: AppRequestContext) async throws -> Response {
        let scope = try context.scope()
        let id = try Self.id(context)
        let estate = try await estates.estate(id, scope: scope)
        let details = try await records.details(estateId: id, scope: scope)
        return try JSONResponse.make(EstateDetailBody(estate: EstateBody(estate), details: details))
    }

    @Sendable func createEstate(_ request: Request, context: AppRequestContext) async throws -> Response {
        let scope = try context.scope()
        let body = try await request.decodeJSON(as: EstateRequest.self, context: context)
        let estate = try await Self.regionInScope { try await estates.create(try body.input, scope: scope) }
        return try JSONResponse.make(EstateBody(estate), status: .created)
    }

    @Sendable func updateEstate(_ request: Request, context: AppRequestContext) async throws -> Response {
        let scope = try context.scope()
        let id = try Self.id(context)
        _ = try await estates.estate(id, scope: scope)
        let body = try await request.decodeJSON(as: EstateRequest.self, context: context)
        let estate = try await Self.regionInScope { try await estates.update(id, try body.input, scope: scope) }
        return try JSONResponse.make(EstateBody(estate))
    }

    @Sendable func listCompanies(_ request: Request, context: AppRequestContext) async throws -> Response {
        let query = request.uri.queryParameters
        let page = try await companies.companies(
            scope: try context.scope(),
            request: ListRequest(search: query["q"].map(String.init) ?? "", sort: .name,
                                 page: try Self.page(query), pageSize: try Self.pageSize(query)))
        return try JSONResponse.make(PageBody(items: page.items.map(CompanyBody.init), page: page.page, pageSize: page.pageSize, total: page.total))
    }

    /// Registers a company; an invalid 统一社会信用代码 is refused with `invalid_uscc` on field `uscc`.
    @Sendable func createCompany(_ request: Request, context: AppRequestContext) async throws -> Response {
        let scope = try context.scope()
        let body = try await request.decodeJSON(as: CompanyRequest.self, context: context)
        let company = try await Self.regionInScope { try await companies.create(try body.input, scope: scope) }
        return try JSONResponse.make(CompanyBody(company), status: .created)
    }

    @Sendable func showCompany(_ request: Request, context: AppRequestContext) async throws -> Response {
        try JSONResponse.make(CompanyBody(try await companies.company(try Self.id(context), scope: try context.scope())))
    }

    @Sendable func updateCompany(_ request: Request, context: AppRequestContext) async throws -> Response {
        let scope = try context.scope()
        let id = try Self.id(context)
        _ = try await companies.company(id, scope: scope)
        let body = try await request.decodeJSON(as: CompanyRequest.self, context: context)
        let company = try await Self.regionInScope { try await companies.update(id, try body.input, scope: scope) }
        return try JSONResponse.make(CompanyBody(company))
    }

    /// Two refusals the API states differently from the forms (which show both beside the field): a region that does not
    /// exist or lies outside the jurisdiction is not found (404), like every other object there; a USCC that matches the
    /// document's pattern but has the wrong check character is 422 (a JSON Schema cannot express the check).
    static func regionInScope<T>(_ body: () async throws -> T) async throws -> T {
        do {
            return try await body()
        } catch let error as LedgerError where error.code == "unknown_region" {
            throw LedgerError(.notFound, code: error.code, message: error.message, field: error.field)
        } catch let errors as FieldErrors where errors.items.count == 1 && errors.items[0].code == "invalid_uscc" {
            let error = errors.items[0]
            throw LedgerError(.unprocessable, code: error.code, message: error.message, field: error.field)
        }
    }

    static func id(_ context: AppRequestContext) throws -> Int64 {
        guard let text = context.parameters.get("id"), let id = Int64(text), id > 0 else {
            throw LedgerError(.notFound, code: "not_found", message: "资源不存在", field: "id")
        }
        return id
    }

    static func positive(_ value: Substring?, field: String, max: Int = Int.max) throws -> Int? {
        guard let value else { return nil }
        guard let number = Int(value), number > 0 else {
            throw LedgerError.invalid(field, code: "bad_parameter", "\(field) 必须是正整数")
        }
        guard number <= max else {
            throw LedgerError.invalid(field, code: "bad_parameter", "\(field) 不能大于\(max)")
        }
        return number
    }

    /// `page` (default 1; any page past the end is empty) and `pageSize` (1 to 200, default 50) as openapi.yaml declares them.
    static func page(_ query: Parameters) throws -> Int { try positive(query["page"], field: "page") ?? 1 }
    static func pageSize(_ query: Parameters) throws -> Int { try positive(query["pageSize"], field: "pageSize", max: 200) ?? 50 }

    /// The estate list's `sort`: one of the declared keys (default `name`); anything else is refused, not ignored.
    static func sort(_ value: Substring?) throws -> EstateRepository.SortKey {
        guard let value else { return .name }
        guard let key = EstateRepository.SortKey(rawValue: String(value)) else {
            let keys = EstateRepository.SortKey.allCases.map(\.rawValue).joined(separator: "、")
            throw LedgerError.invalid("sort", code: "bad_parameter", "排序字段 sort 须为 \(keys) 之一")
        }
        return key
    }

    /// `desc`: `1` descending, `0` ascending (the default).
    static func descending(_ value: Substring?) throws -> Bool {
        switch value {
        case nil, "0": return false
        case "1": return true
        default: throw LedgerError.invalid("desc", code: "bad_parameter", "参数 desc 须为 0 或 1")
        }
    }
}
