import Foundation
import Hummingbird
import HummingbirdTesting
import LedgerCore
import LedgerTestSupport
import LedgerWeb
import NIOCore
import Testing

/// The regulator's credit pages and the company's objection, through HTTP: jurisdiction (another region's company is
/// "not found"), the record form's errors all at once in Chinese, 303 after each write, the confirmation step before a
/// ruling, the public page's result, and the black-list warning on the estate's contract form.
@Suite struct CreditWorkflowPageTests {
    @Test(arguments: TestDatabase.available)
    func regulatorRecordsCompanyObjectsRegulatorWithdrawsPublicSeesIt(kind: TestDatabase.Kind) async throws {
        try await WebHarness.run(kind) { harness, client in
            // setup
            let world = harness.world
            let regulator = harness.browser(try await harness.token(world.a.users[.regulator]!))
            let company = harness.browser(try await harness.token(world.a.users[.company]!))
            let page = "/credit/companies/\(world.a.company.id)"

            // jurisdiction: another county's company is not found, for the regulator and the company user alike
            #expect(try await client.execute(uri: "/credit/companies/\(world.b.company.id)", method: .get, headers: regulator).status == .notFound)
            #expect(try await client.execute(uri: "/credit/companies/\(world.b.company.id)", method: .get, headers: company).status == .notFound)
            let list = try await client.execute(uri: "/credit", method: .get, headers: company)
            #expect(list.status == .ok && list.text.contains(world.a.company.name) && !list.text.contains(world.b.company.name))
            let regulatorList = try await client.execute(uri: "/credit?sort=score&desc=1&q=鼓楼", method: .get, headers: regulator)
            #expect(regulatorList.status == .ok && regulatorList.text.contains(world.a.company.name) && regulatorList.text.contains("信用管理"))

            // the record form: every error at once, in Chinese, nothing written
            let bad = try await client.execute(uri: "\(page)/events", method: .post, headers: regulator,
                                               body: WebHarness.form(["rule": "C01", "points": "5", "occurredOn": "2030-01-01", "documentNumber": "", "note": ""]))
            #expect(bad.status == .badRequest && bad.text.contains("失信行为的分值须为负数") && bad.text.contains("发生日期不能晚于今天")
                    && bad.text.contains("文书编号"))
            #expect(try await CreditFile(database: world.database, clock: world.clock).events(companyId: world.a.company.id).isEmpty)

            // MUT: 约谈 and 信用扣分, points from the rule
            for (rule, number) in [("C01", "鼓建约〔2024〕9号"), ("C03", "鼓建扣〔2024〕9号")] {
                let recorded = try await client.execute(uri: "\(page)/events", method: .post, headers: regulator,
                                                        body: WebHarness.form(["rule": rule, "points": "", "occurredOn": "2024-11-18",
                                                                               "documentNumber": number, "note": "拒不公示公共收益"]))
                #expect(recorded.status == .seeOther, "\(recorded.text.prefix(300))")
            }
            let credit = CreditFile(database: world.database, clock: world.clock)
            let events = try await credit.events(companyId: world.a.company.id)
            let interview = try #require(events.first { $0.rule == "C01" })
            let scored = try await credit.score(of: world.a.company.id)
            let shown = try await client.execute(uri: page, method: .get, headers: regulator)
            #expect(shown.text.contains("鼓建约〔2024〕9号") && shown.text.contains("信用分 = ") && shown.text.contains(">\(scored.total)<"))

            // the company objects, with a document as evidence
            var multipart = company
            multipart[.contentType] = "multipart/form-data; boundary=----inspectionboundary"
            let pdf = Array("%PDF-1.4 送达回执".utf8)
            let objected = try await client.execute(uri: "/credit/events/\(interview.id)/objection", method: .post, headers: multipart,
                                                    body: InspectionPageTests.multipart(["_csrf": WebHarness.csrf, "reasons": "约谈通知书送达对象有误"],
                                                                                        files: [("files", "送达回执.pdf", pdf)]))
            #expect(objected.status == .seeOther, "\(objected.text.prefix(300))")
            let request = try #require(try await credit.requests(companyId: world.a.company.id).first)
            let files = try await credit.requestFiles(companyId: world.a.company.id)[request.id] ?? []
            #expect(files.count == 1)
            let fileURI = "/credit/requests/\(request.id)/files/\(files.first?.id ?? 0)"
            let evidence = try await client.execute(uri: fileURI, method: .get, headers: regulator)
            #expect(evidence.status == .ok && Array(evidence.body.readableBytesView) == pdf)
            let otherCounty = harness.browser(try await harness.token(world.b.users[.regulator]!))
            #expect(try await client.execute(uri: fileURI, method: .get, headers: otherCounty).status == .notFound)
            // the regulator rules: first a confirmation page that writes nothing, then the decision
            let confirm = try await client.execute(uri: "/credit/requests/\(request.id)/decide", method: .post, headers: regulator,
                                                   body: WebHarness.form(["decision": "withdraw", "note": "经核查异议成立"]))
            #expect(confirm.status == .ok && confirm.text.contains("确认决定") && confirm.text.contains("name=\"confirm\" value=\"1\""))
            #expect(try await credit.requests(companyId: world.a.company.id).first?.status == .pending)
            let foreign = harness.browser(try await harness.token(world.b.users[.regulator]!))
            #expect(try await client.execute(uri: "/credit/requests/\(request.id)/decide", method: .post, headers: foreign,
                                             body: WebHarness.form(["decision": "withdraw", "note": "越权", "confirm": "1"])).status == .notFound)
            let decided = try await client.execute(uri: "/credit/requests/\(request.id)/decide", method: .post, headers: regulator,
                                                   body: WebHarness.form(["decision": "withdraw", "note": "经核查异议成立", "confirm": "1"]))
            #expect(decided.status == .seeOther)

            // validation: the public page, without login, counts it no more and shows it withdrawn
            let publicPage = try await client.execute(uri: "/public/companies/\(world.a.company.id)", method: .get)
            let after = try await credit.score(of: world.a.company.id)
            #expect(after.total == scored.total + 5)
            #expect(publicPage.status == .ok && publicPage.text.contains("已撤销，不计分") && publicPage.text.contains("被记信用扣分"))
            #expect(!publicPage.text.contains(world.a.users[.company]!.displayName))
        }
    }

    @Test(arguments: TestDatabase.available)
    func blackListFlagsInTheRegistryAndTheContractWarning(kind: TestDatabase.Kind) async throws {
        try await WebHarness.run(kind) { harness, client in
            // setup
            let world = harness.world
            let regulator = harness.browser(try await harness.token(world.a.users[.regulator]!))
            let page = "/credit/companies/\(world.a.company.id)"
            let fields = ["list": "black", "reason": "拒不整改", "documentNumber": "鼓建黑〔2024〕2号", "decidedOn": "2024-11-01", "until": "2026-11-01"]
            let confirm = try await client.execute(uri: "\(page)/lists", method: .post, headers: regulator, body: WebHarness.form(fields))
            #expect(confirm.status == .ok && confirm.text.contains("确认列入"))
            var confirmed = fields
            confirmed["confirm"] = "1"
            #expect(try await client.execute(uri: "\(page)/lists", method: .post, headers: regulator, body: WebHarness.form(confirmed)).status == .seeOther)

            // MUT + validation
            let companies = try await client.execute(uri: "/companies", method: .get, headers: regulator)
            #expect(companies.text.contains("黑名单") && companies.text.contains("限制投标"))
            let detail = try await client.execute(uri: "/companies/\(world.a.company.id)", method: .get, headers: regulator)
            #expect(detail.text.contains("black-list-flag"))
            let contract = ["company": world.a.company.uscc, "startDate": "2024-11-19", "endDate": ""]
            let warned = try await client.execute(uri: "/estates/\(world.a.estate.id)/contracts", method: .post, headers: regulator,
                                                  body: WebHarness.form(contract))
            #expect(warned.status == .badRequest && warned.text.contains("拟承接企业已列入黑名单") && warned.text.contains("acknowledgeBlackList"))
            var acknowledged = contract
            acknowledged["acknowledgeBlackList"] = "1"
            #expect(try await client.execute(uri: "/estates/\(world.a.estate.id)/contracts", method: .post, headers: regulator,
                                             body: WebHarness.form(acknowledged)).status == .seeOther)
            // the rule table: a refused value explained beside its field
            let rules = try await client.execute(uri: "/credit/rules", method: .post, headers: regulator,
                                                 body: WebHarness.form(["region": world.a.county.code, "rule": "C01", "points": "5", "months": "0",
                                                                        "repairAllowed": "1", "repairAfterMonths": "3", "enabled": "1"]))
            #expect(rules.status == .badRequest && rules.text.contains("失信行为的分值须为负数") && rules.text.contains("有效期（月）"))
            let saved = try await client.execute(uri: "/credit/rules", method: .post, headers: regulator,
                                                 body: WebHarness.form(["region": world.a.county.code, "rule": "C01", "points": "-8", "months": "12",
                                                                        "repairAllowed": "1", "repairAfterMonths": "3", "enabled": "1"]))
            #expect(saved.status == .seeOther)
            #expect(try await client.execute(uri: "/credit/rules", method: .get, headers: regulator).text.contains("value=\"-8\""))
        }
    }
}
