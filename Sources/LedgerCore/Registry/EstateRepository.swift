import Foundation
import SQLKit

/// Estates in the registry, always read and written through the caller's scope.
public struct EstateRepository: Sendable {
    public enum SortKey: String, Sendable, CaseIterable {
        case name, households, community, company, updated
    }

    public let database: Database
    let clock: any LedgerClock

    public init(database: Database, clock: any LedgerClock) {
        self.database = database
        self.clock = clock
    }

    /// The estate columns; `has_account` is the figures' **account open by a day** (`EstateFigures.accountOpenSQL`)
    /// asked on `at`'s Beijing day, so an account registered to open later is not shown as open yet.
    static func select(at: Date) -> SQLQueryString {
        let hasAccount = EstateFigures.flag(EstateFigures.accountOpenSQL("e.id", by: Day(Timestamp.shanghaiDay(at))!))
        return """
            SELECT e.id, e.name, e.address, e.community_code, r.name AS community_name, e.region_path, e.households,
                   e.floor_area, e.owners_share_bp, e.company_id, c.name AS company_name,
                   \(hasAccount) AS has_account, e.created_at, e.updated_at
            FROM estates e
            JOIN regions r ON r.code = e.community_code
            LEFT JOIN companies c ON c.id = e.company_id
            """
    }

    /// A page of the estates in scope, optionally under one region and matching a search text.
    public func estates(
        scope: Scope, under regionPath: String? = nil, company: Int64? = nil, request: ListRequest<SortKey>
    ) async throws -> Page<Estate> {
        var conditions: [SQLQueryString] = [scope.estatePredicate()]
        if let regionPath { conditions.append(Scope.pathPredicate("e.region_path", regionPath)) }
        if let company { conditions.append("e.company_id = \(bind: company)") }
        if !request.search.isEmpty {
            conditions.append("(e.name LIKE \(bind: request.likePattern) ESCAPE '\\' OR e.address LIKE \(bind: request.likePattern) ESCAPE '\\')")
        }
        let whereClause = "WHERE " + conditions.joined(separator: " AND ")
        let order: SQLQueryString = switch request.sort {
        case .name: "e.name"
        case .households: "e.households"
        case .community: "e.region_path"
        case .company: "c.name"
        case .updated: "e.updated_at"
        }
        let direction: SQLQueryString = request.descending ? "DESC" : "ASC"
        // Deferred join: pick the page's ids from the estates table alone (a covering index range), then join the
        // few rows shown; joining every estate in a city before sorting would cost a city-sized join per page.
        let companyJoin: SQLQueryString = request.sort == .company ? "LEFT JOIN companies c ON c.id = e.company_id" : ""
        let at = clock.now()
        let key = "\(regionPath ?? "")|\(company ?? 0)|\(request)"
        return try await database.cachedList("estates", scope: scope, key: key, today: Day(Timestamp.shanghaiDay(at))!) { try await database.read { db in
            let total = try await db.raw("SELECT COUNT(*) AS n FROM estates e \(whereClause)").first(decodingColumn: "n", as: Int.self) ?? 0
            let items = try await db.raw("""
                \(Self.select(at: at))
                JOIN (SELECT e.id FROM estates e \(companyJoin) \(whereClause) ORDER BY \(order) \(direction), e.id \(direction)
                      LIMIT \(literal: request.pageSize) OFFSET \(literal: (request.page - 1) * request.pageSize)) page ON page.id = e.id
                ORDER BY \(order) \(direction), e.id \(direction)
                """).all(decoding: Estate.self, keyDecodingStrategy: .convertFromSnakeCase)
            return Page(items: items, total: total, page: request.page, pageSize: request.pageSize)
        } }
    }

    /// One estate, or `notFound` when it does not exist or lies outside the scope (the two are indistinguishable).
    public func estate(_ id: Int64, scope: Scope) async throws -> Estate {
        let at = clock.now()
        let found = try await database.read { db in try await Self.estate(id, scope: scope, at: at, on: db) }
        guard let found else { throw LedgerError.notFound("小区") }
        return found
    }

    /// One estate inside the scope as it stands at `at` (the clock's now), or nil.
    static func estate(_ id: Int64, scope: Scope, at: Date, on db: any SQLDatabase) async throws -> Estate? {
        try await db.raw("\(select(at: at)) WHERE e.id = \(bind: id) AND \(scope.estatePredicate())")
            .first(decoding: Estate.self, keyDecodingStrategy: .convertFromSnakeCase)
    }

    /// Whether the estate exists and lies inside the scope, for callers that need nothing else of it.
    static func isVisible(_ id: Int64, scope: Scope, on db: any SQLDatabase) async throws -> Bool {
        try await db.raw("SELECT e.id FROM estates e WHERE e.id = \(bind: id) AND \(scope.estatePredicate())").first() != nil
    }

    /// Estates whose name or address contains `text`, for the public complaint form (estates are public: their pages are).
    public func publicSearch(_ text: String, limit: Int) async throws -> [Estate] {
        let pattern = ListRequest<SortKey>(search: text, sort: .name).likePattern
        let at = clock.now()
        return try await database.read { db in
            try await db.raw("""
                \(Self.select(at: at)) WHERE e.name LIKE \(bind: pattern) ESCAPE '\\' OR e.address LIKE \(bind: pattern) ESCAPE '\\'
                ORDER BY e.name LIMIT \(bind: limit)
                """).all(decoding: Estate.self, keyDecodingStrategy: .convertFromSnakeCase)
        }
    }

    /// One estate for a public page.
    public func publicEstate(_ id: Int64) async throws -> Estate { try await estate(id, scope: .system) }

    /// Registers a new estate in a community inside the scope.
    public func create(_ command: EstateInput, scope: Scope) async throws -> Estate {
        let input = try command.validated()
        guard scope.canEditRegistry else { throw LedgerError.forbidden }
        let at = clock.now()
        return try await database.transaction { db in try await Self.insert(input, scope: scope, at: at, on: db) }
    }

    /// The insert itself, inside the caller's transaction (shared by the form, the API and CSV import).
    static func insert(_ input: EstateInput.Valid, scope: Scope, at: Date, on db: any SQLDatabase) async throws -> Estate {
        let now = Timestamp.storage(at)
        let community = try await community(input.communityCode, scope: scope, on: db)
        try await ensureUniqueName(input.name, in: community.code, except: nil, on: db)
        let id = try await db.raw("""
            INSERT INTO estates (name, address, community_code, region_path, households, floor_area, owners_share_bp,
                                 created_at, updated_at)
            VALUES (\(bind: input.name), \(bind: input.address), \(bind: community.code), \(bind: community.path),
                    \(bind: input.households), \(bind: input.floorArea), \(bind: input.ownersShareBp), \(bind: now), \(bind: now))
            RETURNING id
            """).first(decodingColumn: "id", as: Int64.self)!
        let estate = try await Self.estate(id, scope: .system, at: at, on: db)!
        try await AuditLog.record(on: db, scope: scope, at: at, action: "create", entity: "estate", entityId: "\(id)",
                                  regionPath: estate.regionPath, after: estate)
        return estate
    }

    /// Edits an estate inside the scope; moving it to another community is allowed within the scope.
    public func update(_ id: Int64, _ command: EstateInput, scope: Scope) async throws -> Estate {
        let input = try command.validated()
        guard scope.canEditRegistry else { throw LedgerError.forbidden }
        let at = clock.now()
        return try await database.transaction { db in
            guard let before = try await Self.estate(id, scope: scope, at: at, on: db) else { throw LedgerError.notFound("小区") }
            let community = try await Self.community(input.communityCode, scope: scope, on: db)
            try await Self.ensureUniqueName(input.name, in: community.code, except: id, on: db)
            try await db.raw("""
                UPDATE estates SET name = \(bind: input.name), address = \(bind: input.address),
                    community_code = \(bind: community.code), region_path = \(bind: community.path),
                    households = \(bind: input.households), floor_area = \(bind: input.floorArea),
                    owners_share_bp = \(bind: input.ownersShareBp), updated_at = \(bind: Timestamp.storage(at))
                WHERE id = \(bind: id)
                """).run()
            let after = try await Self.estate(id, scope: .system, at: at, on: db)!
            try await AuditLog.record(on: db, scope: scope, at: at, action: "update", entity: "estate", entityId: "\(id)",
                                      regionPath: after.regionPath, before: before, after: after)
            if before.regionPath != after.regionPath {
                // Moved to another community: what is kept for the one it left (its lists, its district's dashboard
                // part) is stamped by an entry at that path, or it would still count the estate.
                try await AuditLog.record(on: db, scope: scope, at: at, action: "move_out", entity: "estate", entityId: "\(id)",
                                          regionPath: before.regionPath, after: ["to": after.regionPath])
            }
            return after
        }
    }

    /// The community an estate is placed in: it must exist, be a community, and lie inside the scope.
    static func community(_ code: String, scope: Scope, on db: any SQLDatabase) async throws -> Region {
        let region = try await db.raw("""
            SELECT code, name, level, parent_code, path FROM regions WHERE code = \(bind: code)
            """).first().map(Region.init(row:))
        guard let region, scope.covers(regionPath: region.path) else {
            throw LedgerError.invalid("community", code: "unknown_region", "所属社区不存在或不在您的管辖范围内")
        }
        guard region.level == .community else {
            throw LedgerError.invalid("community", code: "not_community", "小区必须归属到社区（村）一级，“\(region.name)”是\(region.level.title)")
        }
        return region
    }

    static func ensureUniqueName(_ name: String, in community: String, except id: Int64?, on db: any SQLDatabase) async throws {
        let clash = try await db.raw("""
            SELECT id FROM estates WHERE community_code = \(bind: community) AND name = \(bind: name) AND id <> \(bind: id ?? 0)
            """).first()
        if clash != nil {
            throw LedgerError(.conflict, code: "duplicate_estate", message: "该社区已有名为“\(name)”的小区", field: "name")
        }
    }
}
