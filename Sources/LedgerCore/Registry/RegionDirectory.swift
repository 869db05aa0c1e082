import Foundation
import SQLKit

/// Reads the region tree within a scope.
public struct RegionDirectory: Sendable {
    let database: Database

    public init(database: Database) { self.database = database }

    static let columns: SQLQueryString = "r.code, r.name, r.level, r.parent_code, r.path"

    /// One region, if the scope may see it.
    public func region(_ code: String, scope: Scope) async throws -> Region {
        let found = try await database.read { db in
            try await db.raw("SELECT \(Self.columns) FROM regions r WHERE r.code = \(bind: code) AND \(scope.regionPredicate())")
                .first().map(Region.init(row:))
        }
        guard let found else { throw LedgerError.notFound("行政区划") }
        return found
    }

    /// A region inside the scope's own jurisdiction (its region or one beneath; the admin: any), else `notFound`.
    /// Unlike `region(_:scope:)` it does not admit the ancestors a user may read the names of.
    static func covered(_ code: String, scope: Scope, on db: any SQLDatabase) async throws -> Region {
        let found = try await db.raw("SELECT \(columns) FROM regions r WHERE r.code = \(bind: String(code.prefix(20)))")
            .first().map(Region.init(row:))
        guard let region = found, scope.covers(regionPath: region.path) else { throw LedgerError.notFound("行政区划") }
        return region
    }

    /// A region's children by code, unscoped: for a caller that has checked the region itself (`covered`).
    static func children(of region: Region, on db: any SQLDatabase) async throws -> [Region] {
        try await db.raw("SELECT \(columns) FROM regions r WHERE r.parent_code = \(bind: region.code) ORDER BY r.code").all().map(Region.init(row:))
    }

    /// The counties and streets of the scope's jurisdiction, for sub-region filters (none for company and committee users).
    public func subRegions(scope: Scope) async throws -> [Region] {
        guard scope.role.isRegional || scope.role == .admin else { return [] }
        return try await regions(level: .county, scope: scope) + regions(level: .street, scope: scope)
    }

    /// The region a page about "my jurisdiction" starts from: the user's own region, or for the admin the first top region.
    public func home(scope: Scope) async throws -> String {
        if let own = scope.regionPath?.split(separator: "/").last { return String(own) }
        return try await children(of: nil, scope: scope).first?.code ?? ""
    }

    /// The children of a region (or the top of the scope when `parent` is nil), by code.
    public func children(of parent: String?, scope: Scope) async throws -> [Region] {
        if let parent { _ = try await region(parent, scope: scope) }
        return try await database.read { db in
            let parentCondition: SQLQueryString = parent.map { "r.parent_code = \(bind: $0)" } ?? "r.parent_code IS NULL"
            return try await db.raw("""
                SELECT \(Self.columns) FROM regions r WHERE \(parentCondition) AND \(scope.regionPredicate()) ORDER BY r.code
                """).all().map(Region.init(row:))
        }
    }

    /// Every region of one level inside the scope's own jurisdiction (not its ancestors), by path.
    public func regions(level: Region.Level, scope: Scope) async throws -> [Region] {
        try await database.read { db in
            let inside: SQLQueryString = scope.role == .admin ? "1 = 1" : Scope.pathPredicate("r.path", scope.regionPath)
            return try await db.raw("""
                SELECT \(Self.columns) FROM regions r WHERE r.level = \(bind: level.rawValue) AND \(inside) ORDER BY r.path
                """).all().map(Region.init(row:))
        }
    }

    /// Names of the regions on a path, root first (for breadcrumbs such as 福州市 / 鼓楼区 / 鼓东街道).
    public func names(onPath path: String) async throws -> [Region] {
        try await database.read { db in try await Self.names(onPath: path, on: db) }
    }

    /// The unit a ledger is filed for: the region chosen in its filter (checked against the scope), else the user's own
    /// region, else 全平台 (the administrator).
    public func unitName(regionCode: String, scope: Scope) async throws -> String {
        if !regionCode.isEmpty { return try await region(regionCode, scope: scope).name }
        return try await names(onPath: scope.regionPath ?? "").last?.name ?? "全平台"
    }

    /// The local work plan officials of the region at `path` cite (`PolicyPlan.followed`).
    public func policyPlan(onPath path: String) async throws -> PolicyPlan? {
        try await database.read { db in try await PolicyPlan.followed(atPath: path, on: db) }
    }

    static func names(onPath path: String, on db: any SQLDatabase) async throws -> [Region] {
        let codes = path.split(separator: "/").map(String.init)
        guard !codes.isEmpty else { return [] }
        return try await db.raw("SELECT \(Self.columns) FROM regions r WHERE r.code IN (\(binds: codes)) ORDER BY r.path")
            .all().map(Region.init(row:))
    }

    /// Inserts a region under its parent (used by the demo generator and imports; the CLI acts as `system`).
    public static func insert(
        on db: any SQLDatabase, code: String, name: String, level: Region.Level, parentPath: String?
    ) async throws -> Region {
        let path = (parentPath ?? "/") + code + "/"
        let parentCode = parentPath.flatMap { $0.split(separator: "/").last.map(String.init) }
        try await db.raw("""
            INSERT INTO regions (code, name, level, parent_code, path)
            VALUES (\(bind: code), \(bind: name), \(bind: level.rawValue), \(bind: parentCode), \(bind: path))
            """).run()
        return Region(code: code, name: name, level: level, parentCode: parentCode, path: path)
    }
}
