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
/// day recomputes.
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
            return (region, "\(newest)/\(today)")
        }
        let key = "\(region.path)|\(quarter)"
        if let cached = await cache.get(key, stamp: stamp) { return cached }
        var view = try await compute(region: region, quarter: quarter, today: today)
        let units = view.units.first?.kind == "estate" ? [(code: region.code, name: region.name)] : view.units.map { (code: $0.code, name: $0.name) }
        view.credit = try await CreditSummary.compute(region: region, units: units, quarter: quarter, database: database, clock: clock)
        let (progress, kpi) = try await database.read { db in try await Demonstrations.kpi(region: region, on: db) }
        view.demonstrations = progress
        view.kpis.append(kpi)
        let (audits, auditKPI) = try await database.read { db in try await Audits.kpi(regionPath: region.path, on: db) }
        view.audits = audits
        view.kpis.append(auditKPI)
        await cache.put(key, stamp: stamp, view: view)
        return view
    }

    func compute(region: Region, quarter: Quarter, today: Day) async throws -> View {
        try await database.read { db in
            let path = region.path
            let depth = path.split(separator: "/").count
            let children = try await db.raw("SELECT \(RegionDirectory.columns) FROM regions r WHERE r.parent_code = \(bind: region.code) ORDER BY r.code")
                .all(decoding: Region.self, keyDecodingStrategy: .convertFromSnakeCase)
            let byEstate = children.isEmpty
            let minimum = try await RegionSettings.value("ranking.min_sample", at: path, on: db)
            func unitKey(_ rowPath: String, _ estate: Int64) -> String {
                if byEstate { return "\(estate)" }
                let parts = rowPath.split(separator: "/")
                return parts.count > depth ? String(parts[depth]) : region.code
            }
            let end = quarter.lastDay
            let inside = Scope.pathPredicate("e.region_path", path)
            let estateRows = try await db.raw("""
                SELECT e.id, e.name, e.region_path, \(EstateFigures.flag(EstateFigures.accountOpenSQL("e.id", by: end))) AS account,
                       \(EstateFigures.flag(EstateFigures.committeeInTermSQL("e.id", on: end))) AS committee
                FROM estates e WHERE \(inside)
                """).all()
            let contracts = try await EstateFigures.contracts(where: inside, on: db)
            let window = Array((0..<7).reduce(into: [quarter]) { list, _ in list.insert(list[0].previous, at: 0) })
            let lo = window.first!.year * 10 + window.first!.quarter, hi = quarter.year * 10 + quarter.quarter
            // The first publication of each estate and quarter is its version 1: per estate, for each quarter of the
            // window, 0 = nothing published, 1 = published late, 2 = on time (decided in SQL, so rows stay narrow).
            // One packed integer per row (estate × 100 + quarter index × 10 + state): the province reads 340,000 of them.
            var deadline: SQLQueryString = "CASE v.year * 10 + v.quarter", position: SQLQueryString = "CASE v.year * 10 + v.quarter"
            for (index, q) in window.enumerated() {
                deadline = "\(deadline) WHEN \(bind: q.year * 10 + q.quarter) THEN \(bind: EstateFigures.deadline(q))"
                position = "\(position) WHEN \(bind: q.year * 10 + q.quarter) THEN \(bind: index)"
            }
            deadline = "\(deadline) END"
            position = "\(position) END"
            var filed: [Int64: [UInt8]] = [:]
            for row in try await db.raw("""
                SELECT v.estate_id * 100 + (\(position)) * 10 + CASE WHEN v.published_at < \(deadline) THEN 2 ELSE 1 END AS packed
                FROM disclosure_versions v WHERE \(Scope.pathPredicate("v.region_path", path)) AND v.version = 1 AND v.leaf_index >= 0
                AND v.year * 10 + v.quarter >= \(bind: lo) AND v.year * 10 + v.quarter <= \(bind: hi)
                """).all() {
                let packed = try row.decode(column: "packed", as: Int64.self)
                let index = Int(packed / 10 % 10)
                guard index < window.count else { continue }
                filed[packed / 100, default: [UInt8](repeating: 0, count: window.count)][index] = UInt8(packed % 10)
            }
            let selfSettings = try await SelfInspectionFigures.DueSettings.load(on: db)
            let selfFiled = try await SelfInspections.filedEstates(under: path, period: quarter, on: db)
            var units: [String: Figures] = [:]
            var names: [String: String] = [:]
            var trendDue = [Int](repeating: 0, count: window.count), trendOnTime = [Int](repeating: 0, count: window.count)
            for row in estateRows {
                let id = try row.decode(column: "id", as: Int64.self)
                let key = unitKey(try row.decode(column: "region_path", as: String.self), id)
                if byEstate { names[key] = try row.decode(column: "name", as: String.self) }
                var f = units[key] ?? Figures()
                f.estates += 1
                if try row.decode(column: "committee", as: Int.self) == 1 { f.withCommittee += 1 }
                let held = contracts[id] ?? []
                if SelfInspectionFigures.isDue(quarter, contracts: held, days: selfSettings.days(at: try row.decode(column: "region_path", as: String.self)),
                                               today: today) {
                    f.selfInspectionDue += 1
                    if selfFiled.contains(id) { f.selfInspected += 1 }
                }
                if EstateFigures.manager(on: end, of: held) != nil {
                    f.managed += 1
                    if try row.decode(column: "account", as: Int.self) == 1 { f.withAccount += 1 }
                }
                let states = filed[id]
                for (index, q) in window.enumerated() where EstateFigures.filer(of: q, contracts: held) != nil && EstateFigures.isPastDue(q, today: today) {
                    let state = states?[index] ?? 0
                    trendDue[index] += 1
                    if state == 2 { trendOnTime[index] += 1 }
                    if q == quarter {
                        f.due += 1
                        if state == 2 { f.onTime += 1 } else if state == 1 { f.late += 1 }
                    }
                }
                units[key] = f
            }
            // Complaints over the eight quarters (the trend), counted for the chosen one.
            let start = Timestamp.startOfShanghaiDay(window.first!.firstDay), stop = Timestamp.startOfShanghaiDay(quarter.lastDay.adding(days: 1))
            let from = Timestamp.startOfShanghaiDay(quarter.firstDay)
            var trendReceived = [Int](repeating: 0, count: window.count), trendClosed = trendReceived, trendFixed = trendReceived
            let bounds = window.map { (Timestamp.startOfShanghaiDay($0.firstDay), Timestamp.startOfShanghaiDay($0.lastDay.adding(days: 1))) }
            for row in try await db.raw("""
                SELECT c.estate_id, c.region_path, c.received_at, c.status, c.outcome, c.closed_at FROM complaints c
                WHERE \(Scope.pathPredicate("c.region_path", path)) AND c.received_at >= \(bind: start) AND c.received_at < \(bind: stop)
                """).all() {
                let received = try row.decode(column: "received_at", as: String.self)
                let status = try row.decode(column: "status", as: String.self), outcome = try row.decode(column: "outcome", as: String?.self)
                let closed = EstateFigures.complaintClosed(status: status), fixed = EstateFigures.complaintFixed(status: status, outcome: outcome)
                if let index = bounds.firstIndex(where: { received >= $0.0 && received < $0.1 }) {
                    trendReceived[index] += 1
                    if closed { trendClosed[index] += 1 }
                    if fixed { trendFixed[index] += 1 }
                }
                guard received >= from else { continue }
                let key = unitKey(try row.decode(column: "region_path", as: String.self), try row.decode(column: "estate_id", as: Int64.self))
                units[key, default: Figures()].complaintsReceived += 1
                if closed {
                    units[key, default: Figures()].complaintsClosed += 1
                    if fixed { units[key, default: Figures()].complaintsFixed += 1 }
                    if let a = Timestamp.parse(received), let b = (try row.decode(column: "closed_at", as: String?.self)).flatMap(Timestamp.parse) {
                        units[key, default: Figures()].handlingDays += b.timeIntervalSince(a) / 86_400
                    }
                }
            }
            // Ratings given in the quarter (满意率), wherever the complaint was received.
            for row in try await db.raw("""
                SELECT r.estate_id, r.region_path, r.rating FROM complaint_ratings r
                WHERE \(Scope.pathPredicate("r.region_path", path)) AND r.rated_at >= \(bind: from) AND r.rated_at < \(bind: stop)
                """).all() {
                let key = unitKey(try row.decode(column: "region_path", as: String.self), try row.decode(column: "estate_id", as: Int64.self))
                units[key, default: Figures()].complaintsRated += 1
                if EstateFigures.ratingSatisfied(try row.decode(column: "rating", as: String.self)) { units[key, default: Figures()].complaintsSatisfied += 1 }
            }
            // Problems found in the quarter; for 整治到位率, those found up to its end.
            for row in try await db.raw("""
                SELECT p.estate_id, p.region_path, p.category, p.status, p.outcome, p.created_at FROM problems p
                WHERE \(Scope.pathPredicate("p.region_path", path)) AND p.created_at < \(bind: stop)
                """).all() {
                let key = unitKey(try row.decode(column: "region_path", as: String.self), try row.decode(column: "estate_id", as: Int64.self))
                let done = EstateFigures.problemPutRight(status: try row.decode(column: "status", as: String.self),
                                                         outcome: try row.decode(column: "outcome", as: String?.self))
                if try row.decode(column: "created_at", as: String.self) >= from {
                    units[key, default: Figures()].problemsFound += 1
                    if done { units[key, default: Figures()].problemsRectified += 1 }
                }
                if EstateFigures.countsForPutRight(category: try row.decode(column: "category", as: String.self)) {
                    units[key, default: Figures()].putRightFound += 1
                    if done { units[key, default: Figures()].putRight += 1 }
                }
            }
            for (estate, rowPath) in try await InspectionRecords.verifiedEstates(under: path, year: quarter.year, until: end, on: db) {
                units[unitKey(rowPath, estate), default: Figures()].verified += 1
            }
            for (estate, rowPath) in try await InspectionFigures.estatesChecked(by: ["city", "province"], under: path, year: quarter.year, until: end, on: db) {
                units[unitKey(rowPath, estate), default: Figures()].cityChecked += 1
            }
            for (estate, rowPath) in try await InspectionFigures.estatesChecked(by: ["street", "community"], under: path, year: quarter.year, until: end, on: db) {
                units[unitKey(rowPath, estate), default: Figures()].streetCovered += 1
            }
            var groups = Figures()  // an estate-level view has no unit for a region's cross-inspection group: its total only
            for (groupPath, filed) in try await InspectionFigures.crossInspectionGroups(under: path, quarter: quarter, on: db) {
                var f = Figures()
                (f.crossDue, f.crossFiled) = (1, filed ? 1 : 0)
                if byEstate { groups.add(f) } else { units[unitKey(groupPath, 0), default: Figures()].add(f) }
            }
            for row in try await db.raw("""
                SELECT w.estate_id, w.region_path, w.rule FROM warnings w WHERE \(Scope.pathPredicate("w.region_path", path))
                AND w.year = \(bind: quarter.year) AND w.quarter = \(bind: quarter.quarter) AND w.status IN (\(binds: EstateFigures.openWarningStatuses))
                """).all() {
                let key = unitKey(try row.decode(column: "region_path", as: String.self), try row.decode(column: "estate_id", as: Int64.self))
                units[key, default: Figures()].openWarnings[try row.decode(column: "rule", as: String.self), default: 0] += 1
            }
            var total = groups
            for f in units.values { total.add(f) }
            var list: [Unit]
            if byEstate {
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
            let trend = window.enumerated().map { index, q in
                TrendPoint(quarter: q.description, onTimeRate: Figures.rate(trendOnTime[index], trendDue[index]),
                           closureRate: Figures.rate(trendClosed[index], trendReceived[index]), fixRate: Figures.rate(trendFixed[index], trendReceived[index]))
            }
            let overdue = try await Campaigns.overdue(under: path, today: today, on: db)
            return View(region: region, quarter: quarter, dueDatePassed: quarter.dueDate < today, figures: total, kpis: Self.kpis(total),
                        units: list, trend: trend, minimumSample: minimum, overdueTasks: overdue)
        }
    }

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

/// The dashboard's cache: one entry per region and quarter, valid while its stamp (newest audit entry, today) holds.
public actor DashboardCache {
    private var entries: [String: (String, Dashboard.View)] = [:]
    /// How many views were asked for and not found current (each one computed): for tests.
    public private(set) var misses = 0

    public init() {}

    func get(_ key: String, stamp: String) -> Dashboard.View? {
        guard let (held, view) = entries[key], held == stamp else { misses += 1; return nil }
        return view
    }

    func put(_ key: String, stamp: String, view: Dashboard.View) {
        if entries.count >= 512 { entries.removeAll() }
        entries[key] = (stamp, view)
    }
}
