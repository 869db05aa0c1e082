import Foundation
import SQLKit

/// The regulator's credit register: the companies of the scope's jurisdiction (a company user: itself) with score and
/// grade, searchable by name, sortable and paged. The scope is applied in SQL (`Scope.companyPredicate`).
extension CreditFile {
    public enum SortKey: String, Sendable, CaseIterable {
        case name, score
    }

    public struct RegisterRow: Sendable {
        public let companyId: Int64
        public let name: String
        public let uscc: String
        public let score: Score
        public let blackListed: Bool
        public let redListed: Bool
        public let pendingRequests: Int
    }

    public func register(scope: Scope, request: ListRequest<SortKey>) async throws -> Page<RegisterRow> {
        try scope.require(.viewCredit)
        let today = Day(Timestamp.shanghaiDay(clock.now()))!
        return try await database.read { db in
            var conditions: [SQLQueryString] = [scope.companyPredicate("c")]
            if !request.search.isEmpty { conditions.append("c.name LIKE \(bind: request.likePattern) ESCAPE '\\'") }
            let rows = try await db.raw("""
                SELECT c.id, c.name, c.uscc FROM companies c WHERE \(conditions.joined(separator: " AND ")) ORDER BY c.name, c.id
                """).all().map { row in
                (try row.decode(column: "id", as: Int64.self), try row.decode(column: "name", as: String.self), try row.decode(column: "uscc", as: String.self))
            }
            // Sorting by score needs every visible company's score; a long list is scored in one pass over all.
            let scores = try await Self.scores(on: db, today: today, companies: rows.count > 1_000 ? nil : rows.map(\.0))
            var sorted = rows
            if request.sort == .score {
                sorted.sort { a, b in
                    let (x, y) = (scores[a.0]?.total ?? 0, scores[b.0]?.total ?? 0)
                    return x != y ? x < y : a.1 < b.1
                }
            }
            if request.descending { sorted.reverse() }
            let total = sorted.count
            let slice = Array(sorted.dropFirst((request.page - 1) * request.pageSize).prefix(request.pageSize))
            let ids = slice.map(\.0)
            var black: Set<Int64> = [], red: Set<Int64> = []
            var pending: [Int64: Int] = [:]
            if !ids.isEmpty {
                for row in try await db.raw("""
                    SELECT company_id, list FROM credit_lists WHERE company_id IN (\(binds: ids)) AND removed_at IS NULL
                    AND decided_on <= \(bind: today.description) AND until > \(bind: today.description)
                    """).all() {
                    let id = try row.decode(column: "company_id", as: Int64.self)
                    if try row.decode(column: "list", as: String.self) == List.black.rawValue { black.insert(id) } else { red.insert(id) }
                }
                for row in try await db.raw("""
                    SELECT company_id, COUNT(*) AS n FROM credit_requests WHERE company_id IN (\(binds: ids)) AND status = 'pending' GROUP BY company_id
                    """).all() {
                    pending[try row.decode(column: "company_id", as: Int64.self)] = try row.decode(column: "n", as: Int.self)
                }
            }
            let items = slice.map { id, name, uscc in
                RegisterRow(companyId: id, name: name, uscc: uscc, score: scores[id] ?? Score(registration: 0, managing: 0, filing: 0, good: 0, bad: 0),
                            blackListed: black.contains(id), redListed: red.contains(id), pendingRequests: pending[id] ?? 0)
            }
            return Page(items: items, total: total, page: request.page, pageSize: request.pageSize)
        }
    }

    /// A company the scope may see (an official's region, a company itself), for the credit page.
    public struct CompanyRef: Sendable {
        public let id: Int64
        public let name: String
        public let uscc: String
        public let regionPath: String
    }

    public func visibleCompany(_ id: Int64, scope: Scope) async throws -> CompanyRef {
        try scope.require(.viewCredit)
        let row = try await database.read { db in
            try await db.raw("SELECT c.id, c.name, c.uscc, c.region_path FROM companies c WHERE c.id = \(bind: id) AND \(scope.companyPredicate("c"))").first()
        }
        guard let row else { throw LedgerError.notFound("物业服务企业") }
        return CompanyRef(id: try row.decode(column: "id", as: Int64.self), name: try row.decode(column: "name", as: String.self),
                          uscc: try row.decode(column: "uscc", as: String.self), regionPath: try row.decode(column: "region_path", as: String.self))
    }

    /// A company's score as of today.
    public func score(of companyId: Int64) async throws -> Score {
        let today = Day(Timestamp.shanghaiDay(clock.now()))!
        return try await database.read { db in
            try await Self.scores(on: db, today: today, companies: [companyId])[companyId] ?? Score(registration: 0, managing: 0, filing: 0, good: 0, bad: 0)
        }
    }
}
