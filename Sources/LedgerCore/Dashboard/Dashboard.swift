import Foundation
import SQLKit

/// The KPI view of one region (or one community's estates) for one quarter: the figures of docs/design.md §11 with the
/// targets of docs/policy.md §4, the same figures per sub-region (or estate), an eight-quarter trend and a ranking that
/// leaves out sub-regions with too few estates to judge.
///
/// Figures are computed from the rows themselves, then cached per (region, quarter) under a stamp made of the newest
/// audit entry that concerns the region and today's date. Every write is audited at the path it concerns and bumps that
/// path's row of `public_stamps` (`PublicStamps`); the region's stamp is the newest of the rows at its own path, the
/// paths above it (a city's setting changes its districts' figures), the paths below it, and the shared row (writes
/// about companies and credit). So a write in one district leaves every other district's figures warm, and a new
/// day recomputes. The credit block grades companies from their filings and events anywhere, so a view's stamp also
/// holds the credit stamp (M0033), which the database moves on any write to a score's inputs.
public struct Dashboard: Sendable {
    /// What is counted for one unit (a region or an estate).
    public struct Figures: Sendable, Codable, Equatable {
        public var estates = 0
        /// Estates that owe the quarter's filing (`EstateFigures.filer`), counted once its due date has passed.
        public var due = 0
        public var onTime = 0
        public var late = 0
        public var withAccount = 0
        /// Estates a company managed on the quarter's last day (`EstateFigures.manager`).
        public var managed = 0
        public var withCommittee = 0
        public var complaintsReceived = 0
        public var complaintsClosed = 0
        public var complaintsFixed = 0
        public var handlingDays = 0.0
        /// Closures rated by the complainant in the quarter, and of them 满意 or 基本满意 (`EstateFigures.ratingSatisfied`).
        public var complaintsRated = 0
        public var complaintsSatisfied = 0
        public var problemsFound = 0
        public var problemsRectified = 0
        public var putRightFound = 0
        public var putRight = 0
        public var openWarnings: [String: Int] = [:]
        /// Estates verified by an inspection record in the quarter's year up to its end (`InspectionRecords.verifiedEstates`).
        public var verified = 0
        /// 市级实地抽查 and 街道全面排查 in the year up to the quarter's end; cross-inspection reports of the quarter
        /// (`InspectionFigures`).
        public var cityChecked = 0, streetCovered = 0, crossDue = 0, crossFiled = 0
        /// Estates whose self-inspection of the quarter is owed and past due, and those of them filed (`SelfInspectionFigures`).
        public var selfInspectionDue = 0
        public var selfInspected = 0

        public init() {}

        static func rate(_ numerator: Int, _ denominator: Int) -> Double? { denominator == 0 ? nil : Double(numerator) / Double(denominator) }
        public var onTimeRate: Double? { Self.rate(onTime, due) }
        public var accountRate: Double? { Self.rate(withAccount, managed) }
        public var committeeRate: Double? { Self.rate(withCommittee, estates) }
        public var closureRate: Double? { Self.rate(complaintsClosed, complaintsReceived) }
        public var fixRate: Double? { Self.rate(complaintsFixed, complaintsReceived) }
        /// 满意率: (满意 + 基本满意) ÷ 已评价.
        public var satisfactionRate: Double? { Self.rate(complaintsSatisfied, complaintsRated) }
        public var meanHandlingDays: Double? { complaintsClosed == 0 ? nil : handlingDays / Double(complaintsClosed) }
        public var rectificationRate: Double? { Self.rate(problemsRectified, problemsFound) }
        public var putRightRate: Double? { Self.rate(putRight, putRightFound) }
        /// 抽查核实率, annual: estates verified this year ÷ estates.
        public var spotCheckRate: Double? { Self.rate(verified, estates) }
        /// 自查自纠率: self-inspections filed ÷ due.
        public var selfInspectionRate: Double? { Self.rate(selfInspected, selfInspectionDue) }
        public var openWarningTotal: Int { openWarnings.values.reduce(0, +) }
        public var cityCheckRate: Double? { Self.rate(cityChecked, estates) }
        public var streetCoverageRate: Double? { Self.rate(streetCovered, estates) }
        public var crossReportRate: Double? { Self.rate(crossFiled, crossDue) }

        mutating func add(_ other: Figures) {
            estates += other.estates; due += other.due; onTime += other.onTime; late += other.late; withAccount += other.withAccount
            managed += other.managed; withCommittee += other.withCommittee; complaintsReceived += other.complaintsReceived
            complaintsClosed += other.complaintsClosed; complaintsFixed += other.complaintsFixed; handlingDays += other.handlingDays
            complaintsRated += other.complaintsRated; complaintsSatisfied += other.complaintsSatisfied
            problemsFound += other.problemsFound; problemsRectified += other.problemsRectified; putRightFound += other.putRightFound
            putRight += other.putRight; verified += other.verified
            cityChecked += other.cityChecked; streetCovered += other.streetCovered; crossDue += other.crossDue; crossFiled += other.crossFiled
            selfInspectionDue += other.selfInspectionDue; selfInspected += other.selfInspected
            openWarnings.merge(other.openWarnings, uniquingKeysWith: +)
        }
    }

    /// One KPI with its target (docs/policy.md §4).
    public struct KPI: Sendable, Codable {
        public let key: String
        public let title: String
        public let value: Double?
        public let numerator: Int
        public let denominator: Int
        /// The target as a rate (nil: no target in the plans); `higherIsBetter` false for mean days.
        public let target: Double?
        public let note: String
    }

    public struct Unit: Sendable, Codable {
        public let code: String
        public let name: String
        /// "region" or "estate".
        public let kind: String
        public let figures: Figures
        /// Rank among the sub-regions with enough estates to judge (nil: not ranked).
        public var rank: Int?
    }

    public struct TrendPoint: Sendable, Codable {
        public let quarter: String
        public let onTimeRate: Double?
        public let closureRate: Double?
        public let fixRate: Double?
    }

    public struct View: Sendable, Codable {
        public let region: Region
        public let quarter: Quarter
        public let dueDatePassed: Bool
        public let figures: Figures
        public var kpis: [KPI]
        public let units: [Unit]
        public let trend: [TrendPoint]
        public let minimumSample: Int
        /// Campaign task periods past their due day without completion, in the region.
        public let overdueTasks: [Campaigns.Overdue]
        /// Company credit in the region (`CreditSummary`).
        public var credit: CreditSummary = .empty
        /// 示范小区 per child region against its target (`Demonstrations`).
        public var demonstrations: [Demonstrations.Progress] = []
        /// 第三方审计 in the region (`Audits`).
        public var audits = AuditFigures()
    }

    let database: Database
    let clock: any LedgerClock
    let cache: DashboardCache

    public init(database: Database, clock: any LedgerClock, cache: DashboardCache = DashboardCache()) {
        self.database = database
        self.clock = clock
        self.cache = cache
    }

    /// Today in Beijing.
    public func today() -> Day { Day(Timestamp.shanghaiDay(clock.now()))! }

    /// The credit stamp (M0033), which a view's credit block moves with: the web layer keys its rendered pages on it.
    public func creditStamp() async throws -> Int64 { try await database.read { db in try await CreditFile.stamp(on: db) } }

    /// The last quarter that has ended (the default view).
    public func defaultQuarter() -> Quarter { Quarter(containing: Day(Timestamp.shanghaiDay(clock.now()))!).previous }

    /// Checks a requested quarter. Year and quarter: that quarter; the year alone: its last quarter that has ended; the
    /// quarter alone: its latest occurrence that has ended. A quarter that has not ended has no figures yet (not found).
    public func quarter(year: String?, quarter: String?) throws -> Quarter {
        guard year != nil || quarter != nil else { return defaultQuarter() }
        let y = try year.map { text -> Int in
            guard let y = Int(text), (2000...2100).contains(y) else {
                throw LedgerError.invalid("year", code: "bad_quarter", "年度应为2000至2100之间的四位数字，如 year=2024&quarter=3")
            }
            return y
        }
        let q = try quarter.map { text -> Int in
            guard let q = Int(text), (1...4).contains(q) else {
                throw LedgerError.invalid("quarter", code: "bad_quarter", "季度应为1至4，如 year=2024&quarter=3")
            }
            return q
        }
        let latest = defaultQuarter()
        let today = Day(Timestamp.shanghaiDay(clock.now()))!
        let chosen: Quarter
        switch (y, q) {
        case let (y?, q?): chosen = Quarter(year: y, quarter: q)!
        case let (y?, nil): chosen = y == latest.year ? latest : Quarter(year: y, quarter: 4)!
        case let (nil, q?):
            let thisYear = Quarter(year: latest.year, quarter: q)!
            chosen = thisYear.lastDay < today ? thisYear : Quarter(year: latest.year - 1, quarter: q) ?? latest
        case (nil, nil): chosen = latest
        }
        guard chosen.lastDay < today else {
            throw LedgerError(.notFound, code: "future_quarter", message: "\(chosen.title)尚未结束，还没有统计数据；请选择已结束的季度", field: "quarter")
        }
        return chosen
    }

    /// The newest audit entry that can change a region's figures: at its path, above it, below it, or shared.
    static func stamp(regionPath: String, on db: any SQLDatabase) async throws -> Int64 {
        let own = regionPath.hasSuffix("/") ? regionPath : regionPath + "/"
        return try await db.raw("""
            SELECT MAX(audit_id) AS id FROM public_stamps
            WHERE scope_key IN (\(binds: PublicStamps.keys(covering: own))) OR \(Scope.pathPredicate("scope_key", own))
            """).first(decodingColumn: "id", as: Int64?.self).flatMap { $0 } ?? 0
    }

    /// The dashboard of a region the scope covers (officials and the admin only).
    public func view(regionCode: String, quarter: Quarter, scope: Scope) async throws -> View {
        try scope.require(.viewDashboard)
        let today = Day(Timestamp.shanghaiDay(clock.now()))!
        let (region, stamp) = try await database.read { db in
            let region = try await RegionDirectory.covered(regionCode, scope: scope, on: db)
            let newest = try await Self.stamp(regionPath: region.path, on: db)
            // The credit block grades the region's companies from their filings and events anywhere: the credit stamp
            // (M0033) moves with those, the region's does not.
            return (region, "\(newest)/\(try await CreditFile.stamp(on: db))/\(today)")
        }
        let key = "\(region.path)|\(quarter)"
        if let cached = await cache.get(key, stamp: stamp) { return cached }
        var stages = Stages()
        var (view, managing) = try await stages.time("figures") { try await compute(region: region, quarter: quarter, today: today) }
        let units = view.units.first?.kind == "estate" ? [(code: region.code, name: region.name)] : view.units.map { (code: $0.code, name: $0.name) }
        view.credit = try await stages.time("credit") {
            try await CreditSummary.compute(region: region, units: units, quarter: quarter, managing: managing, database: database, clock: clock)
        }
        let (progress, kpi) = try await stages.time("demonstrations") { try await database.read { db in try await Demonstrations.kpi(region: region, on: db) } }
        view.demonstrations = progress
        view.kpis.append(kpi)
        let (audits, auditKPI) = try await stages.time("audits") { try await database.read { db in try await Audits.kpi(regionPath: region.path, on: db) } }
        view.audits = audits
        view.kpis.append(auditKPI)
        await cache.put(key, stamp: stamp, view: view, stages: stages.list)
        return view
    }

    /// What the trend line counts for one quarter of the window.
    struct TrendCount: Sendable, Codable, Equatable {
        var due = 0, onTime = 0, received = 0, closed = 0, fixed = 0

        mutating func add(_ other: TrendCount) {
            due += other.due; onTime += other.onTime; received += other.received; closed += other.closed; fixed += other.fixed
        }
    }

    /// The eight quarters ending with `quarter`, oldest first.
    static func window(_ quarter: Quarter) -> [Quarter] { (0..<7).reduce(into: [quarter]) { list, _ in list.insert(list[0].previous, at: 0) } }

    /// The view of a region. A street and what lies below it is counted from its rows; a province, a city or a district is
    /// the sum of its children's parts (each cached under its own stamp, so a write in one street recomputes that street only)
    /// and of the rows at its own path. A summed view also returns who manages what per unit (company → unit → estates,
    /// from the parts' `managers`); nil: the credit block counts it from the rows.
    func compute(region: Region, quarter: Quarter, today: Day) async throws -> (View, [Int64: [String: Int]]?) {
        let (children, minimum, overdue) = try await database.read { db in
            (try await RegionDirectory.children(of: region, on: db),
             try await RegionSettings.value("ranking.min_sample", at: region.path, on: db),
             try await Campaigns.overdue(under: region.path, today: today, on: db))
        }
        let window = Self.window(quarter)
        var units: [String: Figures], names: [String: String] = [:], total: Figures, trend: [TrendCount]
        var managing: [Int64: [String: Int]]?
        if Self.isComposed(region), !children.isEmpty {
            let (own, parts) = try await childParts(region, children: children, quarter: quarter, today: today)
            var sum = own
            units = [:]
            var byUnit: [Int64: [String: Int]] = [:]
            for (company, n) in own.managers { byUnit[company, default: [:]][region.code] = n }
            for (child, part) in zip(children, parts) {
                units[child.code] = part.figures
                for (company, n) in part.managers { byUnit[company, default: [:]][child.code] = n }
                sum.add(part)
            }
            managing = byUnit
            (total, trend) = (sum.figures, sum.trend)
        } else {
            let depth = region.path.split(separator: "/").count
            let byEstate = children.isEmpty
            let tally = try await database.read { db in
                try await Self.tally(.under(region.path), quarter: quarter, today: today, byEstate: byEstate, on: db) { rowPath, estate in
                    if byEstate { return "\(estate)" }
                    let parts = rowPath.split(separator: "/")
                    return parts.count > depth ? String(parts[depth]) : region.code
                }
            }
            (units, names, total, trend) = (tally.units, tally.names, tally.total, tally.trend)
        }
        var list: [Unit]
        if children.isEmpty {
            list = units.map { Unit(code: $0.key, name: names[$0.key] ?? $0.key, kind: "estate", figures: $0.value, rank: nil) }
                .sorted { $0.name < $1.name }
        } else {
            list = children.map { Unit(code: $0.code, name: $0.name, kind: "region", figures: units[$0.code] ?? Figures(), rank: nil) }
            let ranked = list.indices.filter { list[$0].figures.due >= minimum }.sorted {
                let a = list[$0].figures, b = list[$1].figures
                return (a.onTimeRate ?? 0, a.accountRate ?? 0, list[$1].code) > (b.onTimeRate ?? 0, b.accountRate ?? 0, list[$0].code)
            }
            for (position, index) in ranked.enumerated() { list[index].rank = position + 1 }
        }
        let points = window.enumerated().map { index, q in
            TrendPoint(quarter: q.description, onTimeRate: Figures.rate(trend[index].onTime, trend[index].due),
                       closureRate: Figures.rate(trend[index].closed, trend[index].received), fixRate: Figures.rate(trend[index].fixed, trend[index].received))
        }
        return (View(region: region, quarter: quarter, dueDatePassed: quarter.dueDate < today, figures: total, kpis: Self.kpis(total),
                     units: list, trend: points, minimumSample: minimum, overdueTasks: overdue), managing)
    }

    /// Provinces, cities and districts are summed from their children; a street and below is counted from its rows. A
    /// district is summed from its streets so that a write recounts one street (about 900 estates in the demo's largest
    /// district) rather than the whole district (9,000: 1.0 s at 50,000 estates).
    static func isComposed(_ region: Region) -> Bool { region.level == .province || region.level == .city || region.level == .county }

    static func kpis(_ f: Figures) -> [KPI] {
        [
            KPI(key: "onTime", title: "按时公示率", value: f.onTimeRate, numerator: f.onTime, denominator: f.due, target: 1, note: "应公示小区中截止日前首次公示的比例"),
            KPI(key: "account", title: "专户设立率", value: f.accountRate, numerator: f.withAccount, denominator: f.managed, target: 1, note: "季度末有物业服务企业管理的小区"),
            KPI(key: "committee", title: "业委会（物管会）覆盖率", value: f.committeeRate, numerator: f.withCommittee, denominator: f.estates, target: 0.95,
                note: "季度末在任期内"),
            KPI(key: "spotCheck", title: "抽查核实率", value: f.spotCheckRate, numerator: f.verified, denominator: f.estates, target: 0.5,
                note: "本年度截至季度末经检查记录核实的小区占比，目标为年度不少于50%"),
            KPI(key: "selfInspection", title: "自查自纠率", value: f.selfInspectionRate, numerator: f.selfInspected, denominator: f.selfInspectionDue,
                target: 1, note: "本季度自查自纠已过提交期限的小区中已提交的比例"),
            KPI(key: "closure", title: "投诉办结率", value: f.closureRate, numerator: f.complaintsClosed, denominator: f.complaintsReceived, target: nil,
                note: "本季度受理的投诉中已办结的比例"),
            KPI(key: "fix", title: "投诉问题解决率", value: f.fixRate, numerator: f.complaintsFixed, denominator: f.complaintsReceived, target: nil,
                note: "办结且问题已解决的比例（办结不等于解决）"),
            KPI(key: "satisfaction", title: "投诉人满意率", value: f.satisfactionRate, numerator: f.complaintsSatisfied, denominator: f.complaintsRated,
                target: nil, note: "本季度投诉人对办结结果的评价中，满意和基本满意所占比例：（满意＋基本满意）÷ 已评价；未评价的不计入"),
            KPI(key: "handling", title: "平均办理天数", value: f.meanHandlingDays, numerator: f.complaintsClosed, denominator: f.complaintsClosed, target: nil,
                note: "已办结投诉从受理到办结"),
            KPI(key: "rectification", title: "问题整改率", value: f.rectificationRate, numerator: f.problemsRectified, denominator: f.problemsFound, target: 1,
                note: "本季度发现的问题中已核验销号的比例"),
            KPI(key: "putRight", title: "整治到位率", value: f.putRightRate, numerator: f.putRight, denominator: f.putRightFound, target: 1,
                note: "占用公共空间、擅自改变物业服务用房用途"),
            KPI(key: "cityCheck", title: "市级实地抽查率", value: f.cityCheckRate, numerator: f.cityChecked, denominator: f.estates, target: 0.15,
                note: "本年度截至季度末市级抽查计划（或市级人员）实地检查的小区占比，目标不少于15%"),
            KPI(key: "streetCoverage", title: "街道检查覆盖率", value: f.streetCoverageRate, numerator: f.streetCovered, denominator: f.estates, target: 1,
                note: "本年度截至季度末街道（乡镇）检查过的小区占比，目标100%"),
            KPI(key: "crossInspection", title: "交叉检查报告报送率", value: f.crossReportRate, numerator: f.crossFiled, denominator: f.crossDue, target: 1,
                note: "本季度交叉检查各检查组应形成的报告中已报送的比例"),
        ]
    }
}
