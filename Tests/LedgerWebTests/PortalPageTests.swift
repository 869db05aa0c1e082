import Foundation
import Hummingbird
import HummingbirdTesting
import LedgerCore
import LedgerTestSupport
import LedgerWeb
import NIOCore
import Testing

/// The owners' way in (issue 14): the portal at `/`, the public estate search, the phone-first estate page with the
/// question form's receipt beside it, the complaint form reached from an estate, tracking codes as people paste them,
/// and the viewport tag on every public page.
@Suite struct PortalPageTests {
    static let anonymous: HTTPFields = [.cookie: "ledger_csrf=\(WebHarness.csrf)"]
    static let viewport = #"<meta name="viewport" content="width=device-width, initial-scale=1">"#

    /// Publishes 2024 Q2 and Q3 for county A's estate (Q3 is the latest).
    static func publishTwoQuarters(_ world: World) async throws {
        let repository = DisclosureRepository(database: world.database, clock: world.clock)
        for quarter in [2, 3] {
            _ = try await repository.publish(estateId: world.a.estate.id, quarter: Quarter(year: 2024, quarter: quarter)!,
                                             document: DisclosureSamples.valid(), reason: nil, scope: world.a.users[.company]!.scope)
        }
    }

    // MARK: Tests

    @Test(arguments: TestDatabase.available)
    func theRootIsThePortalForVisitorsAndTheHomeForStaff(kind: TestDatabase.Kind) async throws {
        try await WebHarness.run(kind) { harness, client in
            try await Self.publishTwoQuarters(harness.world)
            // MUT: no session
            let portal = try await client.execute(uri: "/", method: .get)
            // validation
            #expect(portal.status == .ok)
            let html = portal.text
            #expect(!html.contains("name=\"password\""), "the portal, not the login form")
            #expect(html.contains("action=\"/public/estates\"") && html.contains("name=\"q\"") && html.contains("name=\"district\""))
            #expect(html.contains("<option value=\"\(harness.world.a.county.code)\">鼓楼区</option>"))
            for link in ["href=\"/public/complaints/new\"", "href=\"/public/complaints/track\"", "action=\"/public/complaints/track\"",
                         "href=\"/public/credit\"", "href=\"/login\"", "办事指南"] {
                #expect(html.contains(link), "\(link)")
            }
            // The latest disclosures, newest first; the guide's numbers are the platform's.
            let latest = try #require(html.range(of: "id=\"latest-list\""))
            let q3 = try #require(html.range(of: "#q-2024-3", range: latest.upperBound..<html.endIndex))
            let q2 = try #require(html.range(of: "#q-2024-2", range: latest.upperBound..<html.endIndex))
            #expect(q3.lowerBound < q2.lowerBound)
            #expect(html.contains("公示期不少于30天") && html.contains("15个工作日内办结") && html.contains("办结后60天内"))
            // Staff keep their home; an ended session is a visitor again.
            let token = try await harness.token(harness.world.a.users[.regulator]!)
            let home = try await client.execute(uri: "/", method: .get, headers: harness.browser(token))
            #expect(home.status == .ok && home.text.contains("id=\"estate-count\"") && !home.text.contains("id=\"estate-search\""))
        }
    }

    @Test(arguments: TestDatabase.available)
    func theEstateSearchFindsByNameOrAddressWithinADistrict(kind: TestDatabase.Kind) async throws {
        try await WebHarness.run(kind) { harness, client in
            let (a, b) = (harness.world.a.estate, harness.world.b.estate)
            // By name, with the spaces a browser's GET form turns into '+' around it.
            let byName = try await client.execute(uri: "/public/estates?q=+%E4%B8%9C%E6%B9%96+", method: .get)  // " 东湖 "
            #expect(byName.status == .ok)
            #expect(byName.text.contains("href=\"/public/estates/\(a.id)\"") && !byName.text.contains("href=\"/public/estates/\(b.id)\""))
            #expect(byName.text.contains("value=\"东湖\""), "the trimmed text is kept in the box")
            // By address: both counties' estates are on 某路; the district filter keeps county B's.
            let both = try await client.execute(uri: "/public/estates?q=\("某路".percentEncoded)", method: .get)
            #expect(both.text.contains("/public/estates/\(a.id)\"") && both.text.contains("/public/estates/\(b.id)\""))
            let inB = try await client.execute(uri: "/public/estates?q=\("某路".percentEncoded)&district=\(harness.world.b.county.code)", method: .get)
            #expect(!inB.text.contains("/public/estates/\(a.id)\"") && inB.text.contains("/public/estates/\(b.id)\""))
            // A district alone lists its estates; one character is refused with the rule stated.
            let district = try await client.execute(uri: "/public/estates?district=\(harness.world.a.county.code)", method: .get)
            #expect(district.text.contains("/public/estates/\(a.id)\"") && !district.text.contains("/public/estates/\(b.id)\""))
            let short = try await client.execute(uri: "/public/estates?q=\("东".percentEncoded)", method: .get)
            #expect(short.status == .badRequest && short.text.contains("请输入至少两个字"))
            #expect(!short.text.contains("/public/estates/\(a.id)\""))
            let none = try await client.execute(uri: "/public/estates?q=\("不存在的小区".percentEncoded)", method: .get)
            #expect(none.status == .ok && none.text.contains("id=\"no-results\""))
        }
    }

    @Test(arguments: TestDatabase.available)
    func theEstatePageLeadsWithTheLatestQuarterAndAnswersQuestionsBesideTheForm(kind: TestDatabase.Kind) async throws {
        try await WebHarness.run(kind) { harness, client in
            try await Self.publishTwoQuarters(harness.world)
            let estate = harness.world.a.estate.id
            let page = try await client.execute(uri: "/public/estates/\(estate)", method: .get)
            let html = page.text
            // The latest quarter is open with its summary; the earlier one is folded; how to verify is folded.
            let latest = try #require(html.range(of: "id=\"latest-summary\""))
            #expect(html.range(of: "最近一季度：2024年第3季度")!.lowerBound < latest.lowerBound)
            #expect(html.contains("<details class=\"quarter\" id=\"q-2024-2\">"))
            #expect(!html.contains("<details class=\"quarter\" id=\"q-2024-3\""))
            #expect(html.contains("<details><summary>如何核验公示未被篡改</summary>"))
            #expect(html.contains("id=\"summary-income\">24,600.00<") && html.contains("id=\"summary-owners\">"))
            // Asking and complaining carry the estate.
            #expect(html.contains("href=\"#ask\"") && html.contains("href=\"/public/complaints/new?estate=\(estate)\""))
            #expect(html.contains("<textarea id=\"content\" name=\"content\""))
            // An empty question: the error is beside the form, the typed item kept, the redirect anchored at the form.
            let empty = try await client.execute(uri: "/public/estates/\(estate)/questions", method: .post, headers: Self.anonymous,
                                                 body: WebHarness.form(["quarter": "2024Q2", "item": "  停车费  ", "content": "   "]))
            #expect(empty.status == .badRequest)
            let form = try #require(empty.text.range(of: "<section id=\"ask\">"))
            let error = try #require(empty.text.range(of: "请填写疑问内容"))
            #expect(form.lowerBound < error.lowerBound)
            #expect(empty.text.contains("value=\"停车费\"") && empty.text.contains("<option value=\"2024Q2\" selected>"))
            let asked = try await client.execute(uri: "/public/estates/\(estate)/questions", method: .post, headers: Self.anonymous,
                                                 body: WebHarness.form(["quarter": "2024Q3", "item": "停车费", "content": "车位数与收入不符？"]))
            #expect(asked.status == .seeOther && asked.headers[.location] == "/public/estates/\(estate)?asked=1#ask")
            let receipt = try await client.execute(uri: "/public/estates/\(estate)?asked=1", method: .get)
            let section = try #require(receipt.text.range(of: "<section id=\"ask\">"))
            let shown = try #require(receipt.text.range(of: "id=\"ask-receipt\""))
            #expect(section.lowerBound < shown.lowerBound)
            // The complaint form opens with the estate chosen.
            let complaint = try await client.execute(uri: "/public/complaints/new?estate=\(estate)", method: .get)
            #expect(complaint.text.contains("name=\"estate\" value=\"\(estate)\" checked"))
            #expect(complaint.text.contains("<textarea id=\"complaint-content\" name=\"content\""))
        }
    }

    @Test(arguments: TestDatabase.available)
    func aTrackingCodeIsFoundWithSpacesAroundItOrInLowerCase(kind: TestDatabase.Kind) async throws {
        try await WebHarness.run(kind) { harness, client in
            let code = try await Complaints(database: harness.world.database, clock: harness.world.clock, filesDirectory: NSTemporaryDirectory())
                .file(ComplaintInput(estateId: harness.world.a.estate.id, category: "revenue_undisclosed", content: "停车费收入从未公示，请核查"),
                      uploads: [], address: "192.0.2.1")
            // Pasted with spaces (a GET form sends them as '+' or %20), a tab and a line break; typed in lower case.
            for query in ["+\(code)+", "%20\(code)%20%0A", "%09\(code.lowercased())", code.lowercased()] {
                let page = try await client.execute(uri: "/public/complaints/track?code=\(query)", method: .get)
                #expect(page.status == .ok, "\(query)")
                #expect(page.text.contains("id=\"tracking-status\"") && page.text.contains("<dd>\(code)</dd>"), "\(query)")
            }
            let unknown = try await client.execute(uri: "/public/complaints/track?code=+TS2345678923+", method: .get)
            #expect(unknown.status == .notFound && unknown.text.contains("查询码不存在"))
        }
    }

    /// Every public page (every GET route under `/public/` that answers HTML, and `/`) carries the viewport tag.
    @Test func everyPublicPageCarriesTheViewportTag() async throws {
        try await WebHarness.run { harness, client in
            let world = harness.world
            try await Self.publishTwoQuarters(world)
            let code = try await Complaints(database: world.database, clock: world.clock, filesDirectory: NSTemporaryDirectory())
                .file(ComplaintInput(estateId: world.a.estate.id, category: "revenue_undisclosed", content: "停车费收入从未公示，请核查"),
                      uploads: [], address: "192.0.2.1")
            let regulator = world.a.users[.regulator]!.scope
            for name in ["鼓楼检查员", "鼓楼检查员二"] {
                try await Inspectors(database: world.database, clock: world.clock)
                    .add(.init(regionCode: world.a.county.code, name: name, organisation: "鼓楼区住建局"), scope: regulator)
            }
            let plan = try await InspectionPlans(database: world.database, clock: world.clock)
                .publish(.init(regionCode: world.a.county.code, year: 2024, seedSource: "双色球开奖号码"), scope: regulator)
            let petition = try await Audits(database: world.database, clock: world.clock, filesDirectory: NSTemporaryDirectory())
                .startPetition(estateId: world.a.estate.id, year: "2024", quarter: "3", objection: "停车费偏低",
                               signer: .init(name: "张三", building: "1号楼", room: "101", phone: "13800000000"), address: "192.0.2.9")
            let pages = harness.routes.filter { $0.method == .get && ($0.path == "/" || $0.path.hasPrefix("/public/")) }
                .map(\.path).filter { !$0.hasSuffix(".txt") && !$0.hasPrefix("/public/vouchers/") }
            #expect(pages.count >= 10, "\(pages)")
            for route in pages {
                // Path parameters are listed as `{name}` (or `:name`): fill each with county A's objects.
                var parts: [String] = []
                for component in route.split(separator: "/") {
                    let name = component.trimmingCharacters(in: CharacterSet(charactersIn: "{}:"))
                    guard name != component else { parts.append(String(component)); continue }
                    switch (name, parts.last) {
                    case ("id", "estates"): parts.append("\(world.a.estate.id)")
                    case ("id", "companies"): parts.append("\(world.a.company.id)")
                    case ("id", "inspection-plans"): parts.append("\(plan)")
                    case ("id", "audit-petitions"): parts.append("\(petition)")
                    case ("year", _): parts.append("2024")
                    case ("quarter", _): parts.append("3")
                    default: parts.append("?")
                    }
                }
                let path = "/" + parts.joined(separator: "/")
                #expect(!path.contains("?"), "a public route this test cannot fill: \(route)")
                let uri = path == "/public/complaints/track" ? path + "?code=\(code)" : path == "/public/estates" ? path + "?q=\("东湖".percentEncoded)" : path
                let response = try await client.execute(uri: uri, method: .get)
                #expect(response.status == .ok, "\(uri)")
                #expect(response.text.contains(Self.viewport), "\(uri) lacks the viewport tag")
            }
        }
    }
}

extension String {
    fileprivate var percentEncoded: String { addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? "" }
}
