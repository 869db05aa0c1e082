import Foundation
import Metrics
import SQLKit

/// Runs the rules and keeps one warning per rule, estate and quarter: a new finding opens one, a finding that is gone
/// closes its open warning with the reason, and a warning someone has already handled (resolved, dismissed,
/// escalated) is left as they left it. Running twice changes nothing.
public struct WarningEngine: Sendable {
    public struct Summary: Sendable {
        public var opened = 0
        public var closed = 0
        public var unchanged = 0
        public var estates = 0
    }

    let database: Database
    let clock: any LedgerClock

    public init(database: Database, clock: any LedgerClock) {
        self.database = database
        self.clock = clock
    }

    /// The statuses of a warning nobody has finished with; the engine closes these when their cause is gone.
    static let active = EstateFigures.openWarningStatuses

    /// The last `count` quarters that have ended, oldest first.
    func window(count: Int, today: Day) -> [Quarter] {
        var quarters = [Quarter(containing: today).previous]
        while quarters.count < count { quarters.insert(quarters[0].previous, at: 0) }
        return quarters
    }

    /// Evaluates the last `quarters` quarters that have ended (history before them is read for the trend rules),
    /// one county at a time so that memory is bounded by the largest county.
    public func run(quarters count: Int = 8) async throws -> Summary {
        let at = clock.now()
        let today = Day(Timestamp.shanghaiDay(at))!
        let quarters = window(count: count, today: today)
        let (counties, overrides) = try await database.read { db in
            (try await db.raw("SELECT path FROM regions WHERE level = 'county' ORDER BY path").all(decodingColumn: "path", as: String.self),
             try await WarningParameters.load(on: db))
        }
        var summary = Summary()
        let window = quarters[0].previous.previous.previous.previous...quarters.last!
        for county in counties {
            // The county's disclosure lines, the most rows, are read on a second connection while the rest is read; each
            // read gives its connection back before the two are put together.
            async let lines = database.read { db in try await FactsLoader(db: db).lines(underPath: county, estateId: nil, window: window) }
            var unfinished = try await database.read { db in
                try await FactsLoader(db: db).unfinished(underPath: county, window: window, today: today.description)
            }
            let estates = unfinished.finish(lines: try await lines)
            var peers: [Quarter: PeerStatistics] = [:]
            for quarter in quarters { peers[quarter] = PeerStatistics.make(estates, quarter: quarter) }
            let findings = try await evaluateInParallel(estates, quarters: quarters, peers: peers, today: today, overrides: overrides)
            let result = try await persist(findings, subject: Scope.pathPredicate("w.region_path", county), quarters: quarters, estates: estates,
                                           audit: county, at: at)
            summary.opened += result.opened
            summary.closed += result.closed
            summary.unchanged += result.unchanged
            summary.estates += estates.count
        }
        return summary
    }

    /// Re-evaluates one estate after a publication or correction of `quarter` (and the quarters after it, whose trends it feeds).
    @discardableResult
    public func run(estateId: Int64, from quarter: Quarter, quarters count: Int = 8) async throws -> Summary {
        var peers = CountyPeers()
        return try await run(estateId: estateId, from: quarter, quarters: count, peers: &peers)
    }

    /// Counties' peer statistics by county path and quarter, computed once for a batch of estates (`afterPublishing`).
    typealias CountyPeers = [String: [Quarter: PeerStatistics]]

    /// `run(estateId:from:quarters:)`, taking the peer statistics of the estate's county from `peers` and adding those
    /// it had to compute: a county's figures are the same for every estate of a batch.
    func run(estateId: Int64, from quarter: Quarter, quarters count: Int = 8, peers known: inout CountyPeers) async throws -> Summary {
        let at = clock.now()
        let today = Day(Timestamp.shanghaiDay(at))!
        let quarters = window(count: count, today: today).filter { $0 >= quarter }
        guard let first = quarters.first else { return Summary() }
        let held = known
        let (estates, peers, overrides) = try await database.read { db in
            let loader = FactsLoader(db: db)
            let estates = try await loader.estates(underPath: nil, estateId: estateId, window: first.previous.previous.previous.previous...quarters.last!,
                                                   today: today.description)
            var peers: [Quarter: PeerStatistics] = [:]
            if let estate = estates.first {
                let county = held[estate.countyPath] ?? [:]
                for quarter in quarters {
                    if let statistics = county[quarter] { peers[quarter] = statistics } else { peers[quarter] = try await loader.peers(countyPath: estate.countyPath, quarter: quarter) }
                }
            }
            return (estates, peers, try await WarningParameters.load(on: db))
        }
        guard let estate = estates.first else { return Summary() }
        known[estate.countyPath, default: [:]].merge(peers) { kept, _ in kept }
        let findings = evaluate(estates, quarters: quarters, peers: peers, today: today, overrides: overrides)
        var summary = try await persist(findings, subject: "w.estate_id = \(bind: estateId)", quarters: quarters, estates: estates,
                                        audit: "estate/\(estateId)", at: at)
        summary.estates = 1
        return summary
    }

    /// Runs the rules for what was just published (once per estate, its county's peer statistics once per batch: an
    /// import of a thousand corrections in one district reads the district's figures once, not a thousand times).
    /// The publication stands whatever happens here: a run that fails (the database busy, say) is made good by the
    /// next scheduled run over everything.
    public func afterPublishing(_ published: [(Int64, Quarter)]) async {
        var earliest: [Int64: Quarter] = [:]
        for (estate, quarter) in published { earliest[estate] = min(earliest[estate] ?? quarter, quarter) }
        var peers = CountyPeers()
        for (estate, quarter) in earliest.sorted(by: { $0.key < $1.key }) {
            _ = try? await run(estateId: estate, from: quarter, peers: &peers)
        }
    }

    /// `evaluate` over halves of the county on two cores (the rules are pure functions of each estate's facts).
    func evaluateInParallel(_ estates: [EstateFacts], quarters: [Quarter], peers: [Quarter: PeerStatistics], today: Day,
                            overrides: WarningParameters.Overrides) async throws -> [String: (Finding, String)] {
        let half = estates.count / 2
        guard half > 0 else { return evaluate(estates, quarters: quarters, peers: peers, today: today, overrides: overrides) }
        return try await withThrowingTaskGroup(of: [String: (Finding, String)].self) { group in
            for part in [Array(estates[..<half]), Array(estates[half...])] {
                group.addTask { evaluate(part, quarters: quarters, peers: peers, today: today, overrides: overrides) }
            }
            var findings: [String: (Finding, String)] = [:]
            for try await part in group { findings.merge(part) { first, _ in first } }
            return findings
        }
    }

    func evaluate(_ estates: [EstateFacts], quarters: [Quarter], peers: [Quarter: PeerStatistics], today: Day,
                  overrides: WarningParameters.Overrides) -> [String: (Finding, String)] {
        let current = quarters.last!
        var parameterCache: [String: [[String: Double]]] = [:]
        var findings: [String: (Finding, String)] = [:]
        // Estates a company manages now, and those that owed a filing under an earlier contract.
        for estate in estates where estate.companyId != nil || !estate.contracts.isEmpty {
            let parameters: [[String: Double]]
            if let cached = parameterCache[estate.regionPath] {
                parameters = cached
            } else {
                parameters = WarningRules.all.map { WarningParameters.resolve($0, path: estate.regionPath, overrides: overrides) }
                parameterCache[estate.regionPath] = parameters
            }
            for quarter in quarters {
                let empty = PeerStatistics(costRatioP95: nil, incomePerHouseholdMedian: nil)
                for (index, rule) in WarningRules.all.enumerated() where !rule.aboutTheEstateNow || estate.companyId != nil {
                    let input = RuleInput(estate: estate, quarter: quarter, peers: peers[quarter] ?? empty, today: today,
                                          currentQuarter: current, parameters: parameters[index])
                    if let detail = rule.evaluate(input) {
                        let company = rule.aboutTheEstateNow ? estate.companyId : estate.filer(of: quarter) ?? estate.companyId
                        findings["\(rule.code)/\(estate.id)/\(quarter)"] = (Finding(rule: rule.code, estateId: estate.id, quarter: quarter, detail: detail,
                                                                                companyId: company), rule.severity)
                    }
                }
            }
        }
        return findings
    }

    private func persist(_ findings: [String: (Finding, String)], subject: SQLQueryString, quarters: [Quarter], estates: [EstateFacts],
                         audit: String, at: Date) async throws -> Summary {
        let lo = quarters[0].year * 10 + quarters[0].quarter, hi = quarters.last!.year * 10 + quarters.last!.quarter
        let now = Timestamp.storage(at)
        let paths = Dictionary(uniqueKeysWithValues: estates.map { ($0.id, $0.regionPath) })
        let summary = try await database.transaction { db in
            if db.dialect.name == "postgresql" {
                // A run after a publication and the nightly run must not both insert the same warning.
                try await db.raw("SELECT pg_advisory_xact_lock(7432003)").run()
            }
            var summary = Summary()
            var openedByCompany: [Int64: Int] = [:], openedByPath: [String: Int] = [:]
            // Every warning of the subject and window except those the engine itself closed: a handled warning is not reopened.
            let known = try await db.raw("""
                SELECT id, rule, estate_id, year, quarter, status FROM warnings w WHERE \(subject)
                AND status <> 'closed' AND year * 10 + quarter >= \(bind: lo) AND year * 10 + quarter <= \(bind: hi)
                """).all()
            var existing: [String: (Int64, String)] = [:]
            for row in known {
                let key = "\(try row.decode(column: "rule", as: String.self))/\(try row.decode(column: "estate_id", as: Int64.self))/"
                    + "\(try row.decode(column: "year", as: Int.self))Q\(try row.decode(column: "quarter", as: Int.self))"
                existing[key] = (try row.decode(column: "id", as: Int64.self), try row.decode(column: "status", as: String.self))
            }
            var inserts = BulkInsert(table: "warnings", columns: ["rule", "estate_id", "company_id", "region_path", "year", "quarter", "severity",
                                                                  "status", "detail", "opened_at", "updated_at"])
            for (key, (finding, severity)) in findings.sorted(by: { $0.key < $1.key }) {
                if existing.removeValue(forKey: key) != nil { summary.unchanged += 1; continue }
                guard let path = paths[finding.estateId] else { continue }
                try await inserts.add([finding.rule, finding.estateId, finding.companyId, path, finding.quarter.year, finding.quarter.quarter, severity,
                                       "open", finding.detail, now, now], on: db)
                summary.opened += 1
                if let company = finding.companyId { openedByCompany[company, default: 0] += 1 }
                openedByPath[path, default: 0] += 1
            }
            try await inserts.flush(on: db)
            try await Self.notify(byCompany: openedByCompany, byPath: openedByPath, at: at, on: db)
            let reason = "重新运行时原因已消除，自动关闭"
            for (id, status) in existing.values where Self.active.contains(status) {
                try await db.raw("UPDATE warnings SET status = 'closed', closed_reason = \(bind: reason), updated_at = \(bind: now) WHERE id = \(bind: id)").run()
                try await db.raw("""
                    INSERT INTO warning_events (warning_id, at, username, role, action, from_status, to_status, note)
                    VALUES (\(bind: id), \(bind: now), 'system', 'system', 'close', \(bind: status), 'closed', \(bind: reason))
                    """).run()
                summary.closed += 1
            }
            if summary.opened + summary.closed > 0 {
                try await AuditLog.record(on: db, scope: .system, at: at, action: "warnings_run", entity: "warnings", entityId: audit,
                                          regionPath: audit.hasPrefix("/") ? audit : paths.values.first,
                                          after: ["opened": summary.opened, "closed": summary.closed])
            }
            return summary
        }
        // Counted once committed (`/metrics`).
        if summary.opened > 0 { Counter(label: "ledger_warnings_opened").increment(by: summary.opened) }
        if summary.closed > 0 { Counter(label: "ledger_warnings_closed").increment(by: summary.closed) }
        return summary
    }

    /// One notification per company and per officer for a run's new warnings, however many there are (§29): the
    /// company explains them, the officers of the estates' counties, streets and communities follow them up.
    static func notify(byCompany: [Int64: Int], byPath: [String: Int], at: Date, on db: any SQLDatabase) async throws {
        for (company, count) in byCompany.sorted(by: { $0.key < $1.key }) {
            try await Notifications.notify(.company(company), kind: .warningsRaised, body: "您管理的小区新增预警 \(count) 条，请逐条说明情况",
                                           link: "/warnings?status=open", at: at, on: db)
        }
        guard !byPath.isEmpty else { return }
        // The officers are few and the paths many (a full run): match them here rather than one query per path.
        let officers = try await Notifications.officers(on: db)
        var perOfficer: [Int64: Int] = [:]
        for (path, count) in byPath {
            for officer in officers where Notifications.Recipients.officerCovers(officer.regionPath, path) { perOfficer[officer.id, default: 0] += count }
        }
        for (officer, count) in perOfficer.sorted(by: { $0.key < $1.key }) {
            try await Notifications.notify(.users([officer]), kind: .warningsRaised, body: "辖区新增预警 \(count) 条",
                                           link: "/warnings?status=open", at: at, on: db)
        }
    }

    /// The open warnings, as (rule, estate, year, quarter) keys.
    public func openKeys() async throws -> Set<String> { try await keys(statuses: Self.active) }

    /// Every warning the rules stand by (all but those the engine closed itself), whatever officials did with it since:
    /// what `ledger warnings score` compares with the demo's truth.
    public func foundKeys() async throws -> Set<String> {
        try await keys(statuses: WarningInbox.Status.allCases.map(\.rawValue).filter { $0 != "closed" })
    }

    func keys(statuses: [String]) async throws -> Set<String> {
        try await database.read { db in
            Set(try await db.raw("SELECT rule, estate_id, year, quarter FROM warnings WHERE status IN (\(binds: statuses))").all().map { row in
                "\(try row.decode(column: "rule", as: String.self))/\(try row.decode(column: "estate_id", as: Int64.self))/"
                    + "\(try row.decode(column: "year", as: Int.self))Q\(try row.decode(column: "quarter", as: Int.self))"
            })
        }
    }
}
