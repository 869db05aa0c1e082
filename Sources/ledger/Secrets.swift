import ArgumentParser
import Foundation
import LedgerCore

/// `ledger secrets rotate`: after the key changed (the old one in `LEDGER_SECRET_KEY_PREVIOUS`), re-seal every stored
/// TOTP seed with the new key; `--address-key` also replaces the rate-limit address key.
struct SecretsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "secrets", abstract: "密钥轮换 (re-seal stored secrets with the current key)",
                                                    subcommands: [Rotate.self])

    struct Rotate: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "用当前密钥重新加密两步验证种子 (re-seal with the current key)")

        @OptionGroup var database: DatabaseOptions
        @Flag(name: .customLong("address-key"), help: "also replace the rate-limit address key") var addressKey = false

        func run() async throws {
            let box = try SecretBox.configured(defaultFile: database.defaultKeyFile)
            let db = try await database.open()
            do {
                let count = try await box.rotate(in: db, at: Date())
                if addressKey { try await SecretBox.rotateAddressKey(in: db, at: Date()) }
                await db.close()
                print("已用密钥 \(box.keyId) 重新加密 \(count) 项\(addressKey ? "；限流地址密钥已更换" : "")")
            } catch {
                await db.close()
                throw error
            }
        }
    }
}
