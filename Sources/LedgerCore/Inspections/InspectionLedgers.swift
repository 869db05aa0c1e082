import Foundation
import SQLKit

/// The inspection ledgers, month by month or cumulative: 检查工作台账 (one row per inspection record and per estate a
/// cross-inspection group checked — the 主管部门、乡镇（街道）检查工作台账 the Fujian plans ask for each month with the
/// 问题台账) and 抽查核实台账 (Putian 附件1 #11: the spot-check verifications of §四(三), one row per inspection record).
/// Rows are read in keyset-paged batches in date order, so neither ledger is ever held whole.
public struct InspectionLedgers: Sendable {
    /// One ledger row.
    public struct Entry: Sendable {
        /// `2024-11-18`, or `2024-11-01至2024-11-03` for a cross inspection.
        public let date: String
        public let county: String
        public let street: String
        public let estate: String
        public let company: String
        /// 检查单位.
        public let unit: String
        /// 检查人员.
        public let inspectors: String
        /// 检查方式: 抽查（县级计划）, 日常检查, 交叉检查 ….
        public let method: String
        /// 核实对象: 必查（reasons）, 随机抽取, 计划外核实, 交叉检查.
        public let target: String
        /// 检查事项.
        public let items: String
        /// The checklist answers (empty for a cross inspection).
        public let answers: [String: InspectionRecords.Answer]
        /// 发现问题.
        public let findings: String
        public let problems: Int
        public let putRight: Int
        public let remark: String

        /// 整改情况.
        public var rectification: String {
            if problems == 0 { return "无需整改" }
            return putRight == problems ? "已整改（\(problems)项）" : "整改中（已整改\(putRight)项，共\(problems)项）"
        }

        /// An item's result for the ledger: 符合, 不符合：note, 不适用, or "" when not asked.
        public func answer(_ codes: [String]) -> String {
            let found = codes.compactMap { answers[$0] }
            guard !found.isEmpty else { return "" }
            var failed: [String] = []
            for code in codes {
                guard let answer = answers[code], answer.result == .fails else { continue }
                let title = Checklist.item(code)?.title ?? code
                failed.append(answer.note.isEmpty ? title : "\(title)（\(answer.note)）")
            }
            if !failed.isEmpty { return "不符合：" + failed.joined(separator: "；") }
            return found.allSatisfy { $0.result == .notApplicable } ? "不适用" : "符合"
        }
    }

    /// Whose inspections a work ledger lists: all, the 主管部门's (province, city, county — and cross inspections between
    /// counties), or the 镇（街道）'s (street and community; cross inspections between streets) — the two ledgers the Fujian
    /// plans name inside the 工作台账. A record's level is `InspectionFigures.inspectingLevelSQL` (unknown: 主管部门).
    public enum Tier: String, Sendable, CaseIterable {
        case all, department, street

        public var title: String {
            switch self {
            case .all: "检查工作台账"
            case .department: "主管部门检查工作台账"
            case .street: "镇（街道）检查工作台账"
            }
        }

        var levels: [String]? {
            switch self {
            case .all: nil
            case .department: ["province", "city", "county"]
            case .street: ["street", "community"]
            }
        }
    }

    /// A ledger's period: a month (or any range) or cumulative up to today.
    public struct Period: Sendable {
        public let from: Day?
        public let until: Day
        /// For the sheet: `2024年11月`, `2024-11-01至2024-11-15`, `累计（截至2024年12月2日）`.
        public let title: String
        /// For the file name: `2024-11`, `2024-11-01至2024-11-15`, `累计至2024-12-02`.
        public let fileLabel: String

        /// A ledger's period from its checked days: cumulative without a start (up to `until`, else today), a calendar
        /// month when it is one, else the two days.
        public static func covering(from start: Day?, until: Day?, today: Day) throws -> Period {
            let end = until ?? today
            guard let start else {
                return Period(from: nil, until: end, title: "累计（截至\(InspectionLedgers.chinese(end))）", fileLabel: "累计至\(end)")
            }
            guard start <= end else { throw LedgerError.invalid("until", code: "bad_period", "截止日期不能早于起始日期") }
            if start.day == 1 && start.year == end.year && start.month == end.month {
                return Period(from: start, until: end, title: "\(start.year)年\(start.month)月", fileLabel: String(start.description.prefix(7)))
            }
            return Period(from: start, until: end, title: "\(start)至\(end)", fileLabel: "\(start)至\(end)")
        }
    }

    let database: Database
    let clock: any LedgerClock

    public init(database: Database, clock: any LedgerClock) {
        self.database = database
        self.clock = clock
    }

    /// Checks a period: both days or neither (cumulative); in order.
    public func period(from: String?, until: String?) throws -> Period {
        let today = Day(Timestamp.shanghaiDay(clock.now()))!
        let start = try from.map { text -> Day in
            guard let day = Day(text) else { throw LedgerError.invalid("from", code: "bad_date", "起始日期格式应为 2024-07-01") }
            return day
        }
        let end = try until.map { text -> Day in
            guard let day = Day(text) else { throw LedgerError.invalid("until", code: "bad_date", "截止日期格式应为 2024-07-31") }
            return day
        }
        return try Period.covering(from: start, until: end, today: today)
    }

    /// `2026年12月2日`, as official documents write a date.
    public static func chinese(_ day: Day) -> String { "\(day.year)年\(day.month)月\(day.day)日" }

    /// The region the ledger is for (the scope's own when `regionCode` is empty), checked before any byte is sent.
    public func region(_ regionCode: String, scope: Scope) async throws -> Region {
        try scope.require(.viewReports)
        return try await database.read { db in
            let code = regionCode.isEmpty ? (scope.regionPath?.split(separator: "/").last.map(String.init) ?? "") : regionCode
            if code.isEmpty, scope.role == .admin, let top = try await db.raw("""
                SELECT \(RegionDirectory.columns) FROM regions r WHERE r.parent_code IS NULL ORDER BY r.code LIMIT 1
                """).first().map(Region.init(row:)) {
                return top
            }
            return try await RegionDirectory.covered(code, scope: scope, on: db)
        }
    }

    /// Every row of the region's ledger in the period, in date order. `crossInspections`: with the estates the
    /// cross-inspection groups checked (the work ledger), or inspection records only (the spot-check ledger).
    public func forEach(region: Region, period: Period, crossInspections: Bool, tier: Tier = .all, scope: Scope,
                        _ each: (Entry) async throws -> Void) async throws {
        guard scope.covers(regionPath: region.path) else { throw LedgerError.notFound("行政区划") }
        let names = try await database.read { db in
            let ancestors = region.path.split(separator: "/").map(String.init)
            var names: [String: String] = [:]
            for row in try await db.raw("""
                SELECT code, name FROM regions WHERE \(Scope.pathPredicate("path", region.path)) OR code IN (\(binds: ancestors))
                """).all() {
                names[try row.decode(column: "code", as: String.self)] = try row.decode(column: "name", as: String.self)
            }
            return names
        }
        // Cross-inspection rows are few (groups × sample per quarter): read at once, merged into the date order.
        var cross: [(sortKey: String, entry: Entry)] = []
        if crossInspections { cross = try await crossRows(region: region, period: period, tier: tier, names: names) }
        var last: (String, Int64)?
        while true {
            let batch = try await recordBatch(region: region, period: period, tier: tier, after: last, names: names)
            for (key, entry) in batch {
                while let next = cross.first, next.sortKey < key.0 { try await each(next.entry); cross.removeFirst() }
                try await each(entry)
                last = key
            }
            if batch.count < Self.batchSize { break }
        }
        for row in cross { try await each(row.entry) }
    }

    static let batchSize = 500

    private func recordBatch(region: Region, period: Period, tier: Tier, after: (String, Int64)?,
                             names: [String: String]) async throws -> [((String, Int64), Entry)] {
        try await database.read { db in
            var condition: SQLQueryString = "\(Scope.pathPredicate("ir.region_path", region.path)) AND ir.inspected_on <= \(bind: period.until.description)"
            if let from = period.from { condition = "\(condition) AND ir.inspected_on >= \(bind: from.description)" }
            if let levels = tier.levels {
                condition = "\(condition) AND COALESCE(\(InspectionFigures.inspectingLevelSQL("ir")), 'county') IN (\(binds: levels))"
            }
            if let after {
                let (day, id) = after
                condition = "\(condition) AND (ir.inspected_on > \(bind: day) OR (ir.inspected_on = \(bind: day) AND ir.id > \(bind: id)))"
            }
            let rows = try await db.raw("""
                SELECT ir.id, ir.plan_id, ir.estate_id, ir.region_path, ir.inspected_on, ir.answers, ir.recorded_by, e.name AS estate_name,
                       c.name AS company_name, pr.name AS plan_region, pr.level AS plan_level, lp.year AS plan_year, ur.name AS user_region,
                       ur.level AS user_level, u.display_name, pe.forced
                FROM inspection_records ir JOIN estates e ON e.id = ir.estate_id LEFT JOIN companies c ON c.id = ir.company_id
                LEFT JOIN inspection_plans lp ON lp.id = ir.plan_id LEFT JOIN regions pr ON pr.code = lp.region_code
                LEFT JOIN inspection_plan_estates pe ON pe.plan_id = ir.plan_id AND pe.estate_id = ir.estate_id
                LEFT JOIN users u ON u.username = ir.recorded_by LEFT JOIN regions ur ON ur.code = u.region_code
                WHERE \(condition) ORDER BY ir.inspected_on, ir.id LIMIT \(bind: Self.batchSize)
                """).all()
            guard !rows.isEmpty else { return [] }
            let ids = try rows.map { try $0.decode(column: "id", as: Int64.self) }
            let estates = Array(Set(try rows.map { try $0.decode(column: "estate_id", as: Int64.self) }))
            let plans = Array(Set(try rows.compactMap { try $0.decode(column: "plan_id", as: Int64?.self) }))
            var problems: [Int64: (Int, Int)] = [:]
            for row in try await db.raw("""
                SELECT source_id, status, outcome FROM problems WHERE source = 'inspection' AND source_id IN (\(binds: ids))
                """).all() {
                let id = try row.decode(column: "source_id", as: Int64.self)
                let done = EstateFigures.problemPutRight(status: try row.decode(column: "status", as: String.self),
                                                         outcome: try row.decode(column: "outcome", as: String?.self))
                problems[id, default: (0, 0)].0 += 1
                if done { problems[id, default: (0, 0)].1 += 1 }
            }
            var team: [String: [(String, String)]] = [:]
            if !plans.isEmpty {
                for row in try await db.raw("""
                    SELECT pi.plan_id, pi.estate_id, i.name, i.organisation FROM inspection_plan_inspectors pi JOIN inspectors i ON i.id = pi.inspector_id
                    WHERE pi.plan_id IN (\(binds: plans)) AND pi.estate_id IN (\(binds: estates)) ORDER BY pi.plan_id, pi.estate_id, pi.position
                    """).all() {
                    let plan = try row.decode(column: "plan_id", as: Int64.self), estate = try row.decode(column: "estate_id", as: Int64.self)
                    let person = (try row.decode(column: "name", as: String.self), try row.decode(column: "organisation", as: String.self))
                    team["\(plan)/\(estate)", default: []].append(person)
                }
            }
            // Why a forced estate was in the sample (Putian §四(三)), as the tables say today.
            var reasons: [Int64: Set<String>] = [:]
            for row in try await db.raw("""
                SELECT estate_id, 'W03' AS reason FROM warnings WHERE rule = 'W03' AND estate_id IN (\(binds: estates))
                UNION SELECT estate_id, CASE source WHEN 'superior' THEN 'superior' ELSE 'clue' END AS reason FROM complaints WHERE estate_id IN (\(binds: estates))
                """).all() {
                reasons[try row.decode(column: "estate_id", as: Int64.self), default: []].insert(try row.decode(column: "reason", as: String.self))
            }
            return try rows.map { row in
                let id = try row.decode(column: "id", as: Int64.self), estate = try row.decode(column: "estate_id", as: Int64.self)
                let plan = try row.decode(column: "plan_id", as: Int64?.self)
                let day = try row.decode(column: "inspected_on", as: String.self)
                let answers = (try? JSONDecoder().decode([String: InspectionRecords.Answer].self,
                                                         from: Data(try row.decode(column: "answers", as: String.self).utf8))) ?? [:]
                let (county, street) = Self.place(try row.decode(column: "region_path", as: String.self), names)
                let planLevel = try row.decode(column: "plan_level", as: String?.self).flatMap(Region.Level.init(rawValue:))
                let people = plan.flatMap { team["\($0)/\(estate)"] } ?? []
                let displayName = try row.decode(column: "display_name", as: String?.self), recordedBy = try row.decode(column: "recorded_by", as: String.self)
                let recorder = displayName ?? recordedBy
                let planRegion = try row.decode(column: "plan_region", as: String?.self), userRegion = try row.decode(column: "user_region", as: String?.self)
                let unitRegion = planRegion ?? userRegion ?? ""
                let organisations = people.map(\.1).reduce(into: [String]()) { if !$0.contains($1) { $0.append($1) } }
                let method = plan == nil ? "日常检查" : "双随机抽查（\(planLevel.map(Self.levelTitle) ?? "")计划）"
                var target = "计划外核实"
                if plan != nil {
                    if try row.decode(column: "forced", as: Int?.self) == 1 {
                        let why = reasons[estate] ?? []
                        let words = [("superior", "上级交办件"), ("clue", "问题线索"), ("W03", "公共收益为零")].filter { why.contains($0.0) }.map(\.1)
                        target = "必查" + (words.isEmpty ? "" : "（\(words.joined(separator: "、"))）")
                    } else {
                        target = "随机抽取"
                    }
                }
                let counts = Dictionary(grouping: answers.values, by: \.result).mapValues(\.count)
                let failed = Checklist.items.compactMap { item in
                    answers[item.code].flatMap { $0.result == .fails ? (($0.note.isEmpty ? item.title : "\(item.title)：\($0.note)")) : nil }
                }
                let (found, done) = problems[id] ?? (0, 0)
                let entry = Entry(
                    date: day, county: county, street: street, estate: try row.decode(column: "estate_name", as: String.self),
                    company: try row.decode(column: "company_name", as: String?.self) ?? "", unit: organisations.isEmpty ? unitRegion : organisations.joined(separator: "、"),
                    inspectors: people.isEmpty ? recorder : people.map(\.0).joined(separator: "、"), method: method, target: target,
                    items: "检查清单\(answers.count)项：符合\(counts[.conforms] ?? 0)项、不符合\(counts[.fails] ?? 0)项、不适用\(counts[.notApplicable] ?? 0)项",
                    answers: answers, findings: failed.isEmpty ? "未发现问题" : failed.joined(separator: "；"), problems: found, putRight: done,
                    remark: "检查记录 #\(id)" + (plan.map { "；抽查计划 #\($0)" } ?? ""))
                return ((day, id), entry)
            }
        }
    }

    private func crossRows(region: Region, period: Period, tier: Tier, names: [String: String]) async throws -> [(sortKey: String, entry: Entry)] {
        try await database.read { db in
            var condition: SQLQueryString = "\(Scope.pathPredicate("e.region_path", region.path)) AND g.inspected_until <= \(bind: period.until.description)"
            if let from = period.from { condition = "\(condition) AND g.inspected_until >= \(bind: from.description)" }
            if let levels = tier.levels { condition = "\(condition) AND a.level IN (\(binds: levels))" }
            let rows = try await db.raw("""
                SELECT g.id, g.inspected_from, g.inspected_until, g.team, a.name AS inspecting_name, x.year, x.quarter, ce.estate_id, e.name AS estate_name,
                       e.region_path, c.name AS company_name
                FROM cross_inspection_estates ce JOIN cross_inspection_groups g ON g.id = ce.group_id JOIN cross_inspection_rounds x ON x.id = g.round_id
                JOIN regions a ON a.code = g.inspecting_code JOIN estates e ON e.id = ce.estate_id LEFT JOIN companies c ON c.id = e.company_id
                WHERE \(condition) ORDER BY g.inspected_until, g.id, e.id
                """).all()
            let groups = Array(Set(try rows.map { try $0.decode(column: "id", as: Int64.self) }))
            var findings: [String: [(String, Bool)]] = [:]
            if !groups.isEmpty {
                for row in try await db.raw("""
                    SELECT f.group_id, f.estate_id, f.category, f.description, p.status, p.outcome FROM cross_inspection_findings f
                    JOIN problems p ON p.id = f.problem_id WHERE f.group_id IN (\(binds: groups)) ORDER BY f.id
                    """).all() {
                    let title = ProblemCategory.named(try row.decode(column: "category", as: String.self))?.title ?? ""
                    let group = try row.decode(column: "group_id", as: Int64.self), estate = try row.decode(column: "estate_id", as: Int64.self)
                    let text = try row.decode(column: "description", as: String.self)
                    let done = EstateFigures.problemPutRight(status: try row.decode(column: "status", as: String.self),
                                                             outcome: try row.decode(column: "outcome", as: String?.self))
                    findings["\(group)/\(estate)", default: []].append(("\(title)：\(text)", done))
                }
            }
            return try rows.map { row in
                let group = try row.decode(column: "id", as: Int64.self), estate = try row.decode(column: "estate_id", as: Int64.self)
                let from = try row.decode(column: "inspected_from", as: String.self), until = try row.decode(column: "inspected_until", as: String.self)
                let (county, street) = Self.place(try row.decode(column: "region_path", as: String.self), names)
                let found = findings["\(group)/\(estate)"] ?? []
                let inspecting = try row.decode(column: "inspecting_name", as: String.self)
                return (sortKey: until, entry: Entry(
                    date: from == until ? from : "\(from)至\(until)", county: county, street: street, estate: try row.decode(column: "estate_name", as: String.self),
                    company: try row.decode(column: "company_name", as: String?.self) ?? "", unit: "\(inspecting)交叉检查组",
                    inspectors: try row.decode(column: "team", as: String?.self) ?? "", method: "交叉检查", target: "交叉检查",
                    items: "\(try row.decode(column: "year", as: Int.self))年第\(try row.decode(column: "quarter", as: Int.self))季度交叉检查",
                    answers: [:], findings: found.isEmpty ? "未发现问题" : found.map(\.0).joined(separator: "；"), problems: found.count,
                    putRight: found.filter(\.1).count, remark: "交叉检查组 #\(group)"))
            }
        }
    }

    /// The county and street names of a region path.
    static func place(_ path: String, _ names: [String: String]) -> (String, String) {
        let codes = path.split(separator: "/").map(String.init)
        return (codes.count > 2 ? names[codes[2]] ?? "" : "", codes.count > 3 ? names[codes[3]] ?? "" : "")
    }

    static func levelTitle(_ level: Region.Level) -> String {
        switch level {
        case .province: "省级"
        case .city: "市级"
        case .county: "县级"
        case .street: "街道（乡镇）"
        case .community: "社区（村）"
        }
    }
}
