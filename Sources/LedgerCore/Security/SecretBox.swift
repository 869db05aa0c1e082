import Crypto
import Foundation
import SQLKit

/// Encrypts secrets kept in the database (the TOTP seeds) with AES-256-GCM under a key that is *not* in the database:
/// `LEDGER_SECRET_KEY` (64 hex characters), or the file `LEDGER_SECRET_KEY_FILE` names, or — when neither is set — a key
/// file created on first start beside the data (`./data/secret.key`, mode 0600).
///
/// Each sealed value names the key it was sealed with (`v1:<key id>:<base64>`), so a key can be rotated: start with the
/// new key and the old one in `LEDGER_SECRET_KEY_PREVIOUS`, run `ledger secrets rotate`, then drop the old key.
public struct SecretBox: Sendable {
    public let current: SymmetricKey
    let previous: [SymmetricKey]

    public init(key: SymmetricKey, previous: [SymmetricKey] = []) {
        self.current = key
        self.previous = previous
    }

    /// A random key for this process only (tests; values sealed with it die with the process).
    public static let ephemeral = SecretBox(key: SymmetricKey(size: .bits256))

    /// The key's short public id: the first 8 hex digits of SHA-256 over it.
    static func id(of key: SymmetricKey) -> String {
        String(key.withUnsafeBytes { Data(SHA256.hash(data: Data($0))) }.hex.prefix(8))
    }

    public var keyId: String { Self.id(of: current) }

    public func seal(_ plaintext: String) throws -> String {
        let box = try AES.GCM.seal(Data(plaintext.utf8), using: current)
        guard let combined = box.combined else { throw LedgerError(.conflict, code: "seal_failed", message: "密钥加密失败") }
        return "v1:\(keyId):\(combined.base64EncodedString())"
    }

    public func open(_ sealed: String) throws -> String {
        let parts = sealed.split(separator: ":", maxSplits: 2).map(String.init)
        guard parts.count == 3, parts[0] == "v1", let data = Data(base64Encoded: parts[2]) else {
            throw LedgerError(.conflict, code: "secret_unreadable", message: "加密数据格式无法识别")
        }
        guard let key = ([current] + previous).first(where: { Self.id(of: $0) == parts[1] }) else {
            throw LedgerError(.conflict, code: "secret_key_missing",
                              message: "加密数据使用的密钥（\(parts[1])）未配置；请在 LEDGER_SECRET_KEY_PREVIOUS 中提供旧密钥")
        }
        let box = try AES.GCM.SealedBox(combined: data)
        return String(decoding: try AES.GCM.open(box, using: key), as: UTF8.self)
    }

    /// Whether a sealed value uses the current key (rotation re-seals the others).
    public func isCurrent(_ sealed: String) -> Bool { sealed.hasPrefix("v1:\(keyId):") }

    /// The key from the environment or the key file, creating the file when nothing is configured.
    public static func configured(environment: [String: String] = ProcessInfo.processInfo.environment,
                                  defaultFile: String = "./data/secret.key") throws -> SecretBox {
        func parse(_ text: String, _ source: String) throws -> SymmetricKey {
            let trimmed = text.trimmingCharacters(in: .whitespacesAndNewlines)
            guard let bytes = Data(hex: trimmed) ?? Data(base64Encoded: trimmed), bytes.count == 32 else {
                throw LedgerError(.invalid, code: "bad_secret_key", message: "\(source) 应为 32 字节密钥（64 位十六进制或 Base64）")
            }
            return SymmetricKey(data: bytes)
        }
        let previous = try (environment["LEDGER_SECRET_KEY_PREVIOUS"] ?? "").split(separator: ",").map {
            try parse(String($0), "LEDGER_SECRET_KEY_PREVIOUS")
        }
        if let text = environment["LEDGER_SECRET_KEY"], !text.isEmpty {
            return SecretBox(key: try parse(text, "LEDGER_SECRET_KEY"), previous: previous)
        }
        let path = environment["LEDGER_SECRET_KEY_FILE"].flatMap { $0.isEmpty ? nil : $0 } ?? defaultFile
        if let text = try? String(contentsOfFile: path, encoding: .utf8) {
            return SecretBox(key: try parse(text, path), previous: previous)
        }
        let key = SymmetricKey(size: .bits256)
        let directory = (path as NSString).deletingLastPathComponent
        if !directory.isEmpty { try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true) }
        let hex = key.withUnsafeBytes { Data($0) }.hex
        guard FileManager.default.createFile(atPath: path, contents: Data((hex + "\n").utf8), attributes: [.posixPermissions: 0o600]) else {
            throw LedgerError(.invalid, code: "secret_key_file", message: "无法创建密钥文件 \(path)")
        }
        return SecretBox(key: key, previous: previous)
    }
}

extension SecretBox {
    /// Re-seals every stored secret with the current key (after a key change, with the old key in `previous`).
    /// Returns how many values were re-sealed. One transaction, one audit entry.
    public func rotate(in database: Database, at: Date) async throws -> Int {
        try await database.transaction { db in
            var count = 0
            for column in ["totp_secret", "totp_pending", "totp_recovery_display"] {
                let rows = try await db.raw("SELECT id, \(ident: column) AS value FROM users WHERE \(ident: column) IS NOT NULL").all()
                for row in rows {
                    let sealed = try row.decode(column: "value", as: String.self)
                    guard !isCurrent(sealed) else { continue }
                    let resealed = try seal(try open(sealed))
                    try await db.raw("UPDATE users SET \(ident: column) = \(bind: resealed) WHERE id = \(bind: try row.decode(column: "id", as: Int64.self))").run()
                    count += 1
                }
            }
            try await AuditLog.record(on: db, scope: .system, at: at, action: "rotate_secret_key", entity: "secrets", entityId: keyId,
                                      regionPath: nil, after: ["resealed": "\(count)"])
            return count
        }
    }

    /// Replaces the installation's rate-limit address key: hashes made with the old one stop matching (rate-limit
    /// windows start again), nothing else changes.
    public static func rotateAddressKey(in database: Database, at: Date) async throws {
        try await database.transaction { db in
            try await db.raw("DELETE FROM installation_secrets WHERE name = 'address_hmac'").run()
            try await AuditLog.record(on: db, scope: .system, at: at, action: "rotate_address_key", entity: "secrets", entityId: "address_hmac",
                                      regionPath: nil)
        }
    }
}
