import Foundation
import LedgerCore
import Logging

/// The dashboard at the size of a national view (issue #16 item 5: 500,000 estates ≤ 1 s cold): a registry of that many
/// estates under one province (the demo's tree; a national view counts the same rows, summed from more parts), without
/// disclosures — generating 500,000 estates' eight quarters of lines is what would take the time, and the estates,
/// contracts, accounts and committees are most of what a first view reads. The first view ever counts every row once
/// and keeps the parts; a restarted server (an empty cache) reads them.
enum NationalBench {
    static func measure(estates: Int, logger: Logger) async throws -> Report {
        var report = Report()
        let url = "sqlite://" + NSTemporaryDirectory() + "ledger-bench-national-\(UUID().uuidString)/ledger.sqlite"
        let db = try await Database.open(url: url, logger: logger)
        do {
            try await Migrator(database: db).migrate()
            var start = ContinuousClock.now
            try await DemoGenerator(options: .bare(estates: estates, quarters: 0)).generate(into: db)
            report.add("generate \(estates) estates, registry only (SQLite)", seconds: (ContinuousClock.now - start).seconds)
            let clock = SystemClock()
            let first = DashboardCache()
            let quarter = Dashboard(database: db, clock: clock, cache: first).defaultQuarter()
            start = ContinuousClock.now
            _ = try await Dashboard(database: db, clock: clock, cache: first).view(regionCode: "350000", quarter: quarter, scope: .system)
            report.add("dashboard over \(estates) estates, the first view ever (every row counted)", seconds: (ContinuousClock.now - start).seconds,
                       atMost: 1, unmetBecause: Unmet.firstView)
            let restarted = DashboardCache()
            start = ContinuousClock.now
            _ = try await Dashboard(database: db, clock: clock, cache: restarted).view(regionCode: "350000", quarter: quarter, scope: .system)
            report.add("dashboard over \(estates) estates, cold after a restart, parts kept", seconds: (ContinuousClock.now - start).seconds,
                       atMost: 1, unmetBecause: Unmet.keptParts)
            for stage in await restarted.lastStages { report.add("  of which \(stage.name)", seconds: stage.seconds) }
        } catch {
            await db.close()
            throw error
        }
        await db.close()
        try? FileManager.default.removeItem(atPath: String(url.dropFirst("sqlite://".count)).replacingOccurrences(of: "/ledger.sqlite", with: ""))
        return report
    }
}
