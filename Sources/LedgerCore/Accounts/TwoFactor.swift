import Crypto
import Foundation
import HummingbirdOTP
import SQLKit

/// Two-factor sign-in with time-based one-time passwords (TOTP, RFC 6238; codes computed by `HummingbirdOTP`):
/// enrolment by QR code, confirmation with a first code, ten one-time recovery codes, and the check at login.
///
/// Seeds are sealed with the installation's `SecretBox` before they are stored. A code is accepted for the current
/// 30-second step and one step either side (clock drift), and only once: the last step used is kept per user.
public struct TwoFactor: Sendable {
    public static let issuer = "小区公共收益监管平台"
    public static let recoveryCodeCount = 10

    let database: Database
    let clock: any LedgerClock
    let secrets: SecretBox

    public init(database: Database, clock: any LedgerClock, secrets: SecretBox) {
        self.database = database
        self.clock = clock
        self.secrets = secrets
    }

    // MARK: Codes

    /// A new seed: 20 characters from a 62-letter alphabet (about 119 bits), used as the HMAC key's bytes.
    static func newSeed() -> String {
        let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789")
        var generator = SystemRandomNumberGenerator()
        return String((0..<20).map { _ in alphabet[Int(generator.next(upperBound: UInt64(alphabet.count)))] })
    }

    /// The six-digit code for a seed at a time step.
    public static func code(seed: String, step: Int64) -> String {
        let value = TOTP(secret: seed).compute(date: Date(timeIntervalSince1970: Double(step) * 30))
        return String(format: "%06d", value)
    }

    /// The code for any length (RFC 6238's test vectors use eight digits).
    public static func rawCode(seed: String, time: Double, digits: Int) -> Int {
        TOTP(secret: seed, length: digits).compute(date: Date(timeIntervalSince1970: time))
    }

    static func step(_ date: Date) -> Int64 { Int64((date.timeIntervalSince1970 / 30).rounded(.down)) }

    /// The step a code matches within one step of now, later than `after`; nil when none.
    static func matchingStep(seed: String, code: String, now: Date, after: Int64) -> Int64? {
        let digits = code.filter { !$0.isWhitespace }
        guard digits.count == 6, digits.allSatisfy({ $0.isASCII && $0.isNumber }) else { return nil }
        let current = step(now)
        return [current - 1, current, current + 1].first { $0 > after && Self.code(seed: seed, step: $0) == digits }
    }

    /// The `otpauth://` address an authenticator app reads from the QR code.
    public static func authenticatorURL(seed: String, username: String) -> String {
        TOTP(secret: seed).createAuthenticatorURL(label: "\(issuer):\(username)", issuer: issuer)
    }

    /// The seed as an authenticator app asks for it when typed by hand: the Base32 `secret` of the library's own
    /// `otpauth://` address, in groups of four.
    public static func manualKey(seed: String, username: String) -> String {
        let url = URLComponents(string: authenticatorURL(seed: seed, username: username))
        let key = url?.queryItems?.first { $0.name == "secret" }?.value ?? ""
        return stride(from: 0, to: key.count, by: 4).map { String(key.dropFirst($0).prefix(4)) }.joined(separator: " ")
    }

    static func recoveryCode() -> String {
        let alphabet = Array("23456789abcdefghjkmnpqrstuvwxyz")
        var generator = SystemRandomNumberGenerator()
        let chars = (0..<10).map { _ in alphabet[Int(generator.next(upperBound: UInt64(alphabet.count)))] }
        return String(chars[0..<5]) + "-" + String(chars[5..<10])
    }

    static func recoveryHash(_ code: String) -> String {
        let normal = code.lowercased().filter { $0.isLetter || $0.isNumber }
        return Data(SHA256.hash(data: Data(("recovery:" + normal).utf8))).hex
    }

    // MARK: Enrolment

    /// What the enrolment page shows.
    public struct Status: Sendable {
        public let enabled: Bool
        public let required: Bool
        /// While enrolling: the seed (for the QR code and typing by hand).
        public let pendingSeed: String?
        /// Just after confirming: the recovery codes, shown until the user says they are kept.
        public let recoveryCodes: [String]
        public let unusedRecoveryCodes: Int
    }

    public func status(scope: Scope) async throws -> Status {
        guard let userId = scope.userId else { throw LedgerError.forbidden }
        return try await database.read { db in
            guard let row = try await db.raw("""
                SELECT u.totp_enabled, u.totp_pending, u.totp_recovery_display,
                       (SELECT COALESCE(MAX(require_totp), 0) FROM role_policies rp WHERE rp.role = u.role) AS required,
                       (SELECT COUNT(*) FROM totp_recovery_codes c WHERE c.user_id = u.id AND c.used_at IS NULL) AS unused
                FROM users u WHERE u.id = \(bind: userId)
                """).first() else { throw LedgerError.notFound("账号") }
            let pending = try row.decode(column: "totp_pending", as: String?.self).map { try secrets.open($0) }
            let display = try row.decode(column: "totp_recovery_display", as: String?.self).map { try secrets.open($0) }
            return Status(enabled: try row.decode(column: "totp_enabled", as: Int.self) == 1,
                          required: try row.decode(column: "required", as: Int.self) == 1,
                          pendingSeed: pending,
                          recoveryCodes: display.map { $0.split(separator: " ").map(String.init) } ?? [],
                          unusedRecoveryCodes: try row.decode(column: "unused", as: Int.self))
        }
    }

    /// Starts (or restarts) enrolment with a new seed, kept sealed until a first code confirms it.
    public func begin(scope: Scope) async throws {
        guard let userId = scope.userId else { throw LedgerError.forbidden }
        let sealed = try secrets.seal(Self.newSeed())
        let at = clock.now()
        try await database.transaction { db in
            try await db.raw("UPDATE users SET totp_pending = \(bind: sealed) WHERE id = \(bind: userId)").run()
            try await AuditLog.record(on: db, scope: scope, at: at, action: "totp_begin", entity: "user", entityId: "\(userId)",
                                      regionPath: scope.regionPath)
        }
    }

    /// Confirms enrolment with a code from the app: the pending seed becomes the user's, ten recovery codes are made
    /// (any old ones are void) and kept sealed for display until `acknowledgeRecoveryCodes`.
    public func confirm(code: String, scope: Scope) async throws {
        guard let userId = scope.userId else { throw LedgerError.forbidden }
        let now = clock.now()
        let codes = (0..<Self.recoveryCodeCount).map { _ in Self.recoveryCode() }
        let display = try secrets.seal(codes.joined(separator: " "))
        try await database.transaction { [secrets] db in
            try await db.lockRow("users", id: userId)
            guard let sealed = try await db.raw("SELECT totp_pending FROM users WHERE id = \(bind: userId)")
                .first(decodingColumn: "totp_pending", as: String?.self) ?? nil else {
                throw LedgerError(.conflict, code: "no_enrolment", message: "请先点击“开始绑定”生成二维码", field: "code")
            }
            let seed = try secrets.open(sealed)
            guard let step = Self.matchingStep(seed: seed, code: code, now: now, after: 0) else {
                throw LedgerError.invalid("code", code: "bad_totp", "动态码不正确：请输入验证器应用当前显示的6位数字，并确认手机时间准确")
            }
            try await db.raw("""
                UPDATE users SET totp_secret = \(bind: sealed), totp_pending = NULL, totp_enabled = 1, totp_last_step = \(bind: step),
                totp_recovery_display = \(bind: display) WHERE id = \(bind: userId)
                """).run()
            try await db.raw("DELETE FROM totp_recovery_codes WHERE user_id = \(bind: userId)").run()
            for code in codes {
                try await db.raw("""
                    INSERT INTO totp_recovery_codes (user_id, code_hash, created_at)
                    VALUES (\(bind: userId), \(bind: Self.recoveryHash(code)), \(bind: Timestamp.storage(now)))
                    """).run()
            }
            try await AuditLog.record(on: db, scope: scope, at: now, action: "totp_enable", entity: "user", entityId: "\(userId)",
                                      regionPath: scope.regionPath, after: ["recoveryCodes": "\(codes.count)"])
        }
    }

    /// The user has kept the recovery codes: they are not shown again.
    public func acknowledgeRecoveryCodes(scope: Scope) async throws {
        guard let userId = scope.userId else { throw LedgerError.forbidden }
        let at = clock.now()
        try await database.transaction { db in
            try await db.raw("UPDATE users SET totp_recovery_display = NULL WHERE id = \(bind: userId)").run()
            try await AuditLog.record(on: db, scope: scope, at: at, action: "totp_codes_kept", entity: "user", entityId: "\(userId)",
                                      regionPath: scope.regionPath)
        }
    }

    // MARK: Login

    /// Checks a login's second factor inside the login: a current code (once) or an unused recovery code (once).
    /// Returns nil when it passes, otherwise the refusal.
    static func check(userId: Int64, code: String?, secrets: SecretBox, now: Date, on db: any SQLDatabase) async throws -> LedgerError? {
        let given = (code ?? "").trimmingCharacters(in: .whitespaces)
        guard !given.isEmpty else {
            return LedgerError(.unauthorized, code: "totp_required", message: "该账号已启用两步验证，请输入验证器应用中的6位动态码", field: "totp")
        }
        guard let row = try await db.raw("SELECT totp_secret, totp_last_step FROM users WHERE id = \(bind: userId)").first(),
              let sealed = try row.decode(column: "totp_secret", as: String?.self) else {
            return LedgerError(.unauthorized, code: "bad_totp", message: "动态码不正确", field: "totp")
        }
        let last = try row.decode(column: "totp_last_step", as: Int64.self)
        if given.contains("-") || given.count == 10 {
            let used = try await db.raw("""
                UPDATE totp_recovery_codes SET used_at = \(bind: Timestamp.storage(now))
                WHERE user_id = \(bind: userId) AND code_hash = \(bind: recoveryHash(given)) AND used_at IS NULL RETURNING id
                """).first()
            return used == nil ? LedgerError(.unauthorized, code: "bad_totp", message: "恢复码不正确或已使用", field: "totp") : nil
        }
        guard let step = matchingStep(seed: try secrets.open(sealed), code: given, now: now, after: last) else {
            return LedgerError(.unauthorized, code: "bad_totp", message: "动态码不正确或已使用，请等待验证器显示新的动态码", field: "totp")
        }
        let taken = try await db.raw("""
            UPDATE users SET totp_last_step = \(bind: step) WHERE id = \(bind: userId) AND totp_last_step < \(bind: step) RETURNING id
            """).first()
        return taken == nil ? LedgerError(.unauthorized, code: "bad_totp", message: "动态码已使用，请等待验证器显示新的动态码", field: "totp") : nil
    }
}
