import Foundation
import SQLKit

/// `ledger verify`: recomputes every leaf from the stored rows and the tree from the leaves, in log order and in
/// batches (never the whole table in memory), and names the first entry that no longer matches.
public struct LogVerifier: Sendable {
    public struct Report: Sendable {
        public var checkedLeaves = 0
        public var checkedTreeHeads = 0
        /// The first problem found, in Chinese, or nil when everything matches.
        public var firstMismatch: String?
        public var ok: Bool { firstMismatch == nil }
    }

    let database: Database
    let batchSize: Int

    public init(database: Database, batchSize: Int = 500) {
        self.database = database
        self.batchSize = batchSize
    }

    public func verify() async throws -> Report {
        var report = Report()
        var frontier = LogFrontier()
        var nextIndex = 0
        while true {
            let (versions, lines, heads) = try await batch(from: nextIndex)
            if versions.isEmpty { break }
            for version in versions {
                let label = "小区\(version.estateId) \(version.period.title) 第\(version.version)版（日志第\(version.leafIndex)条）"
                guard version.leafIndex == nextIndex else {
                    report.firstMismatch = "日志缺少第\(nextIndex)条记录（下一条为第\(version.leafIndex)条）"
                    return report
                }
                let own = lines[version.id] ?? []
                if let problem = Self.totalsProblem(version, own) {
                    report.firstMismatch = "\(label)：\(problem)"
                    return report
                }
                let recomputed = LogEntry(version: version, lines: own).leafHash
                guard recomputed.hex == version.leafHash else {
                    report.firstMismatch = "\(label)：存储的公示内容与已发布的叶哈希不符（发布时 \(version.leafHash)，现重算为 \(recomputed.hex)），数据已被改动"
                    return report
                }
                frontier.append(recomputed)
                nextIndex += 1
                report.checkedLeaves += 1
                if let head = heads[frontier.size] {
                    guard head == frontier.root.hex else {
                        report.firstMismatch = "树头（大小 \(frontier.size)）记录的根哈希 \(head) 与重算的 \(frontier.root.hex) 不符"
                        return report
                    }
                    report.checkedTreeHeads += 1
                }
            }
        }
        let recorded = try await database.read { db in
            let state = try await db.raw("SELECT size FROM log_state WHERE id = 1").first(decodingColumn: "size", as: Int.self) ?? 0
            let heads = try await db.raw("SELECT MAX(size) AS n FROM tree_heads").first(decodingColumn: "n", as: Int?.self) ?? nil
            return max(state, heads ?? 0)
        }
        if recorded != report.checkedLeaves {
            report.firstMismatch = "日志记录的大小为 \(recorded) 条，但只找到 \(report.checkedLeaves) 条公示版本：末尾的记录已被删除"
        }
        return report
    }

    /// Header totals against their lines: an amount edited in either place shows here, named.
    static func totalsProblem(_ v: PublishedVersion, _ lines: [DisclosureLine]) -> String? {
        for (kind, label, total) in [("income", "经营收入", v.incomeFen), ("cost", "经营成本", v.costFen), ("expenditure", "经营支出", v.expenditureFen)] {
            let own = lines.filter { $0.kind == kind }
            let sum = own.reduce(Int64(0)) { $0 + $1.amountFen }
            if sum != total {
                return "\(label)合计 \(Money(fen: total)) 元与明细之和 \(Money(fen: sum)) 元不符（明细：\(own.map { "第\($0.position + 1)行 \(Money(fen: $0.amountFen))" }.joined(separator: "，"))）"
            }
        }
        return nil
    }

    private func batch(from index: Int) async throws -> ([PublishedVersion], [Int64: [DisclosureLine]], [Int: String]) {
        try await database.read { [batchSize] db in
            let versions = try await db.raw("""
                \(TransparencyLog.selectVersion) WHERE leaf_index >= \(bind: index) ORDER BY leaf_index LIMIT \(literal: batchSize)
                """).all(decoding: PublishedVersion.self, keyDecodingStrategy: .convertFromSnakeCase)
            guard let last = versions.last else { return ([], [:], [:]) }
            let lines = try await db.raw("""
                SELECT version_id, kind, position, category, description, amount_fen, decision FROM disclosure_lines
                WHERE version_id IN (SELECT id FROM disclosure_versions WHERE leaf_index >= \(bind: index) AND leaf_index <= \(bind: last.leafIndex))
                """).all(decoding: DisclosureLine.self, keyDecodingStrategy: .convertFromSnakeCase)
            let heads = try await db.raw("""
                SELECT size, root_hash FROM tree_heads WHERE size > \(bind: index) AND size <= \(bind: last.leafIndex + 1)
                """).all()
            var headsBySize: [Int: String] = [:]
            for row in heads { headsBySize[try row.decode(column: "size", as: Int.self)] = try row.decode(column: "root_hash", as: String.self) }
            return (versions, Dictionary(grouping: lines, by: \.versionId), headsBySize)
        }
    }
}
