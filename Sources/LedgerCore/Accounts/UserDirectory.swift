import Foundation
import HummingbirdBcrypt
import SQLKit

/// User accounts: creation (with the binding each role needs) and lookup.
public struct UserDirectory: Sendable {
    let database: Database
    let clock: any LedgerClock
    /// bcrypt cost; 12 in production, lower in tests and the benchmark's bulk set-up.
    let bcryptCost: UInt8

    public init(database: Database, clock: any LedgerClock, bcryptCost: UInt8 = 12) {
        self.database = database
        self.clock = clock
        self.bcryptCost = bcryptCost
    }

    static let select: SQLQueryString = """
        SELECT id, username, display_name, role, region_code, region_path, company_id, estate_id, disabled, totp_enabled, must_change_password,
               (SELECT COALESCE(MAX(rp.require_totp), 0) FROM role_policies rp WHERE rp.role = users.role) AS totp_required
        FROM users
        """

    public func user(id: Int64) async throws -> User? {
        try await database.read { db in
            try await db.raw("\(Self.select) WHERE id = \(bind: id)").first(decoding: User.self, keyDecodingStrategy: .convertFromSnakeCase)
        }
    }

    /// Creates an account. Regional roles need a region, `company` a company, `committee` an estate.
    @discardableResult
    public func create(_ new: NewUser, scope: Scope) async throws -> User {
        guard AccountAdmin.manageableRoles(for: scope).contains(new.role) else { throw LedgerError.forbidden }
        let username = new.username.trimmingCharacters(in: .whitespaces)
        try Self.problems(username: username, password: new.password, displayName: new.displayName, role: new.role,
                          regionCode: new.regionCode, companyId: new.companyId, estateId: new.estateId).throwIfAny()
        let hash = Bcrypt.hash(new.password, cost: bcryptCost)
        let at = clock.now()
        return try await database.transaction { db in
            var regionPath: String?
            if new.role.isRegional, let code = new.regionCode {
                regionPath = try await db.raw("SELECT path FROM regions WHERE code = \(bind: code)").first(decodingColumn: "path", as: String.self)
                if regionPath == nil || !scope.covers(regionPath: regionPath!) {
                    throw LedgerError.invalid("region", code: "unknown_region", "行政区划 \(code) 不存在或不在您的管辖范围内")
                }
            }
            if new.role == .company, let company = new.companyId {
                let visible = try await db.raw("SELECT c.id FROM companies c WHERE c.id = \(bind: company) AND \(scope.companyPredicate("c"))").first()
                if visible == nil { throw LedgerError.invalid("company", code: "unknown_company", "物业服务企业不存在或不在您的管辖范围内") }
            }
            if new.role == .committee, let estate = new.estateId {
                let visible = try await db.raw("SELECT e.id FROM estates e WHERE e.id = \(bind: estate) AND \(scope.estatePredicate("e"))").first()
                if visible == nil { throw LedgerError.invalid("estate", code: "unknown_estate", "小区不存在或不在您的管辖范围内") }
            }
            let taken = try await db.raw("SELECT id FROM users WHERE username = \(bind: username)").first()
            if taken != nil { throw LedgerError(.conflict, code: "duplicate_username", message: "用户名“\(username)”已被使用", field: "username") }
            let id = try await db.raw("""
                INSERT INTO users (username, password_hash, display_name, role, region_code, region_path, company_id, estate_id, disabled, created_at)
                VALUES (\(bind: username), \(bind: hash), \(bind: new.displayName), \(bind: new.role.rawValue),
                        \(bind: new.role.isRegional ? new.regionCode : nil), \(bind: regionPath),
                        \(bind: new.role == .company ? new.companyId : nil), \(bind: new.role == .committee ? new.estateId : nil),
                        0, \(bind: Timestamp.storage(at)))
                RETURNING id
                """).first(decodingColumn: "id", as: Int64.self)!
            let user = try await db.raw("\(Self.select) WHERE id = \(bind: id)").first(decoding: User.self, keyDecodingStrategy: .convertFromSnakeCase)!
            try await AuditLog.record(on: db, scope: scope, at: at, action: "create", entity: "user", entityId: "\(id)",
                                      regionPath: regionPath, after: user)
            return user
        }
    }

    /// Every problem with a new account's fields, each beside its field (the create form shows them all at once).
    public static func problems(username: String, password: String, displayName: String, role: Role?,
                                regionCode: String?, companyId: Int64?, estateId: Int64?) -> FieldErrors {
        var errors = FieldErrors()
        if !(3...40).contains(username.count) || !username.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || "._-".contains($0)) }) {
            errors.add("username", code: "bad_username", "用户名应为3至40位字母、数字或 . _ -")
        }
        if password.isEmpty {
            errors.add("password", code: "required", "请设置初始密码")
        } else {
            for problem in PasswordPolicy.problems(password, username: username) { errors.add("password", code: "weak_password", problem) }
        }
        if displayName.isEmpty || displayName.count > 50 { errors.add("displayName", code: "bad_name", "请填写姓名（不超过50字）") }
        guard let role else {
            errors.add("role", code: "required", "请选择角色")
            return errors
        }
        if role.isRegional && regionCode == nil { errors.add("region", code: "required", "该角色须绑定行政区划") }
        if role == .company && companyId == nil { errors.add("company", code: "required", "企业用户须绑定物业服务企业") }
        if role == .committee && estateId == nil { errors.add("estate", code: "required", "业委会用户须绑定小区") }
        return errors
    }

    /// Disables an account and ends all of its sessions at once.
    public func disable(id: Int64, scope: Scope) async throws {
        guard scope.role == .admin else { throw LedgerError.forbidden }
        let at = clock.now()
        try await database.transaction { db in
            try await db.raw("UPDATE users SET disabled = 1 WHERE id = \(bind: id)").run()
            try await db.raw("DELETE FROM sessions WHERE user_id = \(bind: id)").run()
            try await AuditLog.record(on: db, scope: scope, at: at, action: "disable", entity: "user", entityId: "\(id)", regionPath: nil)
        }
    }

    /// Why a password is too weak, in Chinese; nil when acceptable (see `PasswordPolicy`).
    public static func passwordProblem(_ password: String, username: String = "") -> String? {
        PasswordPolicy.problem(password, username: username)
    }
}
