import Foundation
import SQLKit

/// 双公示 for the credit platforms: the 行政处罚 decided and the 抽查检查结果 recorded in a region and period, one row each,
/// in the column layouts of the national 行政处罚信息 and 双随机抽查结果 data sets (docs/design.md §21), for the provincial
/// credit system to import. No personal data: the parties are companies, the inspectors are not named.
public struct DoublePublicity: Sendable {
    /// One 行政处罚 (an enforcement action of kind `penalty`).
    public struct Penalty: Sendable, Equatable {
        public let company: String
        public let uscc: String
        public let documentNumber: String
        public let facts: String
        public let basis: String
        public let decidedOn: String
        public let authority: String
    }

    /// One inspection record (a spot check of a plan, or another visit).
    public struct Inspection: Sendable, Equatable {
        public let estate: String
        public let company: String
        public let uscc: String
        public let authority: String
        public let kind: String
        public let plan: String
        public let inspectedOn: String
        public let result: String
        public let handling: String
    }

    public static let penaltyHeaders = ["序号", "行政相对人名称", "行政相对人类别", "统一社会信用代码", "行政处罚决定书文号", "违法行为类型", "违法事实",
                                        "处罚依据", "处罚类别", "处罚决定日期", "处罚机关", "数据来源单位", "备注"]
    public static let inspectionHeaders = ["序号", "检查对象名称", "统一社会信用代码", "检查对象地址（小区）", "检查实施机关", "检查类型", "抽查计划",
                                           "检查事项", "检查日期", "检查结果", "后续处理", "备注"]

    public static func penaltyLayout(unit: String) -> LedgerLayout<Penalty> {
        LedgerLayout(sheet: XLSXSheet(name: "行政处罚", rows: []), headers: penaltyHeaders) { p, number in
            [.integer(Int64(number))] + [p.company, "法人及非法人组织", p.uscc, p.documentNumber, "物业服务企业侵占业主公共收益等违法违规行为", p.facts, p.basis,
                                         "行政处罚", p.decidedOn, p.authority, unit, ""].map(XLSXCell.text)
        }
    }

    public static func inspectionLayout(unit: String) -> LedgerLayout<Inspection> {
        LedgerLayout(sheet: XLSXSheet(name: "抽查检查结果", rows: []), headers: inspectionHeaders) { i, number in
            [.integer(Int64(number))] + [i.company, i.uscc, i.estate, i.authority, i.kind, i.plan, "住宅小区公共收益管理（检查清单）", i.inspectedOn,
                                         i.result, i.handling, ""].map(XLSXCell.text)
        }
    }

    let database: Database

    public init(database: Database) { self.database = database }

    /// The penalties decided under `region` in the period, by date.
    public func penalties(region: Region, period: InspectionLedgers.Period, scope: Scope) async throws -> [Penalty] {
        try scope.require(.viewReports)
        guard scope.covers(regionPath: region.path) else { throw LedgerError.notFound("行政区划") }
        return try await database.read { db in
            let names = try await Self.names(under: region, on: db)
            var condition: SQLQueryString = "a.kind = 'penalty' AND \(Scope.pathPredicate("a.region_path", region.path)) AND a.decided_on <= \(bind: period.until.description)"
            if let from = period.from { condition = "\(condition) AND a.decided_on >= \(bind: from.description)" }
            return try await db.raw("""
                SELECT c.name, c.uscc, a.document_number, a.note, a.basis, a.decided_on, a.region_path FROM enforcement_actions a
                JOIN companies c ON c.id = a.company_id WHERE \(condition) ORDER BY a.decided_on, a.id
                """).all().map { row in
                Penalty(company: try row.decode(column: "name", as: String.self), uscc: try row.decode(column: "uscc", as: String.self),
                        documentNumber: try row.decode(column: "document_number", as: String.self), facts: try row.decode(column: "note", as: String.self),
                        basis: try row.decode(column: "basis", as: String.self), decidedOn: try row.decode(column: "decided_on", as: String.self),
                        authority: Self.authority(try row.decode(column: "region_path", as: String.self), names: names))
            }
        }
    }

    /// The inspection records under `region` in the period, by date: what was found, and what became of it.
    public func inspections(region: Region, period: InspectionLedgers.Period, scope: Scope) async throws -> [Inspection] {
        try scope.require(.viewReports)
        guard scope.covers(regionPath: region.path) else { throw LedgerError.notFound("行政区划") }
        return try await database.read { db in
            let names = try await Self.names(under: region, on: db)
            var condition: SQLQueryString = "\(Scope.pathPredicate("r.region_path", region.path)) AND r.inspected_on <= \(bind: period.until.description)"
            if let from = period.from { condition = "\(condition) AND r.inspected_on >= \(bind: from.description)" }
            var problems: [Int64: [(String, String)]] = [:]
            for row in try await db.raw("""
                SELECT p.source_id, p.description, p.status FROM problems p JOIN inspection_records r ON r.id = p.source_id
                WHERE p.source = 'inspection' AND \(condition) ORDER BY p.id
                """).all() {
                problems[try row.decode(column: "source_id", as: Int64.self), default: []]
                    .append((try row.decode(column: "description", as: String.self),
                             Problems.Status(rawValue: try row.decode(column: "status", as: String.self))?.title ?? ""))
            }
            return try await db.raw("""
                SELECT r.id, r.inspected_on, r.failed, r.region_path, e.name AS estate, c.name AS company, c.uscc, p.id AS plan_id, p.year, p.quarter,
                       p.region_path AS plan_path
                FROM inspection_records r JOIN estates e ON e.id = r.estate_id LEFT JOIN companies c ON c.id = r.company_id
                LEFT JOIN inspection_plans p ON p.id = r.plan_id WHERE \(condition) ORDER BY r.inspected_on, r.id
                """).all().map { row in
                let id = try row.decode(column: "id", as: Int64.self)
                let found = problems[id] ?? []
                let plan = try row.decode(column: "plan_id", as: Int64?.self)
                let planPath = try row.decode(column: "plan_path", as: String?.self)
                let quarter = try row.decode(column: "quarter", as: Int?.self), year = try row.decode(column: "year", as: Int?.self) ?? 0
                let recordPath = try row.decode(column: "region_path", as: String.self)
                return Inspection(
                    estate: try row.decode(column: "estate", as: String.self), company: try row.decode(column: "company", as: String?.self) ?? "（无物业服务企业）",
                    uscc: try row.decode(column: "uscc", as: String?.self) ?? "",
                    authority: Self.authority(planPath ?? recordPath, names: names),
                    kind: plan == nil ? "日常检查" : "双随机抽查",
                    plan: plan.map { "\(year)年\(quarter.map { "第\($0)季度" } ?? "")抽查计划（编号\($0)）" } ?? "",
                    inspectedOn: try row.decode(column: "inspected_on", as: String.self),
                    result: found.isEmpty ? "未发现问题" : "发现问题\(found.count)项：" + found.map(\.0).joined(separator: "；"),
                    handling: found.isEmpty ? "" : "责令限期整改（" + found.map(\.1).joined(separator: "、") + "）")
            }
        }
    }

    static func names(under region: Region, on db: any SQLDatabase) async throws -> [String: (String, Region.Level)] {
        let ancestors = region.path.split(separator: "/").map(String.init)
        var names: [String: (String, Region.Level)] = [:]
        for row in try await db.raw("""
            SELECT code, name, level FROM regions WHERE (\(Scope.pathPredicate("path", region.path)) OR code IN (\(binds: ancestors))) AND level <> 'community'
            """).all() {
            names[try row.decode(column: "code", as: String.self)] =
                (try row.decode(column: "name", as: String.self), Region.Level(rawValue: try row.decode(column: "level", as: String.self)) ?? .county)
        }
        return names
    }

    /// The authority of a path: its county's (or city's) housing department, or its street office.
    static func authority(_ path: String, names: [String: (String, Region.Level)]) -> String {
        let levels = path.split(separator: "/").compactMap { names[String($0)] }
        if let county = levels.last(where: { $0.1 == .county }) { return "\(county.0)住房和城乡建设局" }
        if let city = levels.last(where: { $0.1 == .city }) { return "\(city.0)住房和城乡建设局" }
        return levels.last.map { "\($0.0)住房和城乡建设局" } ?? ""
    }
}
