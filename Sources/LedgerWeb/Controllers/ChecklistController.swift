import Foundation
import Hummingbird
import LedgerCore

/// 检查清单: the checklist in force for a region (own, inherited or built in), its versions, and the regulator's edit,
/// which makes a new version. Under `/self-inspections` because companies read the list they answer.
struct ChecklistController {
    let checklists: Checklists
    let estates: EstateRepository
    let regions: RegionDirectory
    let renderer: Renderer

    func addRoutes(to router: some RouterMethods<AppRequestContext>) {
        router.get("/self-inspections/checklist", use: page)
        router.post("/self-inspections/checklist", use: save)
    }

    @Sendable func page(_ request: Request, context: AppRequestContext) async throws -> Response {
        try await checklistPage(context, regionCode: request.uri.queryParameters["region"].map { String($0.prefix(20)) }, errors: FieldErrors(), editing: false)
    }

    @Sendable func save(_ request: Request, context: AppRequestContext) async throws -> Response {
        let scope = try context.scope()
        let region = String((context.form["region"] ?? "").prefix(20))
        return try await submitting {
            try await checklists.save(regionCode: region, ChecklistInput(form: context.form.fields), scope: scope)
            return .redirect(to: "/self-inspections/checklist?region=\(region.urlQueryEncoded)", type: .normal)
        } reshow: { errors in
            try await checklistPage(context, regionCode: region, errors: errors, editing: true, status: .badRequest)
        }
    }

    private func checklistPage(_ context: AppRequestContext, regionCode: String?, errors: FieldErrors, editing: Bool,
                               status: HTTPResponse.Status = .ok) async throws -> Response {
        let scope = try context.scope()
        let companyView = !(scope.role.isRegional || scope.role == .admin)
        var code = regionCode ?? ""
        if code.isEmpty && !companyView { code = try await regions.home(scope: scope) }
        // A company reads the list in force for its first estate (each estate's own list is on its filing form).
        var (region, inForce, own): (Region?, ChecklistVersion, [ChecklistVersion]) = (nil, .builtIn, [])
        if companyView {
            if let first = try await estates.estates(scope: scope, request: ListRequest(sort: .name, pageSize: 1)).items.first {
                inForce = try await checklists.checklist(forEstate: first.id, scope: scope)
            }
        } else {
            (region, inForce, own) = try await checklists.history(regionCode: code, scope: scope)
        }
        var nameOf: [String: String] = [:], choices: [Region] = []
        if let path = inForce.regionPath, region == nil {
            for r in try await regions.names(onPath: path) { nameOf[r.code] = r.name }
        }
        if let region {
            for r in try await regions.names(onPath: region.path) { nameOf[r.code] = r.name }
            choices = [region] + (try await regions.children(of: region.code, scope: scope)).filter { $0.level != .community }
        }
        let values = context.form.fields
        let categories = ProblemCategory.all
        let base = inForce.items.map { ChecklistInput.Row(code: $0.code, title: $0.title, clause: $0.clause, category: $0.category) }
        let rows = editing ? ChecklistInput(form: values).rows : base + Array(repeating: ChecklistInput.Row(code: "", title: "", clause: "", category: ""), count: 3)
        let editRows = rows.enumerated().map { n, row in
            ChecklistPage.EditRow(
                index: n, number: n + 1,
                code: Field("code.\(n)", ["code.\(n)": row.code], errors), title: Field("title.\(n)", ["title.\(n)": row.title], errors),
                clause: Field("clause.\(n)", ["clause.\(n)": row.clause], errors),
                categories: [Option(value: "", label: "请选择", selected: row.category.isEmpty)]
                    + categories.map { Option(value: $0.code, label: "\($0.group) · \($0.title)", selected: $0.code == row.category) },
                categoryError: errors.message(for: "category.\(n)"))
        }
        let model = ChecklistPage(
            layout: Layout(title: "检查清单", context: context, section: "/self-inspections"), regionCode: region?.code ?? "", regionName: region?.name ?? (companyView ? "本企业所管小区" : "全省通用"),
            regions: choices.map { Option(value: $0.code, label: "\($0.name)（\($0.level.title)）", selected: $0.code == region?.code) },
            hasRegions: !choices.isEmpty,
            inForce: inForce.title(regionName: inForce.regionCode.flatMap { nameOf[$0] }),
            rows: inForce.items.enumerated().map { n, item in
                .init(number: n + 1, code: item.code, title: item.title, clause: item.clause, category: ProblemCategory.named(item.category)?.title ?? item.category)
            },
            versions: own.map { .init(version: $0.version, createdAt: Timestamp.display(stored: $0.createdAt ?? ""), createdBy: $0.createdBy ?? "",
                                      note: $0.note, count: $0.items.count) },
            hasVersions: !own.isEmpty, canEdit: scope.can(.editChecklist) && region != nil, editRows: editRows,
            note: Field("note", values, errors), formError: errors.message(for: "items") ?? errors.items.first { $0.field == nil || $0.field == "region" }?.message)
        return renderer.render(.checklist, model, status: status)
    }
}
