import Foundation
import Hummingbird
import LedgerCore

/// Pages for owners and the public, without login: an estate's disclosures and the printable notice.
struct PublicController {
    let estates: EstateRepository
    let records: EstateRecords
    let history: DisclosureHistory
    let log: TransparencyLog
    let regions: RegionDirectory
    let questions: OwnerQuestions
    let vouchers: VoucherStore
    let inspections: InspectionRecords
    let selfInspections: SelfInspections
    let decisions: OwnerDecisions
    var demonstrations: Demonstrations?
    var audits: Audits? = nil
    let publicBaseURL: String?
    let renderer: Renderer
    let clock: any LedgerClock

    func addRoutes(to router: some RouterMethods<AppRequestContext>) {
        router.get("/public/estates/:id", use: estate)
        router.get("/public/estates/:id/notice/:year/:quarter", use: notice)
        router.get("/public/estates/:id/history/:year/:quarter", use: versions)
        router.post("/public/estates/:id/questions", use: ask)
        router.get("/public/vouchers/:id", use: voucher)
    }

    /// A voucher file, served as the type its content proved, never rendered as a page of this site.
    @Sendable func voucher(_ request: Request, context: AppRequestContext) async throws -> Response {
        let (voucher, data) = try await vouchers.file(id: try RegistryAPI.id(context))
        let encoded = voucher.filename.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? "voucher"
        return Response(status: .ok, headers: [
            .contentType: voucher.contentType,
            .contentDisposition: "inline; filename*=UTF-8''\(encoded)",
            .contentSecurityPolicy: "sandbox; default-src 'none'; img-src 'self'; object-src 'none'",
            .cacheControl: "public, max-age=86400",
        ], body: .init(byteBuffer: ByteBuffer(bytes: data)))
    }

    /// An owner questions an item (存疑); it shows on the public page once the company has answered. The receipt and any
    /// error appear beside the form (`#ask`), where the owner is looking.
    @Sendable func ask(_ request: Request, context: AppRequestContext) async throws -> Response {
        let (estate, _) = try await publicEstate(context)
        let fields = context.form.trimmedFields
        do {
            _ = try await questions.ask(estateId: estate.id, QuestionInput(quarter: fields["quarter"] ?? "", item: fields["item"] ?? "",
                                                                           content: fields["content"] ?? ""),
                                        address: context.remoteAddress)
            return .redirect(to: "/public/estates/\(estate.id)?asked=1#ask", type: .normal)
        } catch let errors as FieldErrors {
            return try await estatePage(context, estate: estate, asked: false, values: fields, questionErrors: errors, status: .badRequest)
        } catch let error as LedgerError where error.kind == .invalid || error.kind == .locked {
            var errors = FieldErrors()
            errors.add(error)
            return try await estatePage(context, estate: estate, asked: false, values: fields, questionErrors: errors,
                                        status: error.kind == .locked ? .tooManyRequests : .badRequest)
        }
    }

    /// The estate's public page, phone-first: the latest quarter open with its summary, earlier quarters folded, how to
    /// verify folded, then inspections, answered questions and the question form.
    @Sendable func estate(_ request: Request, context: AppRequestContext) async throws -> Response {
        let (estate, _) = try await publicEstate(context)
        return try await estatePage(context, estate: estate, asked: request.uri.queryParameters["asked"] == "1")
    }

    private func estatePage(_ context: AppRequestContext, estate: Estate, asked: Bool, values: [String: String] = [:],
                            questionErrors: FieldErrors = FieldErrors(), status: HTTPResponse.Status = .ok) async throws -> Response {
        let place = try await regions.names(onPath: estate.regionPath).dropFirst().map(\.name).joined()
        let versions = try await history.publicVersions(estateId: estate.id)
        var sheets: [DisclosureSheet] = []
        let titles = try await decisions.citedTitles(estateId: estate.id)
        for period in Set(versions.map(\.period)).sorted(by: >) {
            if let entry = try await history.entry(estateId: estate.id, quarter: period) {
                sheets.append(DisclosureSheet(entry, vouchers: try await vouchers.vouchers(versionId: entry.version.id), decisions: titles))
            }
        }
        let head = try await log.treeHead()
        let answered = try await questions.answered(estateId: estate.id)
        let inspected = try await inspections.publicResults(estateId: estate.id).map(PublicInspectionRow.init)
        let chosenPeriod = values["quarter"] ?? ""
        var model = PublicEstatePage(
            layout: Layout(title: "\(estate.name) 公共收益公示", context: context), estate: try await summary(estate, place: place),
            quarters: sheets, empty: sheets.isEmpty, treeSize: head.size, treeRoot: head.rootHash,
            questions: answered.map(PublicEstatePage.QuestionRow.init), hasQuestions: !answered.isEmpty,
            inspections: inspected, hasInspections: !inspected.isEmpty,
            periods: sheets.map { Option(value: "\($0.year)Q\($0.quarter)", label: $0.period, selected: "\($0.year)Q\($0.quarter)" == chosenPeriod) },
            item: Field("item", values, questionErrors), content: Field("content", values, questionErrors),
            questionError: questionErrors.items.first { $0.field != "item" && $0.field != "content" }?.message)
        model.latest = sheets.first
        model.earlier = Array(sheets.dropFirst())
        model.hasEarlier = sheets.count > 1
        model.asked = asked
        model.selfInspections = try await selfInspections.publicResults(estateId: estate.id).map(PublicSelfInspectionRow.init)
        model.hasSelfInspections = !model.selfInspections.isEmpty
        model.isDemonstration = try await demonstrations?.isConfirmed(estateId: estate.id) ?? false
        if let audits { model.audits = try await PublicAuditSection.load(estateId: estate.id, from: audits) }
        return renderer.render(.publicEstate, model, status: status)
    }

    /// An A4 page for the notice board, with a QR code that opens the estate's public page.
    @Sendable func notice(_ request: Request, context: AppRequestContext) async throws -> Response {
        let (estate, place) = try await publicEstate(context)
        let (_, quarter) = try DisclosureAPI.target(context)
        guard let entry = try await history.entry(estateId: estate.id, quarter: quarter) else {
            throw LedgerError.notFound("\(quarter.title)的公示")
        }
        let url = (publicBaseURL ?? Self.baseURL(request)) + "/public/estates/\(estate.id)"
        let model = NoticePage(estate: try await summary(estate, place: place), sheet: DisclosureSheet(entry), url: url,
                               qrSVG: (try? QRCode(text: url).svg(moduleSize: 4)) ?? "", printedOn: Timestamp.shanghaiDay(clock.now()))
        return renderer.render(.notice, model)
    }

    /// All versions of one quarter, each with who, when and why, and what changed from the one before.
    @Sendable func versions(_ request: Request, context: AppRequestContext) async throws -> Response {
        let (estate, place) = try await publicEstate(context)
        let (_, quarter) = try DisclosureAPI.target(context)
        let headers = try await history.publicVersions(estateId: estate.id).filter { $0.period == quarter }
        guard !headers.isEmpty else { throw LedgerError.notFound("\(quarter.title)的公示") }
        var entries: [DisclosureHistory.Entry] = []
        for header in headers {
            if let entry = try await history.entry(estateId: estate.id, quarter: quarter, version: header.version) { entries.append(entry) }
        }
        let model = VersionHistoryPage(
            layout: Layout(title: "\(estate.name) \(quarter.title) 公示版本", context: context), estate: try await summary(estate, place: place),
            period: quarter.title, versions: entries.enumerated().map { index, entry in
                VersionHistoryPage.Version(sheet: DisclosureSheet(entry), changes: index == 0 ? [] : VersionDiff.changes(from: entries[index - 1], to: entry))
            })
        return renderer.render(.publicHistory, model)
    }

    private func publicEstate(_ context: AppRequestContext) async throws -> (Estate, String) {
        let id = try RegistryAPI.id(context)
        let estate = try await estates.estate(id, scope: .system)
        let place = try await regions.names(onPath: estate.regionPath).dropFirst().map(\.name).joined()
        return (estate, place)
    }

    private func summary(_ estate: Estate, place: String) async throws -> PublicEstate {
        // An account registered to open after today is not open yet (`Estate.accountOpen`): not shown.
        let account = estate.accountOpen ? try await records.details(estateId: estate.id, scope: .system).account : nil
        return PublicEstate(id: estate.id, name: estate.name, address: estate.address, place: place, company: estate.companyName ?? "（无物业服务企业）",
                            hasAccount: account != nil, accountBank: account?.bank ?? "", accountNumber: account?.maskedNumber ?? "")
    }

    /// `http://host:port` as the visitor reached us (used for the QR code's link).
    static func baseURL(_ request: Request) -> String {
        let host = request.head.authority ?? "127.0.0.1:8080"
        let scheme = request.headers[.init("X-Forwarded-Proto")!] == "https" ? "https" : "http"
        return "\(scheme)://\(host)"
    }
}
