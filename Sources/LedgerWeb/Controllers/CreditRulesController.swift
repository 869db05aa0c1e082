import Foundation
import Hummingbird
import LedgerCore

/// `/credit/rules`: the credit rule table of a region (inherited from above unless set here), readable by every official,
/// editable by a regulator; a refused value is explained beside its field.
struct CreditRulesController {
    let regions: RegionDirectory
    let database: Database
    let renderer: Renderer
    let clock: any LedgerClock

    func addRoutes(to router: some RouterMethods<AppRequestContext>) {
        router.get("/credit/rules", use: page)
        router.post("/credit/rules", use: save)
    }

    @Sendable func page(_ request: Request, context: AppRequestContext) async throws -> Response {
        try await rulesPage(context, regionCode: request.uri.queryParameters["region"].map(String.init), errors: FieldErrors())
    }

    /// Saves one rule's terms for a region.
    @Sendable func save(_ request: Request, context: AppRequestContext) async throws -> Response {
        let scope = try context.scope(), form = context.form
        let region = form.value("region")
        return try await submitting {
            try await CreditRules.set(regionCode: region, rule: form.value("rule"),
                                      .init(points: form.value("points"), months: form.value("months"), repairAllowed: form.value("repairAllowed") == "1",
                                            repairAfterMonths: form.value("repairAfterMonths"), enabled: form.value("enabled") == "1"),
                                      scope: scope, database: database, clock: clock)
            return .redirect(to: "/credit/rules?region=\(region.urlQueryEncoded)#rule-\(form.value("rule").urlQueryEncoded)", type: .normal)
        } reshow: { errors in
            try await rulesPage(context, regionCode: region, errors: errors, status: .badRequest)
        }
    }

    private func rulesPage(_ context: AppRequestContext, regionCode: String?, errors: FieldErrors, status: HTTPResponse.Status = .ok) async throws -> Response {
        let scope = try context.scope()
        guard scope.role.isRegional || scope.role == .admin else { throw LedgerError.forbidden }
        var code = regionCode ?? ""
        if code.isEmpty { code = try await regions.home(scope: scope) }
        let (region, table) = try await CreditRules.effective(regionCode: code, scope: scope, database: database)
        let names = Dictionary(try await regions.names(onPath: region.path).map { ($0.code, $0.name) }) { a, _ in a }
        let choices = [region] + (try await regions.children(of: region.code, scope: scope)).filter { $0.level != .community }
        let submitted = context.form.fields
        let rows = table.map { entry in
            let rule = entry.rule
            let mine = submitted["rule"] == rule.code && !errors.isEmpty
            let values = mine ? submitted : ["points": "\(rule.points)", "months": "\(rule.validityMonths)", "repairAfterMonths": "\(rule.repairAfterMonths)"]
            let e = mine ? errors : FieldErrors()
            return CreditRulesPage.Row(
                code: rule.code, title: rule.title, source: rule.source.title, basis: rule.basis,
                setBy: entry.setBy.map { names[$0] ?? $0 } ?? "默认值",
                points: Field("points", values, e), months: Field("months", values, e), repairAfterMonths: Field("repairAfterMonths", values, e),
                repairAllowed: mine ? submitted["repairAllowed"] == "1" : rule.repairAllowed, enabled: mine ? submitted["enabled"] == "1" : rule.enabled,
                good: rule.isGood, rowError: mine ? e.items.first { $0.field == nil || $0.field == "rule" }?.message : nil)
        }
        let model = CreditRulesPage(
            layout: Layout(title: "信用评价规则 · \(region.name)", context: context, section: "/credit"), regionCode: region.code, regionName: region.name,
            regions: choices.map { Option(value: $0.code, label: "\($0.name)（\($0.level.title)）", selected: $0.code == region.code) },
            rows: rows, canEdit: scope.can(.setWarningParameters))
        return renderer.render(.creditRules, model, status: status)
    }
}
