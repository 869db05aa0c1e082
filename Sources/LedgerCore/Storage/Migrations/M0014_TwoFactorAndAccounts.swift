import Foundation
import SQLKit

/// Two-factor sign-in (TOTP, RFC 6238), account administration and personal-data retention (issue #10):
/// - users: the sealed TOTP seed (`totp_secret`, and `totp_pending` while enrolling), the last time step accepted
///   (a code is good once), whether the user must choose a new password at next login;
/// - one-time recovery codes, stored hashed;
/// - which roles must use two-factor sign-in (`role_policies`, set by the admin);
/// - complaints: when the complainant's name and phone were erased after the retention period.
struct M0014_TwoFactorAndAccounts: Migration {
    let version = 14
    let name = "0014_two_factor_and_accounts"

    func prepare(on db: any SQLDatabase, dialect d: SchemaDialect) async throws {
        try await d.exec(db, "ALTER TABLE users ADD COLUMN totp_secret TEXT")
        try await d.exec(db, "ALTER TABLE users ADD COLUMN totp_pending TEXT")
        try await d.exec(db, "ALTER TABLE users ADD COLUMN totp_enabled BIGINT NOT NULL DEFAULT 0")
        try await d.exec(db, "ALTER TABLE users ADD COLUMN totp_last_step BIGINT NOT NULL DEFAULT 0")
        try await d.exec(db, "ALTER TABLE users ADD COLUMN must_change_password BIGINT NOT NULL DEFAULT 0")
        try await d.exec(db, "ALTER TABLE users ADD COLUMN totp_recovery_display TEXT")
        try await d.exec(db, """
            CREATE TABLE totp_recovery_codes (
                \(d.id),
                user_id BIGINT NOT NULL REFERENCES users(id),
                code_hash TEXT NOT NULL,
                created_at TEXT NOT NULL,
                used_at TEXT)
            """)
        try await d.exec(db, "CREATE INDEX totp_recovery_codes_user ON totp_recovery_codes(user_id)")
        try await d.exec(db, """
            CREATE TABLE role_policies (
                role TEXT PRIMARY KEY,
                require_totp BIGINT NOT NULL DEFAULT 0,
                updated_at TEXT NOT NULL)
            """)
        try await d.exec(db, "ALTER TABLE complaints ADD COLUMN personal_erased_at TEXT")
    }
}
