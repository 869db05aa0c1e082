import Foundation
import Hummingbird
import HummingbirdTesting
import LedgerCore
import LedgerTestSupport
import LedgerWeb
import NIOCore
import SQLKit
import Testing

/// The server-rendered pages: login, forms with errors beside their fields, anti-forgery, headers, import.
@Suite struct PageTests {
    static func cookies(_ response: TestResponse) -> [String: String] {
        var jar: [String: String] = [:]
        for field in response.headers where field.name == .setCookie {
            let pair = field.value.split(separator: ";")[0].split(separator: "=", maxSplits: 1)
            if pair.count == 2 { jar[String(pair[0])] = String(pair[1]) }
        }
        return jar
    }

    // MARK: Tests

    @Test func loginFormSignsInAndOut() async throws {
        try await WebHarness.run { _, client in
            // setup: the login page hands out the anti-forgery cookie
            let page = try await client.execute(uri: "/login", method: .get)
            let csrf = try #require(Self.cookies(page)["ledger_csrf"])
            #expect(page.text.contains("value=\"\(csrf)\""))
            // MUT
            let login = try await client.execute(uri: "/login", method: .post, headers: [.cookie: "ledger_csrf=\(csrf)"],
                                                 body: WebHarness.form(["username": "regulator-a", "password": World.password], csrf: csrf))
            // validation
            #expect(login.status == .seeOther)
            let session = try #require(Self.cookies(login)["ledger_session"])
            let setCookie = login.headers[values: .setCookie].joined(separator: "\n")
            #expect(setCookie.contains("HttpOnly") && setCookie.contains("SameSite=Lax"))
            let home = try await client.execute(uri: "/", method: .get, headers: [.cookie: "ledger_session=\(session); ledger_csrf=\(csrf)"])
            #expect(home.status == .ok)
            #expect(home.text.contains("鼓楼区"))
            let logout = try await client.execute(uri: "/logout", method: .post, headers: [.cookie: "ledger_session=\(session); ledger_csrf=\(csrf)"],
                                                  body: WebHarness.form([:], csrf: csrf))
            #expect(logout.headers[.location] == "/login")
            // The ended session is a visitor again: `/` is the public portal, and a staff page sends to the login.
            let after = try await client.execute(uri: "/", method: .get, headers: [.cookie: "ledger_session=\(session)"])
            #expect(after.status == .ok && after.text.contains("id=\"estate-search\"") && !after.text.contains("id=\"current-user\""))
            let staffPage = try await client.execute(uri: "/estates", method: .get, headers: [.cookie: "ledger_session=\(session)"])
            #expect(staffPage.status == .seeOther)
            #expect(staffPage.headers[.location] == "/login")
        }
    }

    @Test func wrongPasswordShowsChineseMessage() async throws {
        try await WebHarness.run { _, client in
            let response = try await client.execute(uri: "/login", method: .post, headers: [.cookie: "ledger_csrf=\(WebHarness.csrf)"],
                                                    body: WebHarness.form(["username": "regulator-a", "password": "wrong"]))
            #expect(response.status == .unauthorized)
            #expect(response.text.contains("用户名或密码错误"))
            #expect(response.text.contains("value=\"regulator-a\""))
        }
    }

    @Test func formsWithoutTheAntiForgeryTokenAreRefused() async throws {
        try await WebHarness.run { harness, client in
            let token = try await harness.token(harness.world.a.users[.regulator]!)
            let before = try await harness.world.fingerprint()
            let fields = ["name": "伪造提交", "address": "某路", "community": harness.world.a.community.code, "households": "10",
                          "floorArea": "100", "ownersShare": "70"]
            let missing = try await client.execute(uri: "/estates", method: .post, headers: harness.browser(token),
                                                   body: WebHarness.form(fields, csrf: nil))
            #expect(missing.status == .forbidden)
            #expect(missing.text.contains("页面已过期"))
            let wrong = try await client.execute(uri: "/estates", method: .post, headers: harness.browser(token),
                                                 body: WebHarness.form(fields, csrf: "ffffffffffffffffffffffffffffffff"))
            #expect(wrong.status == .forbidden)
            #expect(try await harness.world.fingerprint() == before)
        }
    }

    @Test func estateFormShowsEachErrorBesideItsFieldAndKeepsInput() async throws {
        try await WebHarness.run { harness, client in
            let token = try await harness.token(harness.world.a.users[.regulator]!)
            let before = try await harness.world.fingerprint()
            // MUT
            let response = try await client.execute(uri: "/estates", method: .post, headers: harness.browser(token),
                                                    body: WebHarness.form(["name": "我的小区🏠", "address": "", "community": harness.world.a.community.code,
                                                                           "households": "abc", "floorArea": "", "ownersShare": "150"]))
            // validation
            #expect(response.status == .badRequest)
            let html = response.text
            #expect(html.contains("value=\"我的小区🏠\""))
            #expect(html.contains("value=\"abc\""))
            for message in ["请填写地址", "户数必须是整数", "请填写建筑面积（平方米）", "业主分成比例应在0%至100%之间"] {
                #expect(html.contains("<span class=\"field-error\" role=\"alert\">\(message)</span>"), "\(message)")
            }
            #expect(try await harness.world.fingerprint() == before)
            // The corrected form is saved and lands on the new estate.
            let fixed = try await client.execute(uri: "/estates", method: .post, headers: harness.browser(token),
                                                 body: WebHarness.form(["name": "我的小区🏠", "address": "五四路9号", "community": harness.world.a.community.code,
                                                                        "households": "120", "floorArea": "9000", "ownersShare": "70"]))
            #expect(fixed.status == .seeOther)
            let location = try #require(fixed.headers[.location])
            let page = try await client.execute(uri: location, method: .get, headers: harness.browser(token))
            #expect(page.text.contains("我的小区🏠"))
        }
    }

    @Test func companyFormExplainsTheCheckCharacter() async throws {
        try await WebHarness.run { harness, client in
            let token = try await harness.token(harness.world.a.users[.regulator]!)
            let response = try await client.execute(uri: "/companies", method: .post, headers: harness.browser(token),
                                                    body: WebHarness.form(["name": "某物业", "uscc": "91350102MA2YX1234Y", "region": harness.world.a.county.code]))
            #expect(response.status == .badRequest)
            #expect(response.text.contains("统一社会信用代码校验位错误：第18位应为“X”"))
        }
    }

    @Test func pagesCarrySecurityHeaders() async throws {
        try await WebHarness.run { _, client in
            let response = try await client.execute(uri: "/login", method: .get)
            #expect(response.headers[.contentSecurityPolicy]?.contains("frame-ancestors 'none'") == true)
            #expect(response.headers[.xContentTypeOptions] == "nosniff")
            #expect(response.headers[.init("Referrer-Policy")!] == "same-origin")
        }
    }

    @Test func unexpectedPathsGetAChinesePageNotADump() async throws {
        try await WebHarness.run { harness, client in
            let token = try await harness.token(harness.world.a.users[.regulator]!)
            let missing = try await client.execute(uri: "/estates/abc", method: .get, headers: harness.browser(token))
            #expect([400, 404].contains(Int(missing.status.code)))
            #expect(missing.text.contains("请求编号"))
        }
    }

    @Test func csvUploadIsAllOrNothing() async throws {
        try await WebHarness.run { harness, client in
            let token = try await harness.token(harness.world.a.users[.regulator]!)
            let before = try await harness.world.fingerprint()
            let a = harness.world.a.community.code
            let csv = "小区名称,地址,社区代码,户数,建筑面积,业主分成比例\r\n好小区,一路,\(a),10,100,70\r\n坏小区,二路,\(a),x,100,70\r\n"
            let boundary = "----ledgerboundary"
            let body = "--\(boundary)\r\nContent-Disposition: form-data; name=\"_csrf\"\r\n\r\n\(WebHarness.csrf)\r\n"
                + "--\(boundary)\r\nContent-Disposition: form-data; name=\"kind\"\r\n\r\nestates\r\n"
                + "--\(boundary)\r\nContent-Disposition: form-data; name=\"file\"; filename=\"estates.csv\"\r\nContent-Type: text/csv\r\n\r\n\(csv)\r\n"
                + "--\(boundary)--\r\n"
            var headers = harness.browser(token)
            headers[.contentType] = "multipart/form-data; boundary=\(boundary)"
            let response = try await client.execute(uri: "/import/registry", method: .post, headers: headers, body: ByteBuffer(string: body))
            #expect(response.status == .badRequest)
            #expect(response.text.contains("第 3 行"))
            #expect(response.text.contains("户数必须是整数"))
            #expect(try await harness.world.fingerprint() == before)
            let good = body.replacingOccurrences(of: ",x,", with: ",20,")
            let ok = try await client.execute(uri: "/import/registry", method: .post, headers: headers, body: ByteBuffer(string: good))
            #expect(ok.status == .seeOther && ok.headers[.location] == "/import?kind=estates&created=2")
            let shown = try await client.execute(uri: ok.headers[.location]!, method: .get, headers: headers)
            #expect(shown.text.contains("新增小区 2 条"))
        }
    }
}

extension PageTests {
    @Test func estatePageFormsShowErrorsBesideTheirFields() async throws {
        try await WebHarness.run { harness, client in
            let token = try await harness.token(harness.world.a.users[.regulator]!)
            let before = try await harness.world.fingerprint()
            let response = try await client.execute(
                uri: "/estates/\(harness.world.a.estate.id)/account", method: .post, headers: harness.browser(token),
                body: WebHarness.form(["bank": "兴业银行福州分行", "accountNumber": "12ab", "openedOn": "2024-02-30"]))
            #expect(response.status == .badRequest)
            #expect(response.text.contains("<details open><summary>登记专户"))
            #expect(response.text.contains("value=\"兴业银行福州分行\""))
            #expect(response.text.contains("<span class=\"field-error\" role=\"alert\">账号应为8至32位数字</span>"))
            #expect(response.text.contains("<span class=\"field-error\" role=\"alert\">开户日期应为有效日期，格式如 2024-07-01</span>"))
            #expect(try await harness.world.fingerprint() == before)
            let saved = try await client.execute(
                uri: "/estates/\(harness.world.a.estate.id)/account", method: .post, headers: harness.browser(token),
                body: WebHarness.form(["bank": "兴业银行福州分行", "accountNumber": "6222 0000 1111 2222", "openedOn": "2024-02-29"]))
            #expect(saved.status == .seeOther)
            let page = try await client.execute(uri: "/estates/\(harness.world.a.estate.id)", method: .get, headers: harness.browser(token))
            #expect(page.text.contains("6222000011112222"))
        }
    }
}

extension PageTests {
    @Test func forwardedAddressesAreBelievedOnlyFromTrustedProxies() async throws {
        // The in-process test client has no peer address ("local"); trust it as if it were the load balancer.
        try await WebHarness.run(trustedProxies: ["local"]) { harness, client in
            // 203.0.113.9 has failed fifty times in the window (an address locks at 50, so that an office can share one).
            let first = Timestamp.storage(harness.world.clock.now())
            try await harness.world.database.transaction { db in
                try await db.raw("""
                    INSERT INTO login_failures (throttle_key, failures, first_failed_at, locked_until)
                    VALUES ('addr:203.0.113.9', 50, \(bind: first), NULL)
                    """).run()
            }
            // The balancer's own hop (the rightmost) is believed, not what the client wrote before it.
            let locked = try await client.execute(uri: "/api/v1/session", method: .post,
                                                  headers: [.contentType: "application/json", .init("X-Forwarded-For")!: "10.0.0.1, 203.0.113.9"],
                                                  body: WebHarness.json(["username": "regulator-a", "password": World.password]))
            #expect(locked.status == .tooManyRequests)
            let other = try await client.execute(uri: "/api/v1/session", method: .post,
                                                 headers: [.contentType: "application/json", .init("X-Forwarded-For")!: "203.0.113.10"],
                                                 body: WebHarness.json(["username": "regulator-a", "password": World.password]))
            #expect(other.status == .created, "another client behind the same balancer is not locked out")
        }
    }
}

extension PageTests {
    @Test func anAccountOpeningAfterTodayIsNotShownAsOpen() async throws {
        try await WebHarness.run { harness, client in
            // setup: today is 19 November 2024; A's only account opens tomorrow, B's opened the day before yesterday.
            let world = harness.world
            let records = EstateRecords(database: world.database, clock: world.clock)
            for (estate, day) in [(world.a.estate.id, "2024-11-20"), (world.b.estate.id, "2024-11-17")] {
                _ = try await records.setAccount(estateId: estate, AccountInput(bank: "兴业银行福州分行", accountNumber: "62220000111122\(estate)", openedOn: day),
                                                 scope: .system)
            }
            let token = try await harness.token(world.admin)
            // MUT
            let listed = try await client.execute(uri: "/api/v1/estates", method: .get, headers: harness.api(token))
            let list = try await client.execute(uri: "/estates", method: .get, headers: harness.browser(token))
            let staffA = try await client.execute(uri: "/estates/\(world.a.estate.id)", method: .get, headers: harness.browser(token))
            let staffB = try await client.execute(uri: "/estates/\(world.b.estate.id)", method: .get, headers: harness.browser(token))
            let publicA = try await client.execute(uri: "/public/estates/\(world.a.estate.id)", method: .get)
            let publicB = try await client.execute(uri: "/public/estates/\(world.b.estate.id)", method: .get)
            // validation
            let items = listed.json["items"] as? [[String: Any]] ?? []
            #expect(items.count == 2, "one item per estate")
            let open = Dictionary(uniqueKeysWithValues: items.compactMap { item in (item["name"] as? String).map { ($0, item["hasDedicatedAccount"] as? Bool) } })
            #expect(open == [world.a.estate.name: false, world.b.estate.name: true])
            #expect(list.text.components(separatedBy: "<span class=\"warn\">未设</span>").count == 2, "the list shows A alone without an account")
            #expect(staffA.text.contains("尚未设立公共收益专户（登记的专户于 2024-11-20 开立）"))
            #expect(!staffB.text.contains("account-not-open") && staffB.text.contains("62220000111122\(world.b.estate.id)"))
            #expect(publicA.text.contains("尚未设立公共收益专户") && !publicA.text.contains("masked-account"))
            #expect(publicB.text.contains("masked-account") && !publicB.text.contains("尚未设立公共收益专户"))
        }
    }
}
