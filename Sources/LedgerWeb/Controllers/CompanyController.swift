import Foundation
import Hummingbird
import LedgerCore

/// Company pages: the registry list, one company with the estates it manages, and the forms.
struct CompanyController {
    let companies: CompanyRepository
    let estates: EstateRepository
    let regions: RegionDirectory
    let credit: CreditFile
    let renderer: Renderer

    func addRoutes(to router: some RouterMethods<AppRequestContext>) {
        router.get("/companies", use: list)
        router.get("/companies/new", use: new)
        router.post("/companies", use: create)
        router.get("/companies/:id", use: show)
        router.get("/companies/:id/edit", use: edit)
        router.post("/companies/:id", use: update)
    }

    static let columns: [(CompanyRepository.SortKey, String)] = [
        (.name, "企业名称"), (.uscc, "统一社会信用代码"), (.estates, "在管小区"), (.updated, "更新时间"),
    ]

    /// Companies the user may see: searchable by name or code, sortable, paged.
    @Sendable func list(_ request: Request, context: AppRequestContext) async throws -> Response {
        let scope = try context.scope()
        let query = request.uri.queryParameters
        let sort = query["sort"].flatMap { CompanyRepository.SortKey(rawValue: String($0)) } ?? .name
        let descending = query["desc"] == "1"
        let list = ListRequest(search: query["q"].map(String.init) ?? "", sort: sort, descending: descending,
                               page: query["page"].flatMap { Int(String($0)) } ?? 1)
        let page = try await companies.companies(scope: scope, request: list)
        let black = try await credit.blackListed(page.items.map(\.id))
        let model = CompanyListPage(
            layout: Layout(title: "物业服务企业", context: context, section: "/companies"),
            search: list.search, rows: page.items.map { company in
                var row = CompanyRow(company)
                row.blackListed = black.contains(company.id)
                return row
            },
            columns: SortLink.make(Self.columns, current: sort, descending: descending, base: "/companies", search: list.search),
            pager: Pager(page, base: "/companies", query: [("q", list.search), ("sort", sort.rawValue), ("desc", descending ? "1" : "")]),
            canCreate: scope.canEditRegistry, empty: page.items.isEmpty)
        return renderer.render(.companies, model)
    }

    /// One company and the estates of it that the user may see.
    @Sendable func show(_ request: Request, context: AppRequestContext) async throws -> Response {
        let scope = try context.scope()
        let id = try context.parameters.require("id", as: Int64.self)
        let company = try await companies.company(id, scope: scope)
        let managed = try await estates.estates(scope: scope, company: id, request: ListRequest(sort: .name, pageSize: 100))
        var model = CompanyDetailPage(
            layout: Layout(title: company.name, context: context, section: "/companies"), company: company,
            estates: managed.items.map(EstateRow.init), moreEstates: managed.hasNext,
            canEdit: scope.canEditRegistry && scope.covers(regionPath: company.regionPath))
        model.blackListed = !(try await credit.blackListed([id])).isEmpty
        model.canViewCredit = scope.can(.viewCredit)
        return renderer.render(.company, model)
    }

    @Sendable func new(_ request: Request, context: AppRequestContext) async throws -> Response {
        guard try context.scope().canEditRegistry else { throw LedgerError.forbidden }
        return try await form(context: context, action: "/companies", heading: "登记物业服务企业", values: [:], errors: FieldErrors())
    }

    /// Registers a company; a bad 统一社会信用代码 is explained beside the field.
    @Sendable func create(_ request: Request, context: AppRequestContext) async throws -> Response {
        let scope = try context.scope()
        guard scope.canEditRegistry else { throw LedgerError.forbidden }
        return try await submitting {
            let company = try await companies.create(CompanyInput(form: context.form), scope: scope)
            return .redirect(to: "/companies/\(company.id)", type: .normal)
        } reshow: { errors in
            try await form(context: context, action: "/companies", heading: "登记物业服务企业", values: context.form.fields, errors: errors)
        }
    }

    @Sendable func edit(_ request: Request, context: AppRequestContext) async throws -> Response {
        let scope = try context.scope()
        let id = try context.parameters.require("id", as: Int64.self)
        let company = try await companies.company(id, scope: scope)
        guard scope.canEditRegistry, scope.covers(regionPath: company.regionPath) else { throw LedgerError.forbidden }
        let values = ["name": company.name, "uscc": company.uscc, "region": company.regionCode, "contactName": company.contactName,
                      "contactPhone": company.contactPhone, "address": company.address]
        return try await form(context: context, action: "/companies/\(id)", heading: "编辑企业：\(company.name)", values: values, errors: FieldErrors())
    }

    @Sendable func update(_ request: Request, context: AppRequestContext) async throws -> Response {
        let scope = try context.scope()
        let id = try context.parameters.require("id", as: Int64.self)
        _ = try await companies.company(id, scope: scope)
        return try await submitting {
            _ = try await companies.update(id, CompanyInput(form: context.form), scope: scope)
            return .redirect(to: "/companies/\(id)", type: .normal)
        } reshow: { errors in
            try await form(context: context, action: "/companies/\(id)", heading: "编辑企业", values: context.form.fields, errors: errors)
        }
    }

    private func form(context: AppRequestContext, action: String, heading: String, values: [String: String], errors: FieldErrors) async throws -> Response {
        let scope = try context.scope()
        var choices = try await regions.regions(level: .county, scope: scope)
        if choices.isEmpty, let code = context.user?.regionCode { choices = [try await regions.region(code, scope: scope)] }
        let model = CompanyFormPage(layout: Layout(title: heading, context: context, section: "/companies"), action: action,
                                    heading: heading, values: values, errors: errors, regions: choices)
        return renderer.render(.companyForm, model, status: errors.isEmpty ? .ok : .badRequest)
    }
}
