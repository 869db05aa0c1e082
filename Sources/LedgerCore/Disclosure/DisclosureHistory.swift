import Foundation
import SQLKit

/// Reading published disclosures: an estate's quarters and versions, scoped for officials and companies, and the
/// public view (published data only, never drafts) for owners.
public struct DisclosureHistory: Sendable {
    /// One version with its lines.
    public struct Entry: Sendable {
        public let version: PublishedVersion
        public let lines: [DisclosureLine]

        public func lines(_ kind: String) -> [DisclosureLine] { lines.filter { $0.kind == kind }.sorted { $0.position < $1.position } }
    }

    let database: Database

    public init(database: Database) { self.database = database }

    /// Every version of every quarter of an estate the scope may see, newest quarter first, versions in order.
    public func versions(estateId: Int64, scope: Scope) async throws -> [PublishedVersion] {
        try await database.read { db in
            guard try await EstateRepository.isVisible(estateId, scope: scope, on: db) else { throw LedgerError.notFound("小区") }
            return try await Self.versions(estateId: estateId, on: db)
        }
    }

    /// Published versions of any estate, for the public pages (the estate must exist).
    public func publicVersions(estateId: Int64) async throws -> [PublishedVersion] {
        try await database.read { db in try await Self.versions(estateId: estateId, on: db) }
    }

    static func versions(estateId: Int64, on db: any SQLDatabase) async throws -> [PublishedVersion] {
        try await db.raw("""
            \(TransparencyLog.selectVersion) WHERE estate_id = \(bind: estateId) ORDER BY year DESC, quarter DESC, version ASC
            """).all(decoding: PublishedVersion.self, keyDecodingStrategy: .convertFromSnakeCase)
    }

    /// One version of a quarter (the latest when `version` is nil) with its lines; published data only.
    public func entry(estateId: Int64, quarter: Quarter, version: Int? = nil) async throws -> Entry? {
        try await database.read { db in
            let versionCondition: SQLQueryString = version.map { "AND version = \(bind: $0)" } ?? ""
            guard let header = try await db.raw("""
                \(TransparencyLog.selectVersion) WHERE estate_id = \(bind: estateId) AND year = \(bind: quarter.year)
                AND quarter = \(bind: quarter.quarter) \(versionCondition) ORDER BY version DESC LIMIT 1
                """).first(decoding: PublishedVersion.self, keyDecodingStrategy: .convertFromSnakeCase) else { return nil }
            let lines = try await db.raw("""
                SELECT version_id, kind, position, category, description, amount_fen, decision FROM disclosure_lines
                WHERE version_id = \(bind: header.id) ORDER BY kind, position
                """).all(decoding: DisclosureLine.self, keyDecodingStrategy: .convertFromSnakeCase)
            return Entry(version: header, lines: lines)
        }
    }
}
