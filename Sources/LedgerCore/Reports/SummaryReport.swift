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

    /// One subtree's counts: sets of estate and company ids where a column counts distinct ones, so that a sum over
    /// subtrees counts an id once; plain counts where rows are counted.
    struct Part: SubtreePart {
        /// 全面排查 小区数: (estate, path) pairs screened; 涉及企业数: the companies that managed them.
        var screened = 0, companies: Set<Int64> = []
        /// Estates with a problem of the period; by category column, those with one and those with one put right; those
        /// with one still open (完成整改 is an estate with problems and none open, across the whole report).
        var withProblems: Set<Int64> = [], foundBy: [Int: Set<Int64>] = [:], fixedBy: [Int: Set<Int64>] = [:], open: Set<Int64> = []
        /// 查处情况: estates ordered to rectify or expelled, companies penalised or exposed.
        var ordered: Set<Int64> = [], expelled: Set<Int64> = [], penalised: Set<Int64> = [], exposed: Set<Int64> = []
        /// Block C's 督导检查: records, estates visited, those failing, those failing with an inspection problem not put right.
        var records = 0, visited: Set<Int64> = [], failing: Set<Int64> = [], failingOpen: Set<Int64> = []
        /// Block C's complaints: 县级受理 received and closed, 接收省市转办 received and closed.
        var complaints = [0, 0, 0, 0]

        mutating func add(_ other: Part) {
            screened += other.screened
            companies.formUnion(other.companies)
            withProblems.formUnion(other.withProblems)
            foundBy.merge(other.foundBy) { $0.union($1) }
            fixedBy.merge(other.fixedBy) { $0.union($1) }
            open.formUnion(other.open)
            ordered.formUnion(other.ordered)
            expelled.formUnion(other.expelled)
            penalised.formUnion(other.penalised)
            exposed.formUnion(other.exposed)
            records += other.records
            visited.formUnion(other.visited)
            failing.formUnion(other.failing)
            failingOpen.formUnion(other.failingOpen)
            for index in complaints.indices { complaints[index] += other.complaints[index] }
        }

        /// A 辖区 row of blocks A and B; `open`: the estates with a problem still open anywhere in the report.
        func row(_ code: String, _ name: String, open: Set<Int64>) -> Row {
            let found: [Int?] = (0..<11).map { foundBy[$0]?.count ?? 0 }, fixed: [Int?] = (0..<11).map { fixedBy[$0]?.count ?? 0 }
            let actions: [Int?] = [ordered.count, nil, penalised.count, expelled.count, exposed.count]
            let done: Int = withProblems.subtracting(open).count
            return Row(code: code, name: name, a: [screened, companies.count, withProblems.count] + found, b: [done] + fixed + actions)
        }

        /// Block C.
        var c: [Int?] {
            let supervision: [Int?] = [records, visited.count, failing.count, failing.subtracting(failingOpen).count]
            return supervision + complaints.map { $0 }
        }
    }

    /// The report counted from the rows; a province, city or district is summed from its children's parts, each kept
    /// under its own stamp (`SubtreePart`), so that after a write in one street only that street is counted again.
    func counted(regionCode: String, from: Day, until: Day, scope: Scope) async throws -> Result {
        let (region, children) = try await database.read { db in
            let region = try await RegionDirectory.covered(regionCode, scope: scope, on: db)
            return (region, try await RegionDirectory.children(of: region, on: db))
        }
        var units = children.isEmpty ? [region] : children
        let parts: [Part], all: Part
        if let split = try await database.subtreeParts("summary", region: region, key: "\(from)|\(until)", today: today(),
                                                       count: { rows, db in try await Self.parts(rows, from: from, until: until, on: db) { _ in "" }[""] ?? Part() }) {
            // The names of the very children summed (a region added meanwhile cannot shift them).
            units = split.children.map(\.region)
            parts = split.children.map(\.part)
            all = parts.reduce(into: split.own) { $0.add($1) }
        } else {
            let byUnit = try await database.read { db in try await Self.parts(.under(region.path), from: from, until: until, on: db) { path in
                Self.unit(of: path, under: region, hasChildren: !children.isEmpty)
            } }
            parts = children.isEmpty ? [byUnit[region.code] ?? Part()] : children.map { byUnit[$0.code] ?? Part() }
            all = byUnit.values.reduce(into: Part()) { $0.add($1) }
        }
        let rows = zip(units, parts).map { unit, part in part.row(unit.code, unit.name, open: all.open) }
        let total = parts.reduce(into: Part()) { $0.add($1) }.row(region.code, "合计", open: all.open)
        return Result(title: "\(region.name)“整治物业服务履约不到位、侵占业主公共收益等问题”情况汇总表", region: region, from: from, until: until,
                      rows: rows, total: total, c: all.c)
    }

    /// The 辖区 a row at `path` is counted in: the child of `region` it lies under, or the region itself.
    static func unit(of path: String, under region: Region, hasChildren: Bool) -> String {
        let depth = region.path.split(separator: "/").count
        let parts = path.split(separator: "/")
        return hasChildren && parts.count > depth ? String(parts[depth]) : region.code
    }

    private func today() -> Day { Day(Timestamp.shanghaiDay(clock.now()))! }

    /// The rows `selection` picks, counted into one part per unit (`unit` of a row's path).
    static func parts(_ selection: PathSelection, from: Day, until: Day, on db: any SQLDatabase,
                      unit: (String) -> String) async throws -> [String: Part] {
        var parts: [String: Part] = [:]
        func path(_ row: any SQLRow) throws -> String { unit(try row.decode(column: "region_path", as: String.self)) }
        for (rowPath, count) in try await InspectionFigures.screenedEstates(in: selection, from: from, until: until, on: db) {
            parts[unit(rowPath), default: Part()].screened += count
        }
        for row in try await db.raw("""
            SELECT DISTINCT e.region_path, k.company_id FROM estates e JOIN contracts k ON k.estate_id = e.id
            WHERE \(selection.predicate("e.region_path")) AND \(EstateFigures.managedDuringSQL(from: from, until: until))
            """).all() {
            parts[try path(row), default: Part()].companies.insert(try row.decode(column: "company_id", as: Int64.self))
        }
        // Problems of the period, per estate: which categories, and whether each is closed.
        let column = Dictionary(uniqueKeysWithValues: Self.categories.enumerated().flatMap { index, entry in entry.1.map { ($0, index) } })
        for row in try await db.raw("""
            SELECT p.estate_id, p.region_path, p.category, p.status, p.outcome FROM problems p
            WHERE \(selection.predicate("p.region_path")) AND \(EstateFigures.within("p.created_at", from: from, until: until))
            """).all() {
            let estate = try row.decode(column: "estate_id", as: Int64.self)
            let closed = EstateFigures.problemPutRight(status: try row.decode(column: "status", as: String.self),
                                                       outcome: try row.decode(column: "outcome", as: String?.self))
            let category = column[try row.decode(column: "category", as: String.self)]
            let key = try path(row)
            parts[key, default: Part()].withProblems.insert(estate)
            if !closed { parts[key]!.open.insert(estate) }
            if let category {
                parts[key]!.foundBy[category, default: []].insert(estate)
                if closed { parts[key]!.fixedBy[category, default: []].insert(estate) }
            }
        }
        for row in try await db.raw("""
            SELECT a.kind, a.company_id, a.estate_id, a.region_path FROM enforcement_actions a
            WHERE \(selection.predicate("a.region_path")) AND a.decided_on >= \(bind: from.description) AND a.decided_on <= \(bind: until.description)
            """).all() {
            let key = try path(row)
            let company = try row.decode(column: "company_id", as: Int64.self), estate = try row.decode(column: "estate_id", as: Int64?.self)
            switch try row.decode(column: "kind", as: String.self) {
            case "order_rectify": if let estate { parts[key, default: Part()].ordered.insert(estate) }
            case "penalty": parts[key, default: Part()].penalised.insert(company)
            case "expel": if let estate { parts[key, default: Part()].expelled.insert(estate) }
            case "public_notice": parts[key, default: Part()].exposed.insert(company)
            default: break
            }
        }
        // Block C's 督导检查, from the inspection records dated in the period (one row per record and problem).
        let dated: SQLQueryString = "ir.inspected_on >= \(bind: from.description) AND ir.inspected_on <= \(bind: until.description)"
        for row in try await db.raw("""
            SELECT ir.region_path, COUNT(*) AS n FROM inspection_records ir WHERE \(selection.predicate("ir.region_path")) AND \(dated) GROUP BY ir.region_path
            """).all() {
            parts[try path(row), default: Part()].records += try row.decode(column: "n", as: Int.self)
        }
        for row in try await db.raw("""
            SELECT ir.estate_id, ir.region_path, ir.failed, p.status, p.outcome FROM inspection_records ir
            LEFT JOIN problems p ON p.source = 'inspection' AND p.source_id = ir.id
            WHERE \(selection.predicate("ir.region_path")) AND \(dated)
            """).all() {
            let estate = try row.decode(column: "estate_id", as: Int64.self), key = try path(row)
            parts[key, default: Part()].visited.insert(estate)
            guard try row.decode(column: "failed", as: Int.self) > 0 else { continue }
            parts[key]!.failing.insert(estate)
            if let status = try row.decode(column: "status", as: String?.self),
               !EstateFigures.problemPutRight(status: status, outcome: try row.decode(column: "outcome", as: String?.self)) {
                parts[key]!.failingOpen.insert(estate)
            }
        }
        for row in try await db.raw("""
            SELECT c.region_path, c.source, c.status, COUNT(*) AS n FROM complaints c WHERE \(selection.predicate("c.region_path"))
            AND \(EstateFigures.within("c.received_at", from: from, until: until)) GROUP BY c.region_path, c.source, c.status
            """).all() {
            let offset = try row.decode(column: "source", as: String.self) == ComplaintSource.superior.rawValue ? 2 : 0
            let n = try row.decode(column: "n", as: Int.self), key = try path(row)
            parts[key, default: Part()].complaints[offset] += n
            if EstateFigures.complaintClosed(status: try row.decode(column: "status", as: String.self)) { parts[key]!.complaints[offset + 1] += n }
        }
        return parts
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
