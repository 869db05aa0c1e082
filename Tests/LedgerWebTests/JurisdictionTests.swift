import Foundation
import Hummingbird
import HummingbirdTesting
import LedgerCore
import LedgerTestSupport
import LedgerWeb
import NIOCore
import SQLKit
import Testing

/// Every registered route, called by every role of county A against county B's objects: no read shows them and
/// no write changes anything.
@Suite struct JurisdictionTests {
    /// Routes outside jurisdiction by nature: signing in and out.
    static let authenticationRoutes: Set<String> = ["POST /login", "POST /logout", "POST /api/v1/session", "DELETE /api/v1/session"]

    /// The signed-in user's own account, and marking all of their own notifications read: about nobody else, so outside
    /// jurisdiction by nature too (one notification by id is in the matrix: another user's answers 404).
    static func isOwnAccount(_ path: String) -> Bool { path == "/account" || path.hasPrefix("/account/") || path == "/notifications/read-all" }

    /// Pages for the public by design (docs/design.md §13): anyone may read any estate's published disclosures.
    static func isPublic(_ path: String) -> Bool { path.hasPrefix("/public/") }

    /// Fills a route's path parameters with county B's objects; a parameter this test does not know fails it,
    /// so a new route cannot slip past.
    static func concretePath(_ path: String, _ world: World, ids: [String: Int64]) -> String? {
        var parts: [String] = []
        for component in path.split(separator: "/", omittingEmptySubsequences: true) {
            guard component.hasPrefix("{") || component.hasPrefix(":") else { parts.append(String(component)); continue }
            let name = component.trimmingCharacters(in: CharacterSet(charactersIn: "{}:"))
            switch (name, parts.last) {
            case ("id", "estates"): parts.append("\(world.b.estate.id)")
            case ("id", "companies"): parts.append("\(world.b.company.id)")
            case ("id", "accounts"): parts.append("\(world.b.users[.regulator]!.id)")
            case ("id", "warnings"), ("id", "complaints"), ("id", "problems"), ("id", "campaigns"), ("id", "plans"), ("id", "visits"), ("id", "inspectors"),
                 ("id", "cross"), ("id", "groups"), ("id", "self-inspections"), ("id", "letters"), ("id", "events"), ("id", "requests"),
                 ("id", "demonstrations"), ("id", "audits"), ("id", "auditor-orgs"), ("id", "notifications"):
                guard let id = ids[parts.last!] else { return nil }
                parts.append("\(id)")
            case ("code", "track"): parts.append("TS2345678923")
            case ("file", _): parts.append("1")
            case ("kind", _): parts.append("estates")
            case ("year", _): parts.append("2024")
            case ("quarter", _): parts.append("2")
            case ("question", _): parts.append("1")
            case ("signature", _): parts.append("1")
            default: return nil
            }
        }
        return "/" + parts.joined(separator: "/")
    }

    /// Form fields and JSON bodies that all point at county B. They are complete and valid for the creation forms
    /// (`/problems/new`, `/complaints/new`, `/accounts` …), so the only reason left to refuse them is jurisdiction —
    /// `creationFormsAreValidInsideTheJurisdiction` proves the same fields are accepted with county A's objects.
    static func formFields(_ world: World, path: String = "") -> [String: String] {
        var fields = baseFields(world)
        // The two creation forms name their source from different lists.
        fields["source"] = path == "/complaints/new" ? "hotline" : "manual"
        return fields
    }

    static func baseFields(_ world: World) -> [String: String] {
        [
            "estate": "\(world.b.estate.id)", "description": "越权立案：未设公共收益专户", "category": "revenue_undisclosed",
            "content": "停车费收入从来没有公示过，请核查处理。", "sourceRef": "GD-2024-001", "severity": "medium",
            "username": "intruder.b", "displayName": "越权账号", "password": "Intruder-Pass-2026", "role": "street",
            "name": "越权写入", "address": "某路", "community": world.b.community.code, "households": "10", "floorArea": "100",
            "ownersShare": "70", "uscc": "91350102MA2YX1234X", "region": world.b.county.code, "company": "\(world.b.company.id)",
            "startDate": "2024-01-01", "kind": "estates", "chairName": "张三", "termStart": "2024-01-01", "termEnd": "2029-01-01",
            "bank": "某银行", "accountNumber": "6222000011112222", "openedOn": "2024-01-01",
            "csv": "name,address,community,households,floorArea,ownersShare\n越权导入,某路,\(world.b.community.code),10,100,70\n",
            "rule": "W02", "value": "20", "action": "resolve", "note": "越权办结", "task": "1", "period": "once", "status": "done",
            "year": "2024", "seedSource": "双色球2024年11月21日开奖号码", "confirm": "1", "seed": "01 02 03 04 05 06 07",
            "organisation": "越权单位", "inspectedOn": "2024-11-18", "active": "0", "to": world.b.street.code, "letterKind": "reminder",
            "replyDue": "2024-11-30", "reply": "越权答复",
            "decisionKind": "covenant", "decisionDate": "2024-01-05", "subject": "越权登记业主决议", "validFrom": "2024-01-01",
            "criteria": "越权推荐：按时规范公示", "evidence": "越权材料", "decision": "confirm", "reason": "越权认定",
            "auditQuarter": "3", "objection": "越权提出的审计异议", "verdict": "accept", "count": "5", "line": "经营收入", "issue": "越权审计发现",
            "summary": "越权审计结论", "rectification": "越权办结", "deadline": "2025-01-31",
        ]
    }

    static func jsonBody(_ world: World) -> ByteBuffer {
        WebHarness.json([
            "name": "越权写入", "address": "某路", "community": world.b.community.code, "households": 10, "floorArea": 100,
            "ownersShare": "70", "uscc": "91350102MA2YX1234X", "region": world.b.county.code,
        ])
    }

    /// A drawn cross-inspection round among county B's two streets (a second street is added): its id and a group's.
    static func crossInspection(in world: World) async throws -> (Int64, Int64) {
        let street = try await world.database.transaction { db in
            try await RegionDirectory.insert(on: db, code: world.b.county.code + "002", name: "茶亭街道", level: .street, parentPath: world.b.county.path)
        }
        let cross = CrossInspections(database: world.database, clock: world.clock)
        let scope = world.b.users[.regulator]!.scope
        let id = try await cross.publish(.init(regionCode: world.b.county.code, year: 2024, quarter: 4, seedSource: "双色球2024年10月8日开奖号码",
                                               participants: [world.b.street.code, street.code]), scope: scope)
        let round = try await cross.draw(id, seed: "03 07 12 19 25 31 08", scope: scope)
        return (id, round.groups[0].id)
    }

    // MARK: Tests

    /// The roles are walked in three shares, each in its own world, so that the walk (every route as every role, the
    /// longest test of the suite on PostgreSQL) runs as three cases side by side.
    static let roleShares = 0..<3

    @Test(arguments: TestDatabase.available, roleShares)
    func noRoleReadsOrWritesAnotherRegion(kind: TestDatabase.Kind, share: Int) async throws {
        try await WebHarness.run(kind) { harness, client in
            let world = harness.world
            let secrets = [world.b.estate.name, world.b.company.name, world.b.community.name, world.b.company.uscc, "台江小区管理规约授权"]
            // County B's estate has a decision in its owners' register.
            try await OwnerDecisions(database: world.database, clock: world.clock, filesDirectory: NSTemporaryDirectory())
                .add(.init(kind: "covenant", decidedOn: "2024-01-05", subject: "台江小区管理规约授权", validFrom: "2024-01-01"),
                     estateId: world.b.estate.id, scope: world.b.users[.committee]!.scope)
            // Both counties' estates have no dedicated account and nothing published: the engine gives each warnings.
            try await WarningEngine(database: world.database, clock: world.clock).run()
            let warningId = try await world.database.read { db in
                try await db.raw("SELECT MIN(id) AS id FROM warnings WHERE estate_id = \(bind: world.b.estate.id)").first(decodingColumn: "id", as: Int64?.self)
            }
            let bWarning = try #require(warningId ?? nil)
            // County B also has a complaint and a problem.
            let code = try await Complaints(database: world.database, clock: world.clock, filesDirectory: NSTemporaryDirectory())
                .file(ComplaintInput(estateId: world.b.estate.id, category: "revenue_undisclosed", content: "停车费收入从未公示，请核查"),
                      uploads: [], address: "192.0.2.1")
            let bComplaint = try await world.database.read { db in
                try await db.raw("SELECT id FROM complaints WHERE tracking_code = \(bind: code)").first(decodingColumn: "id", as: Int64.self)!
            }
            let bProblem = try await Problems(database: world.database, clock: world.clock, filesDirectory: NSTemporaryDirectory())
                .create(ProblemInput(estateId: world.b.estate.id, category: "revenue_no_account", description: "未设专户"),
                        scope: world.b.users[.regulator]!.scope)
            let campaign = Campaigns.NewCampaign(name: "台江区点题整治", region: world.b.county.code,
                                                 phaseDates: (0..<4).map { ("2024-0\($0 + 5)-01", "2024-0\($0 + 5)-20") })
            let bCampaign = try await Campaigns(database: world.database, clock: world.clock).create(campaign, scope: world.b.users[.regulator]!.scope)
            // And a spot-check plan, drawn, with its inspectors and a recorded visit.
            let bRegulator = world.b.users[.regulator]!.scope
            let bInspector = try await Inspectors(database: world.database, clock: world.clock)
                .add(.init(regionCode: world.b.county.code, name: "台江检查员", organisation: "台江区住建局"), scope: bRegulator)
            try await Inspectors(database: world.database, clock: world.clock)
                .add(.init(regionCode: world.b.county.code, name: "台江检查员二", organisation: "台江区住建局"), scope: bRegulator)
            let plans = InspectionPlans(database: world.database, clock: world.clock)
            let bPlan = try await plans.publish(.init(regionCode: world.b.county.code, year: 2024, seedSource: "双色球开奖号码"), scope: bRegulator)
            try await plans.draw(bPlan, seed: "01 02 03", scope: bRegulator)
            let answers = Dictionary(uniqueKeysWithValues: Checklist.items.map { ($0.code, InspectionRecords.Answer(.conforms)) })
            let bVisit = try await InspectionRecords(database: world.database, clock: world.clock)
                .record(.init(estateId: world.b.estate.id, planId: bPlan, inspectedOn: "2024-11-19", answers: answers), scope: bRegulator).id
            // County B holds a cross inspection between its two streets, in which county A takes no part.
            let (bRound, bGroup) = try await Self.crossInspection(in: world)
            let bSelfInspection = try await SelfInspections(database: world.database, clock: world.clock, filesDirectory: NSTemporaryDirectory())
                .file(SelfInspectionInput(estateId: world.b.estate.id, period: "2024Q3",
                                          answers: Dictionary(uniqueKeysWithValues: Checklist.items.map { ($0.code, SelfInspectionAnswer(.conforms)) })),
                      scope: world.b.users[.company]!.scope)
            // County B's letter to its street (提醒函), which county A may not see or answer.
            let bLetter = try await RegionLetters(database: world.database, clock: world.clock)
                .issue(.init(kind: "reminder", toCode: world.b.street.code, replyDue: "2024-11-30"), scope: bRegulator)
            // County B's company has a credit event recorded by B's regulator, and an objection to it.
            let bCredit = CreditFile(database: world.database, clock: world.clock)
            let bEvent = try await bCredit.record(companyId: world.b.company.id, rule: "C01", occurredOn: "2024-11-18", documentNumber: "台建约〔2024〕1号",
                                                  note: "约谈", scope: bRegulator)
            let bRequest = try await bCredit.object(to: bEvent, reasons: "异议", scope: world.b.users[.company]!.scope)
            // County B nominates its estate as a 示范小区.
            let bDemonstration = try await Demonstrations(database: world.database, clock: world.clock)
                .nominate(estateId: world.b.estate.id, criteria: "按时规范公示", evidence: "公示照片", scope: bRegulator)
            // County B registers an auditor organisation, and its estate has a pending audit with a signature awaiting a check.
            let bOrg = try await AuditorOrgs(database: world.database, clock: world.clock)
                .register(name: "台江审计所", uscc: USCC.withCheckCharacter("91350103MA31AUD09"), contact: "郑 0591-3", clients: "", scope: bRegulator)
            let bAudit = try await world.database.transaction { db in
                let id = try await db.raw("""
                    INSERT INTO audits (estate_id, region_path, company_id, year, quarter, origin, objection, status, households, requested_at, requested_by)
                    VALUES (\(bind: world.b.estate.id), \(bind: world.b.estate.regionPath), \(bind: world.b.company.id), 2024, 3, 'petition', '台江异议',
                            'petitioning', 300, '2024-11-18T00:00:00Z', '业主联名') RETURNING id
                    """).first(decodingColumn: "id", as: Int64.self)!
                try await db.raw("""
                    INSERT INTO audit_signatures (id, audit_id, household_key, building, room, name_masked, phone_masked, verified, signed_at, address)
                    VALUES (1, \(bind: id), 'k', '1号楼', '101', '张*', '138****0000', 0, '2024-11-18T00:00:00Z', 'x')
                    """).run()
                return id
            }
            // County B's company was told of its new warnings; nobody in county A may read or mark that notification.
            let bNotification = try await world.database.read { db in
                try await db.raw("SELECT MIN(id) AS id FROM notifications WHERE user_id = \(bind: world.b.users[.company]!.id)")
                    .first(decodingColumn: "id", as: Int64?.self)
            }
            let ids = ["notifications": try #require(bNotification ?? nil), "audits": bAudit, "auditor-orgs": bOrg, "demonstrations": bDemonstration, "letters": bLetter, "events": bEvent, "requests": bRequest, "self-inspections": bSelfInspection, "warnings": bWarning,
                       "complaints": bComplaint, "problems": bProblem, "campaigns": bCampaign, "plans": bPlan, "visits": bVisit, "inspectors": bInspector,
                       "cross": bRound, "groups": bGroup]
            var exercised = 0
            let roles = world.a.users.sorted(by: { $0.key.rawValue < $1.key.rawValue }).enumerated()
                .filter { $0.offset % Self.roleShares.count == share }.map(\.element)
            #expect(!roles.isEmpty)
            for (role, user) in roles {
                let token = try await harness.token(user)
                // One fingerprint per request: the state after one request is the state before the next.
                var last = try await world.fingerprint()
                for route in harness.routes {
                    let label = "\(route.method) \(route.path)"
                    if Self.authenticationRoutes.contains(label) || Self.isPublic(route.path) || Self.isOwnAccount(route.path) {
                        exercised += 1
                        continue
                    }
                    guard let path = Self.concretePath(route.path, world, ids: ids) else {
                        Issue.record("route \(label) has a parameter this test cannot fill: extend concretePath")
                        continue
                    }
                    let isAPI = path.hasPrefix("/api/")
                    let hasID = route.path.contains("{")
                    let before = last
                    let headers = isAPI ? harness.api(token) : harness.browser(token)
                    let body: ByteBuffer? = switch route.method {
                    case .get, .head, .delete: nil
                    default: isAPI ? Self.jsonBody(world) : WebHarness.form(Self.formFields(world, path: path))
                    }
                    let response = try await client.execute(uri: path, method: route.method, headers: headers, body: body)
                    exercised += 1
                    let status = Int(response.status.code)
                    if route.method == .get {
                        if hasID && !path.hasPrefix("/import/") {
                            // Another region's object is "not found"; an area the role has no permission for is 403 for
                            // every object alike, so it tells nothing either.
                            let lacks = RoutePermissions.permission(for: path).map { !user.role.permissions.contains($0) } ?? false
                            #expect(status == (lacks ? 403 : 404), "\(role) GET \(path) → \(status)")
                        }
                        for secret in secrets {
                            #expect(!response.text.contains(secret), "\(role) GET \(path) shows \(secret)")
                        }
                    } else {
                        #expect([400, 403, 404].contains(status), "\(role) \(route.method) \(path) → \(status)")
                        if hasID { #expect([403, 404].contains(status), "\(role) \(route.method) \(path) → \(status)") }
                    }
                    last = try await world.fingerprint()
                    #expect(last == before, "\(role) \(route.method) \(path) wrote something")
                }
            }
            #expect(exercised == harness.routes.count * roles.count)
        }
    }

    /// The menu and the permission table agree: every link a role sees answers 200, every area whose permission it
    /// lacks answers 403.
    @Test(arguments: TestDatabase.available)
    func everyMenuLinkOpensAndEveryMissingPermissionIsRefused(kind: TestDatabase.Kind) async throws {
        try await WebHarness.run(kind) { harness, client in
            let world = harness.world
            for user in Array(world.a.users.values) + [world.admin] {
                let headers = harness.browser(try await harness.token(user))
                let home = try await client.execute(uri: "/", method: .get, headers: headers).text
                let menu = home.range(of: "<nav aria-label=\"主导航\">").flatMap { start in
                    home[start.upperBound...].range(of: "</nav>").map { String(home[start.upperBound..<$0.lowerBound]) }
                } ?? ""
                let links = RoutePermissions.table.map(\.prefix).filter { !$0.hasPrefix("/api/") }
                for prefix in links {
                    let response = try await client.execute(uri: prefix, method: .get, headers: headers)
                    let permission = RoutePermissions.permission(for: prefix)!
                    let inMenu = menu.contains("href=\"\(prefix)\"")
                    if user.role.permissions.contains(permission) {
                        #expect(response.status == .ok, "\(user.role) GET \(prefix) → \(response.status)")
                        #expect(inMenu, "\(user.role) may \(permission) but the menu has no \(prefix)")
                    } else {
                        #expect(response.status == .forbidden, "\(user.role) GET \(prefix) → \(response.status)")
                        #expect(!inMenu, "\(user.role) sees \(prefix) in the menu without \(permission)")
                    }
                }
            }
        }
    }

    /// The control for the matrix above: the very fields it sends, pointed at county A, are accepted by A's regulator —
    /// so a refusal there can only be the jurisdiction check.
    @Test func creationFormsAreValidInsideTheJurisdiction() async throws {
        try await WebHarness.run { harness, client in
            let world = harness.world
            let regulator = harness.browser(try await harness.token(world.a.users[.regulator]!))
            // A plan needs two inspectors for every estate it may draw.
            for name in ["鼓楼检查员甲", "鼓楼检查员乙"] {
                try await Inspectors(database: world.database, clock: world.clock)
                    .add(.init(regionCode: world.a.county.code, name: name, organisation: "鼓楼区住建局"), scope: world.a.users[.regulator]!.scope)
            }
            for path in ["/problems/new", "/complaints/new", "/accounts", "/inspections/plans/new", "/inspections/inspectors", "/supervision/letters/new",
                         "/estates/\(world.a.estate.id)/decisions", "/demonstrations"] {
                var fields = Self.formFields(world, path: path)
                fields["to"] = world.a.street.code
                fields["estate"] = "\(world.a.estate.id)"
                fields["region"] = world.a.street.code
                fields["username"] = "created.\(path.split(separator: "/")[0])"
                let before = try await world.fingerprint()
                let response = try await client.execute(uri: path, method: .post, headers: regulator, body: WebHarness.form(fields))
                #expect(response.status == .seeOther, "\(path) → \(response.status): \(response.text.prefix(300))")
                #expect(try await world.fingerprint() != before, "\(path) wrote nothing")
            }
        }
    }
}
