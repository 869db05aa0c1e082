import Foundation
import Hummingbird
import LedgerCore

/// 交叉检查: the rounds a city or county sets up among its child regions (publish, then draw from the announced seed),
/// each group's page with its report form, and the report as a printable document.
struct CrossInspectionController {
    let cross: CrossInspections
    let renderer: Renderer
    let clock: any LedgerClock

    func addRoutes(to router: some RouterMethods<AppRequestContext>) {
        router.get("/inspections/cross", use: list)
        router.get("/inspections/cross/new", use: newForm)
        router.post("/inspections/cross/new", use: publish)
        router.get("/inspections/cross/groups/:id", use: group)
        router.post("/inspections/cross/groups/:id", use: file)
        router.get("/inspections/cross/groups/:id/report", use: printable)
        router.get("/inspections/cross/:id", use: round)
        router.post("/inspections/cross/:id/draw", use: draw)
    }

    private var today: Day { Day(Timestamp.shanghaiDay(clock.now()))! }

    /// The rounds the user sees: its region's, and those its region takes part in.
    @Sendable func list(_ request: Request, context: AppRequestContext) async throws -> Response {
        let scope = try context.scope()
        let number = try RegistryAPI.positive(request.uri.queryParameters["page"], field: "page") ?? 1
        let page = try await cross.list(scope: scope, page: number)
        return renderer.render(.crossRounds, CrossRoundsPage(page, scope: scope, context: context))
    }

    /// The form that publishes a round (the region's child regions, all invited by default).
    @Sendable func newForm(_ request: Request, context: AppRequestContext) async throws -> Response {
        let scope = try context.scope()
        try scope.require(.planSpotChecks)
        let region = request.uri.queryParameters["region"].map { String($0.prefix(20)) }
        return try await formPage(context, regionCode: region, values: [:], chosen: nil, errors: FieldErrors())
    }

    private func formPage(_ context: AppRequestContext, regionCode: String?, values: [String: String], chosen: [String]?, errors: FieldErrors,
                          status: HTTPResponse.Status = .ok) async throws -> Response {
        let scope = try context.scope()
        let (region, children) = try await cross.candidates(regionCode: regionCode ?? "", scope: scope)
        let next = Quarter(containing: today)
        var values = values
        if values["year"] == nil { values["year"] = "\(next.year)" }
        if values["quarter"] == nil { values["quarter"] = "\(next.quarter)" }
        return renderer.render(.crossRoundForm, CrossRoundFormPage(region: region, children: children, values: values, chosen: chosen, errors: errors,
                                                                   context: context), status: status)
    }

    @Sendable func publish(_ request: Request, context: AppRequestContext) async throws -> Response {
        let scope = try context.scope()
        let form = context.form
        let input = CrossInspections.RoundInput(
            regionCode: String((form["region"] ?? "").prefix(20)), year: Self.number(form["year"]), quarter: Self.number(form["quarter"]),
            sample: form["sample"] ?? "", seedSource: form["seedSource"] ?? "", participants: form.lists["participants"] ?? [])
        return try await submitting {
            let id = try await cross.publish(input, scope: scope)
            return .redirect(to: "/inspections/cross/\(id)", type: .normal)
        } reshow: { errors in
            try await formPage(context, regionCode: input.regionCode, values: form.fields, chosen: input.participants, errors: errors, status: .badRequest)
        }
    }

    /// A whole number as typed (full-width digits too); 0 when it is none, which the core refuses beside its field.
    static func number(_ text: String?) -> Int {
        Int(InputReader.halfWidth((text ?? "").trimmingCharacters(in: .whitespaces)).prefix(6)) ?? 0
    }

    /// A round: participants, hash, seed source and method; the draw form until drawn, then the groups.
    @Sendable func round(_ request: Request, context: AppRequestContext) async throws -> Response {
        try await roundPage(context, errors: FieldErrors())
    }

    private func roundPage(_ context: AppRequestContext, errors: FieldErrors, status: HTTPResponse.Status = .ok) async throws -> Response {
        let scope = try context.scope()
        let round = try await cross.round(try RegistryAPI.id(context), scope: scope)
        return renderer.render(.crossRound, CrossRoundPage(round, scope: scope, values: context.form.fields, errors: errors, context: context), status: status)
    }

    @Sendable func draw(_ request: Request, context: AppRequestContext) async throws -> Response {
        let scope = try context.scope()
        let id = try RegistryAPI.id(context)
        return try await submitting {
            try await cross.draw(id, seed: context.form["seed"] ?? "", scope: scope)
            return .redirect(to: "/inspections/cross/\(id)", type: .normal)
        } reshow: { errors in
            try await roundPage(context, errors: errors, status: .badRequest)
        }
    }

    /// A group: its report once filed, else the report form for the inspecting region's officials.
    @Sendable func group(_ request: Request, context: AppRequestContext) async throws -> Response {
        try await groupPage(context, errors: FieldErrors())
    }

    private func groupPage(_ context: AppRequestContext, errors: FieldErrors, status: HTTPResponse.Status = .ok) async throws -> Response {
        let scope = try context.scope()
        let detail = try await cross.group(try RegistryAPI.id(context), scope: scope)
        return renderer.render(.crossGroup, CrossGroupPage(detail, form: context.form, errors: errors, context: context), status: status)
    }

    @Sendable func file(_ request: Request, context: AppRequestContext) async throws -> Response {
        let scope = try context.scope()
        let id = try RegistryAPI.id(context)
        let form = context.form
        let input = CrossInspections.ReportInput(
            inspectedFrom: form["inspectedFrom"] ?? "", inspectedUntil: form["inspectedUntil"] ?? "", team: form["team"] ?? "", scope: form["scope"] ?? "",
            estates: form.lists["estates"] ?? [],
            findings: (0..<CrossGroupPage.findingRows).map {
                .init(estate: form["finding\($0)Estate"] ?? "", category: form["finding\($0)Category"] ?? "", description: form["finding\($0)Description"] ?? "")
            },
            summary: form["summary"] ?? "", recommendations: form["recommendations"] ?? "")
        return try await submitting {
            try await cross.file(id, input, scope: scope)
            return .redirect(to: "/inspections/cross/groups/\(id)", type: .normal)
        } reshow: { errors in
            try await groupPage(context, errors: errors, status: .badRequest)
        }
    }

    /// The filed report as a printable document in the 公文 layout.
    @Sendable func printable(_ request: Request, context: AppRequestContext) async throws -> Response {
        let scope = try context.scope()
        let detail = try await cross.group(try RegistryAPI.id(context), scope: scope)
        guard let report = detail.report else { throw LedgerError.notFound("交叉检查报告") }
        return renderer.render(.crossReport, CrossReportDocument(detail, report: report))
    }
}
