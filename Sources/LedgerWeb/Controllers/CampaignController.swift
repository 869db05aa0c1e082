import Foundation
import Hummingbird
import LedgerCore

/// 专项整治: campaigns with phases and task lists; responsible units report progress per period.
struct CampaignController {
    let campaigns: Campaigns
    let regions: RegionDirectory
    let renderer: Renderer
    let clock: any LedgerClock

    func addRoutes(to router: some RouterMethods<AppRequestContext>) {
        router.get("/campaigns", use: list)
        router.post("/campaigns", use: create)
        router.get("/campaigns/:id", use: show)
        router.post("/campaigns/:id/tasks", use: addTask)
        router.post("/campaigns/:id/reports", use: report)
    }

    struct ListPage: Sendable {
        struct Row: Sendable { let id: Int64; let name: String; let phases: String }
        struct PhaseField: Sendable { let index: Int; let number: Int; let name: String; let from: String; let until: String; let error: String? }
        let layout: Layout
        let rows: [Row]
        let empty: Bool
        let canCreate: Bool
        let regionCode: String
        let name: Field
        let phases: [PhaseField]
        let phasesError: String?
        let layouts: [Option]
        let formError: String?
    }

    @Sendable func list(_ request: Request, context: AppRequestContext) async throws -> Response {
        try await listPage(context, errors: FieldErrors(), layout: request.uri.queryParameters["layout"].map(String.init))
    }

    /// `layout` names a plan's phase list to start from (`Campaigns.phaseLayouts`); submitted values win over it.
    private func listPage(_ context: AppRequestContext, errors: FieldErrors, layout: String? = nil, status: HTTPResponse.Status = .ok) async throws -> Response {
        let scope = try context.scope()
        try scope.require(.viewCampaigns)
        let all = try await campaigns.list(scope: scope)
        let values = context.form.fields
        let model = ListPage(
            layout: Layout(title: "专项整治", context: context, section: "/campaigns"),
            rows: all.map { .init(id: $0.id, name: $0.name, phases: $0.phases.map { "\($0.name) \($0.startsOn)至\($0.endsOn)" }.joined(separator: "；")) },
            empty: all.isEmpty, canCreate: scope.can(.manageCampaigns), regionCode: try await regions.home(scope: scope),
            name: Field("name", values, errors),
            phases: (0..<Campaigns.maxPhases).map { index in
                let names = Campaigns.phaseLayouts.first { $0.key == layout }?.names ?? Campaigns.phaseNames
                let submitted = values.isEmpty ? nil : values["phase\(index)Name"]
                return .init(index: index, number: index + 1, name: submitted ?? (index < names.count ? names[index] : ""),
                             from: values["phase\(index)From"] ?? "", until: values["phase\(index)Until"] ?? "",
                             error: errors.message(for: "phase\(index)Name") ?? errors.message(for: "phase\(index)From") ?? errors.message(for: "phase\(index)Until"))
            },
            phasesError: errors.message(for: "phases"),
            layouts: Campaigns.phaseLayouts.map { Option(value: $0.key, label: $0.title, selected: $0.key == (layout ?? "dehua")) },
            formError: errors.items.first { !($0.field ?? "").hasPrefix("phase") && $0.field != "name" }?.message)
        return renderer.render(.campaigns, model, status: status)
    }

    @Sendable func create(_ request: Request, context: AppRequestContext) async throws -> Response {
        let scope = try context.scope()
        return try await submitting {
            let id = try await campaigns.create(Campaigns.NewCampaign(form: context.form), scope: scope)
            return .redirect(to: "/campaigns/\(id)", type: .normal)
        } reshow: { errors in
            try await listPage(context, errors: errors, status: .badRequest)
        }
    }

    struct DetailPage: Sendable {
        struct PeriodCell: Sendable { let title: String; let due: String; let state: String; let label: String; let note: String; let period: String }
        struct TaskRow: Sendable {
            let id: Int64; let position: Int; let content: String; let responsible: String; let dueText: String; let periods: [PeriodCell]; let overdue: Bool
        }
        struct PhaseRow: Sendable { let name: String; let from: String; let until: String }
        let layout: Layout
        let id: Int64
        let campaignId: Int64
        let name: String
        let phases: [PhaseRow]
        let tasks: [TaskRow]
        let empty: Bool
        let overdueCount: Int
        let canEdit: Bool
        let canReport: Bool
        let content: Field
        let responsible: Field
        let dueOn: Field
        let day: Field
        let dueText: Field
        let scheduleError: String?
        let reportError: String?
        /// The complaint ledger (附件5) since the campaign began, and for the current month.
        let ledgerSince: String
        let ledgerMonth: String
    }

    @Sendable func show(_ request: Request, context: AppRequestContext) async throws -> Response {
        try await detail(context, errors: FieldErrors(), reportError: nil)
    }

    private func detail(_ context: AppRequestContext, errors: FieldErrors, reportError: String?, status: HTTPResponse.Status = .ok) async throws -> Response {
        let scope = try context.scope()
        let (campaign, tasks) = try await campaigns.campaign(try RegistryAPI.id(context), scope: scope)
        let values = context.form.fields
        let rows = tasks.map { task in
            DetailPage.TaskRow(id: task.id, position: task.position, content: task.content, responsible: task.responsible, dueText: task.dueText,
                               periods: task.periods.map { p in
                                   let state = p.status == .done ? "done" : p.overdue ? "overdue" : p.status == .inProgress ? "progress" : "pending"
                                   let label = ["done": "已完成", "overdue": "逾期", "progress": "推进中", "pending": "未到期"][state]!
                                   return .init(title: p.title, due: p.due.description, state: state, label: label, note: p.note ?? "", period: p.period)
                               }, overdue: !task.overdue.isEmpty)
        }
        let model = DetailPage(
            layout: Layout(title: campaign.name, context: context, section: "/campaigns"), id: campaign.id, campaignId: campaign.id, name: campaign.name,
            phases: campaign.phases.map { .init(name: $0.name, from: $0.startsOn, until: $0.endsOn) }, tasks: rows, empty: rows.isEmpty,
            overdueCount: tasks.reduce(0) { $0 + $1.overdue.count }, canEdit: scope.can(.manageCampaigns),
            canReport: scope.can(.reportCampaignTasks),
            content: Field("content", values, errors), responsible: Field("responsible", values, errors), dueOn: Field("dueOn", values, errors),
            day: Field("day", values, errors), dueText: Field("dueText", values, errors), scheduleError: errors.message(for: "schedule"), reportError: reportError,
            ledgerSince: campaign.phases.map(\.startsOn).min() ?? "", ledgerMonth: String(Timestamp.shanghaiDay(clock.now()).prefix(8)) + "01")
        return renderer.render(.campaign, model, status: status)
    }

    @Sendable func addTask(_ request: Request, context: AppRequestContext) async throws -> Response {
        let scope = try context.scope()
        let id = try RegistryAPI.id(context)
        return try await submitting {
            try await campaigns.addTask(campaignId: id, Campaigns.NewTask(form: context.form), scope: scope)
            return .redirect(to: "/campaigns/\(id)#tasks", type: .normal)
        } reshow: { errors in
            try await detail(context, errors: errors, reportError: nil, status: .badRequest)
        }
    }

    @Sendable func report(_ request: Request, context: AppRequestContext) async throws -> Response {
        let scope = try context.scope()
        let id = try RegistryAPI.id(context)
        _ = try await campaigns.campaign(id, scope: scope)
        guard let task = Int64(context.form["task"] ?? "") else { throw LedgerError.invalid("task", code: "required", "请选择任务") }
        do {
            try await campaigns.report(taskId: task, period: context.form["period"] ?? "", status: Campaigns.Progress(rawValue: context.form["status"] ?? ""),
                                       note: context.form["note"] ?? "", scope: scope)
            return .redirect(to: "/campaigns/\(id)#task-\(task)", type: .normal)
        } catch let errors as FieldErrors {
            return try await detail(context, errors: FieldErrors(), reportError: errors.items.first?.message, status: .badRequest)
        } catch let error as LedgerError where error.kind == .invalid {
            return try await detail(context, errors: FieldErrors(), reportError: error.message, status: .badRequest)
        }
    }
}
