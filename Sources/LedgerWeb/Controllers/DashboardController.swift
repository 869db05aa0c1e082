import Foundation
import Hummingbird
import LedgerCore

/// 数据看板: the KPI view of a region and quarter with drill-down (region → sub-region → estate, the same page at each
/// level), server-rendered charts and the sub-region ranking; and `GET /api/v1/dashboard` with the same figures.
struct DashboardController {
    let dashboard: Dashboard
    let regions: RegionDirectory
    let renderer: Renderer
    let pages: SharedPages

    func addRoutes(to router: some RouterMethods<AppRequestContext>) {
        router.get("/dashboard", use: page)
        router.get("/dashboard/export", use: export)
        router.get("/api/v1/dashboard", use: api)
    }

    private func load(_ request: Request, _ context: AppRequestContext) async throws -> Dashboard.View {
        let (scope, code, quarter) = try await query(request, context)
        return try await dashboard.view(regionCode: code, quarter: quarter, scope: scope)
    }

    /// Who asks, and the region (the reader's own when the query names none) and quarter the query names.
    private func query(_ request: Request, _ context: AppRequestContext) async throws -> (Scope, String, Quarter) {
        let scope = try context.scope()
        let query = request.uri.queryParameters
        let quarter = try dashboard.quarter(year: query["year"].map(String.init), quarter: query["quarter"].map(String.init))
        var code = String((query["region"] ?? "").prefix(20))
        if code.isEmpty { code = try await regions.home(scope: scope) }
        return (scope, code, quarter)
    }

    /// The page is kept rendered (`SharedPages`) under the reader's stamp, which covers every region they may view, and
    /// the credit stamp, which the credit block moves with (`Dashboard.view`).
    @Sendable func page(_ request: Request, context: AppRequestContext) async throws -> Response {
        let (scope, code, quarter) = try await query(request, context)
        let key = "\(code)|\(quarter)|credit \(try await dashboard.creditStamp())"
        return try await pages.render(.dashboard, "dashboard", key: key, scope: scope, today: dashboard.today(), context: context) { [dashboard, regions] viewer in
            let view = try await dashboard.view(regionCode: code, quarter: quarter, scope: scope)
            let crumbs = try await regions.names(onPath: view.region.path).filter { scope.covers(regionPath: $0.path) }
            var quarters = [dashboard.defaultQuarter()]
            while quarters.count < 8 { quarters.append(quarters.last!.previous) }
            return DashboardPage(layout: Layout(title: "数据看板", viewer: viewer, section: "/dashboard"), view: view, crumbs: crumbs, quarters: quarters)
        }
    }

    /// The table under the charts (sub-regions by rank, or estates) as CSV, named with the region and the quarter.
    @Sendable func export(_ request: Request, context: AppRequestContext) async throws -> Response {
        let view = try await load(request, context)
        let page = DashboardPage(layout: Layout(title: "数据看板", context: context, section: "/dashboard"), view: view, crumbs: [], quarters: [])
        var lines = [[page.byEstate ? "小区" : "辖区", "排名", "小区数", "应公示", "按时公示率", "专户设立率", "业委会覆盖率", "投诉受理/办结/解决",
                      "问题整改率", "未办结预警"]]
        for row in page.rows {
            lines.append([row.name, row.rank, "\(row.estates)", "\(row.due)", row.onTime, row.account, row.committee, row.complaints,
                          row.rectification, "\(row.warnings)"].map(CSV.safeCell))
        }
        if !page.byEstate { lines.append([DashboardPage.rankingMethod(minimumSample: view.minimumSample)]) }
        let what = page.byEstate ? "小区明细" : "辖区排名"
        return LedgerQuery.csv(CSV.format(lines), filename: "\(view.region.name)-\(what)-\(view.quarter.title).csv")
    }

    @Sendable func api(_ request: Request, context: AppRequestContext) async throws -> Response {
        try APIInput.refuseEmpty(request.uri.queryParameters, ["region", "year", "quarter"])
        let view = try await load(request, context)
        return try JSONResponse.make(DashboardBody(view))
    }
}

/// The API form: the figures, each KPI with its target, the units (sub-regions or estates) and the trend.
struct DashboardBody: Encodable {
    /// A KPI; a rate with nothing to count is written as null (never left out, never 0).
    struct KPIBody: Encodable {
        let key: String; let title: String; let value: Double?; let numerator: Int; let denominator: Int; let target: Double?

        enum CodingKeys: String, CodingKey { case key, title, value, numerator, denominator, target }

        func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(key, forKey: .key)
            try container.encode(title, forKey: .title)
            try container.encode(value, forKey: .value)
            try container.encode(numerator, forKey: .numerator)
            try container.encode(denominator, forKey: .denominator)
            try container.encode(target, forKey: .target)
        }
    }
    struct UnitBody: Encodable {
        let code: String; let name: String; let kind: String; let rank: Int?; let estates: Int; let due: Int; let onTimeRate: Double?
        let accountRate: Double?; let committeeRate: Double?; let complaintsReceived: Int; let complaintsClosed: Int; let complaintsFixed: Int
        let rectificationRate: Double?; let openWarnings: Int
        /// 满意率 and its counts (closures rated in the quarter, of them 满意 or 基本满意); left out, like the other unit rates,
        /// with nothing rated.
        let satisfactionRate: Double?; let complaintsRated: Int; let complaintsSatisfied: Int
    }
    let region: String
    let regionName: String
    let year: Int
    let quarter: Int
    let dueDatePassed: Bool
    let kpis: [KPIBody]
    let openWarningsByRule: [String: Int]
    let units: [UnitBody]
    let trend: [Dashboard.TrendPoint]
    let minimumSample: Int
    let overdueTasks: [Campaigns.Overdue]
    let credit: CreditSummary
    let demonstrations: [Demonstrations.Progress]

    init(_ v: Dashboard.View) {
        region = v.region.code
        regionName = v.region.name
        year = v.quarter.year
        quarter = v.quarter.quarter
        dueDatePassed = v.dueDatePassed
        kpis = v.kpis.map { KPIBody(key: $0.key, title: $0.title, value: $0.value, numerator: $0.numerator, denominator: $0.denominator, target: $0.target) }
        openWarningsByRule = v.figures.openWarnings
        units = v.units.map {
            let f = $0.figures
            return UnitBody(code: $0.code, name: $0.name, kind: $0.kind, rank: $0.rank, estates: f.estates, due: f.due, onTimeRate: f.onTimeRate,
                            accountRate: f.accountRate, committeeRate: f.committeeRate, complaintsReceived: f.complaintsReceived,
                            complaintsClosed: f.complaintsClosed, complaintsFixed: f.complaintsFixed, rectificationRate: f.rectificationRate,
                            openWarnings: f.openWarningTotal, satisfactionRate: f.satisfactionRate, complaintsRated: f.complaintsRated,
                            complaintsSatisfied: f.complaintsSatisfied)
        }
        trend = v.trend
        minimumSample = v.minimumSample
        overdueTasks = v.overdueTasks
        credit = v.credit
        demonstrations = v.demonstrations
    }
}

struct DashboardPage: Sendable {
    struct Card: Sendable { let title: String; let value: String; let detail: String; let target: String; let status: String; let note: String }
    struct Row: Sendable {
        let name: String; let href: String; let estates: Int; let due: Int; let onTime: String; let account: String; let committee: String
        let complaints: String; let rectification: String; let warnings: Int; let rank: String
    }
    struct Crumb: Sendable { let name: String; let href: String }

    let layout: Layout
    let regionName: String
    let regionCode: String
    let quarterTitle: String
    let dueNote: String?
    let crumbs: [Crumb]
    let quarters: [Option]
    let cards: [Card]
    let trendChart: String
    let warningChart: String
    let hasWarnings: Bool
    let comparisonChart: String
    let rows: [Row]
    let byEstate: Bool
    let minimumSample: Int
    let exportHref: String
    let rankingMethod: String
    let empty: Bool
    let overdueTasks: [OverdueRow]
    let overdueCount: Int
    let hasOverdue: Bool
    let creditRows: [CreditRow]
    let blackListed: [BlackRow]
    let hasBlackListed: Bool
    let creditEvents: String

    struct CreditRow: Sendable { let name: String; let companies: Int; let grades: [Int] }
    struct BlackRow: Sendable { let id: Int64; let name: String; let estates: Int; let until: String }

    struct OverdueRow: Sendable { let campaignId: Int64; let campaign: String; let content: String; let responsible: String; let period: String; let due: String }

    /// How the ranking is made, stated on the page and in the export.
    static func rankingMethod(minimumSample: Int) -> String {
        "排名方法：按本季度按时公示率（截止日前发布公示的小区数 ÷ 应公示小区数）从高到低排列；按时公示率相同的，专户设立率高的在前；"
            + "应公示小区少于 \(minimumSample) 个的辖区样本不足，只列不排，列在最后。"
    }

    static func percent(_ value: Double?) -> String { value.map { String(format: "%.1f%%", $0 * 100) } ?? "—" }

    init(layout: Layout, view: Dashboard.View, crumbs: [Region], quarters: [Quarter]) {
        self.layout = layout
        regionName = view.region.name
        regionCode = view.region.code
        quarterTitle = view.quarter.title
        dueNote = view.dueDatePassed ? nil : "本季度公示截止日（\(view.quarter.dueDate)）未到，按时公示率暂不统计"
        self.crumbs = crumbs.map { Crumb(name: $0.name, href: "/dashboard?region=\($0.code)&year=\(view.quarter.year)&quarter=\(view.quarter.quarter)") }
        self.quarters = quarters.map { Option(value: "year=\($0.year)&quarter=\($0.quarter)", label: $0.title, selected: $0 == view.quarter) }
        cards = view.kpis.map { kpi in
            let value: String
            if kpi.key == "handling" {
                value = kpi.value.map { String(format: "%.1f 天", $0) } ?? "—"
            } else {
                value = Self.percent(kpi.value)
            }
            let status: String
            if let target = kpi.target, let actual = kpi.value { status = actual >= target - 1e-9 ? "met" : "unmet" } else { status = "none" }
            return Card(title: kpi.title, value: value, detail: kpi.key == "handling" ? "办结 \(kpi.denominator) 件" : "\(kpi.numerator) / \(kpi.denominator)",
                        target: kpi.target.map { "目标 \(Self.percent($0))" } ?? "", status: status, note: kpi.note)
        }
        trendChart = Charts.lines(title: "近八个季度趋势", labels: view.trend.map(\.quarter),
                                  series: [("按时公示率", view.trend.map(\.onTimeRate)), ("投诉办结率", view.trend.map(\.closureRate)),
                                           ("投诉解决率", view.trend.map(\.fixRate))])
        let warnings = WarningRules.all.map { ($0.label, view.figures.openWarnings[$0.code] ?? 0) }
        warningChart = Charts.counts(title: "未办结预警（按规则）", items: warnings)
        hasWarnings = view.figures.openWarningTotal > 0
        byEstate = view.units.first?.kind == "estate"
        comparisonChart = byEstate ? "" : Charts.horizontal(title: "下级辖区按时公示率", items: view.units.map { ($0.name, $0.figures.onTimeRate) }, target: 1)
        let q = "year=\(view.quarter.year)&quarter=\(view.quarter.quarter)"
        exportHref = "/dashboard/export?region=\(view.region.code)&\(q)"
        rankingMethod = Self.rankingMethod(minimumSample: view.minimumSample)
        // By rank (the ranked first, then those with too few estates to rank, by name); estates by name.
        let units = view.units.enumerated().sorted { a, b in
            (a.element.rank ?? Int.max, a.offset) < (b.element.rank ?? Int.max, b.offset)
        }.map(\.element)
        rows = units.map { unit in
            let f = unit.figures
            return Row(name: unit.name, href: unit.kind == "estate" ? "/estates/\(unit.code)" : "/dashboard?region=\(unit.code)&\(q)", estates: f.estates,
                       due: f.due, onTime: Self.percent(f.onTimeRate), account: Self.percent(f.accountRate), committee: Self.percent(f.committeeRate),
                       complaints: "\(f.complaintsReceived) / \(f.complaintsClosed) / \(f.complaintsFixed)", rectification: Self.percent(f.rectificationRate),
                       warnings: f.openWarningTotal,
                       rank: unit.kind == "estate" ? "" : unit.rank.map { "第\($0)名" } ?? "样本不足，不排名")
        }
        minimumSample = view.minimumSample
        empty = view.figures.estates == 0
        overdueTasks = view.overdueTasks.prefix(30).map {
            OverdueRow(campaignId: $0.campaignId, campaign: $0.campaign, content: $0.content, responsible: $0.responsible, period: $0.period, due: $0.due)
        }
        overdueCount = view.overdueTasks.count
        hasOverdue = !view.overdueTasks.isEmpty
        creditRows = view.credit.units.map { unit in
            CreditRow(name: unit.name, companies: unit.companies, grades: CreditFile.Grade.allCases.map { unit.grades[$0.rawValue] ?? 0 })
        }
        blackListed = view.credit.blackListed.map { BlackRow(id: $0.companyId, name: $0.name, estates: $0.estates, until: $0.until ?? "—") }
        hasBlackListed = !view.credit.blackListed.isEmpty
        creditEvents = "本季度记录失信事件 \(view.credit.badEvents) 件、守信激励 \(view.credit.goodEvents) 件"
    }
}
