import Foundation
import SQLKit

/// 检查人员名录库 (one of 一单两库): the people a spot check may send, each with the street they serve and the companies
/// they declared a conflict with (never drawn for those). A plan fixes the pool when it is published; changes here apply
/// to later plans only.
public struct Inspectors: Sendable {
    /// 检查人员 are drawn for spot checks; 行风监督员 (conduct supervisors) are never drawn but may be added to any visit.
    public enum Kind: String, Sendable, CaseIterable {
        case inspector, supervisor

        public var title: String { self == .inspector ? "检查人员" : "行风监督员" }
    }

    public struct Inspector: Sendable {
        public let id: Int64
        public let regionCode: String
        public let regionName: String
        public let name: String
        public let organisation: String
        public let streetCode: String?
        public let streetName: String?
        public let conflicts: [Int64]
        public let active: Bool
        public let kind: Kind
    }

    /// An inspector as entered.
    public struct InspectorInput: Sendable {
        public var regionCode: String
        public var name: String
        public var organisation: String
        /// The street the inspector serves; empty: none.
        public var streetCode: String
        /// Company ids, separated by commas, 、 or spaces.
        public var conflicts: String
        /// `inspector` or `supervisor` (行风监督员).
        public var kind: String

        public init(regionCode: String, name: String, organisation: String, streetCode: String = "", conflicts: String = "", kind: String = "inspector") {
            self.kind = kind
            self.regionCode = regionCode
            self.name = name
            self.organisation = organisation
            self.streetCode = streetCode
            self.conflicts = conflicts
        }
    }

    let database: Database
    let clock: any LedgerClock

    public init(database: Database, clock: any LedgerClock) {
        self.database = database
        self.clock = clock
    }

    /// The inspectors registered in the scope's region and below, active first.
    public func list(scope: Scope, page: Int = 1, pageSize: Int = 50) async throws -> Page<Inspector> {
        try scope.require(.viewInspectionPlans)
        let size = max(1, min(pageSize, 200)), number = max(1, min(page, 1_000_000))
        return try await database.read { db in
            let visible = scope.officialPredicate("r.path")
            let total = try await db.raw("""
                SELECT COUNT(*) AS n FROM inspectors i JOIN regions r ON r.code = i.region_code WHERE \(visible)
                """).first(decodingColumn: "n", as: Int.self) ?? 0
            let items = try await db.raw("""
                SELECT i.id, i.region_code, r.name AS region_name, i.name, i.organisation, i.street_code, s.name AS street_name, i.conflicts, i.active, i.kind
                FROM inspectors i JOIN regions r ON r.code = i.region_code LEFT JOIN regions s ON s.code = i.street_code
                WHERE \(visible) ORDER BY i.active DESC, r.path, i.id LIMIT \(bind: size) OFFSET \(bind: (number - 1) * size)
                """).all().map { row in
                Inspector(id: try row.decode(column: "id", as: Int64.self), regionCode: try row.decode(column: "region_code", as: String.self),
                          regionName: try row.decode(column: "region_name", as: String.self), name: try row.decode(column: "name", as: String.self),
                          organisation: try row.decode(column: "organisation", as: String.self),
                          streetCode: try row.decode(column: "street_code", as: String?.self), streetName: try row.decode(column: "street_name", as: String?.self),
                          conflicts: try row.decode(column: "conflicts", as: String.self).split(separator: ",").compactMap { Int64($0) },
                          active: try row.decode(column: "active", as: Int.self) == 1,
                          kind: Kind(rawValue: try row.decode(column: "kind", as: String.self)) ?? .inspector)
            }
            return Page(items: items, total: total, page: number, pageSize: size)
        }
    }

    /// Registers an inspector; every field error at once.
    @discardableResult
    public func add(_ input: InspectorInput, scope: Scope) async throws -> Int64 {
        try scope.require(.planSpotChecks)
        var reader = InputReader()
        let name = reader.text(input.name, field: "name", label: "姓名", max: 20)
        let organisation = reader.text(input.organisation, field: "organisation", label: "所在单位", max: 60)
        let tokens = InputReader.halfWidth(input.conflicts).split { ",，、;； \t\n\r".contains($0) }
        let conflicts = Array(Set(tokens.compactMap { Int64($0) })).sorted()
        let kind = Kind(rawValue: input.kind)
        if kind == nil { reader.errors.add("inspectorKind", code: "invalid", "请选择人员类别（检查人员或行风监督员）") }
        if conflicts.count != Set(tokens).count {
            reader.errors.add("conflicts", code: "invalid", "利害关系企业请填写企业编号（数字），多个编号用逗号分隔")
        }
        try reader.errors.throwIfAny()
        let at = clock.now()
        return try await database.transaction { db in
            let region = try await RegionDirectory.covered(input.regionCode, scope: scope, on: db)
            var errors = FieldErrors()
            let street = input.streetCode.trimmingCharacters(in: .whitespaces)
            if !street.isEmpty {
                let found = try await db.raw("""
                    SELECT 1 AS n FROM regions WHERE code = \(bind: street) AND level = 'street' AND \(Scope.pathPredicate("path", region.path))
                    """).first()
                if found == nil { errors.add("streetCode", code: "outside_region", "所服务街道须是\(region.name)的街道") }
            }
            if !conflicts.isEmpty {
                let known = Set(try await db.raw("SELECT id FROM companies WHERE id IN (\(binds: conflicts))").all(decodingColumn: "id", as: Int64.self))
                let unknown = conflicts.filter { !known.contains($0) }
                if !unknown.isEmpty { errors.add("conflicts", code: "not_found", "企业编号 \(unknown.map(String.init).joined(separator: "、")) 不存在") }
            }
            try errors.throwIfAny()
            let id = try await db.raw("""
                INSERT INTO inspectors (region_code, name, organisation, street_code, conflicts, active, created_at, kind)
                VALUES (\(bind: region.code), \(bind: name), \(bind: organisation), \(bind: street.isEmpty ? nil : street),
                        \(bind: conflicts.map(String.init).joined(separator: ",")), 1, \(bind: Timestamp.storage(at)), \(bind: kind!.rawValue))
                RETURNING id
                """).first(decodingColumn: "id", as: Int64.self)!
            try await AuditLog.record(on: db, scope: scope, at: at, action: "create", entity: "inspector", entityId: "\(id)", regionPath: region.path,
                                      after: ["name": name, "kind": kind!.title, "organisation": organisation, "street": street, "conflicts": conflicts.map(String.init).joined(separator: ",")])
            return id
        }
    }

    /// Takes an inspector out of (or back into) the pool of later plans.
    public func setActive(_ id: Int64, active: Bool, scope: Scope) async throws {
        try scope.require(.planSpotChecks)
        let at = clock.now()
        try await database.transaction { db in
            guard let path = try await db.raw("""
                SELECT r.path FROM inspectors i JOIN regions r ON r.code = i.region_code WHERE i.id = \(bind: id) AND \(scope.officialPredicate("r.path"))
                """).first(decodingColumn: "path", as: String.self) else { throw LedgerError.notFound("检查人员") }
            try await db.raw("UPDATE inspectors SET active = \(bind: active ? 1 : 0) WHERE id = \(bind: id)").run()
            try await AuditLog.record(on: db, scope: scope, at: at, action: active ? "activate" : "deactivate", entity: "inspector", entityId: "\(id)",
                                      regionPath: path, after: ["active": active ? "1" : "0"])
        }
    }

    /// The active 行风监督员 registered in the region of `path` or above it (a supervisor of the city may join a county's
    /// visit), for a visit form.
    static func supervisors(for path: String, on db: any SQLDatabase) async throws -> [(id: Int64, name: String, organisation: String)] {
        let codes = path.split(separator: "/").map(String.init)
        return try await db.raw("""
            SELECT id, name, organisation FROM inspectors WHERE kind = 'supervisor' AND active = 1 AND region_code IN (\(binds: codes)) ORDER BY id
            """).all().map { (try $0.decode(column: "id", as: Int64.self), try $0.decode(column: "name", as: String.self),
                              try $0.decode(column: "organisation", as: String.self)) }
    }
}
