import Foundation
import SQLKit

/// 情况汇总表 in the layout of Wen County 附件6: block A 排查情况 and block B 整改情况 (with 查处情况), one row per 辖区
/// (the sub-regions of the chosen region) and a 合计 row; block C 督导检查情况 and 投诉举报受理情况 for the whole region.
///
/// What each column counts (for problems created, actions decided and complaints received in the period):
/// - 小区数: estates screened in the period (`InspectionFigures.screenedEstates`: an inspection record dated in it); 涉及企业数: the companies that managed them during the
///   period (`EstateFigures.managedDuringSQL`: a contract covering any day of it, so a company that handed an estate
///   over inside the period counts, and one that took it over after the period does not). The column belongs to
///   全面排查, the screening of every estate, not to the problems found, so it counts managers, not the company
///   recorded on problem rows.
/// - 排查存在问题小区总数 / per category: estates with at least one problem (of that category).
/// - 完成整改小区数: estates whose problems of the period are all verified and closed; per category: estates with a closed one.
/// - 责令整改小区数, 行政处罚企业数, 物业服务企业退出小区数, 媒体曝光企业数: from the enforcement actions (责令整改, 行政处罚, 清退, 通报曝光).
/// - 县级受理: complaints of every source but 上级交办; 接收省市转办: 上级交办. 办结件数: those of them closed.
/// - 督导检查 (block C, from the inspection records dated in the period): 次数 the records, 小区数 the estates they visited,
///   发现问题小区数 those with a 不符合, 完成整改小区数 those of them whose inspection problems are all put right.
/// - 重新核级 is not recorded by the platform yet: shown as "—", never as 0.
public struct SummaryReport: Sendable {
    /// One header cell: position in the block's header (0-based), spans and text.
    public struct HeaderCell: Sendable {
        public let row: Int
        public let column: Int
        public let rowSpan: Int
        public let columnSpan: Int
        public let text: String
    }

    public struct Block: Sendable {
        public let title: String
        public let headerRows: Int
        public let columns: Int
        public let cells: [HeaderCell]
    }

    /// The eleven categories of 附件6 (block A spelling), with the category codes counted under each.
    public static let categories: [(String, [String])] = [
        ("未按照合同约定提供服务", ["service_contract"]), ("未履行信息公开和报告义务", ["information_duty"]),
        ("未按照合同约定提供安全防范工作", ["security_duty"]), ("未履行物业服务企业的移交义务", ["handover_duty"]),
        ("擅自利用小区公共部位经营", ["common_area_business"]), ("未公示公共收益收支情况", ["revenue_undisclosed"]),
        ("违规侵占小区公共收益", ["revenue_misappropriated", "revenue_no_account", "revenue_ratio", "revenue_not_transferred", "revenue_inflated_cost",
                         "revenue_unauthorized_use"]),
        ("物业服务企业擅自改变物业服务用房用途", ["service_room_use"]), ("无正当理由拒不退出物业服务项目", ["refuse_to_exit"]),
        ("执法进小区难", ["enforcement_access"]), ("业委会（物管会）运行失效", ["committee_failure"]),
    ]

    static func cell(_ r: Int, _ c: Int, _ text: String, rows: Int = 1, columns: Int = 1) -> HeaderCell {
        HeaderCell(row: r, column: c, rowSpan: rows, columnSpan: columns, text: text)
    }

    public static let blockA: Block = {
        var cells = [cell(0, 0, "辖区", rows: 4), cell(0, 1, "排查情况", columns: 14),
                     cell(1, 1, "全面排查", columns: 2), cell(1, 3, "排查存在问题小区总数", rows: 3), cell(1, 4, "排查存在问题涉及小区数", columns: 11),
                     cell(2, 1, "小区数", rows: 2), cell(2, 2, "涉及企业数", rows: 2), cell(2, 4, "物业服务不履约不到位行为", columns: 4),
                     cell(2, 8, "物业服务企业侵害业主利益行为", columns: 3), cell(2, 11, "群众反映集中的其他问题", columns: 4)]
        for (index, (name, _)) in categories.enumerated() { cells.append(cell(3, 4 + index, name)) }
        return Block(title: "排查情况", headerRows: 4, columns: 15, cells: cells)
    }()

    public static let blockB: Block = {
        var cells = [cell(0, 0, "辖区", rows: 4), cell(0, 1, "整改情况", columns: 17),
                     cell(1, 1, "完成整改小区数", rows: 3), cell(1, 2, "各类问题整改情况涉及小区数", columns: 11), cell(1, 13, "查处情况", columns: 5),
                     cell(2, 2, "物业服务履约不到位行为", columns: 4), cell(2, 6, "物业服务企业侵害业主利益行为", columns: 3),
                     cell(2, 9, "群众反映集中的其他问题", columns: 4)]
        for (index, name) in ["责令整改小区数", "重新核级小区数", "行政处罚企业数", "物业服务企业退出小区数", "媒体曝光企业数"].enumerated() {
            cells.append(cell(2, 13 + index, name, rows: 2))
        }
        for (index, (name, _)) in categories.enumerated() { cells.append(cell(3, 2 + index, name)) }
        return Block(title: "整改情况", headerRows: 4, columns: 18, cells: cells)
    }()

    public static let blockC: Block = {
        var cells = [cell(0, 0, "督导检查情况", columns: 4), cell(0, 4, "投诉举报受理情况", columns: 4)]
        for (index, name) in ["督导检查次数", "督导检查小区数", "发现问题小区数", "完成整改小区数"].enumerated() { cells.append(cell(1, index, name, rows: 2)) }
        cells += [cell(1, 4, "县级受理", columns: 2), cell(1, 6, "接收省市转办", columns: 2),
                  cell(2, 4, "受理件数"), cell(2, 5, "办结件数"), cell(2, 6, "受理件数"), cell(2, 7, "办结件数")]
        return Block(title: "督导检查与投诉举报受理情况", headerRows: 3, columns: 8, cells: cells)
    }()

    /// One 辖区 row: 14 values of block A and 17 of block B (nil: not recorded, shown "—").
    public struct Row: Sendable {
        public let code: String
        public let name: String
        public let a: [Int?]
        public let b: [Int?]
    }

    public struct Result: Sendable {
        public let title: String
        public let region: Region
        public let from: Day
        public let until: Day
        public let rows: [Row]
        public let total: Row
        public let c: [Int?]
    }

    let database: Database
    let clock: any LedgerClock

    public init(database: Database, clock: any LedgerClock) {
        self.database = database
        self.clock = clock
    }

    /// Checks a period: both days valid, in order, not in the future, at most a year… or three (a year's 汇总 across a new year).
    public func period(from: String?, until: String?) throws -> (Day, Day) {
        let today = Day(Timestamp.shanghaiDay(clock.now()))!
        let start = try from.map { text -> Day in
            guard let day = Day(text) else { throw LedgerError.invalid("from", code: "bad_date", "起始日期格式应为 2024-07-01") }
            return day
        } ?? Day(year: today.year, month: 1, day: 1)
        let end = try until.map { text -> Day in
            guard let day = Day(text) else { throw LedgerError.invalid("until", code: "bad_date", "截止日期格式应为 2024-07-31") }
            return day
        } ?? today
        guard start <= end else { throw LedgerError.invalid("until", code: "bad_period", "截止日期不能早于起始日期") }
        guard end <= today else { throw LedgerError.invalid("until", code: "future_date", "截止日期不能晚于今天") }
        guard start.days(until: end) <= 3 * 366 else { throw LedgerError.invalid("from", code: "period_too_long", "统计期间不能超过三年") }
        return (start, end)
    }

    public func build(regionCode: String, from: Day, until: Day, scope: Scope) async throws -> Result {
        try scope.require(.viewReports)
        let today = Day(Timestamp.shanghaiDay(clock.now()))!
        return try await database.cachedList("summary", scope: scope, key: "\(regionCode)|\(from)|\(until)", today: today) {
            try await counted(regionCode: regionCode, from: from, until: until, scope: scope)
        }
    }

    private func counted(regionCode: String, from: Day, until: Day, scope: Scope) async throws -> Result {
        try await database.read { db in
            let region = try await RegionDirectory.covered(regionCode, scope: scope, on: db)
            var children = try await db.raw("SELECT \(RegionDirectory.columns) FROM regions r WHERE r.parent_code = \(bind: region.code) ORDER BY r.code")
                .all().map(Region.init(row:))
            if children.isEmpty { children = [region] }
            let depth = region.path.split(separator: "/").count
            func key(_ path: String) -> String {
                let parts = path.split(separator: "/")
                return parts.count > depth ? String(parts[depth]) : region.code
            }
            let inside = Scope.pathPredicate("e.region_path", region.path)
            var estates: [String: Int] = [:], companies: [String: Set<Int64>] = [:]
            for (_, path) in try await InspectionFigures.screenedEstates(under: region.path, from: from, until: until, on: db) {
                estates[key(path), default: 0] += 1
            }
            for row in try await db.raw("""
                SELECT DISTINCT e.region_path, k.company_id FROM estates e JOIN contracts k ON k.estate_id = e.id
                WHERE \(inside) AND \(EstateFigures.managedDuringSQL(from: from, until: until))
                """).all() {
                companies[key(try row.decode(column: "region_path", as: String.self)), default: []].insert(try row.decode(column: "company_id", as: Int64.self))
            }
            // Problems of the period, per estate: which categories, and whether each is closed.
            var found: [String: Set<Int64>] = [:], foundBy: [String: [Int: Set<Int64>]] = [:], fixedBy: [String: [Int: Set<Int64>]] = [:]
            var open: Set<Int64> = [], withProblems: [String: Set<Int64>] = [:]
            let column = Dictionary(uniqueKeysWithValues: Self.categories.enumerated().flatMap { index, entry in entry.1.map { ($0, index) } })
            for row in try await db.raw("""
                SELECT p.estate_id, p.region_path, p.category, p.status, p.outcome FROM problems p
                WHERE \(Scope.pathPredicate("p.region_path", region.path)) AND \(EstateFigures.within("p.created_at", from: from, until: until))
                """).all() {
                let estate = try row.decode(column: "estate_id", as: Int64.self)
                let k = key(try row.decode(column: "region_path", as: String.self))
                let closed = EstateFigures.problemPutRight(status: try row.decode(column: "status", as: String.self),
                                                           outcome: try row.decode(column: "outcome", as: String?.self))
                found[k, default: []].insert(estate)
                withProblems[k, default: []].insert(estate)
                if !closed { open.insert(estate) }
                if let index = column[try row.decode(column: "category", as: String.self)] {
                    foundBy[k, default: [:]][index, default: []].insert(estate)
                    if closed { fixedBy[k, default: [:]][index, default: []].insert(estate) }
                }
            }
            var ordered: [String: Set<Int64>] = [:], penalised: [String: Set<Int64>] = [:], expelled: [String: Set<Int64>] = [:]
            var exposed: [String: Set<Int64>] = [:]
            for row in try await db.raw("""
                SELECT a.kind, a.company_id, a.estate_id, a.region_path FROM enforcement_actions a
                WHERE \(Scope.pathPredicate("a.region_path", region.path)) AND a.decided_on >= \(bind: from.description) AND a.decided_on <= \(bind: until.description)
                """).all() {
                let k = key(try row.decode(column: "region_path", as: String.self))
                let company = try row.decode(column: "company_id", as: Int64.self), estate = try row.decode(column: "estate_id", as: Int64?.self)
                switch try row.decode(column: "kind", as: String.self) {
                case "order_rectify": if let estate { ordered[k, default: []].insert(estate) }
                case "penalty": penalised[k, default: []].insert(company)
                case "expel": if let estate { expelled[k, default: []].insert(estate) }
                case "public_notice": exposed[k, default: []].insert(company)
                default: break
                }
            }
            var c = try await Self.supervision(under: region.path, from: from, until: until, on: db) + [0, 0, 0, 0]
            for row in try await db.raw("""
                SELECT c.source, c.status FROM complaints c WHERE \(Scope.pathPredicate("c.region_path", region.path))
                AND \(EstateFigures.within("c.received_at", from: from, until: until))
                """).all() {
                let offset = try row.decode(column: "source", as: String.self) == ComplaintSource.superior.rawValue ? 6 : 4
                c[offset]! += 1
                if EstateFigures.complaintClosed(status: try row.decode(column: "status", as: String.self)) { c[offset + 1]! += 1 }
            }
            func row(_ code: String, _ name: String, _ keys: [String]) -> Row {
                func union(_ map: [String: Set<Int64>]) -> Int { keys.reduce(into: Set<Int64>()) { $0.formUnion(map[$1] ?? []) }.count }
                func per(_ map: [String: [Int: Set<Int64>]], _ index: Int) -> Int {
                    keys.reduce(into: Set<Int64>()) { $0.formUnion(map[$1]?[index] ?? []) }.count
                }
                let companyCount = keys.reduce(into: Set<Int64>()) { $0.formUnion(companies[$1] ?? []) }.count
                let a: [Int?] = [keys.reduce(0) { $0 + (estates[$1] ?? 0) }, companyCount, union(found)] + (0..<11).map { per(foundBy, $0) }
                let done = keys.reduce(into: Set<Int64>()) { $0.formUnion(withProblems[$1] ?? []) }.subtracting(open).count
                let b: [Int?] = [done] + (0..<11).map { per(fixedBy, $0) } + [union(ordered), nil, union(penalised), union(expelled), union(exposed)]
                return Row(code: code, name: name, a: a, b: b)
            }
            let rows = children.map { row($0.code, $0.name, [$0.code]) }
            let total = row(region.code, "合计", children.map(\.code))
            return Result(title: "\(region.name)“整治物业服务履约不到位、侵占业主公共收益等问题”情况汇总表", region: region, from: from, until: until,
                          rows: rows, total: total, c: c)
        }
    }

    /// Block C's 督导检查情况 from the inspection records dated in the period: 次数, 小区数, 发现问题小区数, 完成整改小区数.
    static func supervision(under path: String, from: Day, until: Day, on db: any SQLDatabase) async throws -> [Int?] {
        var visits = 0, visited: Set<Int64> = [], failing: Set<Int64> = [], open: Set<Int64> = []
        for row in try await db.raw("""
            SELECT ir.estate_id, ir.failed, p.status, p.outcome FROM inspection_records ir
            LEFT JOIN problems p ON p.source = 'inspection' AND p.source_id = ir.id
            WHERE \(Scope.pathPredicate("ir.region_path", path)) AND ir.inspected_on >= \(bind: from.description) AND ir.inspected_on <= \(bind: until.description)
            """).all() {
            let estate = try row.decode(column: "estate_id", as: Int64.self)
            visited.insert(estate)
            visits += 1
            guard try row.decode(column: "failed", as: Int.self) > 0 else { continue }
            failing.insert(estate)
            if let status = try row.decode(column: "status", as: String?.self),
               !EstateFigures.problemPutRight(status: status, outcome: try row.decode(column: "outcome", as: String?.self)) {
                open.insert(estate)
            }
        }
        // One row per record and problem: a record with two problems counts once.
        let records = try await db.raw("""
            SELECT COUNT(*) AS n FROM inspection_records ir WHERE \(Scope.pathPredicate("ir.region_path", path))
            AND ir.inspected_on >= \(bind: from.description) AND ir.inspected_on <= \(bind: until.description)
            """).first(decodingColumn: "n", as: Int.self) ?? visits
        return [records, visited.count, failing.count, failing.subtracting(open).count]
    }

    // MARK: Files

    public static func text(_ value: Int?) -> String { value.map(String.init) ?? "—" }

    public static func csv(_ result: Result) -> String {
        func names(_ block: Block) -> [String] {
            // The leaf header of each column, prefixed with its groups (辖区 first).
            (0..<block.columns).map { column in
                block.cells.filter { $0.column <= column && column < $0.column + $0.columnSpan }.sorted { $0.row < $1.row }.map(\.text).joined(separator: "/")
            }
        }
        var lines = [[result.title], ["统计期间", "\(result.from) 至 \(result.until)"], names(blockA) + names(blockB).dropFirst()]
        for row in result.rows + [result.total] { lines.append([row.name] + (row.a + row.b).map(text)) }
        lines.append([])
        lines.append(names(blockC))
        lines.append(result.c.map(text))
        return CSV.format(lines)
    }

    /// One sheet: title, period, then the three blocks one under another with their merged headers, as in 附件6.
    public static func xlsx(_ result: Result) throws -> Data {
        var rows: [[XLSXCell]] = [[.bold(result.title)], [.text("统计期间：\(result.from) 至 \(result.until)")]]
        var merges = ["A1:R1", "A2:R2"]
        var breaks: [Int] = []
        func place(_ block: Block, data: [[Int?]], names: [String]?) {
            let top = rows.count
            var grid = [[XLSXCell]](repeating: [XLSXCell](repeating: .empty, count: block.columns), count: block.headerRows)
            for cell in block.cells {
                grid[cell.row][cell.column] = .bold(cell.text)
                if cell.rowSpan > 1 || cell.columnSpan > 1 {
                    merges.append("\(XLSXWriter.reference(row: top + cell.row + 1, column: cell.column + 1)):"
                                  + "\(XLSXWriter.reference(row: top + cell.row + cell.rowSpan, column: cell.column + cell.columnSpan))")
                }
            }
            rows += grid
            for (index, values) in data.enumerated() {
                let cells = values.map { $0.map { XLSXCell.integer(Int64($0)) } ?? .text("—") }
                rows.append((names.map { [.text($0[index])] } ?? []) + cells)
            }
            // Each block whole on its pages, as the three tables of 附件6.
            breaks.append(rows.count)
            rows.append([])
        }
        let all = result.rows + [result.total]
        place(blockA, data: all.map(\.a), names: all.map(\.name))
        place(blockB, data: all.map(\.b), names: all.map(\.name))
        place(blockC, data: [result.c], names: nil)
        return try XLSXWriter.data([XLSXSheet(name: "情况汇总表", rows: rows, merges: merges, columnWidths: [14] + Array(repeating: 9, count: 17),
                                              tableFrom: 3, pageBreaksAfter: Array(breaks.dropLast()))])
    }
}
