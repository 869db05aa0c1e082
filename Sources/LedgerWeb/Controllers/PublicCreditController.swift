import Foundation
import Hummingbird
import LedgerCore

/// 信用信息公开 (no login): the red and black lists and each company's grade with its valid events — companies only,
/// never a person.
struct PublicCreditController {
    let credit: CreditFile
    let renderer: Renderer

    func addRoutes(to router: some RouterMethods<AppRequestContext>) {
        router.get("/public/credit", use: lists)
        router.get("/public/companies/:id", use: company)
    }

    @Sendable func lists(_ request: Request, context: AppRequestContext) async throws -> Response {
        let lists = try await credit.lists()
        let red = PublicCreditPage.rows(lists[.red] ?? []), black = PublicCreditPage.rows(lists[.black] ?? [])
        var page = PublicCreditPage(layout: Layout(title: "物业服务企业信用信息公示", context: context), red: red, black: black,
                                    noRed: red.isEmpty, noBlack: black.isEmpty, rules: PublicCreditPage.rules())
        page.cases = try await credit.cases(limit: 20).map(PublicCaseRow.init)
        page.hasCases = !page.cases.isEmpty
        return renderer.render(.publicCredit, page)
    }

    @Sendable func company(_ request: Request, context: AppRequestContext) async throws -> Response {
        let profile = try await credit.profile(try RegistryAPI.id(context))
        var page = PublicCompanyPage(layout: Layout(title: "\(profile.name) 信用信息", context: context), profile: profile)
        page.cases = try await credit.cases(companyId: profile.companyId).map(PublicCaseRow.init)
        page.hasCases = !page.cases.isEmpty
        return renderer.render(.publicCompany, page)
    }
}
