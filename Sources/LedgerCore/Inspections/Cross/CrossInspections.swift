import Foundation
import SQLKit

/// 交叉检查 (Putian §四(四); Fuzhou 交叉督导报告): a city or county publishes a quarterly round among its child regions — the
/// participant list and its hash fixed, the public source of a seed that does not exist yet announced — and, once that
/// value exists, types it in and draws the pairing (`CrossInspectionDraw`). Each group (inspecting region → inspected
/// region) then files its report (`CrossInspections+Reports.swift`). Anyone can redraw a round from what it published.
public struct CrossInspections: Sendable {
    /// What an official submits to publish a round.
    public struct RoundInput: Sendable {
        public var regionCode: String
        public var year: Int
        public var quarter: Int
        /// Estates each group checks at least, as typed; empty: 3.
        public var sample: String
        /// The public value the seed will be, named before it exists.
        public var seedSource: String
        /// The child regions taking part (codes).
        public var participants: [String]

        public init(regionCode: String, year: Int, quarter: Int, sample: String = "", seedSource: String, participants: [String]) {
            self.regionCode = regionCode
            self.year = year
            self.quarter = quarter
            self.sample = sample
            self.seedSource = seedSource
            self.participants = participants
        }
    }

    public enum Status: String, Sendable, Codable {
        case published, drawn

        public var title: String { self == .published ? "已公布待抽取" : "已抽取" }
    }

    public struct Participant: Sendable, Codable, Equatable {
        public let code: String
        public let name: String
        public let path: String
    }

    /// One group of a drawn round.
    public struct Group: Sendable, Codable {
        public let id: Int64
        public let roundId: Int64
        public let inspecting: Participant
        public let inspected: Participant
        public let filed: Bool
        public let filedAt: String?
    }

    public struct Round: Sendable, Codable {
        public let id: Int64
        public let regionCode: String
        public let regionName: String
        public let regionPath: String
        public let year: Int
        public let quarter: Int
        public let sample: Int
        public let seedSource: String
        public let seed: String?
        public let participantsHash: String
        public let method: String
        public let status: Status
        public let participants: [Participant]
        public let groups: [Group]
        public let publishedAt: String
        public let drawnAt: String?

        public var title: String { "\(year)年第\(quarter)季度交叉检查" }
    }

    /// Estates each group checks at least when the round does not say (a parameter of the round, not of the code).
    public static let defaultSample = 3

    let database: Database
    let clock: any LedgerClock

    public init(database: Database, clock: any LedgerClock) {
        self.database = database
        self.clock = clock
    }

    // MARK: Publishing and drawing

    /// Publishes a round: its participants (at least two child regions of the organising region), their hash and the
    /// announced seed source. Every field error at once.
    public func publish(_ input: RoundInput, scope: Scope) async throws -> Int64 {
        try scope.require(.planSpotChecks)
        var reader = InputReader()
        let source = reader.text(input.seedSource, field: "seedSource", label: "随机种子来源（公布时尚不存在的公开数值）", max: 200)
        if !(2000...2100).contains(input.year) { reader.errors.add("year", code: "out_of_range", "年度应在2000至2100之间") }
        if !(1...4).contains(input.quarter) { reader.errors.add("quarter", code: "out_of_range", "季度应为1至4") }
        let sample = input.sample.trimmingCharacters(in: .whitespaces).isEmpty ? Self.defaultSample
            : reader.integer(input.sample, field: "sample", label: "每组至少检查小区数", range: 1...100)
        let codes = CrossInspectionDraw.sortedCodes(input.participants.map { String($0.prefix(20)) })
        if codes.count < 2 { reader.errors.add("participants", code: "too_few", "交叉检查至少需要两个参加的辖区") }
        try reader.errors.throwIfAny()
        let at = clock.now()
        return try await database.transaction { db in
            let region = try await RegionDirectory.covered(input.regionCode, scope: scope, on: db)
            let children = try await RegionDirectory.children(of: region, on: db)
            let byCode = Dictionary(uniqueKeysWithValues: children.map { ($0.code, $0) })
            let strays = codes.filter { byCode[$0] == nil }
            guard strays.isEmpty else {
                throw LedgerError.invalid("participants", code: "outside_region", "参加交叉检查的须是\(region.name)的下级辖区")
            }
            let existing = try await db.raw("""
                SELECT id FROM cross_inspection_rounds WHERE region_code = \(bind: region.code) AND year = \(bind: input.year) AND quarter = \(bind: input.quarter)
                """).first(decodingColumn: "id", as: Int64.self)
            if existing != nil {
                throw LedgerError(.conflict, code: "round_exists", message: "\(region.name)\(input.year)年第\(input.quarter)季度已有交叉检查", field: "quarter")
            }
            let hash = CrossInspectionDraw.participantsHash(codes)
            let id = try await db.raw("""
                INSERT INTO cross_inspection_rounds (region_code, region_path, year, quarter, sample, seed_source, participants_hash, method, status,
                                                     published_at, published_by)
                VALUES (\(bind: region.code), \(bind: region.path), \(bind: input.year), \(bind: input.quarter), \(bind: sample), \(bind: source),
                        \(bind: hash), \(bind: CrossInspectionDraw.method), 'published', \(bind: Timestamp.storage(at)), \(bind: scope.username))
                RETURNING id
                """).first(decodingColumn: "id", as: Int64.self)!
            for code in codes {
                try await db.raw("""
                    INSERT INTO cross_inspection_participants (round_id, region_code, region_path) VALUES (\(bind: id), \(bind: code), \(bind: byCode[code]!.path))
                    """).run()
            }
            try await AuditLog.record(on: db, scope: scope, at: at, action: "publish", entity: "cross_inspection_round", entityId: "\(id)",
                                      regionPath: region.path, after: ["participantsHash": hash, "seedSource": source, "participants": codes.joined(separator: ",")])
            return id
        }
    }

    /// Types in the seed (the announced public value, now known) and draws the pairing. Only the organising region (or
    /// one above it) draws; participants see the round but may not.
    @discardableResult
    public func draw(_ id: Int64, seed rawSeed: String, scope: Scope) async throws -> Round {
        try scope.require(.planSpotChecks)
        var reader = InputReader()
        let seed = reader.text(rawSeed, field: "seed", label: "随机种子（已公布的公开数值）", max: 200)
        try reader.errors.throwIfAny()
        let at = clock.now()
        return try await database.transaction { db in
            try await db.lockRow("cross_inspection_rounds", id: id)
            guard let round = try await Self.rounds(condition: "x.id = \(bind: id) AND \(Self.visible(scope))", on: db).first else {
                throw LedgerError.notFound("交叉检查")
            }
            guard scope.covers(regionPath: round.regionPath) else { throw LedgerError.forbidden }
            guard round.status == .published else { throw LedgerError(.conflict, code: "already_drawn", message: "该轮交叉检查已抽取", field: "seed") }
            let codes = round.participants.map(\.code)
            guard CrossInspectionDraw.participantsHash(codes) == round.participantsHash else {
                throw LedgerError(.conflict, code: "hash_mismatch", message: "参加辖区名单与公布的校验值不符，不能抽取", field: "seed")
            }
            let paths = Dictionary(uniqueKeysWithValues: round.participants.map { ($0.code, $0.path) })
            for pair in CrossInspectionDraw.draw(seed: seed, participants: codes) {
                try await db.raw("""
                    INSERT INTO cross_inspection_groups (round_id, inspecting_code, inspecting_path, inspected_code, inspected_path, status)
                    VALUES (\(bind: id), \(bind: pair.inspecting), \(bind: paths[pair.inspecting]!), \(bind: pair.inspected), \(bind: paths[pair.inspected]!), 'pending')
                    """).run()
            }
            try await db.raw("""
                UPDATE cross_inspection_rounds SET seed = \(bind: seed), status = 'drawn', drawn_at = \(bind: Timestamp.storage(at)), drawn_by = \(bind: scope.username)
                WHERE id = \(bind: id)
                """).run()
            try await AuditLog.record(on: db, scope: scope, at: at, action: "draw", entity: "cross_inspection_round", entityId: "\(id)",
                                      regionPath: round.regionPath, after: ["seed": seed])
            return try await Self.rounds(condition: "x.id = \(bind: id)", on: db)[0]
        }
    }

    // MARK: Reading

    public func list(scope: Scope, page: Int = 1, pageSize: Int = 20) async throws -> Page<Round> {
        try scope.require(.viewInspectionPlans)
        let size = max(1, min(pageSize, 200)), number = max(1, min(page, 1_000_000))
        return try await database.read { db in
            let visible = Self.visible(scope)
            let total = try await db.raw("SELECT COUNT(*) AS n FROM cross_inspection_rounds x WHERE \(visible)").first(decodingColumn: "n", as: Int.self) ?? 0
            let items = try await Self.rounds(condition: visible, limit: size, offset: (number - 1) * size, on: db)
            return Page(items: items, total: total, page: number, pageSize: size)
        }
    }

    /// One round the scope may see, else `notFound`.
    public func round(_ id: Int64, scope: Scope) async throws -> Round {
        try scope.require(.viewInspectionPlans)
        return try await database.read { db in
            guard let round = try await Self.rounds(condition: "x.id = \(bind: id) AND \(Self.visible(scope))", on: db).first else {
                throw LedgerError.notFound("交叉检查")
            }
            return round
        }
    }

    /// The child regions an official may invite to a round of `regionCode` (empty: the scope's own region; for the
    /// admin, the first top region).
    public func candidates(regionCode: String, scope: Scope) async throws -> (Region, [Region]) {
        try await database.read { db in
            var code = regionCode.isEmpty ? scope.regionPath?.split(separator: "/").last.map(String.init) ?? "" : regionCode
            if code.isEmpty && scope.role == .admin {
                code = try await db.raw("SELECT code FROM regions WHERE parent_code IS NULL ORDER BY code LIMIT 1").first(decodingColumn: "code", as: String.self) ?? ""
            }
            let region = try await RegionDirectory.covered(code, scope: scope, on: db)
            let children = try await RegionDirectory.children(of: region, on: db)
            return (region, children)
        }
    }

    /// Rounds the scope sees (aliased `x`): those of its region and below (the organiser's), and those in which its
    /// region — or the region it lies in — takes part. Participants see the whole round: the pairing is public.
    static func visible(_ scope: Scope) -> SQLQueryString {
        if scope.role == .admin { return "1 = 1" }
        guard scope.role.isRegional, let path = scope.regionPath, !path.isEmpty else { return "1 = 0" }
        let codes = path.split(separator: "/").map(String.init)
        let ancestors = codes.indices.map { "/" + codes[...$0].joined(separator: "/") + "/" }
        return """
            (\(Scope.pathPredicate("x.region_path", path)) OR EXISTS (SELECT 1 FROM cross_inspection_participants cp
             WHERE cp.round_id = x.id AND cp.region_path IN (\(binds: ancestors))))
            """
    }

    /// Recomputes a drawn round from its published participants and seed: nil when it matches, otherwise what differs.
    public static func redraw(_ id: Int64, on database: Database) async throws -> String? {
        try await database.read { db in
            guard let round = try await rounds(condition: "x.id = \(bind: id)", on: db).first else { return "交叉检查 \(id) 不存在" }
            let codes = round.participants.map(\.code)
            if CrossInspectionDraw.participantsHash(codes) != round.participantsHash { return "交叉检查 \(id) 的参加辖区名单与公布的校验值不符" }
            guard let seed = round.seed else { return nil }
            let again = CrossInspectionDraw.draw(seed: seed, participants: codes)
            let drawn = round.groups.map { CrossInspectionDraw.Pair(inspecting: $0.inspecting.code, inspected: $0.inspected.code) }
            if Set(again) != Set(drawn) || again.count != drawn.count { return "交叉检查 \(id) 重抽的检查分组与结果不符" }
            return nil
        }
    }

    /// Every round id, oldest first.
    public static func ids(on database: Database) async throws -> [Int64] {
        try await database.read { try await $0.raw("SELECT id FROM cross_inspection_rounds ORDER BY id").all(decodingColumn: "id", as: Int64.self) }
    }

    // MARK: Storage helpers

    static func rounds(condition: SQLQueryString, limit: Int = 1, offset: Int = 0, on db: any SQLDatabase) async throws -> [Round] {
        let rows = try await db.raw("""
            SELECT x.id, x.region_code, r.name AS region_name, x.region_path, x.year, x.quarter, x.sample, x.seed_source, x.seed, x.participants_hash,
                   x.method, x.status, x.published_at, x.drawn_at
            FROM cross_inspection_rounds x JOIN regions r ON r.code = x.region_code WHERE \(condition)
            ORDER BY x.year DESC, x.quarter DESC, x.id DESC LIMIT \(bind: limit) OFFSET \(bind: offset)
            """).all()
        let ids = try rows.map { try $0.decode(column: "id", as: Int64.self) }
        guard !ids.isEmpty else { return [] }
        // The page's participants and groups in two queries, not two per round.
        var participants: [Int64: [Participant]] = [:], groups: [Int64: [Group]] = [:]
        for row in try await db.raw("""
            SELECT cp.round_id, cp.region_code, r.name, cp.region_path FROM cross_inspection_participants cp JOIN regions r ON r.code = cp.region_code
            WHERE cp.round_id IN (\(binds: ids)) ORDER BY cp.round_id, cp.region_code
            """).all() {
            participants[try row.decode(column: "round_id", as: Int64.self), default: []].append(
                Participant(code: try row.decode(column: "region_code", as: String.self), name: try row.decode(column: "name", as: String.self),
                            path: try row.decode(column: "region_path", as: String.self)))
        }
        for group in try await Self.groups(condition: "g.round_id IN (\(binds: ids))", on: db) {
            groups[group.roundId, default: []].append(group)
        }
        return try rows.map { row in
            let id = try row.decode(column: "id", as: Int64.self)
            return Round(
                id: id, regionCode: try row.decode(column: "region_code", as: String.self), regionName: try row.decode(column: "region_name", as: String.self),
                regionPath: try row.decode(column: "region_path", as: String.self), year: try row.decode(column: "year", as: Int.self),
                quarter: try row.decode(column: "quarter", as: Int.self), sample: try row.decode(column: "sample", as: Int.self),
                seedSource: try row.decode(column: "seed_source", as: String.self), seed: try row.decode(column: "seed", as: String?.self),
                participantsHash: try row.decode(column: "participants_hash", as: String.self), method: try row.decode(column: "method", as: String.self),
                status: Status(rawValue: try row.decode(column: "status", as: String.self)) ?? .published, participants: participants[id] ?? [],
                groups: groups[id] ?? [], publishedAt: try row.decode(column: "published_at", as: String.self),
                drawnAt: try row.decode(column: "drawn_at", as: String?.self))
        }
    }

    static func groups(condition: SQLQueryString, on db: any SQLDatabase) async throws -> [Group] {
        try await db.raw("""
            SELECT g.id, g.round_id, g.inspecting_code, a.name AS inspecting_name, g.inspecting_path, g.inspected_code, b.name AS inspected_name,
                   g.inspected_path, g.status, g.filed_at
            FROM cross_inspection_groups g JOIN regions a ON a.code = g.inspecting_code JOIN regions b ON b.code = g.inspected_code
            WHERE \(condition) ORDER BY g.round_id, g.inspecting_code
            """).all().map { row in
            Group(id: try row.decode(column: "id", as: Int64.self), roundId: try row.decode(column: "round_id", as: Int64.self),
                  inspecting: Participant(code: try row.decode(column: "inspecting_code", as: String.self),
                                          name: try row.decode(column: "inspecting_name", as: String.self),
                                          path: try row.decode(column: "inspecting_path", as: String.self)),
                  inspected: Participant(code: try row.decode(column: "inspected_code", as: String.self),
                                         name: try row.decode(column: "inspected_name", as: String.self),
                                         path: try row.decode(column: "inspected_path", as: String.self)),
                  filed: try row.decode(column: "status", as: String.self) == "filed", filedAt: try row.decode(column: "filed_at", as: String?.self))
        }
    }
}
