import Foundation
import LedgerCore
import LedgerTestSupport
import SQLKit
import Synchronization
import Testing

@Suite struct AuthenticatorTests {
    static let kinds = TestDatabase.available

    // MARK: Tests

    @Test(arguments: kinds)
    func loginOpensASessionAndLogoutEndsIt(kind: TestDatabase.Kind) async throws {
        try await withDatabase(kind) { database in
            let world = try await World.build(in: database)
            let auth = Authenticator(database: database, clock: world.clock)
            // MUT
            let (user, token) = try await auth.login(username: "regulator-a", password: World.password, address: "10.0.0.1", kind: .browser)
            // validation
            #expect(user.role == .regulator)
            #expect(try await auth.user(forToken: token)?.id == user.id)
            let stored = try await database.read { db in
                try await db.raw("SELECT token_hash FROM sessions").all(decodingColumn: "token_hash", as: String.self)
            }
            #expect(!stored.contains(token), "tokens are stored hashed")
            try await auth.logout(token: token)
            #expect(try await auth.user(forToken: token) == nil)
        }
    }

    @Test(arguments: kinds)
    func fiveFailuresLockTheAccountForFifteenMinutes(kind: TestDatabase.Kind) async throws {
        try await withDatabase(kind) { database in
            let world = try await World.build(in: database)
            let auth = Authenticator(database: database, clock: world.clock)
            for attempt in 1...5 {
                await #expect(throws: LedgerError.self, "attempt \(attempt)") {
                    _ = try await auth.login(username: "regulator-a", password: "wrong-\(attempt)", address: "10.0.0.\(attempt)", kind: .browser)
                }
            }
            // Even the right password is refused while locked, and the message says so.
            do {
                _ = try await auth.login(username: "regulator-a", password: World.password, address: "10.0.0.9", kind: .browser)
                Issue.record("locked account logged in")
            } catch let error as LedgerError {
                #expect(error.kind == .locked)
                #expect(error.message.contains("锁定15分钟"))
            }
            world.clock.advance(by: 15 * 60 + 1)
            let (user, _) = try await auth.login(username: "regulator-a", password: World.password, address: "10.0.0.9", kind: .browser)
            #expect(user.username == "regulator-a")
        }
    }

    /// 32 wrong passwords at once for one account: the lock is counted before bcrypt, so at most five reach it, the rest
    /// are refused as locked, and the right password straight after is refused too.
    @Test(arguments: kinds)
    func parallelGuessesCannotSlipPastTheLock(kind: TestDatabase.Kind) async throws {
        try await withDatabase(kind) { database in
            let world = try await World.build(in: database)
            let checks = Mutex(0)
            var policy = Authenticator.Policy()
            policy.verifyPassword = { password, hash in
                checks.withLock { $0 += 1 }
                return password == World.password && !hash.isEmpty
            }
            let auth = Authenticator(database: database, clock: world.clock, policy: policy)
            let outcomes = await withTaskGroup(of: String.self) { group in
                for attempt in 0..<32 {
                    group.addTask {
                        do {
                            _ = try await auth.login(username: "regulator-a", password: "wrong-\(attempt)",
                                                     address: "198.51.100.\(attempt)", kind: .api)
                            return "ok"
                        } catch let error as LedgerError {
                            return error.code
                        } catch {
                            return "\(error)"
                        }
                    }
                }
                var all: [String] = []
                for await outcome in group { all.append(outcome) }
                return all
            }
            // validation
            let reachedBcrypt = checks.withLock { $0 }
            #expect(reachedBcrypt <= 5, "\(reachedBcrypt) guesses reached the password check")
            #expect(outcomes.filter { $0 == "bad_credentials" }.count == reachedBcrypt)
            #expect(outcomes.filter { $0 == "locked" }.count == 32 - reachedBcrypt, "\(outcomes)")
            do {
                _ = try await auth.login(username: "regulator-a", password: World.password, address: "198.51.100.99", kind: .api)
                Issue.record("the right password opened a locked account")
            } catch let error as LedgerError {
                #expect(error.code == "locked")
            }
            #expect(checks.withLock { $0 } == reachedBcrypt, "a locked account's password is not checked at all")
        }
    }

    /// An office behind one router: a clerk who mistypes six times locks only their own account; a colleague at the
    /// next desk still signs in from the same address.
    @Test(arguments: kinds)
    func oneClerksTyposDoNotLockColleaguesOut(kind: TestDatabase.Kind) async throws {
        try await withDatabase(kind) { database in
            let world = try await World.build(in: database)
            let auth = Authenticator(database: database, clock: world.clock)
            for attempt in 1...6 {
                await #expect(throws: LedgerError.self, "attempt \(attempt)") {
                    _ = try await auth.login(username: "street-a", password: "typo-\(attempt)", address: "192.0.2.7", kind: .browser)
                }
            }
            do {
                _ = try await auth.login(username: "street-a", password: World.password, address: "192.0.2.7", kind: .browser)
                Issue.record("the locked account signed in")
            } catch let error as LedgerError {
                #expect(error.code == "locked" && error.message.contains("该账号"), "\(error.message)")
            }
            let (colleague, _) = try await auth.login(username: "regulator-a", password: World.password, address: "192.0.2.7", kind: .browser)
            #expect(colleague.username == "regulator-a")
        }
    }

    /// Fifty failures from one address in the window, spread over many accounts (password spraying), lock the address:
    /// the fifty-first attempt, even with a right password, is refused without its password being checked; another
    /// address is not affected, and the lock ends after fifteen minutes.
    @Test(arguments: kinds)
    func fiftyFailuresFromOneAddressLockThatAddress(kind: TestDatabase.Kind) async throws {
        try await withDatabase(kind) { database in
            let world = try await World.build(in: database)
            let checks = Mutex(0)
            var policy = Authenticator.Policy()
            #expect(policy.maxFailures == 5 && policy.maxAddressFailures == 50)
            policy.verifyPassword = { password, hash in
                checks.withLock { $0 += 1 }
                return password == World.password && !hash.isEmpty
            }
            let auth = Authenticator(database: database, clock: world.clock, policy: policy)
            for attempt in 1...50 {
                await #expect(throws: LedgerError.self) {
                    _ = try await auth.login(username: "user-\(attempt)", password: "x", address: "192.0.2.7", kind: .api)
                }
            }
            #expect(checks.withLock { $0 } == 50, "the first fifty attempts reach the password check")
            do {
                _ = try await auth.login(username: "regulator-b", password: World.password, address: "192.0.2.7", kind: .api)
                Issue.record("a locked address signed in")
            } catch let error as LedgerError {
                #expect(error.code == "locked" && error.message.contains("本网络"), "\(error.message)")
            }
            #expect(checks.withLock { $0 } == 50, "a locked address's attempt is not checked")
            _ = try await auth.login(username: "regulator-b", password: World.password, address: "192.0.2.8", kind: .api)
            world.clock.advance(by: 15 * 60 + 1)
            _ = try await auth.login(username: "regulator-b", password: World.password, address: "192.0.2.7", kind: .api)
        }
    }

    @Test(arguments: kinds)
    func sessionsExpireWhenIdleAndWhenTheAccountIsDisabled(kind: TestDatabase.Kind) async throws {
        try await withDatabase(kind) { database in
            let world = try await World.build(in: database)
            let auth = Authenticator(database: database, clock: world.clock)
            let (_, idle) = try await auth.login(username: "street-a", password: World.password, address: "a", kind: .browser)
            world.clock.advance(by: 29 * 60)
            #expect(try await auth.user(forToken: idle) != nil)
            world.clock.advance(by: 31 * 60)
            #expect(try await auth.user(forToken: idle) == nil, "idle for 31 minutes")

            let (user, live) = try await auth.login(username: "street-a", password: World.password, address: "a", kind: .browser)
            try await UserDirectory(database: database, clock: world.clock).disable(id: user.id, scope: world.admin.scope)
            #expect(try await auth.user(forToken: live) == nil)
            await #expect(throws: LedgerError.self) {
                _ = try await auth.login(username: "street-a", password: World.password, address: "a", kind: .browser)
            }
        }
    }

    @Test(arguments: kinds)
    func failedLoginsAreAudited(kind: TestDatabase.Kind) async throws {
        try await withDatabase(kind) { database in
            let world = try await World.build(in: database)
            let auth = Authenticator(database: database, clock: world.clock)
            _ = try? await auth.login(username: "nobody", password: "x", address: "198.51.100.1", kind: .browser)
            var filter = AuditFilter()
            filter.action = "login_failed"
            let entries = try await AuditLog.entries(in: database, scope: world.admin.scope, filter: filter)
            #expect(entries.items.map(\.username) == ["nobody"])
            #expect(entries.items[0].role == "anonymous")
        }
    }

    @Test func weakPasswordsAreRefused() {
        #expect(UserDirectory.passwordProblem("short1") != nil)
        #expect(UserDirectory.passwordProblem("onlyletters") != nil)
        #expect(UserDirectory.passwordProblem("12345678") != nil)
        #expect(UserDirectory.passwordProblem("Ledger@2024") == nil)
        // Ten characters at least; nine is refused.
        #expect(PasswordPolicy.problems("Abcdefg12", username: "x") == ["密码至少10位"])
        // Not containing the username, whatever the case.
        #expect(PasswordPolicy.problems("Zhang.San-2024", username: "zhang.san") == ["密码不能包含用户名"])
        // Not one of the 1,000 most common passwords.
        #expect(PasswordPolicy.problems("qwerty123", username: "x").contains("该密码过于常见，容易被猜中，请换一个"))
        #expect(PasswordPolicy.problems("1234567890", username: "x").contains("该密码过于常见，容易被猜中，请换一个"))
        // bcrypt reads 72 bytes: 25 Chinese characters are 75 bytes and refused with a message that says so.
        let long = String(repeating: "密", count: 25) + "a1"
        #expect(PasswordPolicy.problems(long, username: "x").first?.contains("72字节") == true)
        #expect(PasswordPolicy.problems("Correct-Horse-7-Battery", username: "zhang.san").isEmpty)
    }
}
