import Foundation
import SQLKit

/// 统计口径 of inspections, written once: which estates count as screened (全面排查), checked in the field by the city
/// (市级实地抽查) or covered by their street (街道全面排查), and which cross-inspection reports were due and filed. The
/// dashboard, the 情况汇总表 and the ledgers read them here; each has its test in `CrossInspectionTests`.
public enum InspectionFigures {
    /// **Screened in a period** (全面排查): the estates among `rows` with an inspection record dated from `from` to
    /// `until`, or with a company self-inspection (自查自纠) filed in those days, counted by region path. The 情况汇总表's
    /// 全面排查 小区数 counts these.
    static func screenedEstates(in rows: PathSelection, from: Day, until: Day, on db: any SQLDatabase) async throws -> [(path: String, count: Int)] {
        try await db.raw("""
            SELECT s.region_path, COUNT(*) AS n FROM (
                SELECT estate_id, region_path FROM inspection_records WHERE \(rows.predicate("region_path"))
                AND inspected_on >= \(bind: from.description) AND inspected_on <= \(bind: until.description)
                UNION SELECT estate_id, region_path FROM self_inspections WHERE \(rows.predicate("region_path"))
                AND filed_at >= \(bind: Timestamp.startOfShanghaiDay(from)) AND filed_at < \(bind: Timestamp.startOfShanghaiDay(until.adding(days: 1)))
            ) s GROUP BY s.region_path
            """).all().map { (try $0.decode(column: "region_path", as: String.self), try $0.decode(column: "n", as: Int.self)) }
    }

    /// **The level that inspected** (检查层级) of an inspection record (aliased `alias`): the level of its spot-check
    /// plan's region, or for a visit outside a plan, of the region of the official who recorded it (NULL when neither
    /// is known).
    static func inspectingLevelSQL(_ alias: String = "ir") -> SQLQueryString {
        let record = SQLQueryString(alias)
        return """
            COALESCE((SELECT lr.level FROM inspection_plans lp JOIN regions lr ON lr.code = lp.region_code WHERE lp.id = \(record).plan_id),
                     (SELECT ur.level FROM users lu JOIN regions ur ON ur.code = lu.region_code WHERE lu.username = \(record).recorded_by))
            """
    }

    /// **Checked by a level in the year** (市级实地抽查 with `["city", "province"]`; 街道全面排查 with `["street",
    /// "community"]`): distinct estates under `path` with a record of that level dated in `year` up to `until`.
    static func estatesChecked(by levels: [String], in rows: PathSelection, year: Int, until: Day,
                               on db: any SQLDatabase) async throws -> [(estate: Int64, path: String)] {
        try await db.raw("""
            SELECT DISTINCT ir.estate_id, ir.region_path FROM inspection_records ir WHERE \(rows.predicate("ir.region_path"))
            AND ir.inspected_on >= \(bind: Day(year: year, month: 1, day: 1).description) AND ir.inspected_on <= \(bind: until.description)
            AND \(inspectingLevelSQL("ir")) IN (\(binds: levels))
            """).all().map { (try $0.decode(column: "estate_id", as: Int64.self), try $0.decode(column: "region_path", as: String.self)) }
    }

    /// **Cross-inspection reports due and filed in a quarter** (交叉检查报告): one per group of the quarter's drawn
    /// rounds, counted for the inspecting region (under `path`), filed or not.
    static func crossInspectionGroups(in rows: PathSelection, quarter: Quarter, on db: any SQLDatabase) async throws -> [(path: String, filed: Bool)] {
        try await db.raw("""
            SELECT g.inspecting_path, g.status FROM cross_inspection_groups g JOIN cross_inspection_rounds x ON x.id = g.round_id
            WHERE \(rows.predicate("g.inspecting_path")) AND x.year = \(bind: quarter.year) AND x.quarter = \(bind: quarter.quarter)
            """).all().map { (try $0.decode(column: "inspecting_path", as: String.self), try $0.decode(column: "status", as: String.self) == "filed") }
    }
}
