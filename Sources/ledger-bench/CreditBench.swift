import Foundation
import LedgerCore
import SQLKit

/// Company credit at scale: 100,000 credit events over the registry's companies (written straight into the table),
/// then every company's score and grade recomputed from the events (target ≤ 1 s).
enum CreditBench {
    static func measure(_ db: Database, events count: Int = 100_000) async throws -> Report {
        var report = Report()
        let companies = try await db.read { try await $0.raw("SELECT id, region_path FROM companies ORDER BY id").all() }
        guard !companies.isEmpty else { return report }
        let today = Day(Timestamp.shanghaiDay(Date()))!
        let at = Timestamp.storage(Date())
        let rules = CreditRules.defaults
        try await db.transaction { sql in
            for batch in stride(from: 0, to: count, by: 500) {
                var values: [SQLQueryString] = []
                for n in batch..<min(batch + 500, count) {
                    let company = companies[n % companies.count], rule = rules[n % rules.count]
                    let occurred = today.adding(days: -(n % 700))
                    values.append("""
                        (\(bind: try company.decode(column: "id", as: Int64.self)), \(bind: rule.code), \(bind: rule.points), \(bind: rule.basis), 'bench', \(bind: Int64(n)),
                         \(bind: try company.decode(column: "region_path", as: String.self)), \(bind: occurred.description),
                         \(bind: occurred.adding(days: 30 * rule.validityMonths).description), '', '', 'valid', \(bind: at), 'bench')
                        """)
                }
                try await sql.raw("""
                    INSERT INTO credit_events (company_id, rule, points, basis, source_type, source_id, region_path, occurred_on, expires_on,
                                               document_number, note, status, created_at, created_by)
                    VALUES \(values.joined(separator: ", "))
                    """).run()
            }
        }
        let start = ContinuousClock.now
        let scores = try await CreditFile(database: db, clock: SystemClock()).scores()
        let grades = Dictionary(grouping: scores.values, by: \.grade).mapValues(\.count)
        report.add("credit grades of \(scores.count) companies from \(count) events (AAA \(grades[.aaa] ?? 0), C \(grades[.c] ?? 0))",
                   seconds: (ContinuousClock.now - start).seconds, atMost: 1, unmetBecause: Unmet.noisy)
        return report
    }
}
