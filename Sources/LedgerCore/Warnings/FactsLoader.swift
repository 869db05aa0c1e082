import Foundation
import SQLKit

/// Reads what the rules need, one county at a time (memory stays bounded by the largest county, not the province).
struct FactsLoader {
    let db: any SQLDatabase

    /// The estates under `path` (a county), or the one estate `estateId`, with their published quarters in `window`.
    func estates(underPath path: String?, estateId: Int64? = nil, window: ClosedRange<Quarter>, today: String) async throws -> [EstateFacts] {
        var unfinished = try await self.unfinished(underPath: path, estateId: estateId, window: window, today: today)
        return unfinished.finish(lines: try await lines(underPath: path, estateId: estateId, window: window))
    }

    /// The estates' facts but what their disclosure lines tell (`Unfinished.finish`): a full run reads the lines on a
    /// second connection meanwhile, having two cores to read with.
    func unfinished(underPath path: String?, estateId: Int64? = nil, window: ClosedRange<Quarter>, today: String) async throws -> Unfinished {
        let range: SQLQueryString = estateId.map { "e.id = \(bind: $0)" } ?? Scope.pathPredicate("e.region_path", path)
        let lo = window.lowerBound.year * 10 + window.lowerBound.quarter, hi = window.upperBound.year * 10 + window.upperBound.quarter
        let estateRows = try await db.raw("""
            SELECT e.id, e.company_id, e.region_path, e.households, e.owners_share_bp,
                   \(EstateFigures.flag(EstateFigures.accountOpenSQL("e.id", by: Day(today)!))) AS has_account,
                   (SELECT MAX(m.term_end) FROM committees m WHERE m.estate_id = e.id) AS committee_end
            FROM estates e WHERE \(range)
            """).all()
        let contracts = try await EstateFigures.contracts(where: range, on: db)
        let versionPredicate: SQLQueryString = estateId.map { "v.estate_id = \(bind: $0)" } ?? Scope.pathPredicate("v.region_path", path)
        // W07 judges each quarter's version in force against the estate's own decision register.
        // By the estates' own paths (an estate moved to another community keeps its register).
        let decisionPredicate: SQLQueryString = "d.estate_id IN (SELECT e.id FROM estates e WHERE \(range))"
        let decisions = try await OwnerDecisions.byEstate(where: decisionPredicate, on: db)
        // Versions arrive in order: the last of a quarter is the one in force, the first says when it was first published.
        // A county's versions are tens of thousands of rows of fourteen columns: read packed (`PackedColumns`).
        let version = PackedColumns.expression([
            "v.id", "v.estate_id", "v.year", "v.quarter", "v.version", "v.income_fen", "v.cost_fen", "v.owners_share_fen", "v.transfer_fen",
            "v.transfer_date", "v.transfer_target", "v.display_from", "v.display_until", "v.published_at",
        ])
        let folded = try await db.fold("""
            SELECT \(version) AS packed FROM disclosure_versions v WHERE \(versionPredicate) AND v.leaf_index >= 0
            AND v.year * 10 + v.quarter >= \(bind: lo) AND v.year * 10 + v.quarter <= \(bind: hi)
            ORDER BY v.estate_id, v.year, v.quarter, v.version
            """, into: VersionFacts()) { state, row in
            let v = PackedColumns(try row.decode(column: "packed", as: String.self))
            let id = try v.int64(0)
            let estate = try v.int64(1)
            guard let quarter = Quarter(year: try v.int(2), quarter: try v.int(3)) else { return }
            let publishedAt = try v.string(13)
            // The first version of a quarter arrives first; a later one keeps its date.
            let first = state.byEstate[estate]?[quarter]?.firstPublishedAt ?? publishedAt
            state.inForce[estate, default: [:]][quarter] = id
            var facts = QuarterFacts(
                quarter: quarter, income: try v.int64(5), cost: try v.int64(6), ownersShare: try v.int64(7), transfer: try v.optionalInt64(8),
                transferDate: try v.optionalString(9), displayFrom: try v.string(11), displayUntil: try v.string(12), firstPublishedAt: first,
                versions: try v.int(4), categories: [], undecidedExpenditures: 0)
            facts.transferTarget = try v.optionalString(10)
            state.byEstate[estate, default: [:]][quarter] = facts
        }
        let byEstate = folded.byEstate
        // Complaints of the last year (W13) and rectifications past their deadline (W14).
        let complaintPredicate: SQLQueryString = estateId.map { "c.estate_id = \(bind: $0)" } ?? Scope.pathPredicate("c.region_path", path)
        let yearAgo = (Day(today)?.adding(days: -400).description ?? today) + "T00:00:00Z"
        var complaints: [Int64: [String]] = [:]
        for row in try await db.raw("""
            SELECT c.estate_id, c.received_at FROM complaints c WHERE \(complaintPredicate) AND c.received_at >= \(bind: yearAgo)
            """).all() {
            complaints[try row.decode(column: "estate_id", as: Int64.self), default: []].append(try row.decode(column: "received_at", as: String.self))
        }
        let problemPredicate: SQLQueryString = estateId.map { "p.estate_id = \(bind: $0)" } ?? Scope.pathPredicate("p.region_path", path)
        var overdue: [Int64: [String]] = [:]
        for row in try await db.raw("""
            SELECT p.estate_id, p.deadline FROM problems p WHERE \(problemPredicate) AND p.status = 'open' AND p.deadline < \(bind: today)
            """).all() {
            overdue[try row.decode(column: "estate_id", as: Int64.self), default: []].append(try row.decode(column: "deadline", as: String.self))
        }
        // Self-inspections filed for the window's quarters and since the start of its first year (W16).
        let selfPredicate: SQLQueryString = estateId.map { "s.estate_id = \(bind: $0)" } ?? Scope.pathPredicate("s.region_path", path)
        var selfInspected: [Int64: Set<Quarter>] = [:], selfFiled: [Int64: [String]] = [:]
        for row in try await db.raw("""
            SELECT s.estate_id, s.year, s.quarter, s.filed_at FROM self_inspections s WHERE \(selfPredicate) AND s.year >= \(bind: window.lowerBound.year - 1)
            """).all() {
            let estate = try row.decode(column: "estate_id", as: Int64.self)
            if let quarter = Quarter(year: try row.decode(column: "year", as: Int.self), quarter: try row.decode(column: "quarter", as: Int.self)) {
                selfInspected[estate, default: []].insert(quarter)
            }
            selfFiled[estate, default: []].append(Timestamp.shanghaiDay(Timestamp.parse(try row.decode(column: "filed_at", as: String.self)) ?? .distantPast))
        }
        let dueSettings = try await SelfInspectionFigures.DueSettings.load(on: db)
        return Unfinished(inForce: folded.inForce, decisions: decisions, estates: try estateRows.map { row in
            let id = try row.decode(column: "id", as: Int64.self)
            var facts = EstateFacts(
                id: id, companyId: try row.decode(column: "company_id", as: Int64?.self), regionPath: try row.decode(column: "region_path", as: String.self),
                households: try row.decode(column: "households", as: Int.self), ownersShareBp: try row.decode(column: "owners_share_bp", as: Int.self),
                hasAccount: try row.decode(column: "has_account", as: Int.self) == 1,
                committeeTermEnd: try row.decode(column: "committee_end", as: String?.self),
                contracts: contracts[id] ?? [], quarters: byEstate[id] ?? [:])
            facts.complaints = complaints[id] ?? []
            facts.overdueRectifications = overdue[id] ?? []
            facts.selfInspected = selfInspected[id] ?? []
            facts.selfInspectionFiledOn = selfFiled[id] ?? []
            facts.selfInspectionDays = dueSettings.days(at: facts.regionPath)
            facts.campaignSelfInspectionDue = dueSettings.campaignDue(at: facts.regionPath)
            facts.selfInspectionPhases = dueSettings.phases(at: facts.regionPath)
            return facts
        })
    }

    /// The income categories and the ordered expenditure lines of each published version of the estates under `path`
    /// (or of `estateId`) in `window`.
    func lines(underPath path: String?, estateId: Int64?, window: ClosedRange<Quarter>) async throws -> LineFacts {
        let lo = window.lowerBound.year * 10 + window.lowerBound.quarter, hi = window.upperBound.year * 10 + window.upperBound.quarter
        let versionPredicate: SQLQueryString = estateId.map { "v.estate_id = \(bind: $0)" } ?? Scope.pathPredicate("v.region_path", path)
        // Lines and versions are folded as they arrive: a county's lines are hundreds of thousands of rows, and holding
        // them as rows (each with its column names) is what made a full run's memory grow with the county. The cost lines
        // (成本, nine in twenty of the lines) are not read: no rule asks them. The income lines are read as each
        // version's distinct categories, one row per version: decoding a column costs more than the database's grouping
        // (on PostgreSQL, PostgresKit's per-column decoding was most of a full run's time).
        let selected: SQLQueryString = """
            FROM disclosure_lines l JOIN disclosure_versions v ON v.id = l.version_id
            WHERE \(versionPredicate) AND v.leaf_index >= 0 AND v.year * 10 + v.quarter >= \(bind: lo) AND v.year * 10 + v.quarter <= \(bind: hi)
            """
        let categories: SQLQueryString = db.dialect.name == "postgresql"
            ? "string_agg(DISTINCT COALESCE(l.category, ''), ',')" : "group_concat(DISTINCT COALESCE(l.category, ''))"
        var facts = try await db.fold("""
            SELECT l.version_id, \(categories) AS categories \(selected) AND l.kind = 'income' GROUP BY l.version_id
            """, into: LineFacts()) { facts, row in
            let listed = try row.decode(column: "categories", as: String.self)
            facts.categories[try row.decode(column: "version_id", as: Int64.self)] = Set(listed.split(separator: ",", omittingEmptySubsequences: false).map(String.init))
        }
        facts = try await db.fold("""
            SELECT l.version_id, l.position, l.decision, l.amount_fen \(selected) AND l.kind = 'expenditure'
            """, into: facts) { facts, row in
            facts.spending[try row.decode(column: "version_id", as: Int64.self), default: []].append((try row.decode(column: "position", as: Int.self),
                .init(amountFen: try row.decode(column: "amount_fen", as: Int64.self), decision: try row.decode(column: "decision", as: String?.self) ?? "")))
        }
        return facts
    }

    /// The county's peer figures for one quarter from the latest version of each estate (what a full run computes
    /// from the facts it loaded, read here without loading the county's lines).
    func peers(countyPath: String, quarter: Quarter) async throws -> PeerStatistics {
        let rows = try await db.raw("""
            SELECT v.estate_id, v.income_fen, v.cost_fen, e.households FROM disclosure_versions v JOIN estates e ON e.id = v.estate_id
            WHERE \(Scope.pathPredicate("v.region_path", countyPath)) AND v.leaf_index >= 0
            AND v.year = \(bind: quarter.year) AND v.quarter = \(bind: quarter.quarter)
            ORDER BY v.estate_id, v.version
            """).all()
        var latest: [Int64: (Int64, Int64, Int)] = [:]
        for row in rows {
            latest[try row.decode(column: "estate_id", as: Int64.self)] = (try row.decode(column: "income_fen", as: Int64.self),
                                                                          try row.decode(column: "cost_fen", as: Int64.self),
                                                                          try row.decode(column: "households", as: Int.self))
        }
        return PeerStatistics.make(figures: Array(latest.values))
    }
}

/// A county's facts read but for what its disclosure lines tell: the version in force of each estate's quarters and
/// the estates' decision registers, which the lines complete.
struct Unfinished: Sendable {
    let inForce: [Int64: [Quarter: Int64]]
    let decisions: [Int64: [Int64: OwnerDecision]]
    var estates: [EstateFacts]

    /// The estates with the income categories (W08) and the spending no decision covers (W07) of each quarter's
    /// version in force.
    mutating func finish(lines: LineFacts) -> [EstateFacts] {
        for index in estates.indices {
            guard let versionIds = inForce[estates[index].id] else { continue }
            for (quarter, id) in versionIds { estates[index].quarters[quarter]?.categories = lines.categories[id] ?? [] }
            let spending = versionIds.mapValues { id in (lines.spending[id] ?? []).sorted { $0.0 < $1.0 }.map(\.1) }
            for (quarter, reasons) in DecisionCoverage.uncovered(spending, decisions: decisions[estates[index].id] ?? [:]) {
                estates[index].quarters[quarter]?.undecidedExpenditures = reasons.count
                estates[index].quarters[quarter]?.uncoveredReasons = reasons
            }
        }
        return estates
    }
}

/// What a county's disclosure lines tell the rules: each version's income categories and its expenditure lines in order.
struct LineFacts: Sendable {
    var categories: [Int64: Set<String>] = [:]
    var spending: [Int64: [(Int, DecisionCoverage.Spending)]] = [:]
}

/// Each estate's quarters as published, and the version in force of each.
struct VersionFacts: Sendable {
    var byEstate: [Int64: [Quarter: QuarterFacts]] = [:]
    var inForce: [Int64: [Quarter: Int64]] = [:]
}
