import Foundation
import LedgerCore
import SQLKit

/// A province-wide spot-check draw: 50,000 estates in 5,000 streets, 300 inspectors (half serving a street, some with
/// declared conflicts), 50% with 2,000 forced inclusions — the hash, the draw and a redraw (target ≤ 1 s each).
enum DrawBench {
    static func measure(estates count: Int) -> Report {
        var report = Report()
        let estates = (1...count).map { SpotCheckDraw.Estate(id: Int64($0), street: "S\($0 % 5_000)", companyId: Int64($0 % 3_000)) }
        let pool: [SpotCheckDraw.Inspector] = (1...300).map { (n: Int) -> SpotCheckDraw.Inspector in
            let street: String = n % 2 == 0 ? "S\(n * 17 % 5_000)" : ""
            let conflicts: [Int64] = n % 10 == 0 ? [Int64(n % 3_000)] : []
            return SpotCheckDraw.Inspector(id: Int64(n), street: street, conflicts: conflicts)
        }
        let step = max(1, count / 2_000)
        let forced: Set<Int64> = Set(stride(from: 7, through: count, by: step).map { Int64($0) })
        var start = ContinuousClock.now
        let hash = SpotCheckDraw.eligibleHash(estates: estates, pool: pool)
        report.add("eligible-list hash, \(count) estates + 300 inspectors", seconds: (ContinuousClock.now - start).seconds)
        start = ContinuousClock.now
        let result = SpotCheckDraw.draw(seed: "03 09 14 20 27 31 12", estates: estates, forced: forced, ratioBasisPoints: 5_000, pool: pool)
        report.add("spot-check draw, \(count) estates at 50% (\(result.estates.count) drawn, 2 inspectors each)",
                   seconds: (ContinuousClock.now - start).seconds, atMost: 1, unmetBecause: Unmet.noisy)
        start = ContinuousClock.now
        let again = SpotCheckDraw.draw(seed: "03 09 14 20 27 31 12", estates: estates.reversed(), forced: forced, ratioBasisPoints: 5_000, pool: pool)
        report.add("redraw of the same plan (\(again == result ? "same result" : "DIFFERENT"), hash \(hash.prefix(8))…)",
                   seconds: (ContinuousClock.now - start).seconds)
        return report
    }

    /// The annual spot-check rate of the whole registry once half of its estates have an inspection record this year
    /// (written straight into the table), computed as the dashboard's KPI is (target ≤ 1 s).
    static func measureAnnualRate(_ db: Database) async throws -> Report {
        var report = Report()
        let today = Day(Timestamp.shanghaiDay(Date()))!
        let estates = try await db.read { try await $0.raw("SELECT id, region_path FROM estates ORDER BY id").all() }
        let at = Timestamp.storage(Date())
        try await db.transaction { sql in
            for batch in stride(from: 0, to: estates.count, by: 1_000) {
                var values: [SQLQueryString] = []
                for (offset, row) in estates[batch..<min(batch + 1_000, estates.count)].enumerated() where (batch + offset) % 2 == 0 {
                    let id = try row.decode(column: "id", as: Int64.self), path = try row.decode(column: "region_path", as: String.self)
                    values.append("(\(bind: id), \(bind: path), \(bind: today.description), 1, '{}', 0, \(bind: at), 'bench')")
                }
                guard !values.isEmpty else { continue }
                try await sql.raw("""
                    INSERT INTO inspection_records (estate_id, region_path, inspected_on, checklist_version, answers, failed, recorded_at, recorded_by)
                    VALUES \(values.joined(separator: ", "))
                    """).run()
            }
        }
        let province = try await db.read { try await $0.raw("SELECT path FROM regions WHERE parent_code IS NULL ORDER BY code LIMIT 1").first(decodingColumn: "path", as: String.self) } ?? ""
        let start = ContinuousClock.now
        let rate = try await InspectionRecords.annualRate(under: province, year: today.year, until: today, on: db)
        report.add("annual spot-check rate over \(rate.estates) estates (\(rate.verified) verified)", seconds: (ContinuousClock.now - start).seconds,
                   atMost: 1, unmetBecause: Unmet.noisy)
        return report
    }
}
