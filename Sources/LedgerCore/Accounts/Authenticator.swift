import Crypto
import Foundation
import HummingbirdBcrypt
import SQLKit

/// Logs people in and out: password check, throttling, and sessions held in the database so that
/// any server behind the load balancer can serve any request.
public struct Authenticator: Sendable {
    public struct Policy: Sendable {
        public var idleTimeout: TimeInterval = 30 * 60
        public var absoluteLifetime: TimeInterval = 12 * 60 * 60
        /// Attempts per account in a window before the account is locked.
        public var maxFailures = 5
        /// Attempts per address in a window before the address is locked: an office shares one address behind its router,
        /// so one clerk's typos (their account locks at `maxFailures`) must not lock every colleague out — while a guesser
        /// spraying many accounts from one address is still stopped (docs/policy.md §13).
        public var maxAddressFailures = 50
        /// The counting window and the length of a lock, for accounts and addresses alike.
        public var lockDuration: TimeInterval = 15 * 60
        /// The password check (bcrypt); tests wrap it to count how many attempts reach it.
        public var verifyPassword: @Sendable (_ password: String, _ hash: String) -> Bool = { Bcrypt.verify($0, hash: $1) }
        public init() {}
    }

    public enum SessionKind: String, Sendable { case browser, api }

    let database: Database
    let clock: any LedgerClock
    public let policy: Policy
    /// Opens the sealed TOTP seeds.
    let secrets: SecretBox

    public init(database: Database, clock: any LedgerClock, policy: Policy = Policy(), secrets: SecretBox = .ephemeral) {
        self.database = database
        self.clock = clock
        self.policy = policy
        self.secrets = secrets
    }

    /// A hash of a password that matches nothing, so an unknown username costs as much time as a wrong password.
    static let decoyHash = Bcrypt.hash("decoy-password-0", cost: 12)

    /// Checks the password and opens a session; returns the user and the session token (shown once, stored hashed).
    ///
    /// Every attempt is counted *before* the password is checked, in one atomic statement per throttle key, so parallel
    /// guesses cannot all slip past the lock: at most `maxFailures` attempts per account and `maxAddressFailures` per address
    /// reach bcrypt in a window, and the next ones are refused (429) until the lock ends. A successful login takes its own
    /// attempt back.
    /// An account with two-factor sign-in also needs `totp`: the authenticator's current code or an unused recovery code.
    public func login(username: String, password: String, totp: String? = nil, address: String, kind: SessionKind) async throws -> (User, String) {
        let now = clock.now()
        let userKey = "user:" + username.lowercased()
        let addressKey = "addr:" + address
        if let (key, until) = try await countAttempt(keys: [(userKey, policy.maxFailures), (addressKey, policy.maxAddressFailures)], now: now) {
            let minutes = Int(policy.lockDuration / 60)
            throw LedgerError(.locked, code: "locked", message: key == userKey
                ? "该账号登录失败次数过多，已锁定\(minutes)分钟，请于 \(Timestamp.display(until)) 后再试"
                : "本网络登录失败次数过多，已锁定\(minutes)分钟，请于 \(Timestamp.display(until)) 后再试")
        }
        let row = try await database.read { db in
            try await db.raw("""
                SELECT id, password_hash, disabled, totp_enabled FROM users WHERE username = \(bind: username)
                """).first()
        }
        let hash = try row?.decode(column: "password_hash", as: String.self) ?? Self.decoyHash
        let disabled = try row?.decode(column: "disabled", as: Int.self) ?? 0
        let passwordMatches = policy.verifyPassword(password, hash)
        guard let row, passwordMatches, disabled == 0 else {
            try await recordFailure(username: username, address: address, now: now)
            throw LedgerError(.unauthorized, code: "bad_credentials", message: "用户名或密码错误")
        }
        let userId = try row.decode(column: "id", as: Int64.self)
        let needsSecondFactor = try row.decode(column: "totp_enabled", as: Int.self) == 1
        let token = Self.newToken()
        let user: User
        do {
            user = try await openSession(userId: userId, token: token, totp: needsSecondFactor ? totp ?? "" : nil,
                                         userKey: userKey, addressKey: addressKey, address: address, kind: kind, now: now)
        } catch let error as LedgerError where error.code == "totp_required" || error.code == "bad_totp" {
            try await recordFailure(username: username, address: address, now: now)
            throw error
        }
        return (user, token)
    }

    /// Checks the second factor (when `totp` is not nil) and opens the session, in one transaction.
    private func openSession(userId: Int64, token: String, totp: String?, userKey: String, addressKey: String, address: String,
                             kind: SessionKind, now: Date) async throws -> User {
        try await database.transaction { [secrets, policy] db in
            if let totp, let refusal = try await TwoFactor.check(userId: userId, code: totp, secrets: secrets, now: now, on: db) {
                throw refusal
            }
            // The attempt was not a failure: the account's count starts again and the address gets its attempt back,
            // but a lock that is already set stays until it ends.
            try await db.raw("DELETE FROM login_failures WHERE throttle_key = \(bind: userKey) AND locked_until IS NULL").run()
            try await db.raw("""
                UPDATE login_failures SET failures = failures - 1
                WHERE throttle_key = \(bind: addressKey) AND locked_until IS NULL AND failures > 0
                """).run()
            try await db.raw("""
                INSERT INTO sessions (token_hash, user_id, kind, created_at, last_seen_at, expires_at)
                VALUES (\(bind: Self.hash(token)), \(bind: userId), \(bind: kind.rawValue), \(bind: Timestamp.storage(now)),
                        \(bind: Timestamp.storage(now)), \(bind: Timestamp.storage(now + policy.absoluteLifetime)))
                """).run()
            let user = try await db.raw("\(UserDirectory.select) WHERE id = \(bind: userId)")
                .first(decoding: User.self, keyDecodingStrategy: .convertFromSnakeCase)!
            try await AuditLog.record(on: db, scope: user.scope, at: now, action: "login", entity: "session", entityId: kind.rawValue,
                                      regionPath: user.regionPath, after: ["address": address, "secondFactor": totp == nil ? "no" : "yes"])
            return user
        }
    }

    /// The user behind a session token, or nil when it is unknown, expired, idle too long or the account is disabled.
    public func user(forToken token: String) async throws -> User? {
        let now = clock.now()
        let tokenHash = Self.hash(token)
        let row = try await database.read { db in
            try await db.raw("""
                SELECT s.last_seen_at, s.expires_at, u.id, u.username, u.display_name, u.role, u.region_code, u.region_path,
                       u.company_id, u.estate_id, u.disabled, u.totp_enabled, u.must_change_password,
                       (SELECT COALESCE(MAX(rp.require_totp), 0) FROM role_policies rp WHERE rp.role = u.role) AS totp_required
                FROM sessions s JOIN users u ON u.id = s.user_id WHERE s.token_hash = \(bind: tokenHash)
                """).first()
        }
        guard let row else { return nil }
        let user = try row.decode(model: User.self, keyDecodingStrategy: .convertFromSnakeCase)
        let lastSeen = Timestamp.parse(try row.decode(column: "last_seen_at", as: String.self)) ?? .distantPast
        let expires = Timestamp.parse(try row.decode(column: "expires_at", as: String.self)) ?? .distantPast
        guard user.disabled == 0, now < expires, now.timeIntervalSince(lastSeen) < policy.idleTimeout else {
            try await database.transaction { db in
                try await db.raw("DELETE FROM sessions WHERE token_hash = \(bind: tokenHash)").run()
            }
            return nil
        }
        if now.timeIntervalSince(lastSeen) > 60 {
            // Touch at most once a minute: the idle clock needs minutes, not every request's write.
            try await database.transaction { db in
                try await db.raw("UPDATE sessions SET last_seen_at = \(bind: Timestamp.storage(now)) WHERE token_hash = \(bind: tokenHash)").run()
            }
        }
        return user
    }

    /// Ends one session.
    public func logout(token: String) async throws {
        let now = clock.now()
        try await database.transaction { db in
            let userId = try await db.raw("SELECT user_id FROM sessions WHERE token_hash = \(bind: Self.hash(token))")
                .first(decodingColumn: "user_id", as: Int64.self)
            guard let userId else { return }
            try await db.raw("DELETE FROM sessions WHERE token_hash = \(bind: Self.hash(token))").run()
            if let user = try await db.raw("\(UserDirectory.select) WHERE id = \(bind: userId)")
                .first(decoding: User.self, keyDecodingStrategy: .convertFromSnakeCase) {
                try await AuditLog.record(on: db, scope: user.scope, at: now, action: "logout", entity: "session", entityId: "",
                                          regionPath: user.regionPath)
            }
        }
    }

    /// Counts one attempt against each key in a single atomic upsert and returns the locked key whose lock ends last, if
    /// any key is locked.
    ///
    /// A key's count restarts when its window (`lockDuration` since the first attempt) has passed or its lock has ended;
    /// the attempt that goes over the key's maximum sets the lock, and a lock once set is never shortened or cleared here.
    private func countAttempt(keys: [(key: String, max: Int)], now: Date) async throws -> (String, Date)? {
        let at = Timestamp.storage(now)
        let windowStart = Timestamp.storage(now - policy.lockDuration)
        let lockEnd = Timestamp.storage(now + policy.lockDuration)
        return try await database.transaction { db in
            var locked: [(String, Date)] = []
            for (key, max) in keys {
                let row = try await db.raw("""
                    INSERT INTO login_failures (throttle_key, failures, first_failed_at, locked_until)
                    VALUES (\(bind: key), 1, \(bind: at), NULL)
                    ON CONFLICT (throttle_key) DO UPDATE SET
                      failures = CASE
                        WHEN login_failures.locked_until > \(bind: at) THEN login_failures.failures + 1
                        WHEN login_failures.locked_until IS NULL AND login_failures.first_failed_at > \(bind: windowStart)
                          THEN login_failures.failures + 1
                        ELSE 1 END,
                      first_failed_at = CASE
                        WHEN login_failures.locked_until > \(bind: at) THEN login_failures.first_failed_at
                        WHEN login_failures.locked_until IS NULL AND login_failures.first_failed_at > \(bind: windowStart)
                          THEN login_failures.first_failed_at
                        ELSE \(bind: at) END,
                      locked_until = CASE
                        WHEN login_failures.locked_until > \(bind: at) THEN login_failures.locked_until
                        WHEN login_failures.locked_until IS NULL AND login_failures.first_failed_at > \(bind: windowStart)
                             AND login_failures.failures + 1 > \(bind: max) THEN \(bind: lockEnd)
                        ELSE NULL END
                    RETURNING locked_until
                    """).first()
                if let text = try row?.decode(column: "locked_until", as: String?.self), let until = Timestamp.parse(text), until > now {
                    locked.append((key, until))
                }
            }
            return locked.max { $0.1 < $1.1 }
        }
    }

    /// The attempt was already counted; the failure is only written to the audit log.
    private func recordFailure(username: String, address: String, now: Date) async throws {
        try await database.transaction { db in
            let attempted = Scope(userId: nil, username: String(username.prefix(64)), role: .auditor,
                                  regionPath: nil, companyId: nil, estateId: nil)
            try await AuditLog.record(on: db, scope: attempted, at: now, action: "login_failed", entity: "session", entityId: "",
                                      regionPath: nil, after: ["address": address], role: "anonymous")
        }
    }

    static func newToken() -> String {
        Hex.random(bytes: 32)
    }

    static func hash(_ token: String) -> String {
        Hex.encode(SHA256.hash(data: Data(token.utf8)))
    }
}
