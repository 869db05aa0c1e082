import Foundation
import SQLKit

/// 重新核级: every time a company's grade changes — an event recorded, withdrawn or repaired, an event expiring, the
/// filings of its estates — the old and the new grade are recorded, so the grade history of a company can be read back.
extension CreditFile {
    /// One entry of a company's grade history; `oldGrade` is nil for its first grading.
    public struct GradeChange: Sendable, Equatable {
        public let companyId: Int64
        public let oldGrade: Grade?
        public let newGrade: Grade
        public let score: Int
        public let changedOn: String
        public let cause: String
    }

    /// Compares the grades of `companies` (nil: all) with their last recorded grade and records each change; returns how
    /// many were recorded. Runs inside the caller's transaction (whose audit entry covers it).
    @discardableResult
    static func regrade(_ companies: [Int64]?, cause: String, today: Day, at: Date, on db: any SQLDatabase) async throws -> Int {
        let scores = try await scores(on: db, today: today, companies: companies)
        let only: SQLQueryString = companies.map { $0.isEmpty ? "1 = 0" : "g.company_id IN (\(binds: $0))" } ?? "1 = 1"
        var last: [Int64: String] = [:]
        for row in try await db.raw("""
            SELECT g.company_id, g.new_grade FROM credit_grade_changes g
            WHERE \(only) AND g.id = (SELECT MAX(h.id) FROM credit_grade_changes h WHERE h.company_id = g.company_id)
            """).all() {
            last[try row.decode(column: "company_id", as: Int64.self)] = try row.decode(column: "new_grade", as: String.self)
        }
        var changed = 0
        for (id, score) in scores.sorted(by: { $0.key < $1.key }) where last[id] != score.grade.rawValue {
            try await db.raw("""
                INSERT INTO credit_grade_changes (company_id, old_grade, new_grade, score, changed_on, changed_at, cause)
                VALUES (\(bind: id), \(bind: last[id]), \(bind: score.grade.rawValue), \(bind: score.total), \(bind: today.description),
                        \(bind: Timestamp.storage(at)), \(bind: last[id] == nil ? "初次评级" : String(cause.prefix(200))))
                """).run()
            changed += 1
        }
        return changed
    }

    /// A company's grade history, newest first.
    public func gradeChanges(companyId: Int64) async throws -> [GradeChange] {
        try await database.read { db in
            try await db.raw("""
                SELECT company_id, old_grade, new_grade, score, changed_on, cause FROM credit_grade_changes
                WHERE company_id = \(bind: companyId) ORDER BY id DESC
                """).all().map { row in
                GradeChange(companyId: try row.decode(column: "company_id", as: Int64.self),
                            oldGrade: try row.decode(column: "old_grade", as: String?.self).flatMap(Grade.init(rawValue:)),
                            newGrade: Grade(rawValue: try row.decode(column: "new_grade", as: String.self)) ?? .c,
                            score: try row.decode(column: "score", as: Int.self), changedOn: try row.decode(column: "changed_on", as: String.self),
                            cause: try row.decode(column: "cause", as: String.self))
            }
        }
    }
}
