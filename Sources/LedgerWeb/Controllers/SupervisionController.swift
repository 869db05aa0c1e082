import Foundation
import Hummingbird
import LedgerCore

/// 督办通报: how the sub-regions stand, the 提醒函/督办函 sent to lagging ones (printable in the 公文 layout, answered by
/// the sub-region), and the printable monthly bulletin that ranks them.
struct SupervisionController {
    let letters: RegionLetters
    let bulletins: MonthlyBulletin
    let regions: RegionDirectory
    let renderer: Renderer
    let clock: any LedgerClock

    func addRoutes(to router: some RouterMethods<AppRequestContext>) {
        router.get("/supervision", use: overview)
        router.get("/supervision/letters/new", use: newForm)
        router.post("/supervision/letters/new", use: issue)
        router.get("/supervision/letters/:id", use: letter)
        router.post("/supervision/letters/:id/reply", use: reply)
        router.get("/supervision/letters/:id/print", use: printable)
        router.get("/supervision/bulletin", use: bulletin)
    }

    private var today: Day { Day(Timestamp.shanghaiDay(clock.now()))! }

    /// The region asked for, or the user's own.
    private func regionCode(_ request: Request, scope: Scope) async throws -> String {
        if let code = request.uri.queryParameters["region"], !code.isEmpty { return String(code.prefix(20)) }
        return try await regions.home(scope: scope)
    }

    /// The region's sub-regions as they stand, with the letters the user sent or received.
    @Sendable func overview(_ request: Request, context: AppRequestContext) async throws -> Response {
        let scope = try context.scope()
        let regionCode = try await regionCode(request, scope: scope)
        let (region, standings) = try await letters.standings(regionCode: regionCode, scope: scope)
        let number = try RegistryAPI.positive(request.uri.queryParameters["page"], field: "page") ?? 1
        let page = try await letters.list(scope: scope, page: number)
        let notice = request.uri.queryParameters["done"] == "replied" ? "答复已提交。" : nil
        let model = SupervisionPage(region: region, standings: standings, letters: page, today: today,
                                    canIssue: scope.can(.superviseRegions) && (scope.role == .admin || scope.regionPath == region.path),
                                    layout: Layout(title: "督办通报", context: context, section: "/supervision", notice: notice))
        return renderer.render(.supervision, model)
    }

    @Sendable func newForm(_ request: Request, context: AppRequestContext) async throws -> Response {
        try context.scope().require(.superviseRegions)
        var values: [String: String] = ["replyDue": today.adding(days: 10).description]
        for key in ["to", "letterKind"] { values[key] = request.uri.queryParameters[key[...]].map { String($0.prefix(20)) } }
        return try await formPage(context, values: values, errors: FieldErrors())
    }

    private func formPage(_ context: AppRequestContext, values: [String: String], errors: FieldErrors,
                          status: HTTPResponse.Status = .ok) async throws -> Response {
        let scope = try context.scope()
        let home = try await regions.home(scope: scope)
        let (region, standings) = try await letters.standings(regionCode: home, scope: scope)
        let model = SupervisionLetterFormPage(region: region, standings: standings, values: values, errors: errors,
                                              layout: Layout(title: "发提醒函、督办函", context: context, section: "/supervision"))
        return renderer.render(.supervisionLetterForm, model, status: status)
    }

    @Sendable func issue(_ request: Request, context: AppRequestContext) async throws -> Response {
        let scope = try context.scope()
        let form = context.form
        return try await submitting {
            let id = try await letters.issue(.init(kind: form["letterKind"] ?? "", toCode: form["to"] ?? "", addressee: form["addressee"] ?? "",
                                                   replyDue: form["replyDue"] ?? "", requirements: form["requirements"] ?? ""), scope: scope)
            return .redirect(to: "/supervision/letters/\(id)", type: .normal)
        } reshow: { errors in
            try await formPage(context, values: form.fields, errors: errors, status: .badRequest)
        }
    }

    @Sendable func letter(_ request: Request, context: AppRequestContext) async throws -> Response {
        try await letterPage(context, errors: FieldErrors())
    }

    private func letterPage(_ context: AppRequestContext, errors: FieldErrors, status: HTTPResponse.Status = .ok) async throws -> Response {
        let scope = try context.scope()
        let letter = try await letters.letter(try RegistryAPI.id(context), scope: scope)
        let model = SupervisionLetterPage(letter, today: today, canReply: scope.can(.answerSupervision) && scope.regionPath == letter.toPath && letter.reply == nil,
                                          values: context.form.fields, errors: errors,
                                          layout: Layout(title: "\(letter.kind.title) \(letter.number)", context: context, section: "/supervision"))
        return renderer.render(.supervisionLetter, model, status: status)
    }

    @Sendable func reply(_ request: Request, context: AppRequestContext) async throws -> Response {
        let scope = try context.scope()
        let id = try RegistryAPI.id(context)
        return try await submitting {
            try await letters.reply(id, text: context.form["reply"] ?? "", scope: scope)
            return .redirect(to: "/supervision/letters/\(id)", type: .normal)
        } reshow: { errors in
            try await letterPage(context, errors: errors, status: .badRequest)
        }
    }

    /// The letter in the 公文 layout (GB/T 9704 elements), to print and seal.
    @Sendable func printable(_ request: Request, context: AppRequestContext) async throws -> Response {
        let letter = try await letters.letter(try RegistryAPI.id(context), scope: try context.scope())
        return renderer.render(.supervisionLetterPrint, SupervisionLetterDocument(letter))
    }

    /// The monthly bulletin (月度通报), printable.
    @Sendable func bulletin(_ request: Request, context: AppRequestContext) async throws -> Response {
        let scope = try context.scope()
        let regionCode = try await regionCode(request, scope: scope)
        let bulletin = try await bulletins.bulletin(regionCode: regionCode, month: request.uri.queryParameters["month"].map { String($0.prefix(10)) },
                                                    scope: scope)
        return renderer.render(.supervisionBulletin, SupervisionBulletinDocument(bulletin))
    }
}
