import Foundation
import Hummingbird
import HummingbirdTesting
import LedgerCore
import LedgerTestSupport
import LedgerWeb
import NIOCore
import Testing

/// 业主决议登记簿 through the pages: linked from the estate page, every error beside its field, 303 on success, read
/// by the company, refused (404) to another county, and cited by a filing's expenditure.
@Suite struct DecisionPageTests {
    @Test(arguments: TestDatabase.available)
    func theCommitteeRecordsADecisionThatOthersReadInTheirScope(kind: TestDatabase.Kind) async throws {
        try await WebHarness.run(kind) { harness, client in
            let world = harness.world
            let committee = harness.browser(try await harness.token(world.a.users[.committee]!))
            let company = harness.browser(try await harness.token(world.a.users[.company]!))
            let outsider = harness.browser(try await harness.token(world.b.users[.regulator]!))
            let path = "/estates/\(world.a.estate.id)/decisions"
            let estate = try await client.execute(uri: "/estates/\(world.a.estate.id)", method: .get, headers: committee)
            #expect(estate.text.contains("href=\"\(path)\""))
            let empty = try await client.execute(uri: path, method: .get, headers: committee)
            #expect(empty.status == .ok && empty.text.contains("id=\"no-decisions\"") && empty.text.contains("id=\"decision-form\""))
            // Every error at once, beside its field; nothing written.
            let before = try await world.fingerprint()
            let bad = try await client.execute(uri: path, method: .post, headers: committee,
                                               body: WebHarness.form(["decisionKind": "assembly", "amount": "abc", "validFrom": "2024-02-30"]))
            #expect(bad.status == .badRequest && bad.text.contains("请填写决议日期") && bad.text.contains("请填写决议事项")
                    && bad.text.contains("业主大会决议须填写") && bad.text.contains("有效期开始日期应为有效日期"))
            #expect(try await world.fingerprint() == before)
            let added = try await client.execute(uri: path, method: .post, headers: committee, body: WebHarness.form([
                "decisionKind": "assembly", "decisionDate": "2023-12-20", "subject": "2024年度公共收益使用计划", "votesArea": "21000",
                "votesHouseholds": "210", "amount": "50000", "validFrom": "2024-01-01", "validUntil": "2024-12-31"]))
            #expect(added.status == .seeOther)
            // The company reads the register (no form); another county's official gets 404 and sees nothing.
            let read = try await client.execute(uri: path, method: .get, headers: company)
            #expect(read.status == .ok && read.text.contains("2024年度公共收益使用计划") && read.text.contains("50,000.00 元")
                    && !read.text.contains("id=\"decision-form\""))
            // The filing form lists what the quarter may cite.
            let filing = try await client.execute(uri: "/estates/\(world.a.estate.id)/disclosures/2024/3", method: .get, headers: company)
            #expect(filing.status == .ok && filing.text.contains("id=\"decisions-in-force\"") && filing.text.contains("业主大会决议：2024年度公共收益使用计划"))
            let earlier = try await client.execute(uri: "/estates/\(world.a.estate.id)/disclosures/2023/4", method: .get, headers: company)
            #expect(earlier.text.contains("id=\"no-decisions-in-force\""))
            let refused = try await client.execute(uri: path, method: .get, headers: outsider)
            #expect(refused.status == .notFound && !refused.text.contains("2024年度公共收益使用计划"))
            let write = try await client.execute(uri: path, method: .post, headers: company, body: WebHarness.form([
                "decisionKind": "covenant", "decisionDate": "2023-12-20", "subject": "企业自行登记", "validFrom": "2024-01-01"]))
            #expect(write.status == .forbidden)
            // A street officer records the 管理规约's standing authorisation with its scanned document (over the 1 MB form limit).
            var multipart = harness.browser(try await harness.token(world.a.users[.street]!))
            multipart[.contentType] = "multipart/form-data; boundary=----inspectionboundary"
            let scan = InspectionPageTests.png + Array(repeating: 1, count: 1_500_000)
            let covenant = try await client.execute(uri: path, method: .post, headers: multipart, body: InspectionPageTests.multipart(
                ["_csrf": WebHarness.csrf, "decisionKind": "covenant", "decisionDate": "2023-06-01", "subject": "管理规约小额维修授权", "amount": "3000",
                 "validFrom": "2023-07-01"], files: [("document", "管理规约.png", scan)]))
            #expect(covenant.status == .seeOther, "\(covenant.text.prefix(300))")
            let listed = try await client.execute(uri: path, method: .get, headers: company).text
            #expect(listed.contains("3,000.00 元（单笔限额）") && listed.contains("2023-07-01 至 长期"))
            let link = try #require(listed.range(of: "\(path)/files/").map { start in
                String(listed[start.lowerBound...].prefix { $0 != "\"" })
            })
            let file = try await client.execute(uri: link, method: .get, headers: company)
            #expect(file.status == .ok && file.headers[.contentType] == "image/png" && file.body.readableBytes == scan.count)
            #expect(try await client.execute(uri: link, method: .get, headers: outsider).status == .notFound)
            // A published expenditure citing the plan reads, on the public page, as what it cites.
            let (_, recorded, _) = try await OwnerDecisions(database: world.database, clock: world.clock, filesDirectory: NSTemporaryDirectory())
                .register(estateId: world.a.estate.id, scope: .system)
            let plan = try #require(recorded.first { $0.kind == .assembly })
            var document = DisclosureSamples.valid()
            document.display = .init(from: "2024-10-05", until: "2024-11-05")
            document.expenditures[0].decision = plan.reference
            _ = try await DisclosureRepository(database: world.database, clock: world.clock)
                .publish(estateId: world.a.estate.id, quarter: Quarter(year: 2024, quarter: 3)!, document: document, reason: nil,
                         scope: world.a.users[.company]!.scope)
            let publicPage = try await client.execute(uri: "/public/estates/\(world.a.estate.id)", method: .get, headers: [:]).text
            #expect(publicPage.contains("\(plan.reference)（业主大会决议：2024年度公共收益使用计划，有效期 2024-01-01 至 2024-12-31）"))
        }
    }
}
