import Foundation
import SQLKit

/// 红名单 and 黑名单: by a regulator's decision (reason, document, period), and the red list also by threshold (an AAA
/// grade with no valid bad-credit event). What the public sees of a company: its grade, the arithmetic, and its valid
/// events with their basis — never a person.
extension CreditFile {
    public enum List: String, Sendable, Codable, CaseIterable {
        case red, black
        public var title: String { self == .red ? "红名单" : "黑名单" }
    }

    /// A company on a list, as shown.
    public struct Listed: Sendable {
        public let companyId: Int64
        public let name: String
        public let grade: Grade
        public let reason: String
        public let since: String
        public let until: String?
    }

    /// Puts a company on a list by decision.
    @discardableResult
    public func decide(_ list: List?, companyId: Int64, reason: String, documentNumber: String, decidedOn: String, until: String,
                       scope: Scope) async throws -> Int64 {
        try scope.require(.recordEnforcement)
        var reader = InputReader()
        if list == nil { reader.errors.add("list", code: "required", "请选择红名单或黑名单") }
        let text = reader.text(reason, field: "reason", label: "列入理由", max: 500)
        let document = reader.text(documentNumber, field: "documentNumber", label: "决定文书编号", max: 60)
        let from = reader.day(decidedOn, field: "decidedOn", label: "决定日期")
        let end = reader.day(until, field: "until", label: "有效期至")
        if let from, let end, end <= from { reader.errors.add("until", code: "bad_period", "有效期至须晚于决定日期") }
        try reader.errors.throwIfAny()
        let at = clock.now()
        return try await database.transaction { db in
            guard try await Self.companyPath(companyId, scope: scope, on: db) != nil else { throw LedgerError.notFound("物业服务企业") }
            guard let home = scope.regionPath, scope.role.isRegional else { throw LedgerError.forbidden }
            let id = try await db.raw("""
                INSERT INTO credit_lists (company_id, list, reason, document_number, decided_on, until, region_path, created_at, created_by)
                VALUES (\(bind: companyId), \(bind: list!.rawValue), \(bind: text), \(bind: document), \(bind: from!.description), \(bind: end!.description),
                        \(bind: home), \(bind: Timestamp.storage(at)), \(bind: scope.username))
                RETURNING id
                """).first(decodingColumn: "id", as: Int64.self)!
            try await AuditLog.record(on: db, scope: scope, at: at, action: "list", entity: "company", entityId: "\(companyId)", regionPath: home,
                                      after: ["list": list!.rawValue, "reason": text, "until": end!.description])
            return id
        }
    }

    /// Both lists as of today.
    public func lists() async throws -> [List: [Listed]] { try await lists(scores: try await scores()) }

    /// Both lists as of today, from every company's score already read (the dashboard reads them once for both).
    func lists(scores: [Int64: Score]) async throws -> [List: [Listed]] {
        let today = Day(Timestamp.shanghaiDay(clock.now()))!
        return try await database.read { db in
            var names: [Int64: String] = [:]
            for row in try await db.raw("SELECT id, name FROM companies").all() {
                names[try row.decode(column: "id", as: Int64.self)] = try row.decode(column: "name", as: String.self)
            }
            var result: [List: [Listed]] = [.red: [], .black: []]
            var decided: Set<Int64> = []
            for row in try await db.raw("""
                SELECT company_id, list, reason, decided_on, until FROM credit_lists
                WHERE removed_at IS NULL AND decided_on <= \(bind: today.description) AND until > \(bind: today.description) ORDER BY decided_on DESC, id DESC
                """).all() {
                let id = try row.decode(column: "company_id", as: Int64.self)
                guard let list = List(rawValue: try row.decode(column: "list", as: String.self)), let score = scores[id] else { continue }
                decided.insert(id)
                result[list]!.append(Listed(companyId: id, name: names[id] ?? "", grade: score.grade, reason: try row.decode(column: "reason", as: String.self),
                                            since: try row.decode(column: "decided_on", as: String.self), until: try row.decode(column: "until", as: String.self)))
            }
            for (id, score) in scores.sorted(by: { $0.key < $1.key }) where score.grade == .aaa && score.bad == 0 && !decided.contains(id) {
                result[.red]!.append(Listed(companyId: id, name: names[id] ?? "", grade: .aaa, reason: "信用等级AAA级且无有效失信记录", since: today.description, until: nil))
            }
            return result
        }
    }

    /// A company's public credit page: name, score with its arithmetic, the events that count now and the lists it is on.
    public struct PublicProfile: Sendable {
        public let companyId: Int64
        public let name: String
        public let score: Score
        public let valid: [Event]
        /// Withdrawn or repaired events: shown with their state, never counted.
        public let settled: [Event]
        public let lists: [List]
    }

    public func profile(_ companyId: Int64) async throws -> PublicProfile {
        let today = Day(Timestamp.shanghaiDay(clock.now()))!
        guard let score = try await scores()[companyId] else { throw LedgerError.notFound("物业服务企业") }
        let name = try await database.read { db in
            try await db.raw("SELECT name FROM companies WHERE id = \(bind: companyId)").first(decodingColumn: "name", as: String.self)
        } ?? ""
        let listed = try await lists()
        let all = try await events(companyId: companyId)
        return PublicProfile(companyId: companyId, name: name, score: score, valid: all.filter { $0.counts(on: today) },
                             settled: all.filter { $0.status != .valid && $0.expiresOn > today.description },
                             lists: List.allCases.filter { list in listed[list]!.contains { $0.companyId == companyId } })
    }

    /// Whether a company is on the black list today (flagged wherever it is named; 限制投标).
    public static func isBlackListed(_ companyId: Int64, today: Day, on db: any SQLDatabase) async throws -> Bool {
        try await db.raw("""
            SELECT 1 AS n FROM credit_lists WHERE company_id = \(bind: companyId) AND list = 'black' AND removed_at IS NULL
            AND decided_on <= \(bind: today.description) AND until > \(bind: today.description)
            """).first() != nil
    }

    /// Events recorded in the scope's jurisdiction since a day, for the provincial credit platform (双公示).
    public func events(since: Day, scope: Scope, limit: Int = 5_000) async throws -> [Event] {
        try scope.require(.viewCompanies)
        return try await database.read { db in
            try await Self.events(condition: "occurred_on >= \(bind: since.description) AND \(scope.officialPredicate("region_path"))",
                                  limit: max(1, min(limit, 5_000)), on: db)
        }
    }
}
