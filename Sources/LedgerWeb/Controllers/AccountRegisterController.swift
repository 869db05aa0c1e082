import Foundation
import Hummingbird
import LedgerCore

/// 公共收益银行账户台账 under 报表: the register page (search, paging) and its CSV and XLSX in the 台账 layout, named with
/// the region and the day.
struct AccountRegisterController {
    let register: AccountRegister
    let ledgers: InspectionLedgers
    let regions: RegionDirectory
    let renderer: Renderer
    let clock: any LedgerClock

    func addRoutes(to router: some RouterMethods<AppRequestContext>) {
        router.get("/reports/accounts", use: page)
        router.get("/reports/accounts.csv", use: csv)
        router.get("/reports/accounts.xlsx", use: xlsx)
    }

    private var today: Day { Day(Timestamp.shanghaiDay(clock.now()))! }

    private func region(_ request: Request, _ scope: Scope) async throws -> Region {
        try await ledgers.region(String((request.uri.queryParameters["region"] ?? "").prefix(20)), scope: scope)
    }

    @Sendable func page(_ request: Request, context: AppRequestContext) async throws -> Response {
        let scope = try context.scope()
        let region = try await region(request, scope)
        let query = String((request.uri.queryParameters["q"] ?? "").prefix(40))
        let number = try RegistryAPI.positive(request.uri.queryParameters["page"], field: "page") ?? 1
        let page = try await register.list(region: region, query: query, scope: scope, page: number)
        let completeness = try await register.completeness(region: region, scope: scope)
        let model = AccountRegisterPage(region: region, query: query, page: page, completeness: completeness,
                                        layout: Layout(title: "公共收益银行账户台账", context: context, section: "/reports"))
        return renderer.render(.accountRegister, model)
    }

    @Sendable func csv(_ request: Request, context: AppRequestContext) async throws -> Response {
        let scope = try context.scope()
        let region = try await region(request, scope)
        let period = try ledgers.period(from: nil, until: nil)
        return LedgerQuery.csvStream(AccountRegister.layout(unit: region.name, period: period, filledOn: today),
                                     filename: "公共收益银行账户台账-\(region.name)-\(today).csv") { [register] each in
            try await register.forEach(region: region, scope: scope, each)
        }
    }

    @Sendable func xlsx(_ request: Request, context: AppRequestContext) async throws -> Response {
        let scope = try context.scope()
        let region = try await region(request, scope)
        let period = try ledgers.period(from: nil, until: nil)
        return try await LedgerQuery.xlsxStream(AccountRegister.layout(unit: region.name, period: period, filledOn: today),
                                                filename: "公共收益银行账户台账-\(region.name)-\(today).xlsx") { each in
            try await register.forEach(region: region, scope: scope, each)
        }
    }
}

struct AccountRegisterPage: Sendable {
    struct Row: Sendable { let estateId: Int64; let estate: String; let county: String; let street: String; let company: String; let bank: String
        let number: String; let openedOn: String }
    let layout: Layout
    let regionCode: String
    let regionName: String
    let query: String
    let rows: [Row]
    let empty: Bool
    let pager: Pager
    let completeness: String

    init(region: Region, query: String, page: Page<AccountRegister.Entry>, completeness: AccountRegister.Completeness, layout: Layout) {
        self.layout = layout
        regionCode = region.code
        regionName = region.name
        self.query = query
        rows = page.items.map { Row(estateId: $0.estateId, estate: $0.estate, county: $0.county, street: $0.street, company: $0.company, bank: $0.bank,
                                    number: $0.accountNumber, openedOn: $0.openedOn) }
        empty = page.items.isEmpty
        pager = Pager(page, base: "/reports/accounts", query: [("region", region.code), ("q", query)])
        self.completeness = "有物业服务企业的小区 \(completeness.managed) 个，已登记专户 \(completeness.registered) 个（\(DashboardPage.percent(completeness.rate))）"
    }
}
