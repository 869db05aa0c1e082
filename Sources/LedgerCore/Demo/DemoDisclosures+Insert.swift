import Foundation
import SQLKit

extension DemoDisclosures {
    /// Inserts the versions in publishing order as the log's leaves, with their lines, tree heads and the log state.
    func insert(_ versions: [(PublishedVersion, [DisclosureLine])], on db: any SQLDatabase) async throws {
        let paths = Dictionary(uniqueKeysWithValues: plan.estates.map { ($0.id, $0.community.path) })
        var frontier = LogFrontier()
        var versionRows = BulkInsert(table: "disclosure_versions", columns: [
            "id", "estate_id", "year", "quarter", "version", "company_id", "region_path", "income_fen", "cost_fen", "owners_share_fen",
            "company_share_fen", "expenditure_fen", "transfer_fen", "transfer_date", "opening_fen", "closing_fen", "contact_name",
            "contact_phone", "display_from", "display_until", "reason", "published_at", "published_by", "leaf_index", "leaf_hash",
            "transfer_target", "ratio_decision",
        ], batchSize: 200)
        var lineRows = BulkInsert(table: "disclosure_lines", columns: ["version_id", "kind", "position", "category", "description", "amount_fen", "decision"])
        var headRows = BulkInsert(table: "tree_heads", columns: ["size", "root_hash", "created_at"])
        var nodeRows = BulkInsert(table: "log_nodes", columns: ["level", "idx", "hash"])
        for (index, (v, lines)) in versions.enumerated() {
            let id = Int64(index + 1)
            let leaf = LogEntry(version: v, lines: lines).leafHash
            for node in frontier.append(leaf) { try await nodeRows.add([node.level, node.index, node.hash.hex], on: db) }
            let row: [any Encodable & Sendable] = [
                id, v.estateId, v.year, v.quarter, v.version, v.companyId, paths[v.estateId] ?? "/", v.incomeFen, v.costFen, v.ownersShareFen,
                v.companyShareFen, v.expenditureFen, v.transferFen, v.transferDate, v.openingFen, v.closingFen, v.contactName, v.contactPhone,
                v.displayFrom, v.displayUntil, v.reason, v.publishedAt, v.publishedBy, index, leaf.hex, v.transferTarget, v.ratioDecision,
            ]
            try await versionRows.add(row, on: db)
            try await headRows.add([frontier.size, frontier.root.hex, v.publishedAt], on: db)
        }
        try await versionRows.flush(on: db)
        try await headRows.flush(on: db)
        try await nodeRows.flush(on: db)
        // Lines after all their versions exist (the foreign key), still in batches.
        for (index, (_, lines)) in versions.enumerated() {
            for line in lines {
                try await lineRows.add([Int64(index + 1), line.kind, line.position, line.category, line.description, line.amountFen, line.decision], on: db)
            }
        }
        try await lineRows.flush(on: db)
        try await db.raw("UPDATE log_state SET size = \(bind: frontier.size), frontier = \(bind: frontier.encoded) WHERE id = 1").run()
        try await BulkInsert.resetSequence(table: "disclosure_versions", on: db)
        try await BulkInsert.resetSequence(table: "disclosure_lines", on: db)
    }

    /// Registry faults the rules look at in the current quarter: no dedicated account (W06), committee term over (W15).
    func registryTruth(current: Quarter) -> [DemoTruth] {
        var truth: [DemoTruth] = []
        for estate in plan.estates where estate.companyId != nil {
            // No account open today (EstateFigures.accountOpenSQL): none, or one the plan opens later this year.
            if !(estate.account.map { $0.opened <= today.description } ?? false) {
                truth.append(DemoTruth(rule: "W06", estateId: estate.id, year: current.year, quarter: current.quarter, planted: "未设公共收益专户"))
            }
            if let committee = estate.committee, committee.end < today.description {
                truth.append(DemoTruth(rule: "W15", estateId: estate.id, year: current.year, quarter: current.quarter, planted: "业委会任期届满未换届"))
            }
        }
        return truth
    }
}
