import Foundation
import SQLKit

/// 第三方审计机构名录: organisations registered by a county or city (name, unified social credit code, contact), the
/// property companies each declares having worked for (an audit of their estates is refused to it: 回避), and the
/// auditor accounts that act for it.
public struct AuditorOrgs: Sendable {
    let database: Database
    let clock: any LedgerClock

    public init(database: Database, clock: any LedgerClock) {
        self.database = database
        self.clock = clock
    }

    /// Registers an organisation in the official's region. `clients`: companies' unified social credit codes, one per
    /// line (or separated by commas); an unknown code is an error beside the field.
    @discardableResult
    public func register(name: String, uscc: String, contact: String, clients: String, scope: Scope) async throws -> Int64 {
        try scope.require(.decideAudit)
        var reader = InputReader()
        let name = reader.text(name, field: "name", label: "机构名称", max: 100)
        let code = InputReader.halfWidth(uscc.trimmingCharacters(in: .whitespaces)).uppercased()
        if !USCC.isValid(code) { reader.errors.add("uscc", code: "bad_uscc", "统一社会信用代码应为18位且校验位正确") }
        let contact = reader.text(contact, field: "contact", label: "联系人及电话", max: 100)
        let codes = clients.split(whereSeparator: { $0 == "\n" || $0 == "," || $0 == "，" || $0 == "\r" })
            .map { InputReader.halfWidth($0.trimmingCharacters(in: .whitespaces)).uppercased() }.filter { !$0.isEmpty }
        if codes.count > 200 { reader.errors.add("clients", code: "too_many", "曾服务企业最多填写200家") }
        try reader.errors.throwIfAny()
        guard let path = scope.regionPath ?? (scope.role == .admin ? "/" : nil) else { throw LedgerError.forbidden }
        let at = clock.now()
        return try await database.transaction { db in
            var companies: [Int64] = []
            var unknown: [String] = []
            for code in Set(codes).sorted() {
                if let id = try await db.raw("SELECT id FROM companies WHERE uscc = \(bind: code)").first(decodingColumn: "id", as: Int64.self) {
                    companies.append(id)
                } else { unknown.append(code) }
            }
            if !unknown.isEmpty {
                throw LedgerError.invalid("clients", code: "unknown_company", "以下统一社会信用代码未登记为物业企业：\(unknown.prefix(5).joined(separator: "、"))")
            }
            if try await db.raw("SELECT 1 AS n FROM auditor_orgs WHERE uscc = \(bind: code)").first() != nil {
                throw LedgerError(.conflict, code: "duplicate_uscc", message: "该统一社会信用代码的审计机构已登记", field: "uscc")
            }
            let id = try await db.raw("""
                INSERT INTO auditor_orgs (name, uscc, region_path, contact, created_at, created_by)
                VALUES (\(bind: name), \(bind: code), \(bind: path), \(bind: contact), \(bind: Timestamp.storage(at)), \(bind: scope.username))
                RETURNING id
                """).first(decodingColumn: "id", as: Int64.self)!
            for company in companies {
                try await db.raw("""
                    INSERT INTO auditor_org_clients (org_id, company_id, note) VALUES (\(bind: id), \(bind: company), '机构登记时申报')
                    """).run()
            }
            try await AuditLog.record(on: db, scope: scope, at: at, action: "register", entity: "auditor_org", entityId: "\(id)", regionPath: path,
                                      after: ["name": name, "uscc": code, "clients": codes.joined(separator: ",")])
            return id
        }
    }

    /// Binds an existing auditor account to an organisation the official may use.
    public func bind(orgId: Int64, username: String, scope: Scope) async throws {
        try scope.require(.decideAudit)
        let username = username.trimmingCharacters(in: .whitespaces)
        let at = clock.now()
        try await database.transaction { db in
            guard let org = try await Self.orgs(scope: scope, on: db).first(where: { $0.id == orgId }) else { throw LedgerError.notFound("审计机构") }
            guard let user = try await db.raw("SELECT id, role FROM users WHERE username = \(bind: username)").first() else {
                throw LedgerError.invalid("username", code: "not_found", "账号不存在")
            }
            guard try user.decode(column: "role", as: String.self) == Role.auditor.rawValue else {
                throw LedgerError.invalid("username", code: "not_auditor", "只能绑定“第三方审计机构”角色的账号")
            }
            try await db.raw("UPDATE users SET auditor_org_id = \(bind: orgId) WHERE id = \(bind: try user.decode(column: "id", as: Int64.self))").run()
            try await AuditLog.record(on: db, scope: scope, at: at, action: "bind_auditor", entity: "auditor_org", entityId: "\(orgId)",
                                      regionPath: org.regionPath, after: ["username": username])
        }
    }

    public func list(scope: Scope) async throws -> [AuditorOrg] {
        try scope.require(.viewAudits)
        return try await database.read { db in try await Self.orgs(scope: scope, on: db) }
    }

    /// Organisations registered in the official's region, above or below it; the admin sees all.
    static func orgs(scope: Scope, on db: any SQLDatabase) async throws -> [AuditorOrg] {
        guard scope.role == .admin || scope.role.isRegional else { return [] }
        var result: [AuditorOrg] = []
        for row in try await db.raw("SELECT id, name, uscc, contact, region_path FROM auditor_orgs ORDER BY name, id").all() {
            let path = try row.decode(column: "region_path", as: String.self)
            guard Audits.usable(orgPath: path, scope: scope) else { continue }
            let id = try row.decode(column: "id", as: Int64.self)
            let clients = try await db.raw("""
                SELECT c.name FROM auditor_org_clients k JOIN companies c ON c.id = k.company_id WHERE k.org_id = \(bind: id) ORDER BY c.name
                """).all(decodingColumn: "name", as: String.self)
            let members = try await db.raw("SELECT username FROM users WHERE auditor_org_id = \(bind: id) ORDER BY username")
                .all(decodingColumn: "username", as: String.self)
            result.append(AuditorOrg(id: id, name: try row.decode(column: "name", as: String.self), uscc: try row.decode(column: "uscc", as: String.self),
                                     contact: try row.decode(column: "contact", as: String.self), regionPath: path, clients: clients, members: members))
        }
        return result
    }
}
