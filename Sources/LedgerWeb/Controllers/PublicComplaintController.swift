import Foundation
import Hummingbird
import LedgerCore

/// The public complaint form (no login, anonymous allowed) and the tracking page, plus the fixed API pair
/// `POST /api/v1/complaints` and `GET /api/v1/complaints/track/{trackingCode}`.
struct PublicComplaintController {
    let complaints: Complaints
    let estates: EstateRepository
    let renderer: Renderer

    func addRoutes(to router: some RouterMethods<AppRequestContext>) {
        router.get("/public/complaints/new", use: form)
        router.post("/public/complaints/new", use: submit)
        router.get("/public/complaints/track", use: track)
        router.post("/public/complaints/track", use: rate)
        router.post("/api/v1/complaints", use: apiFile)
        router.get("/api/v1/complaints/track/:code", use: apiTrack)
    }

    /// Step one: search the estate, choose the category, describe the problem. `?estate=ID` (the estate page's
    /// "投诉此小区") comes with that estate already chosen.
    @Sendable func form(_ request: Request, context: AppRequestContext) async throws -> Response {
        let query = request.formQuery("q", max: 50)
        var values = ["q": query]
        if let estate = Int64(request.formQuery("estate", max: 20)) { values["estate"] = "\(estate)" }
        return try await formPage(context, query: query, values: values, errors: FieldErrors())
    }

    private func formPage(_ context: AppRequestContext, query: String, values: [String: String], errors: FieldErrors,
                          status: HTTPResponse.Status = .ok) async throws -> Response {
        let found = query.trimmingCharacters(in: .whitespaces).count >= 2 ? try await estates.publicSearch(query, limit: 20) : []
        let chosen = Int64(values["estate"] ?? "")
        var options = found.map { EstateChoice(id: $0.id, label: "\($0.name)（\($0.address)）", selected: $0.id == chosen) }
        if let chosen, !options.contains(where: { $0.id == chosen }), let estate = try? await estates.publicEstate(chosen) {
            options.insert(EstateChoice(id: estate.id, label: "\(estate.name)（\(estate.address)）", selected: true), at: 0)
        }
        let model = ComplaintFormPage(layout: Layout(title: "投诉举报", context: context), query: query, estates: options,
                                      searched: !query.isEmpty, categories: CategoryGroup.all(selected: values["category"] ?? ""),
                                      content: Field("content", values, errors), name: Field("name", values, errors),
                                      phone: Field("phone", values, errors), estateError: errors.message(for: "estate"),
                                      categoryError: errors.message(for: "category"),
                                      formError: errors.items.first { !["estate", "category", "content", "name", "phone"].contains($0.field ?? "") }?.message)
        return renderer.render(.complaintForm, model, status: status)
    }

    /// Without `confirm`: checks the form and shows possible duplicates before filing. With it: files and shows the code.
    @Sendable func submit(_ request: Request, context: AppRequestContext) async throws -> Response {
        let fields = context.form.trimmedFields
        if fields["search"] != nil {
            return try await formPage(context, query: fields["q"] ?? "", values: fields, errors: FieldErrors())
        }
        let intake = ComplaintInput(form: fields)
        let errors = Complaints.check(intake)
        guard errors.isEmpty, let estateId = intake.estateId else {
            return try await formPage(context, query: fields["q"] ?? "", values: fields, errors: errors, status: .badRequest)
        }
        guard fields["confirm"] == "1" else {
            let similar = try await complaints.similar(estateId: estateId, category: intake.category)
            let estate = try? await estates.publicEstate(estateId)
            guard let estate else {
                var missing = FieldErrors()
                missing.add("estate", code: "not_found", "所选小区不存在，请重新搜索")
                return try await formPage(context, query: fields["q"] ?? "", values: fields, errors: missing, status: .badRequest)
            }
            let model = ComplaintConfirmPage(layout: Layout(title: "确认投诉", context: context), estateName: estate.name,
                                             categoryTitle: ProblemCategory.named(intake.category)?.title ?? "", fields: fields.sorted { $0.key < $1.key }
                                                .filter { $0.key != "_csrf" && $0.key != "confirm" }.map { HiddenField(name: $0.key, value: $0.value) },
                                             content: intake.checkedContent, anonymous: intake.checkedName == nil,
                                             similar: similar.map { SimilarRow(day: $0.receivedDay, category: $0.categoryTitle, status: $0.status.title) },
                                             hasSimilar: !similar.isEmpty)
            return renderer.render(.complaintConfirm, model)
        }
        let uploads = context.form.files.filter { $0.field == "files" && !$0.filename.isEmpty }
        do {
            guard uploads.count <= 3 else { throw LedgerError.invalid("files", code: "too_many_files", "最多上传3个附件") }
            let code = try await complaints.file(intake, uploads: uploads.map { Complaints.Upload(filename: $0.filename, bytes: $0.data) },
                                                 address: context.remoteAddress)
            return .redirect(to: "/public/complaints/track?code=\(code)&filed=1", type: .normal)
        } catch let error as LedgerError where [.invalid, .locked, .tooLarge, .notFound].contains(error.kind) {
            var errors = FieldErrors()
            errors.add(error)
            let status: HTTPResponse.Status = switch error.kind {
            case .locked: .tooManyRequests
            case .tooLarge: .contentTooLarge
            case .notFound: .notFound
            default: .badRequest
            }
            return try await formPage(context, query: fields["q"] ?? "", values: fields, errors: errors, status: status)
        }
    }

    /// The tracking page. A code pasted with spaces or line breaks around it, or typed in lower case, is found: it is
    /// trimmed and upper-cased here (and again in the core), and shown as it is stored.
    @Sendable func track(_ request: Request, context: AppRequestContext) async throws -> Response {
        let code = Self.normalised(request.formQuery("code", max: 40))
        let notice: String? = switch request.uri.queryParameters["rated"].map(String.init) ?? "" {
        case "1": "感谢您的评价，评价已记录。"
        case "reopened": "已收到您的“不满意”评价，该投诉已重新办理，请留意新的办理时限和答复。"
        default: nil
        }
        return try await trackPage(context, code: code, filed: request.uri.queryParameters["filed"] == "1", notice: notice, errors: FieldErrors(),
                                   values: [:])
    }

    /// A tracking code as stored: no surrounding or inner spaces (a paste may split it), upper case, at most 20 characters.
    static func normalised(_ raw: String) -> String {
        String(raw.unicodeScalars.filter { !CharacterSet.whitespacesAndNewlines.contains($0) }.map(Character.init).prefix(20)).uppercased()
    }

    private func trackPage(_ context: AppRequestContext, code: String, filed: Bool, notice: String?, errors: FieldErrors,
                           values: [String: String], status: HTTPResponse.Status = .ok) async throws -> Response {
        var tracking: Complaints.Tracking?
        var lookupError: String?
        if !code.isEmpty {
            do { tracking = try await complaints.track(code: code) } catch let failure as LedgerError { lookupError = failure.message }
        }
        let model = ComplaintTrackPage(layout: Layout(title: "投诉办理查询", context: context, notice: notice), code: code, filed: filed,
                                       tracking: tracking.map { TrackingView($0, chosen: values["rating"] ?? "", comment: values["comment"] ?? "") },
                                       lookupError: lookupError, ratingError: errors.message(for: "rating"), commentError: errors.message(for: "comment"),
                                       formError: errors.items.first { !["rating", "comment"].contains($0.field ?? "") }?.message)
        return renderer.render(.complaintTrack, model, status: lookupError != nil ? .notFound : status)
    }

    /// The complainant rates the closure (满意 / 基本满意 / 不满意, an optional comment); 不满意 reopens it. Answers 303 back to
    /// the tracking page with a notice; errors are shown beside the fields.
    @Sendable func rate(_ request: Request, context: AppRequestContext) async throws -> Response {
        let code = Self.normalised(context.form["code"] ?? "")
        let fields = context.form.fields
        do {
            let result = try await complaints.rate(code: code, rating: ComplaintRating(rawValue: fields["rating"] ?? ""),
                                                   comment: fields["comment"] ?? "")
            return .redirect(to: "/public/complaints/track?code=\(code.urlQueryEncoded)&rated=\(result.reopenedUntil == nil ? "1" : "reopened")",
                             type: .normal)
        } catch let errors as FieldErrors {
            return try await trackPage(context, code: code, filed: false, notice: nil, errors: errors, values: fields, status: .badRequest)
        } catch let error as LedgerError where [.invalid, .conflict, .notFound].contains(error.kind) {
            // Already rated, not closed, window passed: said above the form (or where the form was), not beside a field.
            var errors = FieldErrors()
            errors.add(error.kind == .invalid ? error : LedgerError(error.kind, code: error.code, message: error.message))
            return try await trackPage(context, code: code, filed: false, notice: nil, errors: errors, values: fields,
                                       status: error.kind == .conflict ? .conflict : .badRequest)
        }
    }

    struct ComplaintRequest: Decodable {
        let estateId: Int64
        let category: String
        let content: String
        let name: String?
        let phone: String?
    }

    @Sendable func apiFile(_ request: Request, context: AppRequestContext) async throws -> Response {
        let body = try await request.decodeJSON(as: ComplaintRequest.self, context: context)
        try APIInput.limit(body.content, "content", max: 2_000)
        try APIInput.limit(body.name, "name", max: 20)
        try APIInput.limit(body.phone, "phone", max: 20)
        let code = try await complaints.file(ComplaintInput(estateId: body.estateId, category: body.category, content: body.content,
                                                            name: body.name ?? "", phone: body.phone ?? ""),
                                             uploads: [], address: context.remoteAddress)
        return try JSONResponse.make(["trackingCode": code], status: .created)
    }

    struct TrackBody: Encodable {
        struct Reply: Encodable { let at: String; let text: String }
        struct Rating: Encodable { let rating: String; let title: String; let comment: String?; let ratedAt: String }
        let trackingCode: String
        let estate: String
        let category: String
        let source: String
        let status: String
        let statusTitle: String
        let receivedAt: String
        let deadline: String?
        let outcome: String?
        let closedAt: String?
        let replies: [Reply]
        let reply: String?
        let repliedAt: String?
        let rating: Rating?
        let canRate: Bool
        let rateUntil: String?
        let canReopen: Bool
    }

    @Sendable func apiTrack(_ request: Request, context: AppRequestContext) async throws -> Response {
        let t = try await complaints.track(code: context.parameters.get("code") ?? "")
        return try JSONResponse.make(TrackBody(
            trackingCode: t.trackingCode, estate: t.estateName, category: t.categoryTitle, source: t.sourceTitle, status: t.status.rawValue,
            statusTitle: t.status.title, receivedAt: t.receivedAt, deadline: t.deadline, outcome: t.outcome?.rawValue, closedAt: t.closedAt,
            replies: t.publicEvents.map { .init(at: $0.at, text: $0.note) }, reply: t.reply, repliedAt: t.repliedAt,
            rating: t.rating.map { .init(rating: $0.rating.rawValue, title: $0.rating.title, comment: $0.comment, ratedAt: $0.ratedAt) },
            canRate: t.canRate, rateUntil: t.rateUntil, canReopen: t.canReopen))
    }
}
