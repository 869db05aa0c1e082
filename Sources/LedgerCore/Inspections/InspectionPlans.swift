import Foundation
import SQLKit

/// 抽查计划 (双随机一公开): a county, city or street publishes a plan — its estates and inspector pool fixed and hashed,
/// the forced inclusions confirmed, the public source of a seed that does not exist yet announced — and, once that value
/// exists, types it in and draws (`SpotCheckDraw`). Anyone can redraw a plan from what it published.
public struct InspectionPlans: Sendable {
    /// What an official submits to publish a plan.
    public struct PlanInput: Sendable {
        public var regionCode: String
        public var year: Int
        /// nil: an annual plan.
        public var quarter: Int?
        /// Percent as typed; empty: the level's default (county 50, city 15, street 100; docs/policy.md §2).
        public var ratio: String
        /// The public value the seed will be, named before it exists (e.g. a lottery draw on a stated future date).
        public var seedSource: String
        /// The forced inclusions the official confirmed (ids of the region's estates).
        public var forced: [Int64]
        /// Further forced inclusions typed as estate numbers (separated by commas, 、 or spaces).
        public var extraForced: String
        /// The official confirmed the forced inclusions and that the list is fixed once published.
        public var confirmed: Bool

        public init(regionCode: String, year: Int, quarter: Int? = nil, ratio: String = "", seedSource: String, forced: [Int64] = [],
                    extraForced: String = "", confirmed: Bool = true) {
            self.regionCode = regionCode
            self.year = year
            self.quarter = quarter
            self.ratio = ratio
            self.seedSource = seedSource
            self.forced = forced
            self.extraForced = extraForced
            self.confirmed = confirmed
        }

        /// The typed extra ids, or nil when one is not a number.
        var extraIds: [Int64]? {
            let tokens = InputReader.halfWidth(extraForced).split { ",，、;； \t\n\r".contains($0) }
            let ids = tokens.compactMap { Int64($0) }
            return ids.count == tokens.count ? ids : nil
        }
    }

    public enum Status: String, Sendable, Codable {
        case published, drawn

        public var title: String { self == .published ? "已公布待抽取" : "已抽取" }
    }

    public struct Plan: Sendable {
        public let id: Int64
        public let regionCode: String
        public let regionName: String
        public let regionPath: String
        public let year: Int
        public let quarter: Int?
        public let ratioBasisPoints: Int
        public let seedSource: String
        public let seed: String?
        public let eligibleHash: String
        public let method: String
        public let status: Status
        public let eligibleCount: Int
        public let forced: [Int64]
        /// Drawn estates, ascending, with their inspectors in the order drawn.
        public let estates: [Int64]
        public let inspectors: [Int64: [Int64]]
        public let publishedAt: String
        public let drawnAt: String?
    }

    /// The region setting that holds a level's default ratio (docs/policy.md §2: county 50%/year, city 15%/year,
    /// street 100%), in percent.
    static func ratioSetting(_ level: Region.Level) -> String {
        switch level {
        case .city, .province: "spot_check.ratio.city"
        case .county: "spot_check.ratio.county"
        case .street, .community: "spot_check.ratio.street"
        }
    }

    /// The default ratio of a plan for `region`, in basis points: the level's setting in force there.
    static func defaultRatio(_ region: Region, on db: any SQLDatabase) async throws -> Int {
        try await RegionSettings.value(ratioSetting(region.level), at: region.path, on: db) * 100
    }

    /// The default ratio of a plan for a region the scope covers, in basis points (for the form's hint).
    public func defaultRatio(regionCode: String, scope: Scope) async throws -> Int {
        try await database.read { db in try await Self.defaultRatio(try await RegionDirectory.covered(regionCode, scope: scope, on: db), on: db) }
    }

    let database: Database
    let clock: any LedgerClock

    public init(database: Database, clock: any LedgerClock) {
        self.database = database
        self.clock = clock
    }

    // MARK: Publishing

    /// Estates the plans say must be in the sample: open W03 (zero revenue) warnings, complaints received in the
    /// period, and cases handed down from above (上级交办) — proposed for the official to confirm.
    public func proposedInclusions(regionCode: String, year: Int, quarter: Int?, scope: Scope) async throws -> [Int64] {
        try await proposals(regionCode: regionCode, year: year, quarter: quarter, scope: scope).map(\.id)
    }

    public func publish(_ input: PlanInput, scope: Scope) async throws -> Int64 {
        try scope.require(.planSpotChecks)
        var reader = InputReader()
        let source = reader.text(input.seedSource, field: "seedSource", label: "随机种子来源（公布时尚不存在的公开数值）", max: 200)
        if !(2000...2100).contains(input.year) { reader.errors.add("year", code: "out_of_range", "年度应在2000至2100之间") }
        if let quarter = input.quarter, !(1...4).contains(quarter) { reader.errors.add("quarter", code: "out_of_range", "季度应为1至4") }
        let ratio = input.ratio.trimmingCharacters(in: .whitespaces).isEmpty ? nil
            : reader.percentBasisPoints(input.ratio, field: "ratio", label: "抽查比例")
        if let ratio, ratio <= 0 { reader.errors.add("ratio", code: "out_of_range", "抽查比例应大于0") }
        if input.extraIds == nil { reader.errors.add("extraForced", code: "invalid", "其他必查小区请填写小区编号（数字），多个编号用逗号或顿号分隔") }
        if !input.confirmed { reader.errors.add("confirm", code: "required", "请确认必查名单无误：计划公布后待抽名单即固定，不能修改") }
        try reader.errors.throwIfAny()
        let forcedIds = Array(Set(input.forced + (input.extraIds ?? []))).sorted()
        let at = clock.now()
        return try await database.transaction { db in
            let region = try await RegionDirectory.covered(input.regionCode, scope: scope, on: db)
            let estates = try await db.raw("""
                SELECT id, region_path, company_id FROM estates WHERE \(Scope.pathPredicate("region_path", region.path)) ORDER BY id
                """).all().map {
                SpotCheckDraw.Estate(id: try $0.decode(column: "id", as: Int64.self),
                                     street: Self.street(of: try $0.decode(column: "region_path", as: String.self)),
                                     companyId: try $0.decode(column: "company_id", as: Int64?.self))
            }
            guard !estates.isEmpty else { throw LedgerError.invalid("region", code: "no_estates", "该辖区没有登记的小区，无法制定抽查计划") }
            // One plan per region and period: otherwise several could be published and the one with the liked result drawn.
            let period: SQLQueryString = input.quarter.map { "quarter = \(bind: $0)" } ?? "quarter IS NULL"
            if let existing = try await db.raw("""
                SELECT id FROM inspection_plans WHERE region_code = \(bind: region.code) AND year = \(bind: input.year) AND \(period)
                """).first(decodingColumn: "id", as: Int64.self) {
                throw LedgerError(.conflict, code: "plan_exists",
                                  message: "\(region.name)\(input.year)年\(input.quarter.map { "第\($0)季度" } ?? "全年")的抽查计划已公布（计划 #\(existing)），同一期间只能有一个计划",
                                  field: "year")
            }
            let eligible = Set(estates.map(\.id))
            let strays = forcedIds.filter { !eligible.contains($0) }
            guard strays.isEmpty else {
                throw LedgerError.invalid("extraForced", code: "outside_region", "必查小区须在本辖区内（编号 \(strays.map(String.init).joined(separator: "、")) 不在）")
            }
            let pool = try await Self.pool(regionPath: region.path, on: db)
            if let short = Self.understaffed(estates, pool: pool) {
                throw LedgerError.invalid("pool", code: "too_few_inspectors", short)
            }
            let hash = SpotCheckDraw.eligibleHash(estates: estates, pool: pool)
            let ratioBP: Int
            if let ratio { ratioBP = ratio } else { ratioBP = try await Self.defaultRatio(region, on: db) }
            let id = try await db.raw("""
                INSERT INTO inspection_plans (region_code, region_path, year, quarter, ratio_bp, seed_source, eligible, forced, pool, eligible_hash,
                                              method, status, published_at, published_by)
                VALUES (\(bind: region.code), \(bind: region.path), \(bind: input.year), \(bind: input.quarter), \(bind: ratioBP), \(bind: source),
                        \(bind: try Self.json(estates)), \(bind: try Self.json(forcedIds)), \(bind: try Self.json(pool)),
                        \(bind: hash), \(bind: SpotCheckDraw.method), 'published', \(bind: Timestamp.storage(at)), \(bind: scope.username))
                RETURNING id
                """).first(decodingColumn: "id", as: Int64.self)!
            try await AuditLog.record(on: db, scope: scope, at: at, action: "publish", entity: "inspection_plan", entityId: "\(id)",
                                      regionPath: region.path, after: ["eligibleHash": hash, "seedSource": source, "ratioBp": "\(ratioBP)"])
            return id
        }
    }

    /// The active inspectors registered in the region, below it, or above it (a street's plan may send the county's
    /// inspectors: its own serve the street and are recused from its estates).
    static func pool(regionPath: String, on db: any SQLDatabase) async throws -> [SpotCheckDraw.Inspector] {
        let above = regionPath.split(separator: "/").map(String.init)
        return try await db.raw("""
            SELECT i.id, i.street_code, i.conflicts FROM inspectors i JOIN regions r ON r.code = i.region_code
            WHERE i.active = 1 AND i.kind = 'inspector' AND (\(Scope.pathPredicate("r.path", regionPath)) OR i.region_code IN (\(binds: above)))
            ORDER BY i.id
            """).all().map {
            SpotCheckDraw.Inspector(id: try $0.decode(column: "id", as: Int64.self), street: try $0.decode(column: "street_code", as: String?.self) ?? "",
                                    conflicts: try $0.decode(column: "conflicts", as: String.self).split(separator: ",").compactMap { Int64($0) })
        }
    }

    /// Why the pool cannot send two inspectors to every estate that may be drawn (recusal applied), or nil when it can.
    static func understaffed(_ estates: [SpotCheckDraw.Estate], pool: [SpotCheckDraw.Inspector]) -> String? {
        var seen = Set<String>()
        for estate in estates {
            // Recusal depends only on the street and the company: each pair is counted once.
            guard seen.insert("\(estate.street)|\(estate.companyId ?? 0)").inserted else { continue }
            let available = pool.lazy.filter { $0.mayInspect(estate) }.prefix(SpotCheckDraw.inspectorsPerEstate).count
            if available < SpotCheckDraw.inspectorsPerEstate {
                return pool.isEmpty
                    ? "本辖区检查人员名录中没有在岗的检查人员。每个抽中小区须随机派出至少\(SpotCheckDraw.inspectorsPerEstate)名检查人员，请先在检查人员名录中登记"
                    : "回避所服务街道和有利害关系的企业后，可派往小区 #\(estate.id) 的检查人员只有\(available)名（每个抽中小区至少\(SpotCheckDraw.inspectorsPerEstate)名），请先在检查人员名录中补充人员"
            }
        }
        return nil
    }

    // MARK: Drawing

    /// Types in the seed (the announced public value, now known) and draws.
    @discardableResult
    public func draw(_ id: Int64, seed rawSeed: String, scope: Scope) async throws -> Plan {
        try scope.require(.planSpotChecks)
        var reader = InputReader()
        let seed = reader.text(rawSeed, field: "seed", label: "随机种子（公布的开奖号码或信标值）", max: 200)
        try reader.errors.throwIfAny()
        let at = clock.now()
        return try await database.transaction { db in
            try await db.lockRow("inspection_plans", id: id)
            guard let stored = try await Self.stored(id, scope: scope, on: db) else { throw LedgerError.notFound("抽查计划") }
            guard stored.status == .published else {
                throw LedgerError(.conflict, code: "already_drawn", message: "该计划已抽取，结果不能重抽", field: "seed")
            }
            let result = SpotCheckDraw.draw(seed: seed, estates: stored.estates, forced: Set(stored.forced), ratioBasisPoints: stored.ratio,
                                            pool: stored.pool)
            let forced = Set(stored.forced)
            for estate in result.estates {
                try await db.raw("""
                    INSERT INTO inspection_plan_estates (plan_id, estate_id, forced) VALUES (\(bind: id), \(bind: estate), \(bind: forced.contains(estate) ? 1 : 0))
                    """).run()
                for (position, inspector) in (result.inspectors[estate] ?? []).enumerated() {
                    try await db.raw("""
                        INSERT INTO inspection_plan_inspectors (plan_id, estate_id, inspector_id, position)
                        VALUES (\(bind: id), \(bind: estate), \(bind: inspector), \(bind: position))
                        """).run()
                }
            }
            try await db.raw("""
                UPDATE inspection_plans SET seed = \(bind: seed), status = 'drawn', drawn_at = \(bind: Timestamp.storage(at)), drawn_by = \(bind: scope.username)
                WHERE id = \(bind: id)
                """).run()
            try await AuditLog.record(on: db, scope: scope, at: at, action: "draw", entity: "inspection_plan", entityId: "\(id)",
                                      regionPath: stored.regionPath, after: ["seed": seed, "estates": "\(result.estates.count)"])
            return try await Self.plans(condition: "p.id = \(bind: id)", on: db)[0]
        }
    }

    // MARK: Reading

    public func list(scope: Scope, page: Int = 1, pageSize: Int = 20) async throws -> Page<Plan> {
        let size = max(1, min(pageSize, 200)), number = max(1, min(page, 1_000_000))
        return try await database.read { db in
            let visible = Self.visible(scope)
            let total = try await db.raw("SELECT COUNT(*) AS n FROM inspection_plans p WHERE \(visible)").first(decodingColumn: "n", as: Int.self) ?? 0
            let items = try await Self.plans(condition: visible, limit: size, offset: (number - 1) * size, on: db)
            return Page(items: items, total: total, page: number, pageSize: size)
        }
    }

    /// Plans of the scope's region and below; a plan is public once drawn (双随机一公开), but the list is for officials.
    static func visible(_ scope: Scope) -> SQLQueryString { scope.officialPredicate("p.region_path") }

    /// Recomputes a drawn plan from its published list, pool, forced inclusions, ratio and seed: nil when it matches,
    /// otherwise what differs.
    public static func redraw(_ id: Int64, on database: Database) async throws -> String? {
        try await database.read { db in
            guard let stored = try await stored(id, scope: .system, on: db) else { return "计划 \(id) 不存在" }
            guard let seed = stored.seed else { return nil }
            if SpotCheckDraw.eligibleHash(estates: stored.estates, pool: stored.pool) != stored.hash { return "计划 \(id) 的待抽名单与公布的校验值不符" }
            let again = SpotCheckDraw.draw(seed: seed, estates: stored.estates, forced: Set(stored.forced), ratioBasisPoints: stored.ratio, pool: stored.pool)
            let drawn = try await plans(condition: "p.id = \(bind: id)", on: db)[0]
            if again.estates != drawn.estates { return "计划 \(id) 重抽的小区与结果不符" }
            if again.inspectors != drawn.inspectors { return "计划 \(id) 重抽的检查人员与结果不符" }
            return nil
        }
    }

    /// Every plan id, oldest first.
    public static func ids(on database: Database) async throws -> [Int64] {
        try await database.read { try await $0.raw("SELECT id FROM inspection_plans ORDER BY id").all(decodingColumn: "id", as: Int64.self) }
    }

    // MARK: Storage helpers

    struct Stored {
        let regionPath: String
        let status: Status
        let ratio: Int
        let seed: String?
        let hash: String
        let estates: [SpotCheckDraw.Estate]
        let forced: [Int64]
        let pool: [SpotCheckDraw.Inspector]
    }

    static func stored(_ id: Int64, scope: Scope, on db: any SQLDatabase) async throws -> Stored? {
        guard let row = try await db.raw("""
            SELECT region_path, status, ratio_bp, seed, eligible_hash, eligible, forced, pool FROM inspection_plans p WHERE p.id = \(bind: id) AND \(visible(scope))
            """).first() else { return nil }
        let decoder = JSONDecoder()
        return Stored(regionPath: try row.decode(column: "region_path", as: String.self),
                      status: Status(rawValue: try row.decode(column: "status", as: String.self)) ?? .published,
                      ratio: try row.decode(column: "ratio_bp", as: Int.self), seed: try row.decode(column: "seed", as: String?.self),
                      hash: try row.decode(column: "eligible_hash", as: String.self),
                      estates: try decoder.decode([SpotCheckDraw.Estate].self, from: Data(try row.decode(column: "eligible", as: String.self).utf8)),
                      forced: try decoder.decode([Int64].self, from: Data(try row.decode(column: "forced", as: String.self).utf8)),
                      pool: try decoder.decode([SpotCheckDraw.Inspector].self, from: Data(try row.decode(column: "pool", as: String.self).utf8)))
    }

    static func plans(condition: SQLQueryString, limit: Int = 1, offset: Int = 0, on db: any SQLDatabase) async throws -> [Plan] {
        let rows = try await db.raw("""
            SELECT p.id, p.region_code, r.name AS region_name, p.region_path, p.year, p.quarter, p.ratio_bp, p.seed_source, p.seed, p.eligible_hash,
                   p.method, p.status, p.eligible, p.forced, p.published_at, p.drawn_at
            FROM inspection_plans p JOIN regions r ON r.code = p.region_code WHERE \(condition) ORDER BY p.year DESC, p.id DESC
            LIMIT \(bind: limit) OFFSET \(bind: offset)
            """).all()
        var plans: [Plan] = []
        // The page's drawn estates and inspectors in two queries, not two per plan.
        let ids = try rows.map { try $0.decode(column: "id", as: Int64.self) }
        var drawnEstates: [Int64: [Int64]] = [:], drawnInspectors: [Int64: [Int64: [Int64]]] = [:]
        if !ids.isEmpty {
            for pick in try await db.raw("""
                SELECT plan_id, estate_id FROM inspection_plan_estates WHERE plan_id IN (\(binds: ids)) ORDER BY plan_id, estate_id
                """).all() {
                let plan = try pick.decode(column: "plan_id", as: Int64.self), estate = try pick.decode(column: "estate_id", as: Int64.self)
                drawnEstates[plan, default: []].append(estate)
                drawnInspectors[plan, default: [:]][estate] = []
            }
            for pick in try await db.raw("""
                SELECT plan_id, estate_id, inspector_id FROM inspection_plan_inspectors WHERE plan_id IN (\(binds: ids)) ORDER BY plan_id, estate_id, position
                """).all() {
                drawnInspectors[try pick.decode(column: "plan_id", as: Int64.self), default: [:]][try pick.decode(column: "estate_id", as: Int64.self), default: []]
                    .append(try pick.decode(column: "inspector_id", as: Int64.self))
            }
        }
        for row in rows {
            let id = try row.decode(column: "id", as: Int64.self)
            let estates = drawnEstates[id] ?? [], inspectors = drawnInspectors[id] ?? [:]
            let eligible = try JSONDecoder().decode([SpotCheckDraw.Estate].self, from: Data(try row.decode(column: "eligible", as: String.self).utf8))
            plans.append(Plan(
                id: id, regionCode: try row.decode(column: "region_code", as: String.self), regionName: try row.decode(column: "region_name", as: String.self),
                regionPath: try row.decode(column: "region_path", as: String.self), year: try row.decode(column: "year", as: Int.self),
                quarter: try row.decode(column: "quarter", as: Int?.self), ratioBasisPoints: try row.decode(column: "ratio_bp", as: Int.self),
                seedSource: try row.decode(column: "seed_source", as: String.self), seed: try row.decode(column: "seed", as: String?.self),
                eligibleHash: try row.decode(column: "eligible_hash", as: String.self), method: try row.decode(column: "method", as: String.self),
                status: Status(rawValue: try row.decode(column: "status", as: String.self)) ?? .published, eligibleCount: eligible.count,
                forced: try JSONDecoder().decode([Int64].self, from: Data(try row.decode(column: "forced", as: String.self).utf8)),
                estates: estates, inspectors: inspectors, publishedAt: try row.decode(column: "published_at", as: String.self),
                drawnAt: try row.decode(column: "drawn_at", as: String?.self)))
        }
        return plans
    }

    static func json(_ value: some Encodable) throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = .sortedKeys
        return String(decoding: try encoder.encode(value), as: UTF8.self)
    }

    /// The street code in a region path (`province/city/county/street/…`), or "" above street level.
    static func street(of path: String) -> String {
        let codes = path.split(separator: "/")
        return codes.count >= 4 ? String(codes[3]) : ""
    }

    /// The period's first day and the day after its last.
    static func period(year: Int, quarter: Int?) -> (Day, Day) {
        guard let quarter, let q = Quarter(year: year, quarter: quarter) else {
            return (Day(year: year, month: 1, day: 1), Day(year: year + 1, month: 1, day: 1))
        }
        return (q.firstDay, q.lastDay.adding(days: 1))
    }
}
