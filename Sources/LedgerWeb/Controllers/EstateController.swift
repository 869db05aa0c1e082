import Foundation
import Hummingbird
import LedgerCore

/// Estate pages: the list, one estate with its contracts, committees and account, and the forms that edit them.
struct EstateController {
    let estates: EstateRepository
    let records: EstateRecords
    let regions: RegionDirectory
    let questions: OwnerQuestions
    let renderer: Renderer
    let pages: SharedPages
    let clock: any LedgerClock

    func addRoutes(to router: some RouterMethods<AppRequestContext>) {
        router.get("/estates", use: list)
        router.get("/estates/new", use: new)
        router.post("/estates", use: create)
        router.get("/estates/:id", use: show)
        router.get("/estates/:id/edit", use: edit)
        router.post("/estates/:id", use: update)
        router.post("/estates/:id/contracts", use: addContract)
        router.post("/estates/:id/committees", use: addCommittee)
        router.post("/estates/:id/account", use: setAccount)
        router.post("/estates/:id/questions/:question/answer", use: answer)
    }

    static let columns: [(EstateRepository.SortKey, String)] = [
        (.name, "小区名称"), (.community, "所属社区"), (.households, "户数"), (.company, "物业服务企业"), (.updated, "更新时间"),
    ]

    /// Estates in the user's jurisdiction: searchable, sortable, paged.
    @Sendable func list(_ request: Request, context: AppRequestContext) async throws -> Response {
        let scope = try context.scope()
        let query = request.uri.queryParameters
        let search = query["q"].map(String.init) ?? ""
        let sort = query["sort"].flatMap { EstateRepository.SortKey(rawValue: String($0)) } ?? .name
        let descending = query["desc"] == "1"
        let list = ListRequest(search: search, sort: sort, descending: descending, page: query["page"].flatMap { Int(String($0)) } ?? 1)
        let today = Day(Timestamp.shanghaiDay(clock.now()))!
        return try await pages.render(.estates, "estates", key: "\(list)", kept: list.search.isEmpty, scope: scope, today: today, context: context) { [estates] viewer in
            let page = try await estates.estates(scope: scope, request: list)
            return EstateListPage(
                layout: Layout(title: "小区", viewer: viewer, section: "/estates"),
                search: list.search,
                rows: page.items.map(EstateRow.init),
                columns: SortLink.make(Self.columns, current: sort, descending: descending, base: "/estates", search: list.search),
                pager: Pager(page, base: "/estates", query: [("q", list.search), ("sort", sort.rawValue), ("desc", descending ? "1" : "")]),
                canCreate: scope.canEditRegistry,
                empty: page.items.isEmpty)
        }
    }

    /// One estate with its records.
    @Sendable func show(_ request: Request, context: AppRequestContext) async throws -> Response {
        try await detailPage(context, id: try context.parameters.require("id", as: Int64.self))
    }

    /// The estate page; `forms` reopens a small form that failed, with its errors beside its fields.
    private func detailPage(_ context: AppRequestContext, id: Int64, forms: [String: RecordForm] = [:]) async throws -> Response {
        let scope = try context.scope()
        let estate = try await estates.estate(id, scope: scope)
        let details = try await records.details(estateId: id, scope: scope)
        let path = try await regions.names(onPath: estate.regionPath).map(\.name).joined(separator: " / ")
        let today = Timestamp.shanghaiDay(clock.now())
        let model = EstateDetailPage(
            layout: Layout(title: estate.name, context: context, section: "/estates"),
            estate: estate, breadcrumb: path,
            contracts: details.contracts.map { .init(company: $0.companyName, companyId: $0.companyId, start: $0.startDate, end: $0.endDate ?? "至今") },
            committees: details.committees.map { .init(kind: $0.kind.rawValue, chair: $0.chairName, start: $0.termStart, end: $0.termEnd, expired: $0.termEnd < today) },
            account: details.account, canEdit: scope.canEditRegistry, today: today, forms: forms,
            questions: try await questions.all(estateId: id, scope: scope), role: scope.role,
            filingQuarter: DisclosureCalendar(database: estates.database, clock: clock).currentFilingQuarter())
        return renderer.render(.estate, model, status: forms.isEmpty ? .ok : .badRequest)
    }

    /// The empty form for a new estate.
    @Sendable func new(_ request: Request, context: AppRequestContext) async throws -> Response {
        let scope = try context.scope()
        guard scope.canEditRegistry else { throw LedgerError.forbidden }
        return try await form(context: context, action: "/estates", heading: "登记小区", values: ["ownersShare": "70"], errors: FieldErrors())
    }

    /// Creates an estate, or shows the form again with each error beside its field and the user's input kept.
    @Sendable func create(_ request: Request, context: AppRequestContext) async throws -> Response {
        let scope = try context.scope()
        guard scope.canEditRegistry else { throw LedgerError.forbidden }
        return try await submitting {
            let estate = try await estates.create(EstateInput(form: context.form), scope: scope)
            return .redirect(to: "/estates/\(estate.id)", type: .normal)
        } reshow: { errors in
            try await form(context: context, action: "/estates", heading: "登记小区", values: context.form.fields, errors: errors)
        }
    }

    /// The form filled with an estate's current values.
    @Sendable func edit(_ request: Request, context: AppRequestContext) async throws -> Response {
        let scope = try context.scope()
        let id = try context.parameters.require("id", as: Int64.self)
        let estate = try await estates.estate(id, scope: scope)
        guard scope.canEditRegistry else { throw LedgerError.forbidden }
        let values = [
            "name": estate.name, "address": estate.address, "community": estate.communityCode, "households": "\(estate.households)",
            "floorArea": "\(estate.floorArea)", "ownersShare": percentText(basisPoints: estate.ownersShareBp).replacingOccurrences(of: "%", with: ""),
        ]
        return try await form(context: context, action: "/estates/\(id)", heading: "编辑小区：\(estate.name)", values: values, errors: FieldErrors())
    }

    /// Saves an edit.
    @Sendable func update(_ request: Request, context: AppRequestContext) async throws -> Response {
        let scope = try context.scope()
        let id = try context.parameters.require("id", as: Int64.self)
        _ = try await estates.estate(id, scope: scope)
        guard scope.canEditRegistry else { throw LedgerError.forbidden }
        return try await submitting {
            _ = try await estates.update(id, EstateInput(form: context.form), scope: scope)
            return .redirect(to: "/estates/\(id)", type: .normal)
        } reshow: { errors in
            try await form(context: context, action: "/estates/\(id)", heading: "编辑小区", values: context.form.fields, errors: errors)
        }
    }

    /// The company answers an owner's question; the answer becomes public and final.
    @Sendable func answer(_ request: Request, context: AppRequestContext) async throws -> Response {
        let scope = try context.scope()
        let id = try context.parameters.require("id", as: Int64.self)
        _ = try await estates.estate(id, scope: scope)
        let questionId = try context.parameters.require("question", as: Int64.self)
        do {
            _ = try await questions.answer(questionId: questionId, AnswerInput(answer: context.form.value("answer")), scope: scope)
        } catch let errors as FieldErrors {
            throw LedgerError(.invalid, code: "required", message: errors.items.map(\.message).joined(separator: "；"), field: "answer")
        }
        return .redirect(to: "/estates/\(id)#questions", type: .normal)
    }

    /// Records a new management contract.
    @Sendable func addContract(_ request: Request, context: AppRequestContext) async throws -> Response {
        try await recordChange(context, form: "contracts") { id, scope in
            _ = try await records.assignCompany(estateId: id, ContractInput(form: context.form), scope: scope)
        }
    }

    /// Records an owners' committee term.
    @Sendable func addCommittee(_ request: Request, context: AppRequestContext) async throws -> Response {
        try await recordChange(context, form: "committees") { id, scope in
            _ = try await records.addCommittee(estateId: id, CommitteeInput(form: context.form), scope: scope)
        }
    }

    /// Sets the dedicated account.
    @Sendable func setAccount(_ request: Request, context: AppRequestContext) async throws -> Response {
        try await recordChange(context, form: "account") { id, scope in
            _ = try await records.setAccount(estateId: id, AccountInput(form: context.form), scope: scope)
        }
    }

    /// Runs a change from one of the estate page's small forms; on a field error shows the page again with
    /// that form open, the input kept and each error beside its field.
    private func recordChange(_ context: AppRequestContext, form: String, _ change: (Int64, Scope) async throws -> Void) async throws -> Response {
        let scope = try context.scope()
        let id = try context.parameters.require("id", as: Int64.self)
        _ = try await estates.estate(id, scope: scope)
        guard scope.canEditRegistry else { throw LedgerError.forbidden }
        return try await submitting {
            try await change(id, scope)
            return .redirect(to: "/estates/\(id)", type: .normal)
        } reshow: { errors in
            try await detailPage(context, id: id, forms: [form: RecordForm(open: true, values: context.form.fields, errors: errors)])
        }
    }

    private func form(context: AppRequestContext, action: String, heading: String, values: [String: String], errors: FieldErrors) async throws -> Response {
        let scope = try context.scope()
        let communities = try await regions.regions(level: .community, scope: scope)
        let streets = try await regions.regions(level: .street, scope: scope)
        var parents = Dictionary(uniqueKeysWithValues: streets.map { ($0.code, $0.name) })
        if scope.role != .admin, parents.isEmpty, let first = communities.first?.parentCode {
            parents[first] = try await regions.region(first, scope: scope).name
        }
        let model = EstateFormPage(layout: Layout(title: heading, context: context, section: "/estates"), action: action, heading: heading,
                                   values: values, errors: errors, communities: communities, parents: parents)
        return renderer.render(.estateForm, model, status: errors.isEmpty ? .ok : .badRequest)
    }
}
