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
        public var maxFailures = 5
        public var lockDuration: TimeInterval = 15 * 60
        public init() {}
    }

    public enum SessionKind: String, Sendable { case browser, api }

    let database: Database
    let clock: any LedgerClock
    public let policy: Policy

    public init(database: Database, clock: any LedgerClock, policy: Policy = Policy()) {
        self.database = database
        self.clock = clock
        self.policy = policy
    }

    /// A hash of a password that matches nothing, so an unknown username costs as much time as a wrong password.
    static let decoyHash = Bcrypt.hash("decoy-password-0", cost: 12)

    /// Checks the password and opens a session; returns the user and the session token (shown once, stored hashed).
    public func login(username: String, password: String, address: String, kind: SessionKind) async throws -> (User, String) {
        let now = clock.now()
        let keys = ["user:" + username.lowercased(), "addr:" + address]
        if let until = try await lockedUntil(keys: keys, now: now) {
            throw LedgerError(.locked, code: "locked",
                              message: "登录失败次数过多，已锁定15分钟，请于 \(Timestamp.display(until)) 后再试")
        }
        let row = try await database.read { db in
            try await db.raw("""
                SELECT id, password_hash, disabled FROM users WHERE username = \(bind: username)
                """).first()
        }
        let hash = try row?.decode(column: "password_hash", as: String.self) ?? Self.decoyHash
        let disabled = try row?.decode(column: "disabled", as: Int.self) ?? 0
        let passwordMatches = Bcrypt.verify(password, hash: hash)
        guard let row, passwordMatches, disabled == 0 else {
            try await recordFailure(keys: keys, username: username, address: address, now: now)
            throw LedgerError(.unauthorized, code: "bad_credentials", message: "用户名或密码错误")
        }
        let userId = try row.decode(column: "id", as: Int64.self)
        let token = Self.newToken()
        let user = try await database.transaction { db in
            try await db.raw("DELETE FROM login_failures WHERE throttle_key IN (\(binds: keys))").run()
            try await db.raw("""
                INSERT INTO sessions (token_hash, user_id, kind, created_at, last_seen_at, expires_at)
                VALUES (\(bind: Self.hash(token)), \(bind: userId), \(bind: kind.rawValue), \(bind: Timestamp.storage(now)),
                        \(bind: Timestamp.storage(now)), \(bind: Timestamp.storage(now + policy.absoluteLifetime)))
                """).run()
            let user = try await db.raw("\(UserDirectory.select) WHERE id = \(bind: userId)")
                .first(decoding: User.self, keyDecodingStrategy: .convertFromSnakeCase)!
            try await AuditLog.record(on: db, scope: user.scope, at: now, action: "login", entity: "session", entityId: kind.rawValue,
                                      regionPath: user.regionPath, after: ["address": address])
            return user
        }
        return (user, token)
    }

    /// The user behind a session token, or nil when it is unknown, expired, idle too long or the account is disabled.
    public func user(forToken token: String) async throws -> User? {
        let now = clock.now()
        let tokenHash = Self.hash(token)
        let row = try await database.read { db in
            try await db.raw("""
                SELECT s.last_seen_at, s.expires_at, u.id, u.username, u.display_name, u.role, u.region_code, u.region_path,
                       u.company_id, u.estate_id, u.disabled
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

    private func lockedUntil(keys: [String], now: Date) async throws -> Date? {
        let rows = try await database.read { db in
            try await db.raw("SELECT locked_until FROM login_failures WHERE throttle_key IN (\(binds: keys)) AND locked_until IS NOT NULL")
                .all(decodingColumn: "locked_until", as: String.self)
        }
        return rows.compactMap(Timestamp.parse).filter { $0 > now }.max()
    }

    private func recordFailure(keys: [String], username: String, address: String, now: Date) async throws {
        let windowStart = now - policy.lockDuration
        try await database.transaction { db in
            for key in keys {
                let row = try await db.raw("SELECT failures, first_failed_at FROM login_failures WHERE throttle_key = \(bind: key)").first()
                var failures = 1
                var first = now
                if let row, let started = Timestamp.parse(try row.decode(column: "first_failed_at", as: String.self)), started > windowStart {
                    failures = try row.decode(column: "failures", as: Int.self) + 1
                    first = started
                }
                let lockedUntil = failures >= policy.maxFailures ? Timestamp.storage(now + policy.lockDuration) : nil
                try await db.raw("DELETE FROM login_failures WHERE throttle_key = \(bind: key)").run()
                try await db.raw("""
                    INSERT INTO login_failures (throttle_key, failures, first_failed_at, locked_until)
                    VALUES (\(bind: key), \(bind: lockedUntil == nil ? failures : 0), \(bind: Timestamp.storage(first)), \(bind: lockedUntil))
                    """).run()
            }
            let attempted = Scope(userId: nil, username: String(username.prefix(64)), role: .auditor,
                                  regionPath: nil, companyId: nil, estateId: nil)
            try await AuditLog.record(on: db, scope: attempted, at: now, action: "login_failed", entity: "session", entityId: "",
                                      regionPath: nil, after: ["address": address], role: "anonymous")
        }
    }

    static func newToken() -> String {
        var generator = SystemRandomNumberGenerator()
        return (0..<32).map { _ in String(format: "%02x", UInt8.random(in: 0...255, using: &generator)) }.joined()
    }

    static func hash(_ token: String) -> String {
        SHA256.hash(data: Data(token.utf8)).map { String(format: "%02x", $0) }.joined()
    }
}
