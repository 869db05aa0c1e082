import Foundation
import Hummingbird
import HummingbirdTesting
import LedgerCore
import LedgerTestSupport
import LedgerWeb
import NIOCore
import SQLKit
import Testing

/// The self-inspection pages (自查自纠): the company's form with every error beside its field, the officials' list and
/// the false finding, the checklist page, and the compact section on the public estate page.
@Suite struct SelfInspectionPageTests {
    static func answers(failing code: String? = nil, measure: String = "", deadline: String = "", responsible: String = "") -> [String: String] {
        var fields: [String: String] = [:]
        for item in Checklist.items { fields["result.\(item.code)"] = item.code == code ? "fails" : "conforms" }
        if let code {
            fields["measure.\(code)"] = measure
            fields["deadline.\(code)"] = deadline
            fields["responsible.\(code)"] = responsible
        }
        return fields
    }

    // MARK: Tests

    @Test(arguments: TestDatabase.available)
    func aCompanyFilesAndThePublicPageShowsTheResult(kind: TestDatabase.Kind) async throws {
        try await WebHarness.run(kind) { harness, client in
            // setup
            let world = harness.world
            let company = harness.browser(try await harness.token(world.a.users[.company]!))
            let due = try await client.execute(uri: "/self-inspections", method: .get, headers: company)
            #expect(due.status == .ok && due.text.contains("/self-inspections/new?estate=\(world.a.estate.id)&amp;period=2024Q3"))
            let form = try await client.execute(uri: "/self-inspections/new?estate=\(world.a.estate.id)", method: .get, headers: company)
            #expect(form.status == .ok && form.text.contains("name=\"result.account_used\"") && form.text.contains("内置检查清单"))
            // MUT: an incomplete form comes back with every error beside its field, in Chinese.
            var fields = Self.answers(failing: "account_used")
            fields.removeValue(forKey: "result.committee_in_term")
            fields["estate"] = "\(world.a.estate.id)"
            fields["period"] = "2024Q3"
            let refused = try await client.execute(uri: "/self-inspections/new", method: .post, headers: company, body: WebHarness.form(fields))
            #expect(refused.status == .badRequest)
            for message in ["请填写「设立并使用公共收益专户」的整改措施", "请填写「设立并使用公共收益专户」的整改时限", "请填写「设立并使用公共收益专户」的责任人",
                            "请填写「业委会（物管会）在任期内正常运行」的自查结果"] {
                #expect(refused.text.contains(message), "missing: \(message)")
            }
            fields = Self.answers(failing: "account_used", measure: "十二月底前开立公共收益专户", deadline: "2024-12-31", responsible: "赵六")
            fields["estate"] = "\(world.a.estate.id)"
            fields["period"] = "2024Q3"
            let filed = try await client.execute(uri: "/self-inspections/new", method: .post, headers: company, body: WebHarness.form(fields))
            // validation
            #expect(filed.status == .seeOther)
            let location = try #require(filed.headers[.location])
            let page = try await client.execute(uri: location, method: .get, headers: company)
            #expect(page.status == .ok && page.text.contains("十二月底前开立公共收益专户") && page.text.contains("符合 8 项 · 不符合 1 项"))
            let publicPage = try await client.execute(uri: "/public/estates/\(world.a.estate.id)", method: .get)
            #expect(publicPage.status == .ok && publicPage.text.contains("自查自纠结果") && publicPage.text.contains("十二月底前开立公共收益专户"))
            #expect(publicPage.text.contains("2024-12-31") && publicPage.text.contains("不符合 1 项"))
            #expect(!publicPage.text.contains("赵六"), "no personal details on the public page")
            let other = try await client.execute(uri: "/public/estates/\(world.b.estate.id)", method: .get)
            #expect(!other.text.contains("自查自纠结果"))
            // The officials' ledger (自查自纠台账): the 不符合 item with its measure, deadline and responsible person, in scope only.
            let regulator = harness.browser(try await harness.token(world.a.users[.regulator]!))
            let csv = String(buffer: try await client.execute(uri: "/self-inspections/ledger.csv?period=2024Q3", method: .get, headers: regulator).body)
            #expect(csv.contains("设立并使用公共收益专户") && csv.contains("十二月底前开立公共收益专户") && csv.contains("赵六") && csv.contains(world.a.estate.name))
            let outsider = harness.browser(try await harness.token(world.b.users[.regulator]!))
            let foreign = String(buffer: try await client.execute(uri: "/self-inspections/ledger.csv", method: .get, headers: outsider).body)
            #expect(foreign.contains("整改措施") && !foreign.contains(world.a.estate.name))
            let xlsx = try await client.execute(uri: "/self-inspections/ledger.xlsx", method: .get, headers: regulator)
            #expect(xlsx.status == .ok && xlsx.body.readableBytes > 1_000)
            #expect(try await client.execute(uri: "/self-inspections/ledger.csv?region=\(world.b.county.code)", method: .get, headers: regulator).status == .notFound)
        }
    }

    @Test(arguments: TestDatabase.available)
    func anOfficialRecordsAFalseSelfInspectionAndAnotherRegionCannotSeeIt(kind: TestDatabase.Kind) async throws {
        try await WebHarness.run(kind) { harness, client in
            // setup
            let world = harness.world
            let id = try await SelfInspections(database: world.database, clock: world.clock, filesDirectory: NSTemporaryDirectory())
                .file(SelfInspectionInput(estateId: world.a.estate.id, period: "2024Q3",
                                          answers: Dictionary(uniqueKeysWithValues: Checklist.items.map { ($0.code, SelfInspectionAnswer(.conforms)) })),
                      scope: world.a.users[.company]!.scope)
            let regulator = harness.browser(try await harness.token(world.a.users[.regulator]!))
            let list = try await client.execute(uri: "/self-inspections?period=2024Q3", method: .get, headers: regulator)
            #expect(list.status == .ok && list.text.contains("/self-inspections/\(id)"))
            let outsider = harness.browser(try await harness.token(world.b.users[.regulator]!))
            #expect(try await client.execute(uri: "/self-inspections/\(id)", method: .get, headers: outsider).status == .notFound)
            #expect(!(try await client.execute(uri: "/self-inspections", method: .get, headers: outsider).text.contains(world.a.estate.name)))
            // MUT
            let empty = try await client.execute(uri: "/self-inspections/\(id)/false", method: .post, headers: regulator, body: WebHarness.form(["note": " "]))
            #expect(empty.status == .badRequest && empty.text.contains("请填写核查情况"))
            let recorded = try await client.execute(uri: "/self-inspections/\(id)/false", method: .post, headers: regulator,
                                                    body: WebHarness.form(["note": "抽查发现停车收入未公示"]))
            // validation
            #expect(recorded.status == .seeOther)
            let detail = try await client.execute(uri: "/self-inspections/\(id)", method: .get, headers: regulator)
            #expect(detail.text.contains("id=\"recorded-false\"") && detail.text.contains("抽查发现停车收入未公示") && !detail.text.contains("id=\"false-form\""))
            let problems = try await world.database.read { db in
                try await db.raw("SELECT COUNT(*) AS n FROM problems WHERE source = 'self_inspection_false' AND source_id = \(bind: id)")
                    .first(decodingColumn: "n", as: Int.self)
            }
            #expect(problems == 1)
        }
    }

    @Test(arguments: TestDatabase.available)
    func aRegulatorEditsTheChecklistIntoANewVersion(kind: TestDatabase.Kind) async throws {
        try await WebHarness.run(kind) { harness, client in
            // setup
            let world = harness.world
            let regulator = harness.browser(try await harness.token(world.a.users[.regulator]!))
            let page = try await client.execute(uri: "/self-inspections/checklist", method: .get, headers: regulator)
            #expect(page.status == .ok && page.text.contains("内置检查清单（第1版）") && page.text.contains("id=\"checklist-form\""))
            // MUT: errors beside their fields, then a good edit.
            let refused = try await client.execute(uri: "/self-inspections/checklist", method: .post, headers: regulator, body: WebHarness.form([
                "region": world.a.county.code, "code.0": "a1", "title.0": "", "clause.0": "莆田§四(二)", "category.0": "information_duty", "note": ""]))
            #expect(refused.status == .badRequest && refused.text.contains("请填写第1项的检查内容") && refused.text.contains("请填写修订说明"))
            let saved = try await client.execute(uri: "/self-inspections/checklist", method: .post, headers: regulator, body: WebHarness.form([
                "region": world.a.county.code, "code.0": "a1", "title.0": "按季度公示公共收益", "clause.0": "莆田§四(二)", "category.0": "information_duty",
                "note": "按本区实际精简"]))
            // validation
            #expect(saved.status == .seeOther)
            let after = try await client.execute(uri: "/self-inspections/checklist?region=\(world.a.county.code)", method: .get, headers: regulator)
            #expect(after.text.contains("鼓楼区检查清单（第2版") && after.text.contains("按本区实际精简") && after.text.contains("按季度公示公共收益"))
            let company = harness.browser(try await harness.token(world.a.users[.company]!))
            let form = try await client.execute(uri: "/self-inspections/new?estate=\(world.a.estate.id)", method: .get, headers: company)
            #expect(form.text.contains("name=\"result.a1\"") && !form.text.contains("name=\"result.account_used\""))
            let companyView = try await client.execute(uri: "/self-inspections/checklist", method: .get, headers: company)
            #expect(companyView.status == .ok && companyView.text.contains("鼓楼区检查清单（第2版") && !companyView.text.contains("id=\"checklist-form\""))
            #expect(try await client.execute(uri: "/self-inspections/checklist", method: .post, headers: company,
                                             body: WebHarness.form(["region": world.a.county.code, "note": "企业"])).status == .forbidden)
        }
    }
}
