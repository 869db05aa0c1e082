import Foundation
import SQLKit

/// The list decisions as the regulator works with them: each in force with its document and period, removal by a
/// reasoned decision (kept, never deleted), and the black-list flag the registry shows wherever a company is named.
extension CreditFile {
    /// A red- or black-list decision.
    public struct ListDecision: Sendable, Equatable {
        public let id: Int64
        public let companyId: Int64
        public let list: List
        public let reason: String
        public let documentNumber: String
        public let decidedOn: String
        public let until: String
        public let removedAt: String?
        public let removedReason: String?

        /// In force on `day`: not removed, begun, not ended.
        public func inForce(on day: Day) -> Bool {
            removedAt == nil && decidedOn <= day.description && day.description < until
        }
    }

    /// Every list decision about a company, newest first.
    public func listDecisions(companyId: Int64) async throws -> [ListDecision] {
        try await database.read { db in
            try await db.raw("""
                SELECT id, company_id, list, reason, document_number, decided_on, until, removed_at, removed_reason FROM credit_lists
                WHERE company_id = \(bind: companyId) ORDER BY decided_on DESC, id DESC
                """).all().map { row in
                ListDecision(id: try row.decode(column: "id", as: Int64.self), companyId: try row.decode(column: "company_id", as: Int64.self),
                             list: List(rawValue: try row.decode(column: "list", as: String.self)) ?? .black,
                             reason: try row.decode(column: "reason", as: String.self), documentNumber: try row.decode(column: "document_number", as: String.self),
                             decidedOn: try row.decode(column: "decided_on", as: String.self), until: try row.decode(column: "until", as: String.self),
                             removedAt: try row.decode(column: "removed_at", as: String?.self), removedReason: try row.decode(column: "removed_reason", as: String?.self))
            }
        }
    }

    /// Takes a company off a list by a reasoned decision; the decision stays on file as removed.
    public func removeFromList(_ decisionId: Int64, companyId: Int64, reason: String, scope: Scope) async throws {
        try scope.require(.recordEnforcement)
        var reader = InputReader()
        let text = reader.text(reason, field: "reason", label: "移出理由", max: 500)
        try reader.errors.throwIfAny()
        let at = clock.now()
        try await database.transaction { db in
            guard try await Self.companyPath(companyId, scope: scope, on: db) != nil,
                  let row = try await db.raw("""
                      SELECT list, region_path, removed_at FROM credit_lists
                      WHERE id = \(bind: decisionId) AND company_id = \(bind: companyId) AND \(scope.officialPredicate("region_path"))
                      """).first() else { throw LedgerError.notFound("名单决定") }
            guard try row.decode(column: "removed_at", as: String?.self) == nil else {
                throw LedgerError(.conflict, code: "already_removed", message: "该企业已移出此名单", field: "reason")
            }
            try await db.raw("""
                UPDATE credit_lists SET removed_at = \(bind: Timestamp.storage(at)), removed_by = \(bind: scope.username), removed_reason = \(bind: text)
                WHERE id = \(bind: decisionId)
                """).run()
            try await AuditLog.record(on: db, scope: scope, at: at, action: "unlist", entity: "company", entityId: "\(companyId)",
                                      regionPath: try row.decode(column: "region_path", as: String.self),
                                      after: ["list": try row.decode(column: "list", as: String.self), "decision": "\(decisionId)", "reason": text])
        }
    }

    /// Which of `companyIds` are on the black list today (限制投标), for the registry's lists.
    public func blackListed(_ companyIds: [Int64]) async throws -> Set<Int64> {
        guard !companyIds.isEmpty else { return [] }
        let today = Day(Timestamp.shanghaiDay(clock.now()))!.description
        return try await database.read { db in
            Set(try await db.raw("""
                SELECT DISTINCT company_id FROM credit_lists WHERE company_id IN (\(binds: companyIds)) AND list = 'black' AND removed_at IS NULL
                AND decided_on <= \(bind: today) AND until > \(bind: today)
                """).all(decodingColumn: "company_id", as: Int64.self))
        }
    }
}
