import Foundation
import Hummingbird
import HummingbirdTesting
import LedgerCore
import LedgerTestSupport
import LedgerWeb
import NIOCore
import SQLKit
import Testing

/// Post/Redirect/Get over the whole route table (issue #14, "every POST route answers success with a 303"): every form
/// route of the application is posted, as each role of county A, with fields valid inside county A. No answer may be
/// 2xx (a page answering a POST with 200 would be posted again on Back or reload — this walk found the registry import
/// and the filing form's 保存草稿 doing so), and the routes in `walked` must reach their 303 for some role. A route
/// whose success needs objects this walk does not build (an audit in progress, a closed complaint, a drawn round …)
/// is still posted and still may not answer 2xx; its 303 is asserted by its own page test.
@Suite struct PostRedirectTests {
    /// Fields valid inside county A (the jurisdiction matrix's fields, pointed at A), with what particular routes add.
    static func fields(_ world: World, path: String, ids: [String: Int64]) -> [String: String] {
        var fields = JurisdictionTests.formFields(world, path: path)
        fields["estate"] = "\(world.a.estate.id)"
        fields["community"] = world.a.community.code
        fields["region"] = world.a.street.code
        fields["company"] = "\(world.a.company.id)"
        fields["to"] = world.a.street.code
        fields["username"] = "walk.\(abs(path.hashValue) % 100_000)"
        fields["csv"] = "name,address,community,households,floorArea,ownersShare\n步行导入小区\(abs(path.hashValue) % 1000),某路1号,\(world.a.community.code),10,100,70\n"
        for (key, value) in Self.extra[Self.normalized(path)] ?? [:] { fields[key] = value }
        if ["/warnings/parameters", "/credit/rules"].contains(path) { fields["region"] = world.a.county.code }
        if path == "/auditor-orgs" { fields["uscc"] = USCC.withCheckCharacter("91350102MA31WLK09") }
        if Self.normalized(path) == "/auditor-orgs/:id/members" { fields["username"] = world.a.users[.auditor]!.username }
        if Self.normalized(path) == "/companies/:id" { fields["uscc"] = world.a.company.uscc; fields["name"] = world.a.company.name }
        if path == "/warnings/acknowledge", let id = ids["acknowledge"] { fields["id"] = "\(id)"; fields["back"] = "/warnings" }
        return fields
    }

    /// `/estates/{id}` or `/estates/:id` as `/estates/:id`.
    static func normalized(_ path: String) -> String {
        path.split(separator: "/").map { $0.hasPrefix("{") ? ":" + $0.trimmingCharacters(in: CharacterSet(charactersIn: "{}")) : String($0) }
            .reduce("") { $0 + "/" + $1 }
    }

    /// The route with county A's objects in its parameters.
    static func concretePath(_ path: String, _ world: World, ids: [String: Int64]) -> String? {
        var parts: [String] = []
        for component in Self.normalized(path).split(separator: "/") {
            guard component.hasPrefix(":") else { parts.append(String(component)); continue }
            switch (component.dropFirst(), parts.last ?? "") {
            case ("id", "estates"): parts.append("\(world.a.estate.id)")
            case ("id", "companies"): parts.append("\(world.a.company.id)")
            case ("id", "accounts"): parts.append("\(world.a.users[.street]!.id)")
            case ("id", let list):
                guard let id = ids[list] else { return nil }
                parts.append("\(id)")
            case ("year", _): parts.append("2024")
            case ("quarter", _): parts.append("3")
            case ("question", _): parts.append("\(ids["question"] ?? 1)")
            case ("signature", _), ("file", _): parts.append("1")
            case ("kind", _): parts.append("estates")
            default: return nil
            }
        }
        return "/" + parts.joined(separator: "/")
    }

    /// Route-specific fields, by route pattern.
    static let extra: [String: [String: String]] = [
        "/complaints/:id": ["action": "assign"],
        "/problems/:id": ["action": "note", "note": "已电话督促企业尽快整改"],
        "/warnings/:id": ["action": "acknowledge", "note": ""],
        "/accounts/:id": ["action": "enable"],
        "/settings": ["key": "complaint_rating.days", "value": "30"],
        "/warnings/parameters": ["rule": "W09", "name": "percent", "value": "40"],
        "/credit/rules": ["rule": "C01", "points": "-8", "months": "12", "repairAllowed": "1", "repairAfterMonths": "3", "enabled": "1"],
        "/estates/:id/questions/:question/answer": ["answer": "本季度新增临时车位12个，已在公示中说明"],
        "/public/estates/:id/questions": ["quarter": "2024Q2", "item": "停车费", "content": "车位数与收入不符，请说明"],
        "/public/estates/:id/audit-petitions": ["period": "2024Q2", "building": "1号楼", "room": "101", "phone": "13800000000"],
        "/auditor-orgs": ["name": "步行审计事务所", "contact": "郑会计 0591-87000000", "clients": ""],
        "/audits": ["year": "2024", "auditQuarter": "2"],
        "/estates/:id": ["name": "步行编辑小区"],
        "/credit/events/:id/objection": ["reasons": "约谈通知书送达对象并非本企业在管项目"],
        "/credit/events/:id/repair": ["reasons": "已完成整改，申请信用修复"],
        "/credit/requests/:id/decide": ["decision": "uphold", "note": "经复核，约谈记录属实，维持原记录"],
        "/estates/:id/committees": ["kind": "业主委员会"],
        "/companies/:id/enforcement": ["kind": "order_rectify", "decidedOn": "2024-11-18", "basis": "《物业管理条例》第五十五条",
                                       "documentNumber": "鼓建责改〔2024〕9号"],
        "/credit/companies/:id/events": ["rule": "C01", "occurredOn": "2024-11-18", "documentNumber": "鼓建约〔2024〕9号"],
        "/credit/companies/:id/lists": ["list": "red", "reason": "连续四个季度按时规范公示", "documentNumber": "鼓建红〔2024〕1号",
                                        "decidedOn": "2024-11-18", "until": "2025-11-18"],
        "/credit/companies/:id/cases": ["title": "某物业公司侵占公共收益案", "situation": "该公司在管小区停车收益未入专户", "facts": "停车收益4万元未入专户",
                                        "basis": "《物业管理条例》", "outcome": "责令退还并罚款", "publishedOn": "2024-11-18"],
    ]

    /// The routes the walk takes to success: each must answer 303 for one of county A's roles (or the admin).
    static let walked: Set<String> = [
        "/account/totp/acknowledge", "/account/totp/begin", "/accounts", "/accounts/:id", "/accounts/two-factor", "/auditor-orgs",
        "/auditor-orgs/:id/members", "/audits", "/credit/events/:id/objection", "/credit/requests/:id/decide", "/demonstrations/:id/decide",
        "/inspections/inspectors/:id/active", "/notifications/:id/read", "/supervision/letters/:id/reply",
        "/companies", "/companies/:id", "/companies/:id/enforcement", "/complaints/new", "/complaints/:id", "/credit/companies/:id/cases",
        "/credit/companies/:id/events", "/credit/companies/:id/lists", "/credit/rules", "/demonstrations", "/estates", "/estates/:id",
        "/estates/:id/account", "/estates/:id/committees", "/estates/:id/contracts", "/estates/:id/decisions",
        "/estates/:id/disclosures/:year/:quarter", "/estates/:id/questions/:question/answer", "/import/registry", "/inspections/inspectors", "/logout", "/notifications/read-all",
        "/problems/new", "/problems/:id", "/public/complaints/new", "/public/estates/:id/questions", "/settings", "/supervision/letters/new",
        "/warnings/acknowledge", "/warnings/:id", "/warnings/parameters",
    ]

    @Test func everyFormRouteAnswersSuccessWithARedirect() async throws {
        try await WebHarness.run { harness, client in
            let world = harness.world
            let regulator = world.a.users[.regulator]!.scope
            try await WarningEngine(database: world.database, clock: world.clock).run()
            let warnings = try await world.database.read { db in
                try await db.raw("SELECT id FROM warnings WHERE estate_id = \(bind: world.a.estate.id) AND status = 'open' ORDER BY id")
                    .all(decodingColumn: "id", as: Int64.self)
            }
            #expect(warnings.count >= 2)
            let code = try await Complaints(database: world.database, clock: world.clock, filesDirectory: NSTemporaryDirectory())
                .file(ComplaintInput(estateId: world.a.estate.id, category: "revenue_undisclosed", content: "停车费收入从未公示，请核查"),
                      uploads: [], address: "192.0.2.1")
            let complaint = try await world.database.read { db in
                try await db.raw("SELECT id FROM complaints WHERE tracking_code = \(bind: code)").first(decodingColumn: "id", as: Int64.self)!
            }
            let problem = try await Problems(database: world.database, clock: world.clock, filesDirectory: NSTemporaryDirectory())
                .create(ProblemInput(estateId: world.a.estate.id, category: "revenue_no_account", description: "未设专户"), scope: regulator)
            // A published quarter (2024Q2) with an owner's question waiting for the company's answer.
            _ = try await DisclosureRepository(database: world.database, clock: world.clock).publish(
                estateId: world.a.estate.id, quarter: Quarter(year: 2024, quarter: 2)!, document: DisclosureSamples.valid(), reason: nil,
                scope: world.a.users[.company]!.scope)
            let question = try await OwnerQuestions(database: world.database, clock: world.clock)
                .ask(estateId: world.a.estate.id, QuestionInput(quarter: "2024Q2", item: "停车费", content: "车位数与收入不符？"), address: "203.0.113.9")
            var ids: [String: Int64] = ["warnings": warnings[0], "acknowledge": warnings[1], "complaints": complaint, "problems": problem,
                                        "question": question.id]
            // Objects the walk itself creates (a nomination, an organisation, a letter, a credit event …) are what the
            // routes after them act on: their ids are read afresh before each route.
            let created = ["demonstrations": "demonstrations", "auditor-orgs": "auditor_orgs", "letters": "region_letters", "events": "credit_events",
                           "requests": "credit_requests", "inspectors": "inspectors"]
            let regulatorId = world.a.users[.regulator]!.id
            var results: [String: [String]] = [:]
            var succeeded = Set<String>()
            let posts = harness.routes.filter { $0.method == .post && !$0.path.hasPrefix("/api/") }
            let users = [world.a.users[.regulator]!, world.admin] + world.a.users.values.filter { $0.role != .regulator }.sorted { $0.role.rawValue < $1.role.rawValue }
            for route in posts.sorted(by: { $0.path < $1.path }) {
                for (list, table) in created {
                    ids[list] = try await world.database.read { db in
                        try await db.raw("SELECT MAX(id) AS id FROM \(ident: table)").first(decodingColumn: "id", as: Int64?.self)
                    } ?? nil
                }
                ids["notifications"] = try await world.database.read { db in
                    try await db.raw("SELECT MIN(id) AS id FROM notifications WHERE user_id = \(bind: regulatorId)").first(decodingColumn: "id", as: Int64?.self)
                } ?? nil
                guard let concrete = Self.concretePath(route.path, world, ids: ids) else { results[route.path] = ["no path"]; continue }
                for user in users {
                    let headers = harness.browser(try await harness.token(user))
                    let response = try await client.execute(uri: concrete, method: .post, headers: headers,
                                                            body: WebHarness.form(Self.fields(world, path: route.path, ids: ids)))
                    let status = Int(response.status.code)
                    results[route.path, default: []].append("\(user.role.rawValue)=\(status)")
                    // WALK_DEBUG=1 prints the field errors of a refused form: what a new route's fields lack.
                    if ProcessInfo.processInfo.environment["WALK_DEBUG"] != nil, status == 400, user.role == .regulator || user.role == .admin {
                        let errs = response.text.components(separatedBy: "role=\"alert\">").dropFirst().map { String($0.prefix(30)) }
                        print("WALK \(route.path) \(user.role): \(errs)")
                    }
                    #expect(!(200..<300).contains(status), "POST \(concrete) as \(user.role) answered \(status)")
                    if status == 303 { succeeded.insert(route.path); break }
                }
            }
            if ProcessInfo.processInfo.environment["WALK_DEBUG"] != nil {
                print("WALK also 303: \(Set(succeeded.map(Self.normalized)).subtracting(Self.walked).sorted())")
            }
            let missing = Self.walked.subtracting(succeeded.map(Self.normalized))
            for path in missing.sorted() { print("NO-303 \(path): \(results.first { Self.normalized($0.key) == path }?.value ?? [])") }
            #expect(missing.isEmpty, "no 303 for \(missing.sorted())")
            #expect(Self.walked.isSubset(of: Set(posts.map { Self.normalized($0.path) })), "a walked route is no longer in the route table")
        }
    }
}
