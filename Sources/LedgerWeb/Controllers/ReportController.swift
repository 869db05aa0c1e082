import Foundation
import Hummingbird
import LedgerCore

/// 报表: the 情况汇总表 of a region and period (Wen County 附件6) on screen, as CSV and as XLSX; and the page that
/// leads to the monthly 问题台账 and 工作台账 (the problem and complaint ledgers for a month).
struct ReportController {
    let report: SummaryReport
    let regions: RegionDirectory
    let renderer: Renderer
    let pages: SharedPages
    let clock: any LedgerClock

    func addRoutes(to router: some RouterMethods<AppRequestContext>) {
        router.get("/reports", use: index)
        router.get("/reports/summary", use: page)
        router.get("/reports/summary.csv", use: csv)
        router.get("/reports/summary.xlsx", use: xlsx)
    }

    private func load(_ request: Request, _ context: AppRequestContext) async throws -> SummaryReport.Result {
        let (scope, code, from, until) = try await query(request, context)
        return try await report.build(regionCode: code, from: from, until: until, scope: scope)
    }

    /// Who asks, and the region and period the query names (the reader's own region when it names none).
    private func query(_ request: Request, _ context: AppRequestContext) async throws -> (Scope, String, Day, Day) {
        let scope = try context.scope()
        let query = request.uri.queryParameters
        let (from, until) = try report.period(from: query["from"].flatMap { $0.isEmpty ? nil : String($0.prefix(12)) },
                                              until: query["until"].flatMap { $0.isEmpty ? nil : String($0.prefix(12)) })
        var code = String((query["region"] ?? "").prefix(20))
        if code.isEmpty { code = try await regions.home(scope: scope) }
        return (scope, code, from, until)
    }

    struct IndexPage: Sendable {
        let layout: Layout
        let months: [Option]
        let regionCode: String
    }

    @Sendable func index(_ request: Request, context: AppRequestContext) async throws -> Response {
        let scope = try context.scope()
        try scope.require(.viewReports)
        let today = Day(Timestamp.shanghaiDay(clock.now()))!
        var months: [Option] = []
        var year = today.year, month = today.month
        for _ in 0..<12 {
            let first = Day(year: year, month: month, day: 1)
            let last = (month == 12 ? Day(year: year + 1, month: 1, day: 1) : Day(year: year, month: month + 1, day: 1)).adding(days: -1)
            months.append(Option(value: "from=\(first)&until=\(min(last, today))", label: "\(year)年\(month)月", selected: false))
            month -= 1
            if month == 0 { month = 12; year -= 1 }
        }
        return renderer.render(.reports, IndexPage(layout: Layout(title: "报表", context: context, section: "/reports"), months: months,
                                                    regionCode: try await regions.home(scope: scope)))
    }

    struct SummaryPage: Sendable {
        struct HeaderCell: Sendable { let text: String; let rowSpan: Int; let columnSpan: Int }
        struct HeaderRow: Sendable { let cells: [HeaderCell] }
        struct DataRow: Sendable { let labelled: Bool; let name: String; let href: String?; let values: [String] }
        struct Table: Sendable { let title: String; let header: [HeaderRow]; let rows: [DataRow] }
        let layout: Layout
        let title: String
        let regionCode: String
        let from: String
        let until: String
        let query: String
        let tables: [Table]
    }

    static func header(_ block: SummaryReport.Block) -> [SummaryPage.HeaderRow] {
        (0..<block.headerRows).map { r in
            SummaryPage.HeaderRow(cells: block.cells.filter { $0.row == r }.sorted { $0.column < $1.column }
                .map { SummaryPage.HeaderCell(text: $0.text, rowSpan: $0.rowSpan, columnSpan: $0.columnSpan) })
        }
    }

    @Sendable func page(_ request: Request, context: AppRequestContext) async throws -> Response {
        let (scope, code, from, until) = try await query(request, context)
        return try await pages.render(.reportSummary, "summary", key: "\(code)|\(from)|\(until)", scope: scope,
                                      today: Day(Timestamp.shanghaiDay(clock.now()))!, context: context) { [report] viewer in
            Self.summaryPage(try await report.build(regionCode: code, from: from, until: until, scope: scope), viewer: viewer)
        }
    }

    static func summaryPage(_ result: SummaryReport.Result, viewer: Layout.Viewer) -> SummaryPage {
        let q = "from=\(result.from)&until=\(result.until)"
        let drill = { (row: SummaryReport.Row) -> String? in row.code == result.region.code ? nil : "/reports/summary?region=\(row.code)&\(q)" }
        let all = result.rows + [result.total]
        let tables = [
            SummaryPage.Table(title: "排查情况", header: Self.header(SummaryReport.blockA),
                              rows: all.map { .init(labelled: true, name: $0.name, href: drill($0), values: $0.a.map(SummaryReport.text)) }),
            SummaryPage.Table(title: "整改情况", header: Self.header(SummaryReport.blockB),
                              rows: all.map { .init(labelled: true, name: $0.name, href: drill($0), values: $0.b.map(SummaryReport.text)) }),
            SummaryPage.Table(title: "督导检查与投诉举报受理情况", header: Self.header(SummaryReport.blockC),
                              rows: [.init(labelled: false, name: "", href: nil, values: result.c.map(SummaryReport.text))]),
        ]
        return SummaryPage(layout: Layout(title: "情况汇总表", viewer: viewer, section: "/reports"), title: result.title,
                           regionCode: result.region.code, from: result.from.description, until: result.until.description,
                           query: "region=\(result.region.code)&\(q)", tables: tables)
    }

    /// `情况汇总表-鼓楼区-2024-01-01至2024-11-19.csv`: the region and the period, as officials file their downloads.
    static func filename(_ result: SummaryReport.Result, extension suffix: String) -> String {
        "情况汇总表-\(result.region.name)-\(result.from)至\(result.until).\(suffix)"
    }

    @Sendable func csv(_ request: Request, context: AppRequestContext) async throws -> Response {
        let result = try await load(request, context)
        return LedgerQuery.csv(SummaryReport.csv(result), filename: Self.filename(result, extension: "csv"))
    }

    @Sendable func xlsx(_ request: Request, context: AppRequestContext) async throws -> Response {
        let result = try await load(request, context)
        return LedgerQuery.xlsx(try SummaryReport.xlsx(result), filename: Self.filename(result, extension: "xlsx"))
    }
}
