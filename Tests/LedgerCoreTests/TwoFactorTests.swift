import Crypto
import Foundation
import LedgerCore
import LedgerTestSupport
import SQLKit
import Testing

/// Two-factor sign-in: RFC 6238's own test vectors, enrolment, login with a code (once), recovery codes (once), and the
/// sealed seed.
@Suite struct TwoFactorTests {
    static let kinds = TestDatabase.available

    /// RFC 6238 Appendix B, SHA-1: the seed is the ASCII string "12345678901234567890", 8 digits, 30-second steps.
    @Test(arguments: [
        (59.0, "94287082"), (1_111_111_109.0, "07081804"), (1_111_111_111.0, "14050471"),
        (1_234_567_890.0, "89005924"), (2_000_000_000.0, "69279037"), (20_000_000_000.0, "65353130"),
    ])
    func rfc6238TestVectors(time: Double, expected: String) {
        let code = TOTPVector.code(seed: "12345678901234567890", time: time, digits: 8)
        #expect(code == expected)
        // The six-digit code the platform asks for is the same value's last six digits.
        #expect(TwoFactor.code(seed: "12345678901234567890", step: Int64(time / 30)) == String(expected.suffix(6)))
    }

    @Test func secretsAreSealedAndNameTheirKey() throws {
        let box = SecretBox.ephemeral
        let sealed = try box.seal("JBSWY3DPEHPK3PXP")
        #expect(!sealed.contains("JBSWY3DPEHPK3PXP") && sealed.hasPrefix("v1:\(box.keyId):"))
        #expect(try box.open(sealed) == "JBSWY3DPEHPK3PXP")
        // Another key cannot open it, and says which key is missing; with the old key as "previous" it can.
        let other = SecretBox(key: .init(size: .bits256))
        #expect(throws: LedgerError.self) { try other.open(sealed) }
        let rotated = SecretBox(key: .init(size: .bits256), previous: [box.current])
        #expect(try rotated.open(sealed) == "JBSWY3DPEHPK3PXP" && !rotated.isCurrent(sealed))
    }

    @Test(arguments: kinds)
    func enrolThenLoginWithACodeOnceAndARecoveryCodeOnce(kind: TestDatabase.Kind) async throws {
        try await withDatabase(kind) { database in
            let world = try await World.build(in: database)
            let user = world.a.users[.regulator]!
            let twoFactor = TwoFactor(database: database, clock: world.clock, secrets: .ephemeral)
            let auth = Authenticator(database: database, clock: world.clock, secrets: .ephemeral)
            try await twoFactor.begin(scope: user.scope)
            let status = try await twoFactor.status(scope: user.scope)
            let seed = try #require(status.pendingSeed)
            #expect(!status.enabled)
            // The stored seed is sealed.
            let stored = try await database.read { db in
                try await db.raw("SELECT totp_pending FROM users WHERE id = \(bind: user.id)").first(decodingColumn: "totp_pending", as: String.self)
            }
            #expect(stored?.contains(seed) == false)
            let now = world.clock.now()
            let step = Int64(now.timeIntervalSince1970 / 30)
            await #expect(throws: LedgerError.self) { try await twoFactor.confirm(code: "000000" == TwoFactor.code(seed: seed, step: step) ? "111111" : "000000", scope: user.scope) }
            try await twoFactor.confirm(code: TwoFactor.code(seed: seed, step: step), scope: user.scope)
            let enrolled = try await twoFactor.status(scope: user.scope)
            #expect(enrolled.enabled && enrolled.recoveryCodes.count == 10 && enrolled.unusedRecoveryCodes == 10)
            // The password alone is no longer enough.
            do {
                _ = try await auth.login(username: user.username, password: World.password, address: "10.1.0.1", kind: .api)
                Issue.record("logged in without the second factor")
            } catch let error as LedgerError { #expect(error.code == "totp_required") }
            // The code used to confirm cannot be used again; the next step's code works, once.
            world.clock.advance(by: 30)
            let next = TwoFactor.code(seed: seed, step: step + 1)
            let (signedIn, _) = try await auth.login(username: user.username, password: World.password, totp: next, address: "10.1.0.1", kind: .api)
            #expect(signedIn.id == user.id && signedIn.totpEnabled == 1)
            do {
                _ = try await auth.login(username: user.username, password: World.password, totp: next, address: "10.1.0.1", kind: .api)
                Issue.record("a code was accepted twice")
            } catch let error as LedgerError { #expect(error.code == "bad_totp") }
            // A recovery code stands in for the code, once.
            let recovery = enrolled.recoveryCodes[0]
            _ = try await auth.login(username: user.username, password: World.password, totp: recovery.uppercased(), address: "10.1.0.1", kind: .api)
            do {
                _ = try await auth.login(username: user.username, password: World.password, totp: recovery, address: "10.1.0.1", kind: .api)
                Issue.record("a recovery code was accepted twice")
            } catch let error as LedgerError { #expect(error.code == "bad_totp") }
            #expect(try await twoFactor.status(scope: user.scope).unusedRecoveryCodes == 9)
            // Once acknowledged, the codes are not shown again.
            try await twoFactor.acknowledgeRecoveryCodes(scope: user.scope)
            #expect(try await twoFactor.status(scope: user.scope).recoveryCodes.isEmpty)
        }
    }
}

/// RFC 6238's reference computation with any number of digits (HummingbirdOTP's `TOTP` takes the length too).
enum TOTPVector {
    static func code(seed: String, time: Double, digits: Int) -> String {
        String(format: "%0\(digits)d", TwoFactor.rawCode(seed: seed, time: time, digits: digits))
    }
}
