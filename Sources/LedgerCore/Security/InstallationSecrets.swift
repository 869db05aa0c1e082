import Crypto
import Foundation
import SQLKit

/// Keys that belong to one installation, created at random the first time they are needed and kept in the database
/// (`installation_secrets`), so every server behind the load balancer uses the same ones.
public enum InstallationSecrets {
    /// The key that turns a client address into a rate-limit hash (HMAC-SHA-256): the stored hashes cannot be reversed
    /// by trying all four billion IPv4 addresses without it.
    static let addressKey = "address_hmac"

    /// The named key, created if it does not exist yet (inside the caller's transaction).
    static func key(_ name: String, on db: any SQLDatabase, at: Date = Date()) async throws -> SymmetricKey {
        if let stored = try await db.raw("SELECT value FROM installation_secrets WHERE name = \(bind: name)")
            .first(decodingColumn: "value", as: String.self), let bytes = Data(hex: stored) {
            return SymmetricKey(data: bytes)
        }
        let fresh = SymmetricKey(size: .bits256).withUnsafeBytes { Data($0) }
        try await db.raw("""
            INSERT INTO installation_secrets (name, value, created_at) VALUES (\(bind: name), \(bind: fresh.hex), \(bind: Timestamp.storage(at)))
            ON CONFLICT (name) DO NOTHING
            """).run()
        let stored = try await db.raw("SELECT value FROM installation_secrets WHERE name = \(bind: name)")
            .first(decodingColumn: "value", as: String.self)
        guard let stored, let bytes = Data(hex: stored) else { throw LedgerError(.conflict, code: "secret", message: "安装密钥无法读取") }
        return SymmetricKey(data: bytes)
    }

    /// The rate-limit hash of a client address for one purpose (`complaint`, `question`): HMAC-SHA-256 with the
    /// installation's address key, hex.
    public static func addressHash(_ address: String, purpose: String, on db: any SQLDatabase) async throws -> String {
        let key = try await key(addressKey, on: db)
        return Data(HMAC<SHA256>.authenticationCode(for: Data("\(purpose):\(address)".utf8), using: key)).hex
    }
}
