import Foundation
import LedgerCore

/// `ledger import disclosures` without the command line: a CSV of one correction per estate (the estates just
/// published through the API), imported by the admin in one call as the command and the upload page do — every row
/// checked, published to the log and audited, all or none, then the warning rules once for the estates imported.
/// Compared with the raw batched insert of the same number of rows (target ≥ 0.5 ×).
enum ImportBench {
    static func measure(_ db: Database, estates: [Int64], quarter: Quarter, rawRate: Double) async throws -> Report {
        var report = Report()
        guard !estates.isEmpty else { return report }
        let today = Day(Timestamp.shanghaiDay(Date()))!
        var csv = "小区编号,年度,季度,停车费,电梯广告,经营成本,业主分成,企业分成,期初余额,联系人,联系电话,公示开始,公示截止,更正原因\n"
        for estate in estates {
            csv += "\(estate),\(quarter.year),\(quarter.quarter),18700.00,6000,6000,13090.00,5610.00,50210.35,王经理,0591-87654321,"
            csv += "\(today),\(today.adding(days: 40)),停车费收入少记100元，更正\n"
        }
        let start = ContinuousClock.now
        let imported = try await DisclosureImport(database: db, clock: SystemClock()).run(csv: csv, scope: .system)
        let rate = Double(imported) / (ContinuousClock.now - start).seconds
        report.add("ledger import disclosures, \(imported) corrections in one file (whole import: checks, log, audit, rules)", rate: rate)
        report.add("ratio import / raw insert", ratio: rate / max(rawRate, 1), atLeast: 0.5, unmetBecause: Unmet.importRatio)
        // Where the time goes: the rules for the estates imported, run again alone (the same work the import ends with).
        let rules = ContinuousClock.now
        await WarningEngine(database: db, clock: SystemClock()).afterPublishing(estates.map { ($0, quarter) })
        report.add("  of which the warning rules for the \(imported) estates (run again alone)", seconds: (ContinuousClock.now - rules).seconds)
        return report
    }
}
