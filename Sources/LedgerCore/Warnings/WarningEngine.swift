import Foundation
import SQLKit

/// Runs the rules over everything, county by county, and keeps one open warning per rule, estate and quarter:
/// a new finding opens one, a finding that is gone closes its warning with the reason. Running twice changes nothing.
public struct WarningEngine: Sendable {
    public struct Summary: Sendable {
        public var opened = 0
        public var closed = 0
        public var unchanged = 0
    }

    let database: Database
    let clock: any LedgerClock

    public init(database: Database, clock: any LedgerClock) {
        self.database = database
        self.clock = clock
    }

    /// Evaluates the last `quarters` quarters that have ended (history before them is read for the trend rules).
    public func run(quarters count: Int = 8) async throws -> Summary {
        let at = clock.now()
        let today = Day(Timestamp.shanghaiDay(at))!
        let current = Quarter(containing: today).previous
        var quarters = [current]
        while quarters.count < count { quarters.insert(quarters[0].previous, at: 0) }
        let earliest = quarters[0].previous.previous.previous.previous
        let counties = try await database.read { db in
            try await db.raw("SELECT path FROM regions WHERE level = 'county' ORDER BY path").all(decodingColumn: "path", as: String.self)
        }
        var summary = Summary()
        for county in counties {
            let estates = try await database.read { db in try await FactsLoader(db: db).estates(underPath: county, window: earliest...current) }
            var findings: [String: (Finding, String)] = [:]
            for quarter in quarters {
                let peers = PeerStatistics.make(estates, quarter: quarter)
                for estate in estates where estate.companyId != nil {
                    for rule in WarningRules.all {
                        if let detail = rule.evaluate(RuleInput(estate: estate, quarter: quarter, peers: peers, today: today,
                                                                currentQuarter: current, parameters: rule.defaults)) {
                            let finding = Finding(rule: rule.code, estateId: estate.id, quarter: quarter, detail: detail)
                            findings["\(rule.code)/\(estate.id)/\(quarter)"] = (finding, rule.severity)
                        }
                    }
                }
            }
            let paths = Dictionary(uniqueKeysWithValues: estates.map { ($0.id, ($0.regionPath, $0.companyId)) })
            let countyResult = try await persist(findings, county: county, quarters: quarters, paths: paths, at: at)
            summary.opened += countyResult.opened
            summary.closed += countyResult.closed
            summary.unchanged += countyResult.unchanged
        }
        return summary
    }

    private func persist(_ findings: [String: (Finding, String)], county: String, quarters: [Quarter], paths: [Int64: (String, Int64?)],
                         at: Date) async throws -> Summary {
        let lo = quarters[0].year * 10 + quarters[0].quarter, hi = quarters.last!.year * 10 + quarters.last!.quarter
        let now = Timestamp.storage(at)
        return try await database.transaction { db in
            var summary = Summary()
            let open = try await db.raw("""
                SELECT id, rule, estate_id, year, quarter FROM warnings w WHERE \(Scope.pathPredicate("w.region_path", county))
                AND status IN ('open', 'acknowledged') AND year * 10 + quarter >= \(bind: lo) AND year * 10 + quarter <= \(bind: hi)
                """).all()
            var existing: [String: Int64] = [:]
            for row in open {
                let key = "\(try row.decode(column: "rule", as: String.self))/\(try row.decode(column: "estate_id", as: Int64.self))/"
                    + "\(try row.decode(column: "year", as: Int.self))Q\(try row.decode(column: "quarter", as: Int.self))"
                existing[key] = try row.decode(column: "id", as: Int64.self)
            }
            var inserts = BulkInsert(table: "warnings", columns: ["rule", "estate_id", "company_id", "region_path", "year", "quarter", "severity",
                                                                  "status", "detail", "opened_at", "updated_at"])
            for (key, (finding, severity)) in findings.sorted(by: { $0.key < $1.key }) {
                if existing.removeValue(forKey: key) != nil { summary.unchanged += 1; continue }
                let (path, company) = paths[finding.estateId] ?? (county, nil)
                try await inserts.add([finding.rule, finding.estateId, company, path, finding.quarter.year, finding.quarter.quarter, severity,
                                       "open", finding.detail, now, now], on: db)
                summary.opened += 1
            }
            try await inserts.flush(on: db)
            for id in existing.values {
                try await db.raw("""
                    UPDATE warnings SET status = 'closed', closed_reason = '重新运行时原因已消除，自动关闭', updated_at = \(bind: now) WHERE id = \(bind: id)
                    """).run()
                summary.closed += 1
            }
            if summary.opened + summary.closed > 0 {
                try await AuditLog.record(on: db, scope: .system, at: at, action: "warnings_run", entity: "warnings", entityId: county,
                                          regionPath: county, after: ["opened": summary.opened, "closed": summary.closed])
            }
            return summary
        }
    }

    /// The open warnings, as (rule, estate, year, quarter) keys, for scoring against the demo's truth.
    public func openKeys() async throws -> Set<String> {
        try await database.read { db in
            Set(try await db.raw("SELECT rule, estate_id, year, quarter FROM warnings WHERE status IN ('open', 'acknowledged')").all().map { row in
                "\(try row.decode(column: "rule", as: String.self))/\(try row.decode(column: "estate_id", as: Int64.self))/"
                    + "\(try row.decode(column: "year", as: Int.self))Q\(try row.decode(column: "quarter", as: Int.self))"
            })
        }
    }
}
