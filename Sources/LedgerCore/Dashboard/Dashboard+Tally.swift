import Foundation
import SQLKit

/// The counting under the dashboard: one pass over the selected rows for a quarter and its eight-quarter trend.
extension Dashboard {
    /// The rows of a selection counted per unit (a child region's code, an estate's id, or one key for them all), with
    /// the trend's counts over the eight quarters ending with the chosen one.
    struct Tally: Sendable {
        var units: [String: Figures] = [:]
        /// Estate names, when counted per estate.
        var names: [String: String] = [:]
        /// Cross-inspection groups when counted per estate (no estate unit holds them: the total only).
        var groups = Figures()
        var trend: [TrendCount]
        /// The trend's counts per unit, when asked for (`trendByUnit`): what a batch of subtree parts is split into.
        var trends: [String: [TrendCount]] = [:]

        var total: Figures { units.values.reduce(into: groups) { $0.add($1) } }
    }

    /// Up to this many estates, a tally reads their accounts, committees and contracts by id (a test sets it to 0 to
    /// check the joins give the same figures).
    @TaskLocal static var lookUpByIdUpTo = 2_000

    /// Counts the selected rows for `quarter`, each under `unit(rowPath, estateId)`; with `trendByUnit`, the trend's
    /// counts per unit too (`Tally.trends`).
    static func tally(_ rows: PathSelection, quarter: Quarter, today: Day, byEstate: Bool, trendByUnit: Bool = false, on db: any SQLDatabase,
                      unit unitKey: (String, Int64) -> String) async throws -> Tally {
        let end = quarter.lastDay
        let inside = rows.predicate("e.region_path")
        let estateRows = try await db.raw("SELECT e.id, e.name, e.region_path FROM estates e WHERE \(inside)").all()
        // Accounts open, committees in term and contracts, for the estates selected: a few (one street counted again
        // after a write) looked up by id — PostgreSQL's planner otherwise hashes the whole of each table for them, 30 ms
        // at 50,000 estates — many (the first view) joined.
        let ids = try estateRows.map { try $0.decode(column: "id", as: Int64.self) }
        let byId = ids.count <= Self.lookUpByIdUpTo
        func among(_ column: SQLQueryString) -> SQLQueryString { ids.isEmpty ? "1 = 0" : "\(column) IN (\(binds: ids))" }
        let chosen = byId ? among("e.id") : inside
        let withAccount = Set(try await db.raw("""
            SELECT e.id FROM estates e WHERE \(chosen) AND \(EstateFigures.accountOpenSQL("e.id", by: end))
            """).all(decodingColumn: "id", as: Int64.self))
        let withCommittee = Set(try await db.raw("""
            SELECT e.id FROM estates e WHERE \(chosen) AND \(EstateFigures.committeeInTermSQL("e.id", on: end))
            """).all(decodingColumn: "id", as: Int64.self))
        let contracts = try await EstateFigures.contracts(where: byId ? among("k.estate_id") : inside, on: db)
        let window = Self.window(quarter)
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
        let windowCount = window.count
        let filed = try await db.fold("""
            SELECT v.estate_id * 100 + (\(position)) * 10 + CASE WHEN v.published_at < \(deadline) THEN 2 ELSE 1 END AS packed
            FROM disclosure_versions v WHERE \(rows.predicate("v.region_path")) AND v.version = 1 AND v.leaf_index >= 0
            AND v.year * 10 + v.quarter >= \(bind: lo) AND v.year * 10 + v.quarter <= \(bind: hi)
            """, into: [Int64: [UInt8]]()) { filed, row in
            let packed = try row.decode(column: "packed", as: Int64.self)
            let index = Int(packed / 10 % 10)
            guard index < windowCount else { return }
            filed[packed / 100, default: [UInt8](repeating: 0, count: windowCount)][index] = UInt8(packed % 10)
        }
        let selfSettings = try await SelfInspectionFigures.DueSettings.load(on: db)
        let selfFiled = try await SelfInspections.filedEstates(in: rows, period: quarter, on: db)
        let noTrend = Array(repeating: TrendCount(), count: window.count)
        var tally = Tally(trend: noTrend)
        var selfDays: [String: Int] = [:]  // the setting by path: a few hundred paths for 50,000 estates
        for (row, id) in zip(estateRows, ids) {
            let rowPath = try row.decode(column: "region_path", as: String.self)
            let key = unitKey(rowPath, id)
            if byEstate { tally.names[key] = try row.decode(column: "name", as: String.self) }
            var f = tally.units[key] ?? Figures()
            f.estates += 1
            if withCommittee.contains(id) { f.withCommittee += 1 }
            let held = contracts[id] ?? []
            let days = selfDays[rowPath] ?? selfSettings.days(at: rowPath)
            selfDays[rowPath] = days
            if SelfInspectionFigures.isDue(quarter, contracts: held, days: days, today: today) {
                f.selfInspectionDue += 1
                if selfFiled.contains(id) { f.selfInspected += 1 }
            }
            if EstateFigures.manager(on: end, of: held) != nil {
                f.managed += 1
                if withAccount.contains(id) { f.withAccount += 1 }
            }
            let states = filed[id]
            var trend = trendByUnit ? tally.trends.removeValue(forKey: key) ?? noTrend : []
            for (index, q) in window.enumerated() where EstateFigures.filer(of: q, contracts: held) != nil && EstateFigures.isPastDue(q, today: today) {
                let state = states?[index] ?? 0
                tally.trend[index].due += 1
                if state == 2 { tally.trend[index].onTime += 1 }
                if trendByUnit {
                    trend[index].due += 1
                    if state == 2 { trend[index].onTime += 1 }
                }
                if q == quarter {
                    f.due += 1
                    if state == 2 { f.onTime += 1 } else if state == 1 { f.late += 1 }
                }
            }
            if trendByUnit { tally.trends[key] = trend }
            tally.units[key] = f
        }
        // Complaints over the eight quarters (the trend), counted for the chosen one.
        let start = Timestamp.startOfShanghaiDay(window.first!.firstDay), stop = Timestamp.startOfShanghaiDay(quarter.lastDay.adding(days: 1))
        let from = Timestamp.startOfShanghaiDay(quarter.firstDay)
        let bounds = window.map { (Timestamp.startOfShanghaiDay($0.firstDay), Timestamp.startOfShanghaiDay($0.lastDay.adding(days: 1))) }
        for row in try await db.raw("""
            SELECT c.estate_id, c.region_path, c.received_at, c.status, c.outcome, c.closed_at FROM complaints c
            WHERE \(rows.predicate("c.region_path")) AND c.received_at >= \(bind: start) AND c.received_at < \(bind: stop)
            """).all() {
            let received = try row.decode(column: "received_at", as: String.self)
            let status = try row.decode(column: "status", as: String.self), outcome = try row.decode(column: "outcome", as: String?.self)
            let closed = EstateFigures.complaintClosed(status: status), fixed = EstateFigures.complaintFixed(status: status, outcome: outcome)
            let key = unitKey(try row.decode(column: "region_path", as: String.self), try row.decode(column: "estate_id", as: Int64.self))
            if let index = bounds.firstIndex(where: { received >= $0.0 && received < $0.1 }) {
                tally.trend[index].received += 1
                if closed { tally.trend[index].closed += 1 }
                if fixed { tally.trend[index].fixed += 1 }
                if trendByUnit {
                    tally.trends[key, default: noTrend][index].received += 1
                    if closed { tally.trends[key, default: noTrend][index].closed += 1 }
                    if fixed { tally.trends[key, default: noTrend][index].fixed += 1 }
                }
            }
            guard received >= from else { continue }
            tally.units[key, default: Figures()].complaintsReceived += 1
            if closed {
                tally.units[key, default: Figures()].complaintsClosed += 1
                if fixed { tally.units[key, default: Figures()].complaintsFixed += 1 }
                if let a = Timestamp.parse(received), let b = (try row.decode(column: "closed_at", as: String?.self)).flatMap(Timestamp.parse) {
                    tally.units[key, default: Figures()].handlingDays += b.timeIntervalSince(a) / 86_400
                }
            }
        }
        // Ratings given in the quarter (满意率), wherever the complaint was received.
        for row in try await db.raw("""
            SELECT r.estate_id, r.region_path, r.rating FROM complaint_ratings r
            WHERE \(rows.predicate("r.region_path")) AND r.rated_at >= \(bind: from) AND r.rated_at < \(bind: stop)
            """).all() {
            let key = unitKey(try row.decode(column: "region_path", as: String.self), try row.decode(column: "estate_id", as: Int64.self))
            tally.units[key, default: Figures()].complaintsRated += 1
            if EstateFigures.ratingSatisfied(try row.decode(column: "rating", as: String.self)) { tally.units[key, default: Figures()].complaintsSatisfied += 1 }
        }
        // Problems found in the quarter; for 整治到位率, those found up to its end.
        for row in try await db.raw("""
            SELECT p.estate_id, p.region_path, p.category, p.status, p.outcome, p.created_at FROM problems p
            WHERE \(rows.predicate("p.region_path")) AND p.created_at < \(bind: stop)
            """).all() {
            let key = unitKey(try row.decode(column: "region_path", as: String.self), try row.decode(column: "estate_id", as: Int64.self))
            let done = EstateFigures.problemPutRight(status: try row.decode(column: "status", as: String.self),
                                                     outcome: try row.decode(column: "outcome", as: String?.self))
            if try row.decode(column: "created_at", as: String.self) >= from {
                tally.units[key, default: Figures()].problemsFound += 1
                if done { tally.units[key, default: Figures()].problemsRectified += 1 }
            }
            if EstateFigures.countsForPutRight(category: try row.decode(column: "category", as: String.self)) {
                tally.units[key, default: Figures()].putRightFound += 1
                if done { tally.units[key, default: Figures()].putRight += 1 }
            }
        }
        for (estate, rowPath) in try await InspectionRecords.verifiedEstates(in: rows, year: quarter.year, until: end, on: db) {
            tally.units[unitKey(rowPath, estate), default: Figures()].verified += 1
        }
        for (estate, rowPath) in try await InspectionFigures.estatesChecked(by: ["city", "province"], in: rows, year: quarter.year, until: end, on: db) {
            tally.units[unitKey(rowPath, estate), default: Figures()].cityChecked += 1
        }
        for (estate, rowPath) in try await InspectionFigures.estatesChecked(by: ["street", "community"], in: rows, year: quarter.year, until: end, on: db) {
            tally.units[unitKey(rowPath, estate), default: Figures()].streetCovered += 1
        }
        for (groupPath, filed) in try await InspectionFigures.crossInspectionGroups(in: rows, quarter: quarter, on: db) {
            var f = Figures()
            (f.crossDue, f.crossFiled) = (1, filed ? 1 : 0)
            if byEstate { tally.groups.add(f) } else { tally.units[unitKey(groupPath, 0), default: Figures()].add(f) }
        }
        for row in try await db.raw("""
            SELECT w.estate_id, w.region_path, w.rule FROM warnings w WHERE \(rows.predicate("w.region_path"))
            AND w.year = \(bind: quarter.year) AND w.quarter = \(bind: quarter.quarter) AND w.status IN (\(binds: EstateFigures.openWarningStatuses))
            """).all() {
            let key = unitKey(try row.decode(column: "region_path", as: String.self), try row.decode(column: "estate_id", as: Int64.self))
            tally.units[key, default: Figures()].openWarnings[try row.decode(column: "rule", as: String.self), default: 0] += 1
        }
        return tally
    }
}
