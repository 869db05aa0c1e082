import Foundation
import HummingbirdBcrypt
import SQLKit

/// Account administration: the admin for everyone, a regulator for the accounts of its own jurisdiction (its region's
/// officials, and the companies and committees there). Every step is one transaction with an audit entry; disabling an
/// account, resetting its password or its second factor ends all of its sessions at once.
public struct AccountAdmin: Sendable {
    let database: Database
    let clock: any LedgerClock
    let bcryptCost: UInt8

    public init(database: Database, clock: any LedgerClock, bcryptCost: UInt8 = 12) {
        self.database = database
        self.clock = clock
        self.bcryptCost = bcryptCost
    }

    /// Roles a regulator may give and manage inside its jurisdiction (not the admin, the discipline commission or auditors).
    public static let regulatorManages: Set<Role> = [.regulator, .street, .department, .supervisor, .company, .committee]

    /// Roles the scope may create and manage.
    public static func manageableRoles(for scope: Scope) -> [Role] {
        guard scope.can(.manageAccounts) else { return [] }
        return scope.can(.setTwoFactorPolicy) ? Role.allCases : Role.allCases.filter(regulatorManages.contains)
    }

    public struct Summary: Sendable {
        public let id: Int64
        public let username: String
        public let displayName: String
        public let role: Role
        public let bindingName: String
        public let disabled: Bool
        public let totpEnabled: Bool
        public let mustChangePassword: Bool
        public let createdAt: String
        public let sessions: Int
    }

    public struct SessionInfo: Sendable {
        /// The stored token hash (never the token itself).
        public let id: String
        public let kind: String
        public let createdAt: String
        public let lastSeenAt: String
    }

    public struct Filter: Sendable {
        public var search = ""
        public var role: Role?
        /// `active`, `disabled` or empty for both.
        public var status = ""
        public var page = 1
        public var pageSize = 30
        public init() {}
    }

    /// SQL predicate restricting users (aliased `u`) to those the scope manages.
    static func managed(_ scope: Scope) -> SQLQueryString {
        switch scope.role {
        case .admin:
            return "1 = 1"
        case .regulator:
            let roles = regulatorManages.map(\.rawValue).sorted()
            let regional = Scope.pathPredicate("u.region_path", scope.regionPath)
            let estates = scope.estatePredicate("me")
            let companies = scope.companyPredicate("mc")
            return """
                (u.role IN (\(binds: roles)) AND (\(regional)
                 OR u.company_id IN (SELECT mc.id FROM companies mc WHERE \(companies))
                 OR u.estate_id IN (SELECT me.id FROM estates me WHERE \(estates))))
                """
        default:
            return "1 = 0"
        }
    }

    static let summaryColumns: SQLQueryString = """
        SELECT u.id, u.username, u.display_name, u.role, u.disabled, u.totp_enabled, u.must_change_password, u.created_at,
               COALESCE(r.name, c.name, e.name, '') AS binding_name,
               (SELECT COUNT(*) FROM sessions s WHERE s.user_id = u.id) AS session_count
        FROM users u LEFT JOIN regions r ON r.code = u.region_code LEFT JOIN companies c ON c.id = u.company_id
        LEFT JOIN estates e ON e.id = u.estate_id
        """

    static func summary(_ row: any SQLRow) throws -> Summary {
        Summary(id: try row.decode(column: "id", as: Int64.self), username: try row.decode(column: "username", as: String.self),
                displayName: try row.decode(column: "display_name", as: String.self),
                role: Role(rawValue: try row.decode(column: "role", as: String.self)) ?? .auditor,
                bindingName: try row.decode(column: "binding_name", as: String.self),
                disabled: try row.decode(column: "disabled", as: Int.self) == 1,
                totpEnabled: try row.decode(column: "totp_enabled", as: Int.self) == 1,
                mustChangePassword: try row.decode(column: "must_change_password", as: Int.self) == 1,
                createdAt: try row.decode(column: "created_at", as: String.self),
                sessions: try row.decode(column: "session_count", as: Int.self))
    }

    // MARK: Reading

    public func list(_ filter: Filter, scope: Scope) async throws -> Page<Summary> {
        guard !Self.manageableRoles(for: scope).isEmpty else { throw LedgerError.forbidden }
        var conditions: [SQLQueryString] = [Self.managed(scope)]
        let search = String(filter.search.trimmingCharacters(in: .whitespaces).prefix(50))
        if !search.isEmpty {
            let pattern = LikePattern.containing(search)
            conditions.append("(u.username LIKE \(bind: pattern) ESCAPE '\\' OR u.display_name LIKE \(bind: pattern) ESCAPE '\\')")
        }
        if let role = filter.role { conditions.append("u.role = \(bind: role.rawValue)") }
        if filter.status == "active" { conditions.append("u.disabled = 0") }
        if filter.status == "disabled" { conditions.append("u.disabled = 1") }
        let whereClause = SQLQueryString("WHERE ") + conditions.joined(separator: " AND ")
        let page = max(1, min(filter.page, 100_000))
        let pageSize = max(1, min(filter.pageSize, 100))
        return try await database.read { db in
            let total = try await db.raw("SELECT COUNT(*) AS n FROM users u \(whereClause)").first(decodingColumn: "n", as: Int.self) ?? 0
            let items = try await db.raw("""
                \(Self.summaryColumns) \(whereClause) ORDER BY u.username LIMIT \(literal: pageSize) OFFSET \(literal: (page - 1) * pageSize)
                """).all().map(Self.summary)
            return Page(items: items, total: total, page: page, pageSize: pageSize)
        }
    }

    /// One managed account; 404 when it does not exist or lies outside the scope (for every role that manages none too).
    public func account(_ id: Int64, scope: Scope) async throws -> Summary {
        return try await database.read { db in try await Self.find(id, scope: scope, on: db) }
    }

    static func find(_ id: Int64, scope: Scope, on db: any SQLDatabase) async throws -> Summary {
        guard let row = try await db.raw("\(summaryColumns) WHERE u.id = \(bind: id) AND \(managed(scope))").first() else {
            throw LedgerError.notFound("账号")
        }
        return try summary(row)
    }

    public func sessions(of id: Int64, scope: Scope) async throws -> [SessionInfo] {
        try await database.read { db in
            _ = try await Self.find(id, scope: scope, on: db)
            return try await db.raw("""
                SELECT token_hash, kind, created_at, last_seen_at FROM sessions WHERE user_id = \(bind: id) ORDER BY last_seen_at DESC
                """).all().map {
                SessionInfo(id: try $0.decode(column: "token_hash", as: String.self), kind: try $0.decode(column: "kind", as: String.self),
                            createdAt: try $0.decode(column: "created_at", as: String.self),
                            lastSeenAt: try $0.decode(column: "last_seen_at", as: String.self))
            }
        }
    }

    /// Which roles must use two-factor sign-in.
    public func rolesRequiringTOTP() async throws -> Set<Role> {
        try await database.read { db in
            Set(try await db.raw("SELECT role FROM role_policies WHERE require_totp = 1").all(decodingColumn: "role", as: String.self)
                .compactMap(Role.init(rawValue:)))
        }
    }

    // MARK: Changes

    /// Creates an account inside the scope's jurisdiction (see `UserDirectory.create` for the checks on the fields).
    @discardableResult
    public func create(_ new: NewUser, scope: Scope) async throws -> User {
        guard Self.manageableRoles(for: scope).contains(new.role) else {
            throw LedgerError.invalid("role", code: "role_not_allowed", "您不能创建“\(new.role.title)”账号")
        }
        return try await UserDirectory(database: database, clock: clock, bcryptCost: bcryptCost).create(new, scope: scope)
    }

    /// Disables (ending every session at once) or enables an account.
    public func setDisabled(_ id: Int64, disabled: Bool, scope: Scope) async throws {
        guard id != scope.userId else { throw LedgerError.invalid("action", code: "own_account", "不能停用自己的账号") }
        try await change(id, action: disabled ? "disable" : "enable", scope: scope) { db in
            try await db.raw("UPDATE users SET disabled = \(bind: disabled ? 1 : 0) WHERE id = \(bind: id)").run()
            if disabled { try await db.raw("DELETE FROM sessions WHERE user_id = \(bind: id)").run() }
        }
    }

    /// Sets a temporary password the user must replace at next login; ends every session.
    public func resetPassword(_ id: Int64, temporary: String, scope: Scope) async throws {
        let username = try await account(id, scope: scope).username
        if let problem = PasswordPolicy.problem(temporary, username: username) {
            throw LedgerError.invalid("password", code: "weak_password", problem)
        }
        let hash = Bcrypt.hash(temporary, cost: bcryptCost)
        try await change(id, action: "reset_password", scope: scope) { db in
            try await db.raw("UPDATE users SET password_hash = \(bind: hash), must_change_password = 1 WHERE id = \(bind: id)").run()
            try await db.raw("DELETE FROM sessions WHERE user_id = \(bind: id)").run()
        }
    }

    /// Clears a user's second factor (a lost phone): the user enrols again at next login if the role requires it.
    public func resetTOTP(_ id: Int64, scope: Scope) async throws {
        try await change(id, action: "reset_totp", scope: scope) { db in
            try await db.raw("""
                UPDATE users SET totp_secret = NULL, totp_pending = NULL, totp_enabled = 0, totp_recovery_display = NULL WHERE id = \(bind: id)
                """).run()
            try await db.raw("DELETE FROM totp_recovery_codes WHERE user_id = \(bind: id)").run()
            try await db.raw("DELETE FROM sessions WHERE user_id = \(bind: id)").run()
        }
    }

    /// Ends one session of a managed account.
    public func endSession(_ id: Int64, session: String, scope: Scope) async throws {
        try await change(id, action: "end_session", scope: scope, detail: String(session.prefix(12))) { db in
            let found = try await db.raw("DELETE FROM sessions WHERE user_id = \(bind: id) AND token_hash = \(bind: session) RETURNING user_id").first()
            guard found != nil else { throw LedgerError.notFound("会话") }
        }
    }

    /// Admin only: which roles must use two-factor sign-in.
    public func setRolesRequiringTOTP(_ roles: Set<Role>, scope: Scope) async throws {
        try scope.require(.setTwoFactorPolicy)
        let at = clock.now()
        try await database.transaction { db in
            for role in Role.allCases {
                try await db.raw("""
                    INSERT INTO role_policies (role, require_totp, updated_at) VALUES (\(bind: role.rawValue), \(bind: roles.contains(role) ? 1 : 0), \(bind: Timestamp.storage(at)))
                    ON CONFLICT (role) DO UPDATE SET require_totp = excluded.require_totp, updated_at = excluded.updated_at
                    """).run()
            }
            try await AuditLog.record(on: db, scope: scope, at: at, action: "require_totp", entity: "role_policy", entityId: "",
                                      regionPath: nil, after: roles.map(\.rawValue).sorted())
        }
    }

    private func change(_ id: Int64, action: String, scope: Scope, detail: String? = nil,
                        _ body: @escaping @Sendable (any SQLDatabase) async throws -> Void) async throws {
        guard !Self.manageableRoles(for: scope).isEmpty else { throw LedgerError.forbidden }
        let at = clock.now()
        try await database.transaction { db in
            try await db.lockRow("users", id: id)
            let target = try await Self.find(id, scope: scope, on: db)
            try await body(db)
            let regionPath = try await db.raw("SELECT region_path FROM users WHERE id = \(bind: id)").first(decodingColumn: "region_path", as: String?.self) ?? nil
            try await AuditLog.record(on: db, scope: scope, at: at, action: action, entity: "user", entityId: "\(id)",
                                      regionPath: regionPath ?? scope.regionPath, before: ["username": target.username, "disabled": target.disabled ? "1" : "0"],
                                      after: detail.map { ["session": $0] })
        }
    }

    // MARK: The user's own password

    /// Changes the signed-in user's password (the current one is checked); ends the user's other sessions.
    public func changeOwnPassword(current: String, new: String, confirmation: String, keepSession: String?, scope: Scope) async throws {
        guard let userId = scope.userId else { throw LedgerError.forbidden }
        var errors = FieldErrors()
        let stored = try await database.read { db in
            try await db.raw("SELECT password_hash FROM users WHERE id = \(bind: userId)").first(decodingColumn: "password_hash", as: String.self)
        }
        if stored == nil || !Bcrypt.verify(current, hash: stored!) { errors.add("current", code: "bad_password", "当前密码不正确") }
        for problem in PasswordPolicy.problems(new, username: scope.username) { errors.add("password", code: "weak_password", problem) }
        if new != confirmation { errors.add("confirmation", code: "mismatch", "两次输入的新密码不一致") }
        if new == current && !new.isEmpty { errors.add("password", code: "unchanged", "新密码不能与当前密码相同") }
        try errors.throwIfAny()
        let hash = Bcrypt.hash(new, cost: bcryptCost)
        let at = clock.now()
        let keep = keepSession.map(Authenticator.hash)
        try await database.transaction { db in
            try await db.raw("UPDATE users SET password_hash = \(bind: hash), must_change_password = 0 WHERE id = \(bind: userId)").run()
            try await db.raw("DELETE FROM sessions WHERE user_id = \(bind: userId) AND token_hash <> \(bind: keep ?? "")").run()
            try await AuditLog.record(on: db, scope: scope, at: at, action: "change_password", entity: "user", entityId: "\(userId)",
                                      regionPath: scope.regionPath)
        }
    }
}
