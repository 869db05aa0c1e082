import Foundation
import SQLKit

/// 示范小区 (Fuzhou §四(六): 鼓楼、台江、仓山、晋安 ≥ 5 each, 长乐、福清 ≥ 2, the others ≥ 1; Dehua 3): a district or
/// street nominates an estate with the criteria it meets and the evidence; the city confirms or refuses with reasons.
/// Each district's target is the region setting `demonstration.target`. A confirmed estate with a problem raised after
/// its confirmation and still open is flagged for review.
public struct Demonstrations: Sendable {
    public enum Status: String, Sendable, Codable, CaseIterable {
        case nominated, confirmed, refused

        public var title: String {
            switch self {
            case .nominated: "已推荐待认定"
            case .confirmed: "已认定"
            case .refused: "未予认定"
            }
        }
    }

    public struct Demonstration: Sendable, Equatable {
        public let id: Int64
        public let estateId: Int64
        public let estateName: String
        public let regionPath: String
        public let criteria: String
        public let evidence: String
        public let status: Status
        public let nominatedAt: String
        public let nominatedBy: String
        public let decidedAt: String?
        public let reason: String?
        /// Confirmed, and a problem raised since its confirmation is still open: to be reviewed.
        public let needsReview: Bool
    }

    /// A district's confirmed demonstration estates against its target.
    public struct Progress: Sendable, Codable, Equatable {
        public let code: String
        public let name: String
        public let confirmed: Int
        public let target: Int
        public init(code: String, name: String, confirmed: Int, target: Int) {
            (self.code, self.name, self.confirmed, self.target) = (code, name, confirmed, target)
        }
    }

    let database: Database
    let clock: any LedgerClock

    public init(database: Database, clock: any LedgerClock) {
        self.database = database
        self.clock = clock
    }

    /// Nominates an estate the scope covers; one open nomination or confirmation per estate.
    @discardableResult
    public func nominate(estateId: Int64, criteria: String, evidence: String, scope: Scope) async throws -> Int64 {
        try scope.require(.nominateDemonstration)
        var reader = InputReader()
        let criteria = reader.text(criteria, field: "criteria", label: "符合的示范条件", max: 1_000)
        let evidence = reader.text(evidence, field: "evidence", label: "佐证材料说明", max: 1_000)
        try reader.errors.throwIfAny()
        let at = clock.now()
        return try await database.transaction { db in
            guard let estate = try await EstateRepository.estate(estateId, scope: scope, at: at, on: db) else {
                throw LedgerError.invalid("estate", code: "not_found", "小区不存在或不在您的管辖范围内")
            }
            if let open = try await db.raw("""
                SELECT id, status FROM demonstrations WHERE estate_id = \(bind: estateId) AND status IN ('nominated', 'confirmed')
                """).first() {
                let status = Status(rawValue: try open.decode(column: "status", as: String.self)) ?? .nominated
                throw LedgerError(.conflict, code: "already_nominated",
                                  message: "该小区已\(status == .confirmed ? "认定为示范小区" : "推荐，待市级认定")（记录 #\(try open.decode(column: "id", as: Int64.self))）",
                                  field: "estate")
            }
            let id = try await db.raw("""
                INSERT INTO demonstrations (estate_id, region_path, criteria, evidence, status, nominated_at, nominated_by)
                VALUES (\(bind: estateId), \(bind: estate.regionPath), \(bind: criteria), \(bind: evidence), 'nominated', \(bind: Timestamp.storage(at)),
                        \(bind: scope.username))
                RETURNING id
                """).first(decodingColumn: "id", as: Int64.self)!
            try await AuditLog.record(on: db, scope: scope, at: at, action: "nominate", entity: "demonstration", entityId: "\(id)",
                                      regionPath: estate.regionPath, after: ["estate": "\(estateId)", "criteria": criteria])
            return id
        }
    }

    /// The city (or the province) confirms or refuses a nomination, with its reason.
    public func decide(_ id: Int64, confirm: Bool, reason: String, scope: Scope) async throws {
        try scope.require(.confirmDemonstration)
        var reader = InputReader()
        let reason = reader.text(reason, field: "reason", label: confirm ? "认定意见" : "不予认定的理由", max: 500)
        try reader.errors.throwIfAny()
        if scope.role != .admin, (scope.regionPath?.split(separator: "/").count ?? 9) > 2 {
            throw LedgerError(.forbidden, code: "city_only", message: "示范小区由市级认定", field: "reason")
        }
        let at = clock.now()
        try await database.transaction { db in
            try await db.lockRow("demonstrations", id: id)
            guard let found = try await Self.list(condition: "d.id = \(bind: id) AND \(scope.officialPredicate("d.region_path"))", on: db).first else {
                throw LedgerError.notFound("示范小区推荐")
            }
            guard found.status == .nominated else {
                throw LedgerError(.conflict, code: "already_decided", message: "该推荐已\(found.status.title)", field: "reason")
            }
            try await db.raw("""
                UPDATE demonstrations SET status = \(bind: confirm ? "confirmed" : "refused"), decided_at = \(bind: Timestamp.storage(at)),
                decided_by = \(bind: scope.username), reason = \(bind: reason) WHERE id = \(bind: id)
                """).run()
            try await AuditLog.record(on: db, scope: scope, at: at, action: confirm ? "confirm" : "refuse", entity: "demonstration", entityId: "\(id)",
                                      regionPath: found.regionPath, after: ["reason": reason])
        }
    }

    public func list(scope: Scope, status: Status? = nil, page: Int = 1, pageSize: Int = 50) async throws -> Page<Demonstration> {
        try scope.require(.viewRegistry)
        let size = max(1, min(pageSize, 200)), number = max(1, min(page, 1_000_000))
        return try await database.read { db in
            var condition = scope.officialPredicate("d.region_path")
            if let status { condition = "\(condition) AND d.status = \(bind: status.rawValue)" }
            let total = try await db.raw("SELECT COUNT(*) AS n FROM demonstrations d WHERE \(condition)").first(decodingColumn: "n", as: Int.self) ?? 0
            let items = try await Self.list(condition: condition, limit: size, offset: (number - 1) * size, on: db)
            return Page(items: items, total: total, page: number, pageSize: size)
        }
    }

    public func demonstration(_ id: Int64, scope: Scope) async throws -> Demonstration {
        try scope.require(.viewRegistry)
        return try await database.read { db in
            guard let found = try await Self.list(condition: "d.id = \(bind: id) AND \(scope.officialPredicate("d.region_path"))", on: db).first else {
                throw LedgerError.notFound("示范小区推荐")
            }
            return found
        }
    }

    /// Whether an estate is a confirmed demonstration estate (for its public page).
    public func isConfirmed(estateId: Int64) async throws -> Bool {
        try await database.read { db in
            try await db.raw("SELECT 1 AS n FROM demonstrations WHERE estate_id = \(bind: estateId) AND status = 'confirmed'").first() != nil
        }
    }

    /// Each child region of `region`: confirmed estates against its target.
    static func progress(under region: Region, children: [(code: String, name: String, path: String)], on db: any SQLDatabase) async throws -> [Progress] {
        var confirmed: [String: Int] = [:]
        let depth = region.path.split(separator: "/").count
        for row in try await db.raw("""
            SELECT region_path FROM demonstrations WHERE status = 'confirmed' AND \(Scope.pathPredicate("region_path", region.path))
            """).all() {
            let parts = try row.decode(column: "region_path", as: String.self).split(separator: "/")
            if parts.count > depth { confirmed[String(parts[depth]), default: 0] += 1 }
        }
        var result: [Progress] = []
        for child in children {
            result.append(Progress(code: child.code, name: child.name, confirmed: confirmed[child.code] ?? 0,
                                   target: try await RegionSettings.value("demonstration.target", at: child.path, on: db)))
        }
        return result
    }

    static func list(condition: SQLQueryString, limit: Int = 1, offset: Int = 0, on db: any SQLDatabase) async throws -> [Demonstration] {
        try await db.raw("""
            SELECT d.id, d.estate_id, e.name AS estate_name, d.region_path, d.criteria, d.evidence, d.status, d.nominated_at, d.nominated_by, d.decided_at,
                   d.reason,
                   CASE WHEN d.status = 'confirmed' AND EXISTS (SELECT 1 FROM problems p WHERE p.estate_id = d.estate_id AND p.status = 'open'
                        AND p.created_at > d.decided_at) THEN 1 ELSE 0 END AS review
            FROM demonstrations d JOIN estates e ON e.id = d.estate_id WHERE \(condition) ORDER BY d.id DESC LIMIT \(bind: limit) OFFSET \(bind: offset)
            """).all().map { row in
            Demonstration(id: try row.decode(column: "id", as: Int64.self), estateId: try row.decode(column: "estate_id", as: Int64.self),
                          estateName: try row.decode(column: "estate_name", as: String.self), regionPath: try row.decode(column: "region_path", as: String.self),
                          criteria: try row.decode(column: "criteria", as: String.self), evidence: try row.decode(column: "evidence", as: String.self),
                          status: Status(rawValue: try row.decode(column: "status", as: String.self)) ?? .nominated,
                          nominatedAt: try row.decode(column: "nominated_at", as: String.self), nominatedBy: try row.decode(column: "nominated_by", as: String.self),
                          decidedAt: try row.decode(column: "decided_at", as: String?.self), reason: try row.decode(column: "reason", as: String?.self),
                          needsReview: try row.decode(column: "review", as: Int.self) == 1)
        }
    }

    /// The dashboard's `demonstration` KPI: confirmed estates under the region ÷ its target — the sum of its counties'
    /// targets for a city or province, its own target for a county or below; "—" when the target is 0.
    static func kpi(region: Region, on db: any SQLDatabase) async throws -> ([Progress], Dashboard.KPI) {
        let counties: [(code: String, name: String, path: String)]
        if region.level == .city || region.level == .province {
            counties = try await db.raw("""
                SELECT code, name, path FROM regions WHERE level = 'county' AND \(Scope.pathPredicate("path", region.path)) ORDER BY code
                """).all().map { (try $0.decode(column: "code", as: String.self), try $0.decode(column: "name", as: String.self),
                                  try $0.decode(column: "path", as: String.self)) }
        } else {
            counties = []
        }
        let depthRegion = region.level == .province ? nil : region
        var progress: [Progress] = []
        if let city = depthRegion, !counties.isEmpty {
            progress = try await Self.progress(under: city, children: counties, on: db)
        }
        let confirmed = try await db.raw("""
            SELECT COUNT(*) AS n FROM demonstrations WHERE status = 'confirmed' AND \(Scope.pathPredicate("region_path", region.path))
            """).first(decodingColumn: "n", as: Int.self) ?? 0
        let target: Int
        if counties.isEmpty {
            target = try await RegionSettings.value("demonstration.target", at: region.path, on: db)
        } else if !progress.isEmpty {
            target = progress.reduce(0) { $0 + $1.target }
        } else {
            var sum = 0
            for county in counties { sum += try await RegionSettings.value("demonstration.target", at: county.path, on: db) }
            target = sum
        }
        return (progress, Dashboard.KPI(key: "demonstration", title: "示范小区培育", value: target == 0 ? nil : Double(confirmed) / Double(target),
                                        numerator: confirmed, denominator: target, target: 1,
                                        note: "市级认定的示范小区 ÷ 各县区培育目标之和（福州方案四（六））"))
    }
}
