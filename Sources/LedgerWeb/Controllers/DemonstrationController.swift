import Foundation
import Hummingbird
import LedgerCore

/// 示范小区: the list (with each district's progress against its target), the nomination form, and a nomination's page
/// where the city confirms or refuses it.
struct DemonstrationController {
    let demonstrations: Demonstrations
    let renderer: Renderer

    func addRoutes(to router: some RouterMethods<AppRequestContext>) {
        router.get("/demonstrations", use: list)
        router.post("/demonstrations", use: nominate)
        router.get("/demonstrations/:id", use: detail)
        router.post("/demonstrations/:id/decide", use: decide)
    }

    @Sendable func list(_ request: Request, context: AppRequestContext) async throws -> Response {
        try await listPage(request, context, errors: FieldErrors())
    }

    private func listPage(_ request: Request, _ context: AppRequestContext, errors: FieldErrors, status: HTTPResponse.Status = .ok) async throws -> Response {
        let scope = try context.scope()
        let number = try RegistryAPI.positive(request.uri.queryParameters["page"], field: "page") ?? 1
        let page = try await demonstrations.list(scope: scope, page: number)
        var values = context.form.fields
        if values["estate"] == nil, let estate = request.uri.queryParameters["estate"] { values["estate"] = String(estate.prefix(12)) }
        let model = DemonstrationListPage(
            layout: Layout(title: "示范小区", context: context, section: "/demonstrations"),
            rows: page.items.map(DemonstrationRow.init), empty: page.items.isEmpty, pager: Pager(page, base: "/demonstrations", query: []),
            canNominate: scope.can(.nominateDemonstration), estate: Field("estate", values, errors), criteria: Field("criteria", values, errors),
            evidence: Field("evidence", values, errors),
            formError: errors.items.first { !["estate", "criteria", "evidence"].contains($0.field ?? "") }?.message)
        return renderer.render(.demonstrations, model, status: status)
    }

    @Sendable func nominate(_ request: Request, context: AppRequestContext) async throws -> Response {
        let scope = try context.scope()
        let form = context.form
        return try await submitting {
            guard let estate = Int64((form["estate"] ?? "").trimmingCharacters(in: .whitespaces)) else {
                throw LedgerError.invalid("estate", code: "required", "请填写推荐小区的编号")
            }
            let id = try await demonstrations.nominate(estateId: estate, criteria: form["criteria"] ?? "", evidence: form["evidence"] ?? "", scope: scope)
            return .redirect(to: "/demonstrations/\(id)", type: .normal)
        } reshow: { errors in
            try await listPage(request, context, errors: errors, status: .badRequest)
        }
    }

    @Sendable func detail(_ request: Request, context: AppRequestContext) async throws -> Response {
        try await detailPage(context, errors: FieldErrors())
    }

    private func detailPage(_ context: AppRequestContext, errors: FieldErrors, status: HTTPResponse.Status = .ok) async throws -> Response {
        let scope = try context.scope()
        let found = try await demonstrations.demonstration(try RegistryAPI.id(context), scope: scope)
        let canDecide = found.status == .nominated && scope.can(.confirmDemonstration)
            && (scope.role == .admin || (scope.regionPath?.split(separator: "/").count ?? 9) <= 2)
        let model = DemonstrationPage(layout: Layout(title: "示范小区推荐 #\(found.id)", context: context, section: "/demonstrations"),
                                      row: DemonstrationRow(found), criteria: found.criteria, evidence: found.evidence, reason: found.reason ?? "",
                                      hasReason: found.reason != nil, canDecide: canDecide, reasonField: Field("reason", context.form.fields, errors))
        return renderer.render(.demonstration, model, status: status)
    }

    @Sendable func decide(_ request: Request, context: AppRequestContext) async throws -> Response {
        let scope = try context.scope()
        let id = try RegistryAPI.id(context)
        return try await submitting {
            guard let choice = context.form["decision"], ["confirm", "refuse"].contains(choice) else {
                throw LedgerError.invalid("decision", code: "required", "请选择认定或不予认定")
            }
            try await demonstrations.decide(id, confirm: choice == "confirm", reason: context.form["reason"] ?? "", scope: scope)
            return .redirect(to: "/demonstrations/\(id)", type: .normal)
        } reshow: { errors in
            try await detailPage(context, errors: errors, status: .badRequest)
        }
    }
}

struct DemonstrationRow: Sendable {
    let id: Int64
    let estateId: Int64
    let estate: String
    let status: String
    let nominatedAt: String
    let needsReview: Bool

    init(_ d: Demonstrations.Demonstration) {
        id = d.id
        estateId = d.estateId
        estate = d.estateName
        status = d.status.title
        nominatedAt = Timestamp.display(stored: d.nominatedAt)
        needsReview = d.needsReview
    }
}

struct DemonstrationListPage: Sendable {
    let layout: Layout
    let rows: [DemonstrationRow]
    let empty: Bool
    let pager: Pager
    let canNominate: Bool
    let estate: Field
    let criteria: Field
    let evidence: Field
    let formError: String?
}

struct DemonstrationPage: Sendable {
    let layout: Layout
    let row: DemonstrationRow
    let criteria: String
    let evidence: String
    let reason: String
    let hasReason: Bool
    let canDecide: Bool
    let reasonField: Field
}
