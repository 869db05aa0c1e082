import Foundation
import SQLKit

/// The benchmark's yardstick for publishing: the same rows a publish writes (a version and its lines), inserted
/// in batches inside one transaction with no checks, no log and no audit. Publishing through the API is compared
/// against this floor. Writes into a quarter of its own with negative leaf indexes: never use on a real database.
public enum RawInsertBenchmark {
    /// Inserts one version with three lines per estate and returns the seconds taken.
    public static func run(database: Database, estateIds: [Int64], quarter: Quarter) async throws -> Double {
        let start = ContinuousClock.now
        try await database.transaction { db in
            var versions = BulkInsert(table: "disclosure_versions", columns: [
                "estate_id", "year", "quarter", "version", "region_path", "income_fen", "cost_fen", "owners_share_fen", "company_share_fen",
                "expenditure_fen", "opening_fen", "closing_fen", "contact_name", "contact_phone", "display_from", "display_until",
                "published_at", "published_by", "leaf_index", "leaf_hash",
            ], batchSize: 200)
            for (i, id) in estateIds.enumerated() {
                try await versions.add([id, quarter.year, quarter.quarter, 1, "/", 2_460_000, 600_000, 1_302_000, 558_000, 240_000,
                                        5_021_035, 6_083_035, "王经理", "0591-87654321", "2024-07-05", "2024-08-05",
                                        "2024-07-06T02:00:00Z", "bench", -1 - i, "raw-\(i)"], on: db)
            }
            try await versions.flush(on: db)
            let ids = try await db.raw("""
                SELECT id FROM disclosure_versions WHERE year = \(bind: quarter.year) AND quarter = \(bind: quarter.quarter) AND published_by = 'bench'
                """).all(decodingColumn: "id", as: Int64.self)
            var lines = BulkInsert(table: "disclosure_lines", columns: ["version_id", "kind", "position", "category", "description", "amount_fen", "decision"])
            for id in ids {
                try await lines.add([id, "income", 0, "parking", "地面临时停车费", 1_860_000, String?.none], on: db)
                try await lines.add([id, "income", 1, "advertising_elevator", "电梯广告", 600_000, String?.none], on: db)
                try await lines.add([id, "cost", 0, String?.none, "停车管理员工资", 600_000, String?.none], on: db)
            }
            try await lines.flush(on: db)
        }
        let elapsed = ContinuousClock.now - start
        return Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
    }
}
