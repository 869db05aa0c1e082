import Foundation
import SQLKit

/// The append-only log of every published disclosure version (a Merkle tree in the style of Certificate Transparency).
public struct TransparencyLog: Sendable {
    public struct TreeHead: Sendable, Codable, Equatable {
        public let size: Int
        public let rootHash: String
        public let timestamp: String
    }

    let database: Database

    public init(database: Database) { self.database = database }

    /// Stores a new version and its lines, appends its leaf and records the new tree head (inside the caller's transaction).
    /// A version's header and lines as `append` stores them (the publish confirmation page previews them too).
    public static func version(content: DisclosureContent, estateId: Int64, filer: Int64?, quarter: Quarter, version: Int, reason: String?,
                               publisher: String, publishedAt: String, leafIndex: Int) -> (PublishedVersion, [DisclosureLine]) {
        let header = PublishedVersion(
            id: 0, estateId: estateId, year: quarter.year, quarter: quarter.quarter, version: version, companyId: filer,
            incomeFen: content.incomeTotal.fen, costFen: content.costTotal.fen, ownersShareFen: (content.ownersShare ?? .zero).fen,
            companyShareFen: (content.companyShare ?? .zero).fen, expenditureFen: content.expenditureTotal.fen,
            transferFen: content.transferAmount?.fen, transferDate: content.transferDate?.description,
            openingFen: (content.openingBalance ?? .zero).fen, closingFen: (content.closingBalance ?? .zero).fen,
            contactName: content.contactName, contactPhone: content.contactPhone,
            displayFrom: content.displayFrom?.description ?? "", displayUntil: content.displayUntil?.description ?? "",
            reason: reason, publishedAt: publishedAt, publishedBy: publisher, leafIndex: leafIndex, leafHash: "",
            transferTarget: content.transferAmount == nil || content.transferTarget == .dedicated ? nil : content.transferTarget.rawValue,
            ratioDecision: content.ratioDecision.isEmpty ? nil : content.ratioDecision)
        var lines: [DisclosureLine] = []
        for (i, line) in content.income.enumerated() {
            lines.append(.init(versionId: 0, kind: "income", position: i, category: line.category.rawValue, description: line.description,
                               amountFen: line.amount.fen, decision: nil))
        }
        for (i, line) in content.costs.enumerated() {
            lines.append(.init(versionId: 0, kind: "cost", position: i, category: nil, description: line.description, amountFen: line.amount.fen, decision: nil))
        }
        for (i, line) in content.expenditures.enumerated() {
            lines.append(.init(versionId: 0, kind: "expenditure", position: i, category: nil, description: line.description,
                               amountFen: line.amount.fen, decision: line.decision))
        }
        return (header, lines)
    }

    static func append(
        content: DisclosureContent, estate: Estate, filer: Int64?, quarter: Quarter, version: Int, reason: String?, publisher: String, at: Date,
        on db: any SQLDatabase
    ) async throws -> PublishedVersion {
        if db.dialect.name == "postgresql" {
            // One appender at a time across servers: leaf indexes and the frontier must not interleave.
            try await db.raw("SELECT pg_advisory_xact_lock(7432002)").run()
        }
        let state = try await db.raw("SELECT size, frontier FROM log_state WHERE id = 1").first()!
        let size = try state.decode(column: "size", as: Int.self)
        guard var frontier = LogFrontier(size: size, encoded: try state.decode(column: "frontier", as: String.self)) else {
            throw StorageError.migrationFailed("log_state", underlying: "corrupt frontier")
        }
        let now = Timestamp.storage(at)
        let (header, lines) = Self.version(content: content, estateId: estate.id, filer: filer, quarter: quarter, version: version, reason: reason,
                                           publisher: publisher, publishedAt: now, leafIndex: size)
        let leafHash = LogEntry(version: header, lines: lines).leafHash
        let nodes = frontier.append(leafHash)
        try await LogNodes.insert(nodes, on: db)
        let id = try await db.raw("""
            INSERT INTO disclosure_versions (estate_id, year, quarter, version, company_id, region_path, income_fen, cost_fen,
                owners_share_fen, company_share_fen, expenditure_fen, transfer_fen, transfer_date, opening_fen, closing_fen,
                contact_name, contact_phone, display_from, display_until, reason, published_at, published_by, leaf_index, leaf_hash,
                transfer_target, ratio_decision)
            VALUES (\(bind: estate.id), \(bind: quarter.year), \(bind: quarter.quarter), \(bind: version), \(bind: filer),
                \(bind: estate.regionPath), \(bind: header.incomeFen), \(bind: header.costFen), \(bind: header.ownersShareFen),
                \(bind: header.companyShareFen), \(bind: header.expenditureFen), \(bind: header.transferFen), \(bind: header.transferDate),
                \(bind: header.openingFen), \(bind: header.closingFen), \(bind: header.contactName), \(bind: header.contactPhone),
                \(bind: header.displayFrom), \(bind: header.displayUntil), \(bind: reason), \(bind: now), \(bind: publisher),
                \(bind: size), \(bind: leafHash.hex), \(bind: header.transferTarget), \(bind: header.ratioDecision))
            RETURNING id
            """).first(decodingColumn: "id", as: Int64.self)!
        if !lines.isEmpty {
            var insert = db.insert(into: "disclosure_lines").columns(["version_id", "kind", "position", "category", "description", "amount_fen", "decision"])
            for line in lines {
                insert = insert.values([id, line.kind, line.position, line.category, line.description, line.amountFen, line.decision] as [any Encodable & Sendable])
            }
            try await insert.run()
        }
        try await db.raw("UPDATE log_state SET size = \(bind: frontier.size), frontier = \(bind: frontier.encoded) WHERE id = 1").run()
        try await db.raw("""
            INSERT INTO tree_heads (size, root_hash, created_at) VALUES (\(bind: frontier.size), \(bind: frontier.root.hex), \(bind: now))
            """).run()
        return try await db.raw("\(TransparencyLog.selectVersion) WHERE id = \(bind: id)")
            .first(decoding: PublishedVersion.self, keyDecodingStrategy: .convertFromSnakeCase)!
    }

    static let selectVersion: SQLQueryString = """
        SELECT id, estate_id, year, quarter, version, company_id, income_fen, cost_fen, owners_share_fen, company_share_fen,
               expenditure_fen, transfer_fen, transfer_date, opening_fen, closing_fen, contact_name, contact_phone, display_from,
               display_until, reason, published_at, published_by, leaf_index, leaf_hash, transfer_target, ratio_decision
        FROM disclosure_versions
        """

    /// The latest tree head.
    public func treeHead() async throws -> TreeHead {
        try await database.read { db in
            let row = try await db.raw("SELECT size, root_hash, created_at FROM tree_heads ORDER BY size DESC LIMIT 1").first()
            guard let row else { return TreeHead(size: 0, rootHash: Merkle.root([]).hex, timestamp: "") }
            return TreeHead(size: try row.decode(column: "size", as: Int.self), rootHash: try row.decode(column: "root_hash", as: String.self),
                            timestamp: try row.decode(column: "created_at", as: String.self))
        }
    }

    /// Inclusion proof for the leaf with `leafHash` in the tree of `size` leaves.
    public func inclusionProof(leafHash: String, size: Int) async throws -> (leafIndex: Int, path: [Data]) {
        let head = try await treeHead()
        guard size >= 1 else { throw LedgerError.invalid("size", code: "bad_size", "树大小应在1至\(head.size)之间") }
        // A well-formed size the log has not reached is a tree that does not exist (yet).
        guard size <= head.size else {
            throw LedgerError(.notFound, code: "bad_size", message: "树大小应在1至\(head.size)之间", field: "size")
        }
        let index = try await database.read { db in
            try await db.raw("SELECT leaf_index FROM disclosure_versions WHERE leaf_hash = \(bind: leafHash.lowercased())")
                .first(decodingColumn: "leaf_index", as: Int.self)
        }
        guard let index, index < size else { throw LedgerError.notFound("该哈希对应的公示记录") }
        // O(log n): the path is folded from the stored complete subtrees (LogNodes), not from every leaf.
        let path = try await database.read { db in try await LogNodes.inclusionPath(index: index, size: size, on: db).path }
        return (index, path)
    }

    /// Consistency proof between the trees of `first` and `second` leaves.
    public func consistencyProof(first: Int, second: Int) async throws -> [Data] {
        let head = try await treeHead()
        guard first >= 1, second >= 1 else { throw LedgerError.invalid("first", code: "bad_size", "须满足 1 ≤ first ≤ second ≤ \(head.size)") }
        // Well-formed sizes without a pair of trees to prove (the log is smaller, or first > second) are not found.
        guard first <= second, second <= head.size else {
            throw LedgerError(.notFound, code: "bad_size", message: "须满足 1 ≤ first ≤ second ≤ \(head.size)", field: "first")
        }
        return try await database.read { db in try await LogNodes.consistencyProof(first: first, second: second, on: db).proof }
    }
}
