import Foundation
import LedgerCore
import LedgerTestSupport
import SQLKit
import Testing

/// 第三方审计 (Putian §四(六)): petitions counted by households against 20%, the county's decision (accept with an
/// organisation that has not worked for the company, bundle, or the zero-revenue exemption only without objection),
/// the auditor confined to its assignment, findings becoming the company's problems, and the public result.
@Suite struct AuditTests {
    static let kinds = TestDatabase.available
    static let q3 = Quarter(year: 2024, quarter: 3)!

    static func audits(_ world: World) -> Audits { Audits(database: world.database, clock: world.clock, filesDirectory: NSTemporaryDirectory()) }

    static func publish(_ world: World, zero: Bool = false, side: KeyPath<World, World.Side> = \.a) async throws {
        var document = DisclosureSamples.valid()
        if zero {
            document.income = []
            document.costs = []
            document.distribution = .init(ownersShare: "0.00", companyShare: "0.00")
            document.expenditures = []
            document.transfer = nil
        }
        let s = world[keyPath: side]
        _ = try await DisclosureRepository(database: world.database, clock: world.clock)
            .publish(estateId: s.estate.id, quarter: q3, document: document, reason: nil, scope: s.users[.company]!.scope)
    }

    static func status(_ world: World, _ id: Int64) async throws -> String {
        try await world.database.read { db in
            try await db.raw("SELECT status FROM audits WHERE id = \(bind: id)").first(decodingColumn: "status", as: String.self)!
        }
    }

    @Test func twentyPercentIsCountedInHouseholds() {
        #expect(Audits.threshold(households: 1000) == 200)
        #expect(Audits.threshold(households: 1001) == 201)
        #expect(Audits.threshold(households: 3) == 1)
        #expect(!Audits.qualifies(signed: 199, households: 1000))   // 19.9%
        #expect(Audits.qualifies(signed: 200, households: 1000))    // 20%
        #expect(!Audits.qualifies(signed: 200, households: 1001))   // 19.98%
        #expect(!Audits.qualifies(signed: 0, households: 0))
    }

    @Test(arguments: kinds)
    func aPetitionReachesTheCountyAtTwentyPercentOfHouseholdsAndDuplicatesCountOnce(kind: TestDatabase.Kind) async throws {
        try await withDatabase(kind) { database in
            let world = try await World.build(in: database)
            try await Self.publish(world)
            try await database.transaction { db in try await db.raw("UPDATE estates SET households = 1000 WHERE id = \(bind: world.a.estate.id)").run() }
            let audits = Self.audits(world)
            // Only a published quarter can be objected to; every field error comes at once.
            await #expect(throws: LedgerError.self) {
                try await audits.startPetition(estateId: world.a.estate.id, year: "2024", quarter: "2", objection: "有异议",
                                               signer: .init(name: "张三", building: "1号楼", room: "101", phone: "13800000000"), address: "198.51.100.1")
            }
            do {
                _ = try await audits.startPetition(estateId: world.a.estate.id, year: "2024", quarter: "3", objection: "",
                                                   signer: .init(name: "", building: "", room: "101", phone: "12345"), address: "198.51.100.1")
                Issue.record("an incomplete petition was accepted")
            } catch let errors as FieldErrors {
                #expect(Set(errors.items.compactMap(\.field)) == ["objection", "name", "building", "phone"])
            }
            // The first signer has no code: counted only once an official checks it.
            let id = try await audits.startPetition(estateId: world.a.estate.id, year: "2024", quarter: "3", objection: "停车费收入明显偏低",
                                                    signer: .init(name: "张三", building: "1号楼", room: "101", phone: "13800000000"), address: "198.51.100.1")
            let committee = world.a.users[.committee]!.scope
            let codes = try await audits.issueCodes(auditId: id, count: "200", scope: committee)
            #expect(Set(codes).count == 200)
            await #expect(throws: LedgerError.forbidden) { try await audits.issueCodes(auditId: id, count: "1", scope: world.a.users[.company]!.scope) }
            for n in 0..<199 {
                let result = try await audits.sign(auditId: id, signer: .init(name: "业主\(n)", building: "\(n / 50 + 2)号楼", room: "\(n % 50 + 1)01",
                                                                               phone: "139000\(String(format: "%05d", n))", code: codes[n].lowercased()),
                                                   address: "198.51.100.\(n % 200 + 2)")
                #expect(result.verified && !result.duplicate)
            }
            // A used code is refused; a wrong code too.
            await #expect(throws: LedgerError.self) {
                try await audits.sign(auditId: id, signer: .init(name: "李四", building: "9号楼", room: "901", phone: "13700000000", code: codes[0]), address: "203.0.113.9")
            }
            #expect(try await audits.publicPetition(id).audit.signedHouseholds == 199)
            #expect(try await Self.status(world, id) == "petitioning")   // 199 of 1000 households: 19.9%
            // The same household typed another way ("2栋 101室" is "2号楼 101") counts once.
            let duplicate = try await audits.sign(auditId: id, signer: .init(name: "业主甲", building: "2栋", room: "101室", phone: "13600000000", code: codes[199]),
                                                  address: "203.0.113.10")
            #expect(duplicate.duplicate)
            #expect(try await audits.publicPetition(id).audit.signedHouseholds == 199)
            #expect(try await Self.status(world, id) == "petitioning")
            // The street checks the first signature by phone: 200 of 1000 households, 20%, and the request goes to the county.
            let signature = try await database.read { db in
                try await db.raw("SELECT MIN(id) AS id FROM audit_signatures WHERE audit_id = \(bind: id)").first(decodingColumn: "id", as: Int64.self)!
            }
            await #expect(throws: LedgerError.self) {
                try await audits.verifySignature(auditId: id, signatureId: signature, accept: true, scope: world.b.users[.street]!.scope)
            }
            try await audits.verifySignature(auditId: id, signatureId: signature, accept: true, scope: world.a.users[.street]!.scope)
            #expect(try await Self.status(world, id) == "pending")
            await #expect(throws: LedgerError.self) {
                try await audits.sign(auditId: id, signer: .init(name: "迟到", building: "20号楼", room: "2001", phone: "13500000000"), address: "203.0.113.11")
            }
            // Signers are stored masked: no full name or phone anywhere in the table.
            let stored = try await database.read { db in
                try await db.raw("SELECT name_masked, phone_masked FROM audit_signatures WHERE id = \(bind: signature)").first()!
            }
            #expect(try stored.decode(column: "name_masked", as: String.self) != "张三")
            #expect(try stored.decode(column: "phone_masked", as: String.self) != "13800000000")
            let county = try await Dashboard(database: database, clock: world.clock)
                .view(regionCode: world.a.county.code, quarter: Self.q3, scope: world.a.users[.regulator]!.scope)
            #expect(county.audits.pending == 1 && county.audits.requested == 1)
            #expect(county.kpis.contains { $0.key == "audits" })
        }
    }

    @Test(arguments: kinds)
    func theZeroRevenueExemptionIsRefusedWhenOwnersObject(kind: TestDatabase.Kind) async throws {
        try await withDatabase(kind) { database in
            let world = try await World.build(in: database)
            try await Self.publish(world, zero: true)
            try await Self.publish(world, side: \.b)
            let audits = Self.audits(world)
            let regulatorA = world.a.users[.regulator]!.scope, regulatorB = world.b.users[.regulator]!.scope
            // The committee objects to A's zero-revenue quarter: no exemption.
            let objected = try await audits.request(estateId: world.a.estate.id, year: "2024", quarter: "3", objection: "零收益不实，电梯广告一直在播",
                                                    scope: world.a.users[.committee]!.scope)
            await #expect(throws: LedgerError.self) {
                try await audits.decide(objected, decision: "exempt", reason: "零收益", orgId: "", deadline: "", bundleWith: "", scope: regulatorA)
            }
            #expect(try await Self.status(world, objected) == "pending")
            // B's quarter earned money: a county-organised audit of it cannot be exempted either.
            let earning = try await audits.request(estateId: world.b.estate.id, year: "2024", quarter: "3", objection: "", scope: regulatorB)
            await #expect(throws: LedgerError.self) {
                try await audits.decide(earning, decision: "exempt", reason: "零收益", orgId: "", deadline: "", bundleWith: "", scope: regulatorB)
            }
            // Another county's request is not found; a committee cannot decide.
            await #expect(throws: LedgerError.self) {
                try await audits.decide(earning, decision: "exempt", reason: "越权", orgId: "", deadline: "", bundleWith: "", scope: regulatorA)
            }
            await #expect(throws: LedgerError.forbidden) {
                try await audits.decide(objected, decision: "exempt", reason: "越权", orgId: "", deadline: "", bundleWith: "", scope: world.a.users[.committee]!.scope)
            }
            // Without an objection, a zero-revenue quarter is exempted (after the committee's request is dealt with elsewhere).
            try await database.transaction { db in try await db.raw("UPDATE audits SET status = 'closed' WHERE id = \(bind: objected)").run() }
            let routine = try await audits.request(estateId: world.a.estate.id, year: "2024", quarter: "3", objection: "", scope: regulatorA)
            await #expect(throws: LedgerError.self) {   // the committee's objection to the same quarter still stands
                try await audits.decide(routine, decision: "exempt", reason: "零收益", orgId: "", deadline: "", bundleWith: "", scope: regulatorA)
            }
            try await database.transaction { db in try await db.raw("DELETE FROM audits WHERE id = \(bind: objected)").run() }
            try await audits.decide(routine, decision: "exempt", reason: "本季度公共收益为零且无业主异议", orgId: "", deadline: "", bundleWith: "", scope: regulatorA)
            #expect(try await Self.status(world, routine) == "exempted")
        }
    }

    @Test(arguments: kinds)
    func theAuditorSeesOnlyItsAssignmentAndItsFindingsBecomeTheCompanysProblems(kind: TestDatabase.Kind) async throws {
        try await withDatabase(kind) { database in
            let world = try await World.build(in: database)
            try await Self.publish(world)
            try await Self.publish(world, side: \.b)
            let audits = Self.audits(world)
            let orgs = AuditorOrgs(database: database, clock: world.clock)
            let regulatorA = world.a.users[.regulator]!.scope, regulatorB = world.b.users[.regulator]!.scope
            let clean = try await orgs.register(name: "福建闽信会计师事务所", uscc: USCC.withCheckCharacter("91350100MA31AUD01"), contact: "林 0591-1",
                                                clients: "", scope: regulatorA)
            let conflicted = try await orgs.register(name: "福州榕诚会计师事务所", uscc: USCC.withCheckCharacter("91350100MA31AUD02"), contact: "陈 0591-2",
                                                     clients: world.a.company.uscc, scope: regulatorA)
            let other = try await orgs.register(name: "台江审计所", uscc: USCC.withCheckCharacter("91350100MA31AUD03"), contact: "郑 0591-3",
                                                clients: "", scope: regulatorB)
            try await orgs.bind(orgId: clean, username: "auditor-a", scope: regulatorA)
            await #expect(throws: LedgerError.self) { try await orgs.bind(orgId: other, username: "auditor-a", scope: regulatorA) }
            let auditor = world.a.users[.auditor]!.scope

            let id = try await audits.request(estateId: world.a.estate.id, year: "2024", quarter: "3", objection: "广告收入少计", scope: world.a.users[.committee]!.scope)
            let bId = try await audits.request(estateId: world.b.estate.id, year: "2024", quarter: "3", objection: "", scope: regulatorB)
            // Before acceptance the auditor sees nothing.
            #expect(try await audits.list(scope: auditor).items.isEmpty)
            // The organisation that has worked for the company must recuse itself.
            do {
                try await audits.decide(id, decision: "accept", reason: "同意", orgId: "\(conflicted)", deadline: "2025-01-31", bundleWith: "", scope: regulatorA)
                Issue.record("a conflicted organisation was assigned")
            } catch let error as LedgerError { #expect(error.code == "recusal" && error.message.contains("回避")) }
            do {
                try await audits.decide(id, decision: "accept", reason: "", orgId: "", deadline: "2024-01-01", bundleWith: "", scope: regulatorA)
                Issue.record("an incomplete decision was accepted")
            } catch let errors as FieldErrors { #expect(Set(errors.items.compactMap(\.field)) == ["reason", "org", "deadline"]) }
            try await audits.decide(id, decision: "accept", reason: "业委会提出异议，同意审计", orgId: "\(clean)", deadline: "2025-01-31", bundleWith: "", scope: regulatorA)
            try await audits.decide(bId, decision: "accept", reason: "同意", orgId: "\(other)", deadline: "2025-01-31", bundleWith: "", scope: regulatorB)
            // The auditor sees its one audit, not B's, and no estate, problem or warning of anyone.
            #expect(try await audits.list(scope: auditor).items.map(\.id) == [id])
            _ = try await audits.detail(id, scope: auditor)
            await #expect(throws: LedgerError.self) { try await audits.detail(bId, scope: auditor) }
            await #expect(throws: LedgerError.self) {
                try await audits.addFinding(auditId: bId, line: "收入", issue: "越权", amount: "", category: "", scope: auditor)
            }
            await #expect(throws: LedgerError.self) {
                try await EstateRepository(database: database, clock: world.clock).estate(world.a.estate.id, scope: auditor)
            }
            // A finding becomes the company's problem (source audit) at once.
            do {
                _ = try await audits.addFinding(auditId: id, line: "", issue: "", amount: "12.345", category: "", scope: auditor)
                Issue.record("an empty finding was accepted")
            } catch let errors as FieldErrors { #expect(Set(errors.items.compactMap(\.field)) == ["line", "issue", "amount"]) }
            try await audits.addFinding(auditId: id, line: "经营收入·电梯广告", issue: "合同收入高于公示收入", amount: "3600", category: "", scope: auditor)
            let problems = try await Problems(database: database, clock: world.clock, filesDirectory: NSTemporaryDirectory())
                .list(scope: world.a.users[.company]!.scope, filter: CaseFilter())
            let problem = try #require(problems.items.first { $0.source == .audit })
            #expect(problem.sourceId == id && problem.description.contains("3,600.00"))
            // The report must be a PDF; then the public page shows the summary and the finding.
            await #expect(throws: FieldErrors.self) {
                try await audits.fileReport(auditId: id, summary: "少计收入", report: .init(filename: "r.png", bytes: [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0]),
                                            scope: auditor)
            }
            try await audits.fileReport(auditId: id, summary: "经审计，少计广告收入3,600.00元。", report: .init(filename: "报告.pdf", bytes: Array("%PDF-1.4\n%%EOF".utf8)),
                                        scope: auditor)
            let shown = try await audits.publicAudits(estateId: world.a.estate.id)
            #expect(shown.results.first?.0.summary == "经审计，少计广告收入3,600.00元。" && shown.results.first?.1.count == 1)
            #expect(try await audits.report(id, scope: auditor).data.starts(with: Array("%PDF".utf8)))
            await #expect(throws: LedgerError.self) { try await audits.report(id, scope: world.b.users[.regulator]!.scope) }
            // Closing waits for the finding's problem to be closed.
            await #expect(throws: LedgerError.self) { try await audits.close(id, rectification: "已整改", scope: regulatorA) }
            let view = try await Dashboard(database: database, clock: world.clock).view(regionCode: "350100", quarter: Self.q3, scope: .system)
            #expect(view.audits.completed == 1 && view.audits.accepted == 1 && view.audits.findingsOpen == 1)
        }
    }
}
