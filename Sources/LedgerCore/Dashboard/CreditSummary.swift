import Foundation
import SQLKit

/// The dashboard's credit block (company credit, issue "Company credit"): the grades of the companies managing estates in
/// each sub-region, the black-listed companies still managing estates in the region, and the credit events of the quarter.
/// Computed from the credit file (`CreditFile.scores`, kept under the credit stamp; `CreditLists.lists`) with the view.
public struct CreditSummary: Sendable, Codable, Equatable {
    public struct UnitGrades: Sendable, Codable, Equatable {
        public let code: String
        public let name: String
        /// Companies managing at least one estate of the unit today.
        public let companies: Int
        /// Grade (`AAA` … `C`) → companies.
        public let grades: [String: Int]
    }

    public struct BlackListed: Sendable, Codable, Equatable {
        public let companyId: Int64
        public let name: String
        /// Estates of the region it manages today.
        public let estates: Int
        public let until: String?
    }

    public let units: [UnitGrades]
    public let blackListed: [BlackListed]
    /// Valid events of the quarter recorded in the region: bad (失信) and good (守信).
    public let badEvents: Int
    public let goodEvents: Int

    static let empty = CreditSummary(units: [], blackListed: [], badEvents: 0, goodEvents: 0)

    /// The block for `region` and `quarter`; `units` are the region's children (code, name); `managing`, company → unit
    /// → estates managed today, when the figures were summed from parts that carry it (nil: counted here).
    static func compute(region: Region, units: [(code: String, name: String)], quarter: Quarter, managing given: [Int64: [String: Int]]? = nil,
                        database: Database, clock: any LedgerClock) async throws -> CreditSummary {
        let credit = CreditFile(database: database, clock: clock)
        // Every company's score, read once for the grades and the lists; a grade moves with a filing anywhere, so the
        // scores are kept under the credit stamp, not the region's.
        let scores = try await credit.scores()
        let black = try await credit.lists(scores: scores)[.black] ?? []
        let kind = database.kind
        return try await database.read { db in
            // Who manages what in the region today: company → unit → estates, grouped by the unit (the path's next
            // code) in SQL — one row per company and unit, not per company and community (14,000 rows at 50,000
            // estates, most of this block's time after a write).
            let prefix = region.path.hasSuffix("/") ? region.path : region.path + "/"
            let rest: SQLQueryString = "substr(region_path, \(unsafeRaw: "\(prefix.count + 1)"))"
            let slash: SQLQueryString = kind == .sqlite ? "instr(\(rest), '/')" : "strpos(\(rest), '/')"
            var managing: [Int64: [String: Int]] = given ?? [:]
            for row in given != nil ? [] : try await db.raw("""
                SELECT company_id, CASE WHEN \(slash) > 0 THEN substr(\(rest), 1, \(slash) - 1) ELSE '' END AS unit, COUNT(*) AS n
                FROM estates WHERE company_id IS NOT NULL AND \(Scope.pathPredicate("region_path", region.path)) GROUP BY 1, 2
                """).all() {
                let unit = try row.decode(column: "unit", as: String.self)
                managing[try row.decode(column: "company_id", as: Int64.self), default: [:]][unit.isEmpty ? region.code : unit, default: 0]
                    += try row.decode(column: "n", as: Int.self)
            }
            var grades: [String: [String: Int]] = [:], companies: [String: Int] = [:]
            for (company, byUnit) in managing {
                guard let grade = scores[company]?.grade else { continue }
                for unit in byUnit.keys {
                    grades[unit, default: [:]][grade.rawValue, default: 0] += 1
                    companies[unit, default: 0] += 1
                }
            }
            let counted = try await db.raw("""
                SELECT SUM(CASE WHEN points < 0 THEN 1 ELSE 0 END) AS bad, SUM(CASE WHEN points > 0 THEN 1 ELSE 0 END) AS good FROM credit_events
                WHERE status = 'valid' AND \(Scope.pathPredicate("region_path", region.path))
                AND occurred_on >= \(bind: quarter.firstDay.description) AND occurred_on <= \(bind: quarter.lastDay.description)
                """).first()
            return CreditSummary(
                units: units.map { UnitGrades(code: $0.code, name: $0.name, companies: companies[$0.code] ?? 0, grades: grades[$0.code] ?? [:]) },
                blackListed: black.compactMap { listed in
                    managing[listed.companyId].map { BlackListed(companyId: listed.companyId, name: listed.name, estates: $0.values.reduce(0, +), until: listed.until) }
                },
                badEvents: try counted?.decode(column: "bad", as: Int?.self) ?? 0, goodEvents: try counted?.decode(column: "good", as: Int?.self) ?? 0)
        }
    }
}
