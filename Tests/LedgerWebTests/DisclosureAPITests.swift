import Foundation
import Hummingbird
import HummingbirdTesting
import LedgerCore
import LedgerTestSupport
import LedgerWeb
import NIOCore
import Testing

/// Filing through the API, the public pages and the log endpoints.
@Suite struct DisclosureAPITests {
    static func body(_ document: DisclosureDocument, reason: String? = nil) -> ByteBuffer {
        var object = (try? JSONSerialization.jsonObject(with: JSONEncoder().encode(document)) as? [String: Any]) ?? [:]
        if let reason { object["reason"] = reason }
        return WebHarness.json(object)
    }

    // MARK: Tests

    @Test func theOutgoingCompanyFilesTheQuarterItManagedAtItsEnd() async throws {
        try await WebHarness.run { harness, client in
            // setup: A's estate passes to B's company on 1 October 2024; Q3 is still A's company's to file.
            let world = harness.world, estate = world.a.estate.id
            _ = try await EstateRecords(database: world.database, clock: world.clock).assignCompany(
                estateId: estate, ContractInput(company: "\(world.b.company.id)", startDate: "2024-10-01"), scope: .system)
            let outgoing = try await harness.token(world.a.users[.company]!), incoming = try await harness.token(world.b.users[.company]!)
            // MUT and validation: the outgoing company sees the quarter in its calendar and opens its form, not the next quarter's.
            let calendar = try await client.execute(uri: "/filings?quarter=2024Q3", method: .get, headers: harness.browser(outgoing))
            #expect(calendar.status == .ok && calendar.text.contains(world.a.estate.name))
            let form = try await client.execute(uri: "/estates/\(estate)/disclosures/2024/3", method: .get, headers: harness.browser(outgoing))
            #expect(form.status == .ok)
            let next = try await client.execute(uri: "/estates/\(estate)/disclosures/2024/4", method: .get, headers: harness.browser(outgoing))
            #expect(next.status == .notFound)
            // The incoming company may not publish it; the outgoing one does.
            let refused = try await client.execute(uri: "/api/v1/estates/\(estate)/disclosures/2024/3/publish", method: .post,
                                                   headers: harness.api(incoming), body: Self.body(DisclosureSamples.valid()))
            #expect(refused.status == .badRequest && refused.apiError["code"] == "before_contract")
            let published = try await client.execute(uri: "/api/v1/estates/\(estate)/disclosures/2024/3/publish", method: .post,
                                                     headers: harness.api(outgoing), body: Self.body(DisclosureSamples.valid()))
            #expect(published.status == .created)
            let vouchers = try await client.execute(uri: "/estates/\(estate)/disclosures/2024/3/vouchers", method: .get, headers: harness.browser(outgoing))
            #expect(vouchers.status == .ok)
        }
    }

    @Test func companyFilesPublishesAndCorrects() async throws {
        try await WebHarness.run { harness, client in
            let estate = harness.world.a.estate.id
            let token = try await harness.token(harness.world.a.users[.company]!)
            let draft = try await client.execute(uri: "/api/v1/estates/\(estate)/disclosures/2024/2", method: .put, headers: harness.api(token),
                                                 body: Self.body(DisclosureSamples.valid()))
            #expect(draft.status == .ok)
            #expect(draft.json["surplus"] as? String == "18600.00")
            let published = try await client.execute(uri: "/api/v1/estates/\(estate)/disclosures/2024/2/publish", method: .post,
                                                     headers: harness.api(token), body: WebHarness.json([:]))
            #expect(published.status == .created)
            #expect(published.json["version"] as? Int == 1)
            let leaf = try #require(published.json["leafHash"] as? String)

            var fixed = DisclosureSamples.valid()
            fixed.costs[0].amount = "6500.00"
            fixed.distribution = .init(ownersShare: "12670.00", companyShare: "5430.00")
            fixed.display = .init(from: "2024-11-19", until: "2024-12-20")   // a correction is displayed afresh
            let noReason = try await client.execute(uri: "/api/v1/estates/\(estate)/disclosures/2024/2/publish", method: .post,
                                                    headers: harness.api(token), body: Self.body(fixed))
            #expect(noReason.status == .badRequest)
            #expect(noReason.apiError["code"] == "reason_required")
            let corrected = try await client.execute(uri: "/api/v1/estates/\(estate)/disclosures/2024/2/publish", method: .post,
                                                     headers: harness.api(token), body: Self.body(fixed, reason: "成本少计"))
            #expect(corrected.json["version"] as? Int == 2)

            let listed = try await client.execute(uri: "/api/v1/estates/\(estate)/disclosures", method: .get,
                                                  headers: harness.api(try await harness.token(harness.world.a.users[.regulator]!)))
            let quarters = try #require(listed.json["quarters"] as? [[String: Any]])
            #expect((quarters.first?["versions"] as? [[String: Any]])?.count == 2)

            // The public page shows the latest version and its hash, without login; the history shows the change.
            let page = try await client.execute(uri: "/public/estates/\(estate)", method: .get)
            #expect(page.status == .ok)
            #expect(page.text.contains("更正（第2版）"))
            #expect(page.text.contains("6,500.00"))
            let history = try await client.execute(uri: "/public/estates/\(estate)/history/2024/2", method: .get)
            #expect(history.text.contains("成本少计"))
            #expect(history.text.contains("6,000.00元") && history.text.contains("6,500.00元"))

            // Anyone can check the first version is in the log.
            let head = try await client.execute(uri: "/api/v1/log/tree-head", method: .get)
            #expect(head.json["size"] as? Int == 2)
            let proof = try await client.execute(uri: "/api/v1/log/inclusion?leaf=\(leaf)&size=2", method: .get)
            let path = (proof.json["auditPath"] as? [String])?.compactMap { Data(hex: $0) } ?? []
            #expect(Merkle.verifyInclusion(leaf: Data(hex: leaf)!, index: proof.json["leafIndex"] as? Int ?? -1, size: 2, path: path,
                                           rootHash: Data(hex: head.json["rootHash"] as? String ?? "")!))
            let consistency = try await client.execute(uri: "/api/v1/log/consistency?first=1&second=2", method: .get)
            #expect((consistency.json["proof"] as? [String])?.count == 1)
        }
    }

    @Test func publishingRefusalsCarryTheirCodeAndWriteNothing() async throws {
        try await WebHarness.run { harness, client in
            let estate = harness.world.a.estate.id
            let token = try await harness.token(harness.world.a.users[.company]!)
            var unbalanced = DisclosureSamples.valid()
            unbalanced.distribution?.companyShare = "1.00"
            let cases: [(String, ByteBuffer, Int, String, String?)] = [
                ("/api/v1/estates/\(estate)/disclosures/2024/2/publish", Self.body(unbalanced), 400, "unbalanced_distribution", "distribution"),
                ("/api/v1/estates/\(estate)/disclosures/2030/1/publish", Self.body(DisclosureSamples.valid()), 400, "future_quarter", "quarter"),
                ("/api/v1/estates/\(estate)/disclosures/2024/5/publish", Self.body(DisclosureSamples.valid()), 404, "bad_quarter", "quarter"),
                ("/api/v1/estates/\(harness.world.b.estate.id)/disclosures/2024/2/publish", Self.body(DisclosureSamples.valid()), 404, "not_found", nil),
                ("/api/v1/estates/\(estate)/disclosures/2024/2/publish", WebHarness.json(["income": [["category": "parking", "description": "x", "amount": 5]]]),
                 400, "wrong_type", "income.0.amount"),
            ]
            for (uri, body, status, code, field) in cases {
                let response = try await client.execute(uri: uri, method: .post, headers: harness.api(token), body: body)
                #expect(Int(response.status.code) == status, "\(code)")
                #expect(response.apiError["code"] == code)
                #expect(response.apiError["field"] == field, "\(code)")
            }
            let head = try await client.execute(uri: "/api/v1/log/tree-head", method: .get)
            #expect(head.json["size"] as? Int == 0)
        }
    }

    @Test func publicPagesNeedNoLoginAndMaskTheAccount() async throws {
        try await WebHarness.run { harness, client in
            let estate = harness.world.a.estate.id
            _ = try await EstateRecords(database: harness.world.database, clock: harness.world.clock).setAccount(
                estateId: estate, AccountInput(bank: "兴业银行", accountNumber: "6222000011112222", openedOn: "2024-01-02"), scope: .system)
            let empty = try await client.execute(uri: "/public/estates/\(estate)", method: .get)
            #expect(empty.status == .ok)
            #expect(empty.text.contains("该小区尚未公示公共收益"))
            #expect(empty.text.contains("622***********22"))
            #expect(!empty.text.contains("6222000011112222"))
            let missing = try await client.execute(uri: "/public/estates/999999", method: .get)
            #expect(missing.status == .notFound)
        }
    }

    @Test func ownersQuestionAndTheCompanyAnswersPublicly() async throws {
        try await WebHarness.run { harness, client in
            let estate = harness.world.a.estate.id
            _ = try await DisclosureRepository(database: harness.world.database, clock: harness.world.clock).publish(
                estateId: estate, quarter: Quarter(year: 2024, quarter: 2)!, document: DisclosureSamples.valid(), reason: nil,
                scope: harness.world.a.users[.company]!.scope)
            let anonymous: HTTPFields = [.cookie: "ledger_csrf=\(WebHarness.csrf)"]
            let empty = try await client.execute(uri: "/public/estates/\(estate)/questions", method: .post, headers: anonymous,
                                                 body: WebHarness.form(["quarter": "2024Q2", "item": "停车费", "content": ""]))
            #expect(empty.status == .badRequest)
            #expect(empty.text.contains("请填写疑问内容"))
            let asked = try await client.execute(uri: "/public/estates/\(estate)/questions", method: .post, headers: anonymous,
                                                 body: WebHarness.form(["quarter": "2024Q2", "item": "停车费", "content": "车位数与收入不符？"]))
            #expect(asked.status == .seeOther)
            let before = try await client.execute(uri: "/public/estates/\(estate)?asked=1", method: .get)
            #expect(before.text.contains("存疑已提交"))
            #expect(!before.text.contains("车位数与收入不符？"), "not public before the answer")
            // Another company cannot answer; the managing company can, once.
            let otherCompany = try await harness.token(harness.world.b.users[.company]!)
            let refused = try await client.execute(uri: "/estates/\(estate)/questions/1/answer", method: .post, headers: harness.browser(otherCompany),
                                                   body: WebHarness.form(["answer": "越权答复"]))
            #expect(refused.status == .notFound)
            let company = try await harness.token(harness.world.a.users[.company]!)
            let page = try await client.execute(uri: "/estates/\(estate)", method: .get, headers: harness.browser(company))
            #expect(page.text.contains("车位数与收入不符？"))
            let answered = try await client.execute(uri: "/estates/\(estate)/questions/1/answer", method: .post, headers: harness.browser(company),
                                                    body: WebHarness.form(["answer": "本季度新增临时车位12个，已附合同"]))
            #expect(answered.status == .seeOther)
            let again = try await client.execute(uri: "/estates/\(estate)/questions/1/answer", method: .post, headers: harness.browser(company),
                                                 body: WebHarness.form(["answer": "改口"]))
            #expect(again.status == .conflict)
            let publicPage = try await client.execute(uri: "/public/estates/\(estate)", method: .get)
            #expect(publicPage.text.contains("车位数与收入不符？") && publicPage.text.contains("本季度新增临时车位12个"))
        }
    }
}

extension DisclosureAPITests {
    static func upload(_ harness: WebHarness, filename: String, bytes: [UInt8], line: String = "income.0") -> (HTTPFields, ByteBuffer) {
        let boundary = "----voucher"
        var body = ByteBuffer()
        body.writeString("--\(boundary)\r\nContent-Disposition: form-data; name=\"_csrf\"\r\n\r\n\(WebHarness.csrf)\r\n")
        body.writeString("--\(boundary)\r\nContent-Disposition: form-data; name=\"line\"\r\n\r\n\(line)\r\n")
        body.writeString("--\(boundary)\r\nContent-Disposition: form-data; name=\"file\"; filename=\"\(filename)\"\r\nContent-Type: application/octet-stream\r\n\r\n")
        body.writeBytes(bytes)
        body.writeString("\r\n--\(boundary)--\r\n")
        return ([.contentType: "multipart/form-data; boundary=\(boundary)"], body)
    }

    @Test func vouchersAreCheckedByContentAndServedSafely() async throws {
        try await WebHarness.run { harness, client in
            let estate = harness.world.a.estate.id
            _ = try await DisclosureRepository(database: harness.world.database, clock: harness.world.clock).publish(
                estateId: estate, quarter: Quarter(year: 2024, quarter: 2)!, document: DisclosureSamples.valid(), reason: nil,
                scope: harness.world.a.users[.company]!.scope)
            let token = try await harness.token(harness.world.a.users[.company]!)
            let png = try QRCode(text: "凭证").png()
            let uri = "/estates/\(estate)/disclosures/2024/2/vouchers"
            func post(_ filename: String, _ bytes: [UInt8], line: String = "income.0") async throws -> TestResponse {
                var (headers, body) = Self.upload(harness, filename: filename, bytes: bytes, line: line)
                headers[.cookie] = harness.browser(token)[.cookie]
                return try await client.execute(uri: uri, method: .post, headers: headers, body: body)
            }
            let before = try await harness.world.fingerprint()
            let liar = try await post("合同.pdf", png)
            #expect(liar.status == .badRequest)
            #expect(liar.text.contains("与文件内容（PNG）不符"))
            let text = try await post("invoice.png", Array("<script>alert(1)</script>".utf8))
            #expect(text.text.contains("只能是 PDF、JPEG 或 PNG"))
            let huge = try await post("big.pdf", Array("%PDF-1.4\n".utf8) + [UInt8](repeating: 0x20, count: VoucherStore.maxBytes + 1))
            #expect(huge.status == .contentTooLarge)
            let noLine = try await post("slip.png", png, line: "income.9")
            #expect(noLine.status == .badRequest)
            #expect(try await harness.world.fingerprint() == before)

            let ok = try await post("停车收费票据.png", png)
            #expect(ok.status == .ok)
            #expect(ok.text.contains("已上传凭证：停车收费票据.png"))
            let page = try await client.execute(uri: "/public/estates/\(estate)", method: .get)
            #expect(page.text.contains("/public/vouchers/1"))
            let file = try await client.execute(uri: "/public/vouchers/1", method: .get)
            #expect(file.headers[.contentType] == "image/png")
            #expect(file.headers[.contentSecurityPolicy]?.hasPrefix("sandbox") == true)
            #expect(Array(file.body.readableBytesView) == png)
        }
    }
}

extension DisclosureAPITests {
    /// Inputs found by review that once crashed the process: each must be a clean 4xx or an ordinary page.
    @Test func hostileInputsAreRefusedNotFatal() async throws {
        try await WebHarness.run { harness, client in
            let fullWidth = String(repeating: "%EF%BC%90", count: 64)
            let hex = try await client.execute(uri: "/api/v1/log/inclusion?leaf=\(fullWidth)&size=1", method: .get)
            #expect(hex.status == .badRequest)
            #expect(hex.apiError["code"] == "bad_hash")
            let regulator = try await harness.token(harness.world.a.users[.regulator]!)
            for uri in ["/filings?quarter=2100Q4", "/filings?quarter=2000Q1", "/filings?page=9223372036854775807", "/filings?state=all&page=-5"] {
                let response = try await client.execute(uri: uri, method: .get, headers: harness.browser(regulator))
                #expect(response.status == .ok, "\(uri)")
            }
            let admin = try await harness.token(harness.world.admin)
            let audit = try await client.execute(uri: "/audit?page=9223372036854775807", method: .get, headers: harness.browser(admin))
            #expect(audit.status == .ok)
            let share = try await client.execute(uri: "/api/v1/estates", method: .post, headers: harness.api(regulator),
                                                 body: WebHarness.json(["name": "大比例", "address": "某路", "community": harness.world.a.community.code,
                                                                        "households": 10, "floorArea": 100, "ownersShare": "99999999999999999"]))
            #expect(share.status == .badRequest)
            let company = try await harness.token(harness.world.a.users[.company]!)
            var nul = DisclosureSamples.valid()
            nul.income[0].description = "停车\u{0}费"
            let refused = try await client.execute(uri: "/api/v1/estates/\(harness.world.a.estate.id)/disclosures/2024/2/publish", method: .post,
                                                   headers: harness.api(company), body: Self.body(nul))
            #expect(refused.apiError["code"] == "bad_char")
            let future = try await client.execute(uri: "/estates/\(harness.world.a.estate.id)/disclosures/2100/4", method: .get, headers: harness.browser(company))
            #expect(future.status == .ok)
        }
    }
}
