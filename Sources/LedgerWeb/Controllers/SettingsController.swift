import Foundation
import Hummingbird
import LedgerCore

/// Handling deadlines per complaint source and the escalation ladder's days, set per region by its regulator;
/// and the enforcement actions recorded against a company.
struct SettingsController {
    let settings: RegionSettings
    let enforcement: Enforcement
    let companies: CompanyRepository
    let regions: RegionDirectory
    let renderer: Renderer

    func addRoutes(to router: some RouterMethods<AppRequestContext>) {
        router.get("/settings", use: page)
        router.post("/settings", use: save)
        router.get("/companies/:id/enforcement", use: enforcementPage)
        router.post("/companies/:id/enforcement", use: recordEnforcement)
    }

    struct SettingsPage: Sendable {
        struct Row: Sendable {
            let key: String; let label: String; let unit: String; let defaultValue: Int; let value: Int; let setBy: String
            let own: String; let range: String; let error: String?
        }
        let layout: Layout
        let regionCode: String
        let regionName: String
        let regions: [Option]
        let rows: [Row]
    }

    @Sendable func page(_ request: Request, context: AppRequestContext) async throws -> Response {
        try await settingsPage(context, regionCode: request.uri.queryParameters["region"].map(String.init), errors: FieldErrors())
    }

    @Sendable func save(_ request: Request, context: AppRequestContext) async throws -> Response {
        let scope = try context.scope()
        let region = context.form["region"] ?? ""
        return try await submitting {
            try await settings.set(regionCode: region, key: context.form["key"] ?? "", value: context.form["value"] ?? "", scope: scope)
            return .redirect(to: "/settings?region=\(region.urlQueryEncoded)", type: .normal)
        } reshow: { errors in
            try await settingsPage(context, regionCode: region, errors: errors, status: .badRequest)
        }
    }

    private func settingsPage(_ context: AppRequestContext, regionCode: String?, errors: FieldErrors, status: HTTPResponse.Status = .ok) async throws -> Response {
        let scope = try context.scope()
        try scope.require(.setRegionSettings)
        var code = regionCode ?? ""
        if code.isEmpty { code = try await regions.home(scope: scope) }
        let (region, values) = try await settings.effective(regionCode: code, scope: scope)
        let names = Dictionary(try await regions.names(onPath: region.path).map { ($0.code, $0.name) }) { a, _ in a }
        let choices = [region] + (try await regions.children(of: region.code, scope: scope)).filter { $0.level != .community }
        let submitted = context.form.fields
        let rows = values.map { setting, value, setBy in
            let mine = submitted["key"] == setting.key
            return SettingsPage.Row(key: setting.key, label: setting.label, unit: setting.unit, defaultValue: setting.defaultValue, value: value,
                                    setBy: setBy.map { names[$0] ?? $0 } ?? "默认值",
                                    own: mine ? submitted["value"] ?? "" : (setBy == region.code ? "\(value)" : ""),
                                    range: "\(setting.range.lowerBound)–\(setting.range.upperBound)", error: mine ? errors.items.first?.message : nil)
        }
        let model = SettingsPage(layout: Layout(title: "办理时限与督办设置", context: context, section: "/settings"), regionCode: region.code,
                                 regionName: region.name,
                                 regions: choices.map { Option(value: $0.code, label: "\($0.name)（\($0.level.title)）", selected: $0.code == region.code) },
                                 rows: rows)
        return renderer.render(.settings, model, status: status)
    }

    struct EnforcementPage: Sendable {
        struct Row: Sendable { let kind: String; let decidedOn: String; let basis: String; let number: String; let note: String; let problemId: Int64? }
        let layout: Layout
        let companyId: Int64
        let companyName: String
        let rows: [Row]
        let empty: Bool
        let canRecord: Bool
        let kinds: [Option]
        let decidedOn: Field
        let basis: Field
        let documentNumber: Field
        let note: Field
        let problem: Field
        let kindError: String?
    }

    @Sendable func enforcementPage(_ request: Request, context: AppRequestContext) async throws -> Response {
        try await enforcementView(context, errors: FieldErrors())
    }

    @Sendable func recordEnforcement(_ request: Request, context: AppRequestContext) async throws -> Response {
        let scope = try context.scope()
        let id = try RegistryAPI.id(context)
        return try await submitting {
            try await enforcement.record(companyId: id, EnforcementInput(form: context.form), scope: scope)
            return .redirect(to: "/companies/\(id)/enforcement", type: .normal)
        } reshow: { errors in
            try await enforcementView(context, errors: errors, status: .badRequest)
        }
    }

    private func enforcementView(_ context: AppRequestContext, errors: FieldErrors, status: HTTPResponse.Status = .ok) async throws -> Response {
        let scope = try context.scope()
        let id = try RegistryAPI.id(context)
        let company = try await companies.company(id, scope: scope)
        let actions = try await enforcement.actions(companyId: id, scope: scope)
        let values = context.form.fields
        let model = EnforcementPage(
            layout: Layout(title: "执法措施 · \(company.name)", context: context, section: "/companies"), companyId: id, companyName: company.name,
            rows: actions.map { .init(kind: $0.kindTitle, decidedOn: $0.decidedOn, basis: $0.basis, number: $0.documentNumber, note: $0.note, problemId: $0.problemId) },
            empty: actions.isEmpty, canRecord: scope.can(.recordEnforcement),
            kinds: EnforcementKind.allCases.map { Option(value: $0.rawValue, label: $0.title, selected: $0.rawValue == values["kind"]) },
            decidedOn: Field("decidedOn", values, errors), basis: Field("basis", values, errors), documentNumber: Field("documentNumber", values, errors),
            note: Field("note", values, errors), problem: Field("problem", values, errors), kindError: errors.message(for: "kind"))
        return renderer.render(.enforcement, model, status: status)
    }
}
