import Foundation
import Hummingbird
import LedgerCore

/// Company filing pages: the calendar of what is due (for officials: what is missing) and the filing form.
struct FilingController {
    let repository: DisclosureRepository
    let history: DisclosureHistory
    let calendar: DisclosureCalendar
    let vouchers: VoucherStore
    let decisions: OwnerDecisions
    let importer: DisclosureImport
    let renderer: Renderer
    let pages: SharedPages
    let clock: any LedgerClock

    func addRoutes(to router: some RouterMethods<AppRequestContext>) {
        router.get("/filings", use: list)
        router.get("/estates/:id/disclosures/:year/:quarter", use: form)
        router.post("/estates/:id/disclosures/:year/:quarter", use: submit)
        router.get("/estates/:id/disclosures/:year/:quarter/confirm", use: confirmPage)
        router.post("/estates/:id/disclosures/:year/:quarter/publish", use: publish)
        router.get("/filings/import", use: importPage)
        router.post("/filings/import", use: importFile)
        router.get("/filings/template.csv", use: template)
        router.get("/estates/:id/disclosures/:year/:quarter/vouchers", use: voucherPage)
        router.post("/estates/:id/disclosures/:year/:quarter/vouchers", use: upload)
    }

    /// The upload page for companies with many estates: one CSV row per estate and quarter.
    @Sendable func importPage(_ request: Request, context: AppRequestContext) async throws -> Response {
        try context.scope().require(.fileDisclosure)
        return importResult(context, created: nil, errors: [], formError: nil)
    }

    /// Publishes every row of the file or none, naming each bad row.
    @Sendable func importFile(_ request: Request, context: AppRequestContext) async throws -> Response {
        let scope = try context.scope()
        try scope.require(.fileDisclosure)
        guard let file = context.form.files.first(where: { $0.field == "file" && !$0.data.isEmpty }) else {
            return importResult(context, created: nil, errors: [], formError: "请选择要上传的 CSV 文件", status: .badRequest)
        }
        do {
            let count = try await importer.run(csv: String(decoding: file.data, as: UTF8.self), scope: scope)
            return importResult(context, created: count, errors: [], formError: nil)
        } catch let rejected as ImportRejected {
            return importResult(context, created: nil, errors: rejected.errors, formError: nil, status: .badRequest)
        }
    }

    /// The CSV template.
    @Sendable func template(_ request: Request, context: AppRequestContext) async throws -> Response {
        Response(status: .ok, headers: [.contentType: "text/csv; charset=utf-8", .contentDisposition: "attachment; filename=\"disclosures-template.csv\""],
                 body: .init(byteBuffer: ByteBuffer(string: "\u{FEFF}" + DisclosureImport.template)))
    }

    private func importResult(_ context: AppRequestContext, created: Int?, errors: [ImportRowError], formError: String?,
                              status: HTTPResponse.Status = .ok) -> Response {
        let model = DisclosureImportPage(layout: Layout(title: "批量公示", context: context, section: "/filings"), created: created,
                                         errors: errors, hasErrors: !errors.isEmpty, formError: formError)
        return renderer.render(.filingImport, model, status: status)
    }

    /// The published lines of a quarter with their vouchers, and the upload form.
    @Sendable func voucherPage(_ request: Request, context: AppRequestContext) async throws -> Response {
        try await vouchers(context, error: nil, notice: nil)
    }

    /// Attaches an uploaded PDF, JPEG or PNG to one line; a file whose content is not what its name says is refused.
    @Sendable func upload(_ request: Request, context: AppRequestContext) async throws -> Response {
        let scope = try context.scope()
        let (estateId, quarter) = try DisclosureAPI.target(context)
        _ = try await repository.filingEstate(estateId, quarter: quarter, scope: scope)
        guard let file = context.form.files.first(where: { $0.field == "file" && !$0.filename.isEmpty }) else {
            return try await vouchers(context, error: "请选择凭证文件", notice: nil, status: .badRequest)
        }
        do {
            let voucher = try await self.vouchers.attach(estateId: estateId, quarter: quarter, line: context.form["line"] ?? "",
                                                         filename: file.filename, bytes: file.data, scope: scope)
            return try await vouchers(context, error: nil, notice: "已上传凭证：\(voucher.filename)")
        } catch let error as LedgerError where error.kind == .invalid || error.kind == .tooLarge {
            return try await vouchers(context, error: error.message, notice: nil, status: error.kind == .tooLarge ? .contentTooLarge : .badRequest)
        }
    }

    private func vouchers(_ context: AppRequestContext, error: String?, notice: String?, status: HTTPResponse.Status = .ok) async throws -> Response {
        let scope = try context.scope()
        let (estateId, quarter) = try DisclosureAPI.target(context)
        let estate = try await repository.filingEstate(estateId, quarter: quarter, scope: scope)
        try scope.require(.fileDisclosure)
        guard let entry = try await history.entry(estateId: estateId, quarter: quarter) else { throw LedgerError.notFound("\(quarter.title)的公示") }
        let sheet = DisclosureSheet(entry, vouchers: try await self.vouchers.vouchers(versionId: entry.version.id))
        let lines = (sheet.income.map { Option(value: $0.line, label: "收入：\($0.label) \($0.description) \($0.amount)", selected: false) })
            + sheet.costs.map { Option(value: $0.line, label: "成本：\($0.description) \($0.amount)", selected: false) }
            + sheet.expenditures.map { Option(value: $0.line, label: "支出：\($0.description) \($0.amount)", selected: false) }
        let model = VoucherPage(layout: Layout(title: "\(estate.name) \(quarter.title) 凭证", context: context, section: "/filings", notice: notice),
                                estateId: estateId, estateName: estate.name, sheet: sheet, lines: lines, error: error)
        return renderer.render(.voucherUpload, model, status: status)
    }

    /// The quarter's filing state of every estate in scope; companies see all of theirs, officials start at what is missing.
    @Sendable func list(_ request: Request, context: AppRequestContext) async throws -> Response {
        let scope = try context.scope()
        let query = request.uri.queryParameters
        let quarter = query["quarter"].flatMap { Self.parseQuarter(String($0)) } ?? calendar.currentFilingQuarter()
        // A company sees all of its estates; officials start at what is missing.
        let defaultStates: Set<DisclosureCalendar.State> = scope.companyId != nil ? [] : [.missing, .due]
        let states = query["state"].map { $0 == "all" ? [] : Set(String($0).split(separator: ",").compactMap { DisclosureCalendar.State(rawValue: String($0)) }) }
            ?? defaultStates
        let number = query["page"].flatMap { Int(String($0)) } ?? 1
        let key = "\(quarter)|\(states.map(\.rawValue).sorted())|\(number)"
        return try await pages.render(.filings, "filings", key: key, scope: scope, today: Day(Timestamp.shanghaiDay(clock.now()))!,
                                      context: context) { [calendar] viewer in
            FilingListPage(layout: Layout(title: "季度公示", viewer: viewer, section: "/filings"),
                           listing: try await calendar.listing(scope: scope, quarter: quarter, states: states, page: number), states: states,
                           canFile: scope.can(.fileDisclosure))
        }
    }

    /// The form: the saved draft, or the latest published version to correct, or a new one prefilled with sensible dates.
    @Sendable func form(_ request: Request, context: AppRequestContext) async throws -> Response {
        let scope = try context.scope()
        let (estateId, quarter) = try DisclosureAPI.target(context)
        let estate = try await repository.filingEstate(estateId, quarter: quarter, scope: scope)
        try scope.require(.fileDisclosure)
        let latest = try await history.entry(estateId: estateId, quarter: quarter)
        var document = try await repository.draft(estateId: estateId, quarter: quarter, scope: scope)
        let today = Day(Timestamp.shanghaiDay(clock.now()))!
        if document == nil, let latest {
            document = LogEntry(version: latest.version, lines: latest.lines).disclosure
            document?.closingBalance = nil
            // A correction is displayed afresh from the day it is published (the old period may have ended).
            document?.display = .init(from: today.description, until: today.adding(days: 31).description)
        }
        let fresh = DisclosureDocument(display: .init(from: today.description, until: today.adding(days: 31).description))
        let published = request.uri.queryParameters["published"].flatMap { Int(String($0)) }
        var notice = published.map { "第\($0)版已发布公示\($0 > 1 ? "（更正）" : "")：公众已可在公示页查看，可打印公示牌张贴。" }
        if published == nil && request.uri.queryParameters["saved"] != nil { notice = "草稿已保存（尚未公示）" }
        let reason = String((request.uri.queryParameters["reason"].map(String.init) ?? "").prefix(500))
        return try await page(context, estate: estate, quarter: quarter, document: document ?? fresh, errors: FieldErrors(),
                    version: latest?.version.version ?? 0, notice: notice, reason: reason, justPublished: published != nil)
    }

    /// Saves, publishes, or adds blank rows (the no-script way to grow the form).
    @Sendable func submit(_ request: Request, context: AppRequestContext) async throws -> Response {
        let scope = try context.scope()
        let (estateId, quarter) = try DisclosureAPI.target(context)
        let estate = try await repository.filingEstate(estateId, quarter: quarter, scope: scope)
        try scope.require(.fileDisclosure)
        let document = FilingForm.document(from: context.form.fields)
        let reason = context.form["reason"] ?? ""
        let version = try await history.entry(estateId: estateId, quarter: quarter)?.version.version ?? 0
        let action = context.form["action"] ?? "save"
        if action == "add" {
            return try await page(context, estate: estate, quarter: quarter, document: document, errors: FieldErrors(), version: version, notice: nil,
                        reason: reason, blankRows: 4)
        }
        do {
            if action == "publish" {
                // Publishing goes through the confirmation page: the draft is saved and checked here (every error at once).
                try await repository.saveDraft(estateId: estateId, quarter: quarter, document: document, scope: scope)
                _ = try await repository.preview(estateId: estateId, quarter: quarter, reason: reason, scope: scope)
                let query = reason.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty ? "" : "?reason=\(reason.urlQueryEncoded)"
                return .redirect(to: "/estates/\(estateId)/disclosures/\(quarter.year)/\(quarter.quarter)/confirm\(query)", type: .normal)
            }
            try await repository.saveDraft(estateId: estateId, quarter: quarter, document: document, scope: scope)
            let query = reason.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty ? "" : "&reason=\(reason.urlQueryEncoded)"
            return .redirect(to: "/estates/\(estateId)/disclosures/\(quarter.year)/\(quarter.quarter)?saved=1\(query)", type: .normal)
        } catch let errors as FieldErrors {
            return try await page(context, estate: estate, quarter: quarter, document: document, errors: errors, version: version, notice: nil,
                        reason: reason, status: .badRequest)
        } catch let error as LedgerError where error.kind == .invalid {
            var errors = FieldErrors()
            errors.add(error)
            return try await page(context, estate: estate, quarter: quarter, document: document, errors: errors, version: version, notice: nil,
                        reason: reason, status: .badRequest)
        }
    }

    private func page(_ context: AppRequestContext, estate: Estate, quarter: Quarter, document: DisclosureDocument, errors: FieldErrors,
                      version: Int, notice: String?, reason: String, blankRows: Int = 2, justPublished: Bool = false,
                      status: HTTPResponse.Status = .ok) async throws -> Response {
        var model = FilingPage(layout: Layout(title: "\(estate.name) \(quarter.title)公示", context: context, section: "/filings"),
                               estate: estate, quarter: quarter, document: document, errors: errors, publishedVersion: version,
                               notice: notice, reason: reason, blankRows: blankRows)
        // The register's decisions in force in the quarter, to cite by number (docs/design.md §24).
        model.decisionHints = try await decisions.inForce(estateId: estate.id, during: quarter).map {
            "\($0.reference) · \($0.kind.title)：\($0.subject)（有效期 \($0.period)" + ($0.amountFen.map { "，限额 \(Money(fen: $0).display) 元" } ?? "") + "）"
        }
        model.hasDecisionHints = !model.decisionHints.isEmpty
        model.justPublished = justPublished
        return renderer.render(.filing, model, status: status)
    }

    /// What will become public, before it does: the version as it will read and, for a correction, the line-by-line
    /// difference from the version it corrects and the reason. Any error sends the clerk back to the form.
    @Sendable func confirmPage(_ request: Request, context: AppRequestContext) async throws -> Response {
        let scope = try context.scope()
        let (estateId, quarter) = try DisclosureAPI.target(context)
        let estate = try await repository.filingEstate(estateId, quarter: quarter, scope: scope)
        let reason = String((request.uri.queryParameters["reason"].map(String.init) ?? "").prefix(500))
        do {
            let preview = try await repository.preview(estateId: estateId, quarter: quarter, reason: reason, scope: scope)
            let changes = preview.previous.map { VersionDiff.changes(from: $0, to: preview.entry) } ?? []
            let model = FilingConfirmPage(layout: Layout(title: "确认发布 · \(estate.name) \(quarter.title)", context: context, section: "/filings"),
                                          estateId: estateId, estateName: estate.name, period: quarter.title, year: quarter.year, quarter: quarter.quarter,
                                          version: preview.entry.version.version, correction: preview.previous != nil, reason: reason,
                                          changes: changes, hasChanges: !changes.isEmpty, sheet: DisclosureSheet(preview.entry))
            return renderer.render(.filingConfirm, model)
        } catch let errors as FieldErrors {
            return try await formWithErrors(context, estate: estate, quarter: quarter, errors: errors, reason: reason)
        } catch let error as LedgerError where error.kind == .invalid {
            var errors = FieldErrors()
            errors.add(error)
            return try await formWithErrors(context, estate: estate, quarter: quarter, errors: errors, reason: reason)
        }
    }

    /// Publishes the checked draft; 303 to the form with the success message.
    @Sendable func publish(_ request: Request, context: AppRequestContext) async throws -> Response {
        let scope = try context.scope()
        let (estateId, quarter) = try DisclosureAPI.target(context)
        let estate = try await repository.filingEstate(estateId, quarter: quarter, scope: scope)
        let reason = context.form["reason"] ?? ""
        do {
            let published = try await repository.publish(estateId: estateId, quarter: quarter, document: nil, reason: reason, scope: scope)
            return .redirect(to: "/estates/\(estateId)/disclosures/\(quarter.year)/\(quarter.quarter)?published=\(published.version)", type: .normal)
        } catch let errors as FieldErrors {
            return try await formWithErrors(context, estate: estate, quarter: quarter, errors: errors, reason: reason)
        } catch let error as LedgerError where error.kind == .invalid {
            var errors = FieldErrors()
            errors.add(error)
            return try await formWithErrors(context, estate: estate, quarter: quarter, errors: errors, reason: reason)
        }
    }

    private func formWithErrors(_ context: AppRequestContext, estate: Estate, quarter: Quarter, errors: FieldErrors, reason: String) async throws -> Response {
        let scope = try context.scope()
        let latest = try await history.entry(estateId: estate.id, quarter: quarter)
        let document = try await repository.draft(estateId: estate.id, quarter: quarter, scope: scope)
            ?? latest.map { LogEntry(version: $0.version, lines: $0.lines).disclosure } ?? DisclosureDocument()
        return try await page(context, estate: estate, quarter: quarter, document: document, errors: errors, version: latest?.version.version ?? 0,
                              notice: nil, reason: reason, status: .badRequest)
    }

    /// `2024Q2` → the quarter.
    static func parseQuarter(_ text: String) -> Quarter? {
        let parts = text.uppercased().split(separator: "Q")
        guard parts.count == 2, let year = Int(parts[0]), let q = Int(parts[1]) else { return nil }
        return Quarter(year: year, quarter: q)
    }
}
