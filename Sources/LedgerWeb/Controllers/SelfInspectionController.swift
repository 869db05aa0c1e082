import Foundation
import Hummingbird
import LedgerCore

/// 自查自纠: a company files a self-inspection per estate and quarter; officials read their region's, and may record one
/// as false (弄虚作假).
struct SelfInspectionController {
    let selfInspections: SelfInspections
    let checklists: Checklists
    let estates: EstateRepository
    let regions: RegionDirectory
    let renderer: Renderer
    let clock: any LedgerClock

    func addRoutes(to router: some RouterMethods<AppRequestContext>) {
        router.get("/self-inspections", use: list)
        router.get("/self-inspections/new", use: newForm)
        router.get("/self-inspections/ledger.csv", use: ledgerCSV)
        router.get("/self-inspections/ledger.xlsx", use: ledgerXLSX)
        router.post("/self-inspections/new", use: create)
        router.get("/self-inspections/:id", use: show)
        router.post("/self-inspections/:id/false", use: recordFalse)
        router.get("/self-inspections/:id/files/:file", use: photo)
    }

    /// The company's estates due and filings, or the officials' filtered list.
    @Sendable func list(_ request: Request, context: AppRequestContext) async throws -> Response {
        let scope = try context.scope()
        let (filter, region, periodText) = Self.filter(request)
        let period = filter.period, status = filter.status
        let page = try await selfInspections.list(scope: scope, filter: filter)
        let pairs = [("region", region), ("period", periodText), ("status", status)].filter { !$0.1.isEmpty }
        let query = pairs.isEmpty ? "" : "?" + pairs.map { "\($0.0)=\($0.1.urlQueryEncoded)" }.joined(separator: "&")
        let due = try await selfInspections.due(scope: scope)
        let today = Day(Timestamp.shanghaiDay(clock.now()))!
        var quarter = Quarter(containing: today).previous
        var periods = [Option(value: "", label: "全部季度", selected: period == nil)]
        for _ in 0..<8 {
            periods.append(Option(value: quarter.description, label: quarter.title, selected: quarter == period))
            quarter = quarter.previous
        }
        let model = SelfInspectionListPage(
            layout: Layout(title: "自查自纠", context: context, section: "/self-inspections"), isCompany: scope.role == .company,
            due: due.map { .init(estateId: $0.estateId, estate: $0.estateName, period: $0.period.title, periodCode: $0.period.description,
                                 dueOn: $0.dueOn.description, overdue: $0.overdue) },
            hasDue: !due.isEmpty,
            rows: page.items.map { s in
                .init(id: s.id, estate: s.estateName, company: s.companyName, period: s.period.title, filedAt: Timestamp.display(stored: s.filedAt),
                      conforms: s.conforms, fails: s.fails, hasFails: s.fails > 0, notApplicable: s.notApplicable, isFalse: s.isFalse,
                      phase: s.campaignPhase)
            },
            empty: page.items.isEmpty, pager: Pager(page, base: "/self-inspections", query: [("region", region), ("period", periodText), ("status", status)]),
            regions: Option.regions(try await regions.subRegions(scope: scope), selected: region), periods: periods,
            statuses: [Option(value: "", label: "全部", selected: status.isEmpty), Option(value: "fails", label: "有不符合项", selected: status == "fails"),
                       Option(value: "false", label: "认定弄虚作假", selected: status == "false")],
            isOfficial: scope.role.isRegional || scope.role == .admin,
            ledgerCSV: "/self-inspections/ledger.csv" + query, ledgerXLSX: "/self-inspections/ledger.xlsx" + query)
        return renderer.render(.selfInspections, model)
    }

    /// The list's filter from the query (an unknown status or quarter is ignored), with the raw region and quarter.
    static func filter(_ request: Request) -> (SelfInspections.Filter, String, String) {
        let query = request.uri.queryParameters
        let region = String((query["region"] ?? "").prefix(20)), periodText = String((query["period"] ?? "").prefix(10))
        let status = ["fails", "false"].contains(String(query["status"] ?? "")) ? String(query["status"]!) : ""
        return (SelfInspections.Filter(region: region, period: Quarter(text: periodText), status: status, page: Int(query["page"] ?? "1") ?? 1),
                region, periodText)
    }

    /// 自查自纠台账 as CSV: one row per 不符合 item, in the list's filter.
    @Sendable func ledgerCSV(_ request: Request, context: AppRequestContext) async throws -> Response {
        let (scope, filter, name, layout) = try await ledgerQuery(request, context, extension: "csv")
        return LedgerQuery.csvStream(layout, filename: name) { [selfInspections] each in
            try await selfInspections.forEachLedgerRow(scope: scope, filter: filter, each)
        }
    }

    /// 自查自纠台账 as XLSX.
    @Sendable func ledgerXLSX(_ request: Request, context: AppRequestContext) async throws -> Response {
        let (scope, filter, name, layout) = try await ledgerQuery(request, context, extension: "xlsx")
        return try await LedgerQuery.xlsxStream(layout, filename: name) { each in
            try await selfInspections.forEachLedgerRow(scope: scope, filter: filter, each)
        }
    }

    /// The export's scope and checked filter (a region outside the scope is refused before the download starts) and the file's name.
    private func ledgerQuery(_ request: Request, _ context: AppRequestContext, extension ext: String) async throws
        -> (Scope, SelfInspections.Filter, String, LedgerLayout<SelfInspectionLedger.Row>) {
        let scope = try context.scope()
        var (filter, _, _) = Self.filter(request)
        filter.page = 1
        _ = try await selfInspections.list(scope: scope, filter: filter, pageSize: 1)
        let unit = try await regions.unitName(regionCode: filter.region, scope: scope)
        let today = Day(Timestamp.shanghaiDay(clock.now()))!
        let period = filter.period.map { "\($0.year)年第\($0.quarter)季度" } ?? "截至\(today)"
        return (scope, filter, "\(unit)-自查自纠台账-\(period).\(ext)", SelfInspectionLedger.layout(unit: unit, period: period, filledOn: today))
    }

    @Sendable func newForm(_ request: Request, context: AppRequestContext) async throws -> Response {
        var values: [String: String] = [:]
        if let estate = request.uri.queryParameters["estate"] { values["estate"] = String(estate.prefix(20)) }
        if let period = request.uri.queryParameters["period"] { values["period"] = String(period.prefix(10)) }
        return try await formPage(context, values: values, errors: FieldErrors())
    }

    @Sendable func create(_ request: Request, context: AppRequestContext) async throws -> Response {
        let scope = try context.scope()
        let photos = context.form.files.filter { $0.field == "photos" && !$0.filename.isEmpty }.map { Complaints.Upload(filename: $0.filename, bytes: $0.data) }
        return try await submitting {
            let id = try await selfInspections.file(SelfInspectionInput(form: context.form.fields, photos: photos), scope: scope)
            return .redirect(to: "/self-inspections/\(id)", type: .normal)
        } reshow: { errors in
            try await formPage(context, values: context.form.fields, errors: errors, status: .badRequest)
        }
    }

    private func formPage(_ context: AppRequestContext, values: [String: String], errors: FieldErrors,
                          status: HTTPResponse.Status = .ok) async throws -> Response {
        let scope = try context.scope()
        try scope.require(.fileSelfInspection)
        let managed = try await estates.estates(scope: scope, request: ListRequest(sort: .name, pageSize: 200)).items
        let chosen = values["estate"].flatMap(Int64.init).flatMap { id in managed.first { $0.id == id } }
        let today = Day(Timestamp.shanghaiDay(clock.now()))!
        var quarter = Quarter(containing: today).previous
        let selectedPeriod = values["period"] ?? quarter.description
        var periods: [Option] = []
        for _ in 0..<4 {
            periods.append(Option(value: quarter.description, label: quarter.title, selected: quarter.description == selectedPeriod))
            quarter = quarter.previous
        }
        var items: [SelfInspectionFormPage.Item] = []
        var checklistTitle = ""
        var phases: [Option] = []
        if let chosen {
            let checklist = try await checklists.checklist(forEstate: chosen.id, scope: scope)
            let names = Dictionary(try await regions.names(onPath: chosen.regionPath).map { ($0.code, $0.name) }) { a, _ in a }
            checklistTitle = checklist.title(regionName: checklist.regionCode.flatMap { names[$0] })
            items = checklist.items.enumerated().map { index, item in
                let chosenResult = values["result.\(item.code)"]
                return .init(number: index + 1, code: item.code, title: item.title, clause: item.clause,
                             choices: ChecklistResult.allCases.map { Choice(name: "result.\(item.code)", value: $0.rawValue, label: $0.title, checked: chosenResult == $0.rawValue) },
                             resultError: errors.message(for: "result.\(item.code)"),
                             note: Field("note.\(item.code)", values, errors), measure: Field("measure.\(item.code)", values, errors),
                             deadline: Field("deadline.\(item.code)", values, errors), responsible: Field("responsible.\(item.code)", values, errors))
            }
            phases = [Option(value: "", label: "不关联专项整治阶段", selected: (values["phase"] ?? "").isEmpty)]
                + (try await selfInspections.phases(estateId: chosen.id, scope: scope)).map {
                    Option(value: "\($0.id)", label: $0.title, selected: values["phase"] == "\($0.id)")
                }
        }
        let known = Set(["estate", "period", "phase", "photos"])
        let model = SelfInspectionFormPage(
            layout: Layout(title: "填报自查自纠", context: context, section: "/self-inspections"),
            estates: managed.map { Option(value: "\($0.id)", label: $0.name, selected: $0.id == chosen?.id) }, chosen: chosen != nil,
            noEstates: managed.isEmpty, estateId: chosen.map { "\($0.id)" } ?? "", estateName: chosen?.name ?? "",
            estateError: errors.message(for: "estate"), periods: periods, periodError: errors.message(for: "period"), phases: phases,
            hasPhases: phases.count > 1, phaseError: errors.message(for: "phase"), checklistTitle: checklistTitle, items: items,
            photosError: errors.message(for: "photos"),
            formError: errors.items.first { item in item.field.map { f in !known.contains(f) && !f.contains(".") } ?? true }?.message)
        return renderer.render(.selfInspectionForm, model, status: status)
    }

    @Sendable func show(_ request: Request, context: AppRequestContext) async throws -> Response {
        try await detail(context, errors: FieldErrors())
    }

    @Sendable func recordFalse(_ request: Request, context: AppRequestContext) async throws -> Response {
        let scope = try context.scope()
        let id = try RegistryAPI.id(context)
        return try await submitting {
            try await selfInspections.recordFalse(id, note: context.form["note"] ?? "", scope: scope)
            return .redirect(to: "/self-inspections/\(id)", type: .normal)
        } reshow: { errors in
            try await detail(context, errors: errors, status: .badRequest)
        }
    }

    private func detail(_ context: AppRequestContext, errors: FieldErrors, status: HTTPResponse.Status = .ok) async throws -> Response {
        let scope = try context.scope()
        let (s, checklist, photos) = try await selfInspections.detail(try RegistryAPI.id(context), scope: scope)
        let names = Dictionary(try await regions.names(onPath: s.regionPath).map { ($0.code, $0.name) }) { a, _ in a }
        let model = SelfInspectionDetailPage(
            layout: Layout(title: "自查自纠 · \(s.estateName) · \(s.period.title)", context: context, section: "/self-inspections"), id: s.id,
            estateId: s.estateId, estate: s.estateName, company: s.companyName, period: s.period.title, phase: s.campaignPhase,
            filedAt: Timestamp.display(stored: s.filedAt), filedBy: s.filedBy,
            checklistTitle: checklist.title(regionName: checklist.regionCode.flatMap { names[$0] }),
            counts: "符合 \(s.conforms) 项 · 不符合 \(s.fails) 项 · 不适用 \(s.notApplicable) 项",
            items: checklist.items.enumerated().map { index, item in
                let answer = s.answers[item.code]
                return .init(number: index + 1, title: item.title, clause: item.clause, result: answer?.result.title ?? "—", fails: answer?.result == .fails,
                             note: answer?.note ?? "", measure: answer?.measure ?? "", deadline: answer?.deadline ?? "", responsible: answer?.responsible ?? "")
            },
            photos: photos.map { .init(fileId: $0.id, filename: $0.filename) }, hasPhotos: !photos.isEmpty, isFalse: s.isFalse,
            falseAt: s.falseAt.map(Timestamp.display(stored:)) ?? "", falseNote: s.falseNote ?? "", falseProblemId: s.falseProblemId,
            canJudge: scope.can(.judgeSelfInspection) && !s.isFalse, note: Field("note", context.form.fields, errors))
        return renderer.render(.selfInspection, model, status: status)
    }

    /// A photo, served as the type its content proved, never rendered as a page of this site.
    @Sendable func photo(_ request: Request, context: AppRequestContext) async throws -> Response {
        guard let fileId = context.parameters.get("file").flatMap(Int64.init) else { throw LedgerError.notFound("照片") }
        let (_, contentType, data) = try await selfInspections.photo(try RegistryAPI.id(context), file: fileId, scope: try context.scope())
        return Response(status: .ok, headers: [.contentType: contentType, .contentSecurityPolicy: "sandbox; default-src 'none'",
                                               .contentDisposition: "inline; filename=\"photo-\(fileId)\""],
                        body: .init(byteBuffer: ByteBuffer(bytes: data)))
    }
}
