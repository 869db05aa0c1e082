import Foundation
import SQLKit

/// Property companies in the registry, read and written through the caller's scope.
public struct CompanyRepository: Sendable {
    public enum SortKey: String, Sendable, CaseIterable {
        case name, uscc, estates, updated
    }

    let database: Database
    let clock: any LedgerClock

    public init(database: Database, clock: any LedgerClock) {
        self.database = database
        self.clock = clock
    }

    static let select: SQLQueryString = """
        SELECT c.id, c.name, c.uscc, c.region_code, r.name AS region_name, c.region_path, c.contact_name, c.contact_phone,
               c.address, (SELECT COUNT(*) FROM estates x WHERE x.company_id = c.id) AS estate_count, c.created_at, c.updated_at
        FROM companies c JOIN regions r ON r.code = c.region_code
        """

    /// A page of the companies the scope may see.
    public func companies(scope: Scope, request: ListRequest<SortKey>) async throws -> Page<Company> {
        var conditions: [SQLQueryString] = [scope.companyPredicate()]
        if !request.search.isEmpty {
            conditions.append("(c.name LIKE \(bind: request.likePattern) ESCAPE '\\' OR c.uscc LIKE \(bind: request.likePattern) ESCAPE '\\')")
        }
        let whereClause = "WHERE " + conditions.joined(separator: " AND ")
        let order: SQLQueryString = switch request.sort {
        case .name: "c.name"
        case .uscc: "c.uscc"
        case .estates: "estate_count"
        case .updated: "c.updated_at"
        }
        let direction: SQLQueryString = request.descending ? "DESC" : "ASC"
        return try await database.read { db in
            let total = try await db.raw("SELECT COUNT(*) AS n FROM companies c \(whereClause)").first(decodingColumn: "n", as: Int.self) ?? 0
            let items = try await db.raw("""
                \(Self.select) \(whereClause) ORDER BY \(order) \(direction), c.id \(direction)
                LIMIT \(literal: request.pageSize) OFFSET \(literal: (request.page - 1) * request.pageSize)
                """).all(decoding: Company.self, keyDecodingStrategy: .convertFromSnakeCase)
            return Page(items: items, total: total, page: request.page, pageSize: request.pageSize)
        }
    }

    /// One company, or `notFound` when absent or outside the scope.
    public func company(_ id: Int64, scope: Scope) async throws -> Company {
        let found = try await database.read { db in try await Self.company(id, scope: scope, on: db) }
        guard let found else { throw LedgerError.notFound("企业") }
        return found
    }

    static func company(_ id: Int64, scope: Scope, on db: any SQLDatabase) async throws -> Company? {
        try await db.raw("\(select) WHERE c.id = \(bind: id) AND \(scope.companyPredicate())")
            .first(decoding: Company.self, keyDecodingStrategy: .convertFromSnakeCase)
    }

    /// Registers a company whose registration region lies inside the scope.
    public func create(_ command: CompanyInput, scope: Scope) async throws -> Company {
        let input = try command.validated()
        guard scope.canEditRegistry else { throw LedgerError.forbidden }
        let at = clock.now()
        return try await database.transaction { db in try await Self.insert(input, scope: scope, at: at, on: db) }
    }

    /// The insert itself, inside the caller's transaction (shared by the form, the API and CSV import).
    static func insert(_ input: CompanyInput.Valid, scope: Scope, at: Date, on db: any SQLDatabase) async throws -> Company {
        let now = Timestamp.storage(at)
        let region = try await registrationRegion(input.regionCode, scope: scope, on: db)
        try await ensureUniqueCode(input.uscc, except: nil, on: db)
        let id = try await db.raw("""
            INSERT INTO companies (name, uscc, region_code, region_path, contact_name, contact_phone, address, created_at, updated_at)
            VALUES (\(bind: input.name), \(bind: input.uscc), \(bind: region.code), \(bind: region.path), \(bind: input.contactName),
                    \(bind: input.contactPhone), \(bind: input.address), \(bind: now), \(bind: now))
            RETURNING id
            """).first(decodingColumn: "id", as: Int64.self)!
        let company = try await Self.company(id, scope: .system, on: db)!
        try await AuditLog.record(on: db, scope: scope, at: at, action: "create", entity: "company", entityId: "\(id)",
                                  regionPath: company.regionPath, after: company)
        return company
    }

    /// Edits a company the scope may see and whose registration region it covers.
    public func update(_ id: Int64, _ command: CompanyInput, scope: Scope) async throws -> Company {
        let input = try command.validated()
        guard scope.canEditRegistry else { throw LedgerError.forbidden }
        let at = clock.now()
        return try await database.transaction { db in
            guard let before = try await Self.company(id, scope: scope, on: db) else { throw LedgerError.notFound("企业") }
            guard scope.covers(regionPath: before.regionPath) else { throw LedgerError.forbidden }
            let region = try await Self.registrationRegion(input.regionCode, scope: scope, on: db)
            try await Self.ensureUniqueCode(input.uscc, except: id, on: db)
            try await db.raw("""
                UPDATE companies SET name = \(bind: input.name), uscc = \(bind: input.uscc), region_code = \(bind: region.code),
                    region_path = \(bind: region.path), contact_name = \(bind: input.contactName),
                    contact_phone = \(bind: input.contactPhone), address = \(bind: input.address), updated_at = \(bind: Timestamp.storage(at))
                WHERE id = \(bind: id)
                """).run()
            let after = try await Self.company(id, scope: .system, on: db)!
            try await AuditLog.record(on: db, scope: scope, at: at, action: "update", entity: "company", entityId: "\(id)",
                                      regionPath: after.regionPath, before: before, after: after)
            return after
        }
    }

    static func registrationRegion(_ code: String, scope: Scope, on db: any SQLDatabase) async throws -> Region {
        let region = try await db.raw("SELECT code, name, level, parent_code, path FROM regions WHERE code = \(bind: code)")
            .first().map(Region.init(row:))
        guard let region, scope.covers(regionPath: region.path) else {
            throw LedgerError.invalid("region", code: "unknown_region", "注册地行政区划不存在或不在您的管辖范围内")
        }
        return region
    }

    static func ensureUniqueCode(_ uscc: String, except id: Int64?, on db: any SQLDatabase) async throws {
        let clash = try await db.raw("SELECT name FROM companies WHERE uscc = \(bind: uscc) AND id <> \(bind: id ?? 0)")
            .first(decodingColumn: "name", as: String.self)
        if let clash {
            throw LedgerError(.conflict, code: "duplicate_uscc", message: "该统一社会信用代码已登记（\(clash)）", field: "uscc")
        }
    }
}
