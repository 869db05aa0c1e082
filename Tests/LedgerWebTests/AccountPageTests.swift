import Foundation
import Hummingbird
import HummingbirdTesting
import LedgerCore
import LedgerTestSupport
import LedgerWeb
import NIOCore
import SQLKit
import Testing

/// Account administration within jurisdiction, forced password change and two-factor enrolment, and the API's `totp`.
@Suite struct AccountPageTests {
    static func newAccount(_ world: World, username: String, region: String, password: String = "Street-Officer-2026") -> [String: String] {
        ["username": username, "displayName": "街道干事", "password": password, "role": "street", "region": region]
    }

    @Test(arguments: TestDatabase.available)
    func regulatorManagesAccountsOfItsOwnRegionOnly(kind: TestDatabase.Kind) async throws {
        try await WebHarness.run(kind) { harness, client in
            let world = harness.world
            let regulator = harness.browser(try await harness.token(world.a.users[.regulator]!))
            // Every field error at once, beside its field.
            let bad = try await client.execute(uri: "/accounts", method: .post, headers: regulator,
                                               body: WebHarness.form(["username": "a", "password": "password1", "role": "street"]))
            #expect(bad.status == .badRequest)
            #expect(bad.text.contains("用户名应为3至40位") || bad.text.contains("请填写姓名"))
            #expect(bad.text.contains("密码至少10位") && bad.text.contains("该密码过于常见") && bad.text.contains("该角色须绑定行政区划"))
            // Another county's region is refused, and nothing is written.
            let before = try await world.fingerprint()
            let outside = try await client.execute(uri: "/accounts", method: .post, headers: regulator,
                                                   body: WebHarness.form(Self.newAccount(world, username: "street.b2", region: world.b.street.code)))
            #expect(outside.status == .badRequest && outside.text.contains("不在您的管辖范围内"))
            #expect(try await world.fingerprint() == before)
            // Its own street is fine.
            let created = try await client.execute(uri: "/accounts", method: .post, headers: regulator,
                                                   body: WebHarness.form(Self.newAccount(world, username: "street.a2", region: world.a.street.code)))
            #expect(created.status == .seeOther)
            let location = try #require(created.headers[.location])
            let page = try await client.execute(uri: location, method: .get, headers: regulator)
            #expect(page.status == .ok && page.text.contains("street.a2") && page.text.contains("账号已创建"))
            // The list shows A's accounts and none of B's.
            let list = try await client.execute(uri: "/accounts", method: .get, headers: regulator)
            #expect(list.text.contains("street.a2") && !list.text.contains(world.b.users[.regulator]!.username))
            // A regulator cannot make an administrator.
            var admin = Self.newAccount(world, username: "boss.a", region: world.a.county.code)
            admin["role"] = "admin"
            let refused = try await client.execute(uri: "/accounts", method: .post, headers: regulator, body: WebHarness.form(admin))
            #expect(refused.status == .badRequest && refused.text.contains("您不能创建"))
        }
    }

    @Test(arguments: TestDatabase.available)
    func disablingEndsSessionsAndAResetPasswordMustBeChanged(kind: TestDatabase.Kind) async throws {
        try await WebHarness.run(kind) { harness, client in
            let world = harness.world
            let regulator = harness.browser(try await harness.token(world.a.users[.regulator]!))
            let street = world.a.users[.street]!
            let streetToken = try await harness.token(street)
            #expect(try await client.execute(uri: "/estates", method: .get, headers: harness.browser(streetToken)).status == .ok)
            // Disabling needs the confirmation box, then ends the session at once.
            let unconfirmed = try await client.execute(uri: "/accounts/\(street.id)", method: .post, headers: regulator,
                                                       body: WebHarness.form(["action": "disable"]))
            #expect(unconfirmed.status == .badRequest && unconfirmed.text.contains("请勾选"))
            let disabled = try await client.execute(uri: "/accounts/\(street.id)", method: .post, headers: regulator,
                                                    body: WebHarness.form(["action": "disable", "confirm": "1"]))
            #expect(disabled.status == .seeOther)
            let after = try await client.execute(uri: "/estates", method: .get, headers: harness.browser(streetToken))
            #expect(after.status == .seeOther && after.headers[.location] == "/login")
            _ = try await client.execute(uri: "/accounts/\(street.id)", method: .post, headers: regulator, body: WebHarness.form(["action": "enable"]))
            // A reset password is refused when weak, and otherwise must be changed before anything else.
            let weak = try await client.execute(uri: "/accounts/\(street.id)", method: .post, headers: regulator,
                                                body: WebHarness.form(["action": "reset_password", "password": "street-a1234"]))
            #expect(weak.status == .badRequest && weak.text.contains("密码不能包含用户名"))
            let reset = try await client.execute(uri: "/accounts/\(street.id)", method: .post, headers: regulator,
                                                 body: WebHarness.form(["action": "reset_password", "password": "Temporary-Pass-77"]))
            #expect(reset.status == .seeOther)
            let (_, fresh) = try await Authenticator(database: world.database, clock: world.clock)
                .login(username: street.username, password: "Temporary-Pass-77", address: "10.9.0.1", kind: .browser)
            let forced = try await client.execute(uri: "/estates", method: .get, headers: harness.browser(fresh))
            #expect(forced.status == .seeOther && forced.headers[.location] == "/account")
            let own = try await client.execute(uri: "/account", method: .get, headers: harness.browser(fresh))
            #expect(own.text.contains("管理员已重置您的密码"))
            let changed = try await client.execute(uri: "/account/password", method: .post, headers: harness.browser(fresh),
                                                   body: WebHarness.form(["current": "Temporary-Pass-77", "password": "My-Own-Pass-2026",
                                                                          "confirmation": "My-Own-Pass-2026"]))
            #expect(changed.status == .seeOther)
            #expect(try await client.execute(uri: "/estates", method: .get, headers: harness.browser(fresh)).status == .ok)
            // Every step is in the audit log.
            let actions = try await world.database.read { db in
                try await db.raw("SELECT action FROM audit_log WHERE entity = 'user' ORDER BY id").all(decodingColumn: "action", as: String.self)
            }
            #expect(Array(actions.suffix(4)) == ["disable", "enable", "reset_password", "change_password"])
        }
    }

    @Test(arguments: TestDatabase.available)
    func aRoleThatRequiresTOTPMustEnrolAndTheAPINeedsTheCode(kind: TestDatabase.Kind) async throws {
        try await WebHarness.run(kind) { harness, client in
            let world = harness.world
            let admin = harness.browser(try await harness.token(world.admin))
            let policy = try await client.execute(uri: "/accounts/two-factor", method: .post, headers: admin,
                                                  body: WebHarness.form(["require": "regulator"]))
            #expect(policy.status == .seeOther)
            let regulator = world.a.users[.regulator]!
            let token = try await harness.token(regulator)
            let forced = try await client.execute(uri: "/warnings", method: .get, headers: harness.browser(token))
            #expect(forced.status == .seeOther && forced.headers[.location] == "/account")
            let api = try await client.execute(uri: "/api/v1/estates", method: .get, headers: harness.api(token))
            #expect(api.status == .forbidden && api.apiError["code"] == "totp_enrolment_required")
            // Enrol through the pages: begin shows a QR code, a wrong code is refused, the right one enables it.
            _ = try await client.execute(uri: "/account/totp/begin", method: .post, headers: harness.browser(token), body: WebHarness.form([:]))
            let enrol = try await client.execute(uri: "/account", method: .get, headers: harness.browser(token))
            #expect(enrol.text.contains("<svg") && enrol.text.contains("id=\"totp-key\""))
            let seed = try await TwoFactor(database: world.database, clock: world.clock, secrets: .ephemeral).status(scope: regulator.scope).pendingSeed!
            let step = Int64(world.clock.now().timeIntervalSince1970 / 30)
            let wrongCode = TwoFactor.code(seed: seed, step: step) == "123456" ? "654321" : "123456"
            let wrong = try await client.execute(uri: "/account/totp/confirm", method: .post, headers: harness.browser(token),
                                                 body: WebHarness.form(["code": wrongCode]))
            #expect(wrong.status == .badRequest && wrong.text.contains("动态码不正确"))
            let confirmed = try await client.execute(uri: "/account/totp/confirm", method: .post, headers: harness.browser(token),
                                                     body: WebHarness.form(["code": TwoFactor.code(seed: seed, step: step)]))
            #expect(confirmed.status == .seeOther)
            let codes = try await client.execute(uri: "/account", method: .get, headers: harness.browser(token))
            #expect(codes.text.contains("id=\"recovery-codes\"") && codes.text.contains("id=\"totp-enabled\""))
            #expect(try await client.execute(uri: "/warnings", method: .get, headers: harness.browser(token)).status == .ok)
            // The API: no code, 401 naming the field; the next step's code, a token.
            world.clock.advance(by: 30)
            let noCode = try await client.execute(uri: "/api/v1/session", method: .post, headers: [.contentType: "application/json"],
                                                  body: WebHarness.json(["username": regulator.username, "password": World.password]))
            #expect(noCode.status == .unauthorized && noCode.apiError["code"] == "totp_required" && noCode.apiError["field"] == "totp")
            let withCode = try await client.execute(uri: "/api/v1/session", method: .post, headers: [.contentType: "application/json"],
                                                    body: WebHarness.json(["username": regulator.username, "password": World.password,
                                                                           "totp": TwoFactor.code(seed: seed, step: step + 1)]))
            #expect(withCode.status == .created)
        }
    }
}
