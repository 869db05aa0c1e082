import Foundation
import SQLKit

/// What the pages need around requests: whose they are (scoped), and the evidence files a company attached.
extension CreditFile {
    /// The company an event belongs to (which page to show again; the page itself is scoped).
    public func companyOfEvent(_ eventId: Int64) async throws -> Int64? {
        try await database.read { db in
            try await db.raw("SELECT company_id FROM credit_events WHERE id = \(bind: eventId)").first(decodingColumn: "company_id", as: Int64.self)
        }
    }

    /// The company of a request the scope may see: the regulator's region's requests, a company's own.
    public func companyOfRequest(_ requestId: Int64, scope: Scope) async throws -> Int64? {
        let visible: SQLQueryString = scope.role == .company ? (scope.companyId.map { "company_id = \(bind: $0)" } ?? "1 = 0")
            : scope.officialPredicate("region_path")
        return try await database.read { db in
            try await db.raw("SELECT company_id FROM credit_requests WHERE id = \(bind: requestId) AND \(visible)")
                .first(decodingColumn: "company_id", as: Int64.self)
        }
    }
}

extension CreditFile {
    /// The evidence files of a company's requests, by request.
    public func requestFiles(companyId: Int64) async throws -> [Int64: [Problems.Attachment]] {
        try await database.read { db in
            var result: [Int64: [Problems.Attachment]] = [:]
            for row in try await db.raw("""
                SELECT a.id, a.owner_id, a.filename, a.content_type, a.size, a.uploaded_at, a.uploaded_by FROM attachments a
                JOIN credit_requests r ON r.id = a.owner_id WHERE a.owner_type = 'credit_request' AND r.company_id = \(bind: companyId) ORDER BY a.id
                """).all() {
                result[try row.decode(column: "owner_id", as: Int64.self), default: []]
                    .append(try row.decode(model: Problems.Attachment.self, keyDecodingStrategy: .convertFromSnakeCase))
            }
            return result
        }
    }

    /// One evidence file of a request the scope may see (the company's own, the regulator's region's).
    public func requestFile(_ id: Int64, requestId: Int64, scope: Scope) async throws -> (Problems.Attachment, Data) {
        guard try await companyOfRequest(requestId, scope: scope) != nil else { throw LedgerError.notFound("证明材料") }
        let found = try await database.read { db -> (Problems.Attachment, String)? in
            guard let row = try await db.raw("""
                SELECT id, filename, content_type, size, uploaded_at, uploaded_by, sha256 FROM attachments
                WHERE id = \(bind: id) AND owner_type = 'credit_request' AND owner_id = \(bind: requestId)
                """).first() else { return nil }
            return (try row.decode(model: Problems.Attachment.self, keyDecodingStrategy: .convertFromSnakeCase), try row.decode(column: "sha256", as: String.self))
        }
        guard let (attachment, sha) = found, let data = files.read(sha256: sha, contentType: attachment.contentType) else {
            throw LedgerError.notFound("证明材料")
        }
        return (attachment, data)
    }
}
