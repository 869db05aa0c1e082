import Foundation
import Hummingbird
import LedgerCore

/// 双随机一公开 for officials: spot-check plans (make, confirm the forced inclusions, publish, draw from the announced
/// public seed) and visits recorded against the checklist on a phone, with photos; every 不符合 becomes a problem.
struct InspectionController {
    let plans: InspectionPlans
    let records: InspectionRecords
    let inspectors: Inspectors
    let checklists: Checklists
    let regions: RegionDirectory
    let renderer: Renderer
    let clock: any LedgerClock

    func addRoutes(to router: some RouterMethods<AppRequestContext>) {
        router.get("/inspections", use: list)
        router.get("/inspections/plans/new", use: newForm)
        router.post("/inspections/plans/new", use: publish)
        router.get("/inspections/plans/:id", use: show)
        router.post("/inspections/plans/:id/draw", use: draw)
        router.get("/inspections/visits/new", use: visitForm)
        router.post("/inspections/visits/new", use: recordVisit)
        router.get("/inspections/visits/:id", use: visit)
        router.get("/inspections/visits/:id/photos/:file", use: photo)
        router.get("/inspections/inspectors", use: inspectorList)
        router.post("/inspections/inspectors", use: addInspector)
        router.post("/inspections/inspectors/:id/active", use: setInspectorActive)
    }

    // MARK: Inspectors (检查人员名录库)

    @Sendable func inspectorList(_ request: Request, context: AppRequestContext) async throws -> Response {
        try await inspectorPage(request, context, errors: FieldErrors(),
                                notice: request.uri.queryParameters["added"] == "1" ? "检查人员已登记，将进入此后公布的抽查计划的人员库。" : nil)
    }

    private func inspectorPage(_ request: Request, _ context: AppRequestContext, errors: FieldErrors, status: HTTPResponse.Status = .ok,
                               notice: String? = nil) async throws -> Response {
        let scope = try context.scope()
        let number = request.uri.queryParameters["page"].flatMap { Int($0) } ?? 1
        let page = try await inspectors.list(scope: scope, page: number)
        let home = try await regions.home(scope: scope)
        let streets = try await regions.regions(level: .street, scope: scope)
        let values = context.form.fields
        let model = InspectorPage(
            layout: Layout(title: "检查人员名录库", context: context, section: "/inspections", notice: notice),
            rows: page.items.map(InspectorPage.Row.init), empty: page.items.isEmpty, pager: Pager(page, base: "/inspections/inspectors", query: []),
            canEdit: scope.can(.planSpotChecks), regionCode: values["region"] ?? home,
            streets: [Option(value: "", label: "不服务具体街道", selected: (values["streetCode"] ?? "").isEmpty)]
                + streets.map { Option(value: $0.code, label: $0.name, selected: $0.code == values["streetCode"]) },
            kinds: Inspectors.Kind.allCases.map { Option(value: $0.rawValue, label: $0.title, selected: $0.rawValue == (values["inspectorKind"] ?? "inspector")) },
            name: Field("name", values, errors), organisation: Field("organisation", values, errors), streetCode: Field("streetCode", values, errors),
            conflicts: Field("conflicts", values, errors), kind: Field("inspectorKind", values, errors),
            formError: errors.items.first { !["name", "organisation", "streetCode", "conflicts", "inspectorKind"].contains($0.field ?? "") }?.message)
        return renderer.render(.inspectionInspectors, model, status: status)
    }

    @Sendable func addInspector(_ request: Request, context: AppRequestContext) async throws -> Response {
        let scope = try context.scope()
        let form = context.form
        return try await submitting {
            try await inspectors.add(.init(regionCode: form["region"] ?? "", name: form["name"] ?? "", organisation: form["organisation"] ?? "",
                                           streetCode: form["streetCode"] ?? "", conflicts: form["conflicts"] ?? "",
                                           kind: form["inspectorKind"] ?? "inspector"), scope: scope)
            return .redirect(to: "/inspections/inspectors?added=1", type: .normal)
        } reshow: { errors in
            try await inspectorPage(request, context, errors: errors, status: .badRequest)
        }
    }

    @Sendable func setInspectorActive(_ request: Request, context: AppRequestContext) async throws -> Response {
        let active = context.form["active"] == "1"
        return try await submitting {
            guard active || context.form["confirm"] == "1" else {
                throw LedgerError.invalid("confirm", code: "required", "停用检查人员前请勾选“确认停用”")
            }
            try await inspectors.setActive(try RegistryAPI.id(context), active: active, scope: try context.scope())
            return .redirect(to: "/inspections/inspectors", type: .normal)
        } reshow: { errors in
            try await inspectorPage(request, context, errors: errors, status: .badRequest)
        }
    }

    // MARK: Plans

    @Sendable func list(_ request: Request, context: AppRequestContext) async throws -> Response {
        let scope = try context.scope()
        let number = request.uri.queryParameters["page"].flatMap { Int($0) } ?? 1
        let page = try await plans.list(scope: scope, page: number, pageSize: 20)
        let model = PlanListPage(layout: Layout(title: "监督检查", context: context, section: "/inspections"), rows: page.items.map(PlanRow.init),
                                 empty: page.items.isEmpty, canPlan: scope.can(.planSpotChecks), pager: Pager(page, base: "/inspections", query: []))
        return renderer.render(.inspectionPlans, model)
    }

    @Sendable func newForm(_ request: Request, context: AppRequestContext) async throws -> Response {
        let scope = try context.scope()
        try scope.require(.planSpotChecks)
        var values: [String: String] = [:]
        for key in ["region", "year", "quarter", "ratio", "seedSource", "extraForced"] {
            if let value = request.uri.queryParameters[key[...]] { values[key] = String(value.prefix(300)) }
        }
        return try await formPage(context, values: values, checked: nil, errors: FieldErrors())
    }

    /// The form; `checked` is the forced inclusions ticked when it was submitted (nil: all proposals ticked).
    private func formPage(_ context: AppRequestContext, values: [String: String], checked: Set<Int64>?, errors: FieldErrors,
                          status: HTTPResponse.Status = .ok) async throws -> Response {
        let scope = try context.scope()
        let home = try await regions.home(scope: scope)
        var covered = [try await regions.region(home, scope: scope)]
        for region in try await regions.subRegions(scope: scope) where region.level != .community && !covered.contains(where: { $0.code == region.code }) {
            covered.append(region)
        }
        let regionCode = covered.contains { $0.code == values["region"] } ? values["region"]! : home
        let defaultRatio = try await plans.defaultRatio(regionCode: regionCode, scope: scope)
        let thisYear = Day(Timestamp.shanghaiDay(clock.now()))!.year
        let year = values["year"].flatMap { Int($0.trimmingCharacters(in: .whitespaces)) }.flatMap { (2000...2100).contains($0) ? $0 : nil } ?? thisYear
        let quarter = values["quarter"].flatMap(Int.init).flatMap { (1...4).contains($0) ? $0 : nil }
        let proposals = try await plans.proposals(regionCode: regionCode, year: year, quarter: quarter, scope: scope)
        var shown = values
        shown["year"] = shown["year"] ?? "\(year)"
        let model = PlanFormPage(
            layout: Layout(title: "制定抽查计划", context: context, section: "/inspections"),
            regions: covered.map { Option(value: $0.code, label: ($0.level == .street ? "　" : "") + $0.name, selected: $0.code == regionCode) },
            year: Field("year", shown, errors),
            quarters: [Option(value: "", label: "全年", selected: quarter == nil)]
                + (1...4).map { (n: Int) in Option(value: "\(n)", label: "第\(n)季度", selected: n == quarter) },
            ratio: Field("ratio", shown, errors),
            ratioHint: "空则按本级默认 \(PlanRow.percent(defaultRatio))（政策要求：县级每年抽查核实不少于50%，市级实地检查15%，街道100%；默认值可在「时限与参数」中按辖区调整）",
            seedSource: Field("seedSource", shown, errors),
            proposals: proposals.map { .init(id: $0.id, name: $0.name, reasons: $0.reasons.joined(separator: "；"), checked: checked?.contains($0.id) ?? true) },
            hasProposals: !proposals.isEmpty, extraForced: Field("extraForced", shown, errors), confirm: Field("confirm", shown, errors),
            formError: errors.items.first { !["year", "quarter", "ratio", "seedSource", "extraForced", "confirm"].contains($0.field ?? "") }?.message)
        return renderer.render(.inspectionPlanForm, model, status: status)
    }

    @Sendable func publish(_ request: Request, context: AppRequestContext) async throws -> Response {
        let scope = try context.scope()
        let form = context.form
        let forced = (form.lists["forced"] ?? []).compactMap { Int64($0) }
        return try await submitting {
            var reader = InputReader(form.fields)
            let year = reader.integer(form["year"] ?? "", field: "year", label: "年度", range: 2000...2100)
            let quarterText = (form["quarter"] ?? "").trimmingCharacters(in: .whitespaces)
            let quarter = quarterText.isEmpty ? nil : Int(quarterText) ?? 0
            let input = InspectionPlans.PlanInput(regionCode: form["region"] ?? "", year: year, quarter: quarter, ratio: form["ratio"] ?? "",
                                                  seedSource: form["seedSource"] ?? "", forced: forced, extraForced: form["extraForced"] ?? "",
                                                  confirmed: form["confirm"] == "1")
            do {
                let id = try await plans.publish(input, scope: scope)
                return .redirect(to: "/inspections/plans/\(id)?published=1", type: .normal)
            } catch var errors as FieldErrors {
                for item in reader.errors.items where errors.message(for: item.field ?? "") == nil { errors.add(item) }
                throw errors
            }
        } reshow: { errors in
            try await formPage(context, values: form.fields, checked: Set(forced), errors: errors, status: .badRequest)
        }
    }

    @Sendable func show(_ request: Request, context: AppRequestContext) async throws -> Response {
        let notice: String? = switch request.uri.queryParameters["done"] ?? request.uri.queryParameters["published"].map { _ in "published" } {
        case "published": "抽查计划已公布。待抽名单及其校验值已固定；请在公布的种子来源产生后录入种子并抽取。"
        case "drawn": "已抽取。抽取结果已向社会公开。"
        default: nil
        }
        return try await detailPage(context, notice: notice, errors: FieldErrors())
    }

    private func detailPage(_ context: AppRequestContext, notice: String?, errors: FieldErrors, status: HTTPResponse.Status = .ok) async throws -> Response {
        let scope = try context.scope()
        let detail = try await plans.detail(try RegistryAPI.id(context), scope: scope)
        let plan = detail.plan
        let row = PlanRow(plan)
        let model = PlanDetailPage(
            layout: Layout(title: row.title, context: context, section: "/inspections", notice: notice), plan: row, seedSource: plan.seedSource,
            seed: plan.seed, eligibleHash: plan.eligibleHash, method: plan.method, poolSize: detail.poolSize,
            forced: detail.forcedEstates.map { PlanEstateRow($0, publicView: false) }, hasForced: !detail.forcedEstates.isEmpty,
            drawnRows: detail.drawn.map { PlanEstateRow($0, publicView: false) }, canDraw: plan.status == .published && scope.can(.planSpotChecks),
            canRecord: scope.can(.createProblem), drawnAt: plan.drawnAt.map(Timestamp.display(stored:)),
            seedField: Field("seed", context.form.fields, errors), confirm: Field("confirm", context.form.fields, errors),
            formError: errors.items.first { plan.status != .published || $0.field != "seed" && $0.field != "confirm" }?.message)
        return renderer.render(.inspectionPlan, model, status: status)
    }

    @Sendable func draw(_ request: Request, context: AppRequestContext) async throws -> Response {
        let scope = try context.scope()
        let id = try RegistryAPI.id(context)
        return try await submitting {
            guard context.form["confirm"] == "1" else {
                var errors = FieldErrors()
                if (context.form["seed"] ?? "").trimmingCharacters(in: .whitespaces).isEmpty {
                    errors.add("seed", code: "required", "请填写随机种子（公布的开奖号码或信标值）")
                }
                errors.add("confirm", code: "required", "请确认种子已按公布的来源产生、与来源一致：抽取后结果不能更改")
                throw errors
            }
            try await plans.draw(id, seed: context.form["seed"] ?? "", scope: scope)
            return .redirect(to: "/inspections/plans/\(id)?done=drawn", type: .normal)
        } reshow: { errors in
            try await detailPage(context, notice: nil, errors: errors, status: .badRequest)
        }
    }

    // MARK: Visits

    @Sendable func visitForm(_ request: Request, context: AppRequestContext) async throws -> Response {
        try context.scope().require(.createProblem)
        var values: [String: String] = [:]
        values["plan"] = request.uri.queryParameters["plan"].map { String($0.prefix(12)) }
        values["estate"] = request.uri.queryParameters["estate"].map { String($0.prefix(12)) }
        values["inspectedOn"] = Timestamp.shanghaiDay(clock.now())
        return try await visitFormPage(context, values: values, errors: FieldErrors())
    }

    private func visitFormPage(_ context: AppRequestContext, values: [String: String], errors: FieldErrors,
                               status: HTTPResponse.Status = .ok) async throws -> Response {
        let scope = try context.scope()
        var estateName: String?, planTitle: String?
        if let plan = values["plan"].flatMap(Int64.init) {
            let detail = try await plans.detail(plan, scope: scope)
            planTitle = PlanRow(detail.plan).title
            estateName = detail.drawn.first { "\($0.id)" == values["estate"] }?.name
        }
        // The checklist in force for the estate's region (the built-in one until an estate is named).
        let checklist = try await values["estate"].flatMap { Int64($0.trimmingCharacters(in: .whitespaces)) }
            .asyncMap { try await checklists.checklist(forEstate: $0, scope: scope) } ?? .builtIn
        let items = checklist.items.enumerated().map { index, item in
            let chosen = values["result.\(item.code)"] ?? ""
            return VisitFormPage.Item(
                code: item.code, index: index + 1, title: item.title, clause: item.clause,
                choices: ChecklistResult.allCases.map { .init(value: $0.rawValue, label: $0.title, checked: $0.rawValue == chosen) },
                note: values["note.\(item.code)"] ?? "", error: errors.message(for: item.code), photoError: errors.message(for: "photo.\(item.code)"))
        }
        let supervisors = try await values["estate"].flatMap { Int64($0.trimmingCharacters(in: .whitespaces)) }
            .asyncMap { try await records.supervisors(forEstate: $0, scope: scope) } ?? []
        let known = Set(checklist.items.flatMap { [$0.code, "photo.\($0.code)"] } + ["inspectedOn", "estate", "supervisor"])
        let model = VisitFormPage(
            layout: Layout(title: "录入检查记录", context: context, section: "/inspections"), planId: values["plan"] ?? "", estateId: values["estate"] ?? "",
            estateName: estateName, planTitle: planTitle, inspectedOn: Field("inspectedOn", values, errors), estate: Field("estate", values, errors),
            supervisors: supervisors.isEmpty ? [] : [Option(value: "", label: "无", selected: (values["supervisor"] ?? "").isEmpty)]
                + supervisors.map { Option(value: "\($0.id)", label: "\($0.name)（\($0.organisation)）", selected: "\($0.id)" == values["supervisor"]) },
            hasSupervisors: !supervisors.isEmpty, supervisor: Field("supervisor", values, errors),
            items: items, formError: errors.items.first { !known.contains($0.field ?? "") }?.message)
        return renderer.render(.inspectionVisitForm, model, status: status)
    }

    @Sendable func recordVisit(_ request: Request, context: AppRequestContext) async throws -> Response {
        let scope = try context.scope()
        let form = context.form
        return try await submitting {
            guard let estate = Int64((form["estate"] ?? "").trimmingCharacters(in: .whitespaces)) else {
                throw LedgerError.invalid("estate", code: "required", "请填写被检查小区的编号")
            }
            var answers: [String: InspectionRecords.Answer] = [:], photos: [String: [Complaints.Upload]] = [:]
            for item in try await checklists.checklist(forEstate: estate, scope: scope).items {
                if let result = ChecklistResult(rawValue: form["result.\(item.code)"] ?? "") {
                    answers[item.code] = .init(result, note: form["note.\(item.code)"] ?? "")
                }
                let files = form.files.filter { $0.field == "photo.\(item.code)" && !$0.filename.isEmpty }
                if !files.isEmpty { photos[item.code] = files.map { Complaints.Upload(filename: $0.filename, bytes: $0.data) } }
            }
            let input = InspectionRecords.VisitInput(estateId: estate, planId: (form["plan"]).flatMap { Int64($0) }, inspectedOn: form["inspectedOn"] ?? "",
                                                     answers: answers, photos: photos,
                                                     supervisorId: (form["supervisor"]).flatMap { Int64($0) })
            let (id, _) = try await records.record(input, scope: scope)
            return .redirect(to: "/inspections/visits/\(id)", type: .normal)
        } reshow: { errors in
            try await visitFormPage(context, values: form.fields, errors: errors, status: .badRequest)
        }
    }

    @Sendable func visit(_ request: Request, context: AppRequestContext) async throws -> Response {
        let visit = try await records.visit(try RegistryAPI.id(context), scope: try context.scope())
        let model = VisitPage(
            layout: Layout(title: "检查记录 #\(visit.id)", context: context, section: "/inspections"), id: visit.id, planId: visit.planId,
            estateId: visit.estateId, estateName: visit.estateName, company: visit.companyName ?? "（无物业服务企业）", inspectedOn: visit.inspectedOn,
            recordedAt: Timestamp.display(stored: visit.recordedAt), recordedBy: visit.recordedBy, supervisor: visit.supervisor,
            items: visit.items.map { answered in
                .init(title: answered.item.title, clause: answered.item.clause, result: answered.result.title, failed: answered.result == .fails,
                      note: answered.note, photos: answered.photos.map { .init(href: "/inspections/visits/\(visit.id)/photos/\($0.id)", filename: $0.filename) })
            },
            problems: visit.problems.map { .init(id: $0.id, description: $0.description, status: $0.status.title, deadline: $0.deadline) },
            hasProblems: !visit.problems.isEmpty)
        return renderer.render(.inspectionVisit, model)
    }

    @Sendable func photo(_ request: Request, context: AppRequestContext) async throws -> Response {
        guard let fileId = context.parameters.get("file").flatMap(Int64.init) else { throw LedgerError.notFound("现场照片") }
        let photo = try await records.photo(fileId, recordId: try RegistryAPI.id(context), scope: try context.scope())
        return Response(status: .ok, headers: [.contentType: photo.contentType, .contentSecurityPolicy: "sandbox; default-src 'none'",
                                               .contentDisposition: "inline; filename=\"photo-\(fileId)\""],
                        body: .init(byteBuffer: ByteBuffer(bytes: photo.data)))
    }
}

/// The public side of a drawn plan (双随机一公开): seed, eligible-list hash, method and result, and the list itself.
struct PublicInspectionController {
    let plans: InspectionPlans
    let renderer: Renderer

    func addRoutes(to router: some RouterMethods<AppRequestContext>) {
        router.get("/public/inspection-plans/:id", use: plan)
        router.get("/public/inspection-plans/:id/eligible.txt", use: eligible)
    }

    @Sendable func plan(_ request: Request, context: AppRequestContext) async throws -> Response {
        let detail = try await plans.publicDetail(try RegistryAPI.id(context))
        let row = PlanRow(detail.plan)
        let model = PublicPlanPage(
            layout: Layout(title: row.title + (row.drawn ? "结果公示" : "公示"), context: context), plan: row,
            forced: detail.forcedEstates.map { PlanEstateRow($0, publicView: true) }, hasForced: !detail.forcedEstates.isEmpty,
            seedSource: detail.plan.seedSource, seed: detail.plan.seed ?? "",
            eligibleHash: detail.plan.eligibleHash, method: detail.plan.method, poolSize: detail.poolSize,
            drawnAt: detail.plan.drawnAt.map(Timestamp.display(stored:)) ?? "", rows: detail.drawn.map { PlanEstateRow($0, publicView: true) })
        return renderer.render(.publicInspectionPlan, model)
    }

    @Sendable func eligible(_ request: Request, context: AppRequestContext) async throws -> Response {
        let id = try RegistryAPI.id(context)
        let text = try await plans.publicEligibleText(id)
        return Response(status: .ok, headers: [.contentType: "text/plain; charset=utf-8",
                                               .contentDisposition: "inline; filename=\"inspection-plan-\(id)-eligible.txt\""],
                        body: .init(byteBuffer: ByteBuffer(string: text)))
    }
}
