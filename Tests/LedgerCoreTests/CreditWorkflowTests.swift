import Foundation
import LedgerCore
import LedgerTestSupport
import SQLKit
import Testing

/// The credit workflow: objections (异议) and their ruling, repair (信用修复) only after verified rectification and the
/// rule's waiting period, the grade history (重新核级), the rule table's repair terms, and the black-list flag on a
/// contract assignment.
@Suite struct CreditWorkflowTests {
    func lastGrade(_ credit: CreditFile, _ company: Int64) async throws -> CreditFile.GradeChange? {
        try await credit.gradeChanges(companyId: company).first
    }

    // MARK: Tests

    @Test(arguments: TestDatabase.available)
    func anObjectionWithdrawnStopsTheEventCountingAndRegrades(kind: TestDatabase.Kind) async throws {
        try await withDatabase(kind) { database in
            // setup
            let world = try await World.build(in: database)
            let regulator = world.a.users[.regulator]!.scope, company = world.a.users[.company]!.scope
            let credit = CreditFile(database: database, clock: world.clock)
            let before = try await credit.score(of: world.a.company.id)
            let interview = try await credit.record(companyId: world.a.company.id, rule: "C01", occurredOn: "2024-11-10", documentNumber: "鼓建约〔2024〕5号",
                                                    note: "约谈：拒不公示公共收益", scope: regulator)
            let deducted = try await credit.score(of: world.a.company.id)
            #expect(deducted.total == before.total - 5)
            // A big praise moves the grade, and the change is on file with the old and the new grade.
            try await credit.record(companyId: world.a.company.id, rule: "G02", points: "40", occurredOn: "2024-11-11", documentNumber: "鼓建〔2024〕6号",
                                    note: "守信激励", scope: regulator)
            let praised = try await credit.score(of: world.a.company.id)
            let change = try #require(try await lastGrade(credit, world.a.company.id))
            #expect(change.newGrade == praised.grade && praised.grade != deducted.grade && change.oldGrade == deducted.grade)

            // MUT: the company objects; nobody else can, and not twice
            await #expect(throws: LedgerError.forbidden) { try await credit.object(to: interview, reasons: "约谈对象有误", scope: regulator) }
            await #expect(throws: LedgerError.notFound("信用记录")) {
                try await credit.object(to: interview, reasons: "越权", scope: world.b.users[.company]!.scope)
            }
            await #expect(throws: FieldErrors.self) { try await credit.object(to: interview, reasons: " ", scope: company) }
            let objection = try await credit.object(to: interview, reasons: "约谈通知书送达对象并非本企业在管项目", scope: company)
            await #expect(throws: LedgerError.self) { try await credit.object(to: interview, reasons: "再次异议", scope: company) }
            // another county's regulator cannot rule on it; a repair decision does not fit an objection
            await #expect(throws: LedgerError.notFound("异议或修复申请")) {
                try await credit.decide(request: objection, .withdraw, note: "越权", scope: world.b.users[.regulator]!.scope)
            }
            await #expect(throws: LedgerError.self) { try await credit.decide(request: objection, .approve, note: "不适用", scope: regulator) }
            try await credit.decide(request: objection, .withdraw, note: "经核查，约谈对象有误，撤销该记录", scope: regulator)

            // validation
            let after = try await credit.score(of: world.a.company.id)
            #expect(after.total == praised.total + 5 && after.bad == praised.bad - 5)
            let event = try #require(try await credit.events(companyId: world.a.company.id).first { $0.id == interview })
            #expect(event.status == .withdrawn)
            let requests = try await credit.requests(companyId: world.a.company.id)
            #expect(requests.first?.status == .withdrawn && requests.first?.decisionNote == "经核查，约谈对象有误，撤销该记录")
            await #expect(throws: LedgerError.self) { try await credit.decide(request: objection, .uphold, note: "再次处理", scope: regulator) }
            let profile = try await credit.profile(world.a.company.id)
            #expect(!profile.valid.contains { $0.id == interview } && profile.settled.contains { $0.id == interview })
            let audit = try await database.read { db in
                try await db.raw("SELECT action FROM audit_log WHERE entity IN ('credit_event', 'credit_request')").all(decodingColumn: "action", as: String.self)
            }
            #expect(Set(audit).isSuperset(of: ["record", "object", "withdraw"]))
        }
    }

    @Test(arguments: TestDatabase.available)
    func repairOnlyAfterVerifiedRectificationAndTheWaitingPeriod(kind: TestDatabase.Kind) async throws {
        try await withDatabase(kind) { database in
            // setup: a deduction recorded on 19 November 2024, and an open problem of the company
            let world = try await World.build(in: database)
            let regulator = world.a.users[.regulator]!.scope, company = world.a.users[.company]!.scope
            let credit = CreditFile(database: database, clock: world.clock)
            let deduction = try await credit.record(companyId: world.a.company.id, rule: "C03", occurredOn: "2024-11-19", documentNumber: "鼓建扣〔2024〕1号",
                                                    note: "信用扣分：未设公共收益专户", scope: regulator)
            let expel = try await credit.record(companyId: world.a.company.id, rule: "C05", occurredOn: "2024-11-19", documentNumber: "鼓建清〔2024〕1号",
                                                note: "清退", scope: regulator)
            let problems = Problems(database: database, clock: world.clock, filesDirectory: NSTemporaryDirectory())
            let problem = try await problems.create(ProblemInput(estateId: world.a.estate.id, category: "revenue_no_account", description: "未设专户"),
                                                    scope: regulator)

            // MUT + validation: too early, then the problem still open, then allowed
            await #expect(throws: LedgerError.self) { try await credit.applyForRepair(of: deduction, reasons: "已整改", scope: company) }
            #expect(try await credit.repairRefusal(eventId: deduction)?.contains("满3个月") == true)
            world.clock.advance(by: 95 * 86_400)
            #expect(try await credit.repairRefusal(eventId: deduction)?.contains("未整改") == true)
            await #expect(throws: LedgerError.self) { try await credit.applyForRepair(of: deduction, reasons: "已整改", scope: company) }
            try await problems.act(.rectify, on: problem, note: "已开立专户", uploads: [Complaints.Upload(filename: "专户.pdf", bytes: Array("%PDF-1.4".utf8))],
                                   scope: company)
            #expect(try await credit.repairRefusal(eventId: deduction) != nil, "submitted is not verified")
            try await problems.act(.accept, on: problem, note: "核验通过", scope: regulator)
            #expect(try await credit.repairRefusal(eventId: deduction) == nil)
            // the rule says no repair for 清退
            #expect(try await credit.repairRefusal(eventId: expel)?.contains("不予信用修复") == true)
            // a region may switch repair off for a rule; then it is refused, and back on
            try await CreditRules.set(regionCode: world.a.county.code, rule: "C03",
                                      .init(points: "-5", months: "12", repairAllowed: false, repairAfterMonths: "3", enabled: true),
                                      scope: regulator, database: database, clock: world.clock)
            #expect(try await credit.repairRefusal(eventId: deduction) != nil)
            await #expect(throws: FieldErrors.self) {
                try await CreditRules.set(regionCode: world.a.county.code, rule: "C03",
                                          .init(points: "5", months: "12", repairAllowed: true, repairAfterMonths: "12", enabled: true),
                                          scope: regulator, database: database, clock: world.clock)
            }
            try await CreditRules.set(regionCode: world.a.county.code, rule: "C03",
                                      .init(points: "-5", months: "12", repairAllowed: true, repairAfterMonths: "3", enabled: true),
                                      scope: regulator, database: database, clock: world.clock)
            let before = try await credit.score(of: world.a.company.id)
            let request = try await credit.applyForRepair(of: deduction, reasons: "专户已开立并经核验销号", scope: company)
            try await credit.decide(request: request, .approve, note: "准予修复", scope: regulator)
            let after = try await credit.score(of: world.a.company.id)
            #expect(after.total == before.total + 5)
            #expect(try await credit.events(companyId: world.a.company.id).first { $0.id == deduction }?.status == .repaired)
        }
    }

    @Test(arguments: TestDatabase.available)
    func aBlackListedCompanyIsFlaggedOnContractAssignment(kind: TestDatabase.Kind) async throws {
        try await withDatabase(kind) { database in
            // setup
            let world = try await World.build(in: database)
            let regulator = world.a.users[.regulator]!.scope
            let credit = CreditFile(database: database, clock: world.clock)
            let decision = try await credit.decide(.black, companyId: world.a.company.id, reason: "拒不整改", documentNumber: "鼓建黑〔2024〕1号",
                                                   decidedOn: "2024-11-01", until: "2026-11-01", scope: regulator)
            let records = EstateRecords(database: database, clock: world.clock)
            let input = ContractInput(company: world.a.company.uscc, startDate: "2024-11-19")

            // MUT: without the acknowledgement the contract is refused with the warning; with it, recorded and audited
            let error = await #expect(throws: LedgerError.self) { try await records.assignCompany(estateId: world.a.estate.id, input, scope: regulator) }
            #expect(error?.code == "black_listed" && error?.message.contains("拟承接企业已列入黑名单") == true)
            var acknowledged = input
            acknowledged.acknowledgeBlackList = true
            _ = try await records.assignCompany(estateId: world.a.estate.id, acknowledged, scope: regulator)

            // validation
            let actions = try await database.read { db in
                try await db.raw("SELECT action FROM audit_log WHERE entity = 'estate'").all(decodingColumn: "action", as: String.self)
            }
            #expect(actions.contains("acknowledge_black_list"))
            #expect(try await credit.blackListed([world.a.company.id, world.b.company.id]) == [world.a.company.id])
            // taken off the list by decision: no longer flagged, the decision kept as removed
            await #expect(throws: LedgerError.notFound("名单决定")) {
                try await credit.removeFromList(decision, companyId: world.a.company.id, reason: "越权", scope: world.b.users[.regulator]!.scope)
            }
            try await credit.removeFromList(decision, companyId: world.a.company.id, reason: "整改到位，提前移出", scope: regulator)
            #expect(try await credit.blackListed([world.a.company.id]).isEmpty)
            #expect(try await credit.listDecisions(companyId: world.a.company.id).first?.removedReason == "整改到位，提前移出")
            #expect(try await credit.lists()[.black]?.isEmpty == true)
        }
    }

    @Test(arguments: TestDatabase.available)
    func publishedCasesNameNoPerson(kind: TestDatabase.Kind) async throws {
        try await withDatabase(kind) { database in
            let world = try await World.build(in: database)
            let regulator = world.a.users[.regulator]!.scope
            let credit = CreditFile(database: database, clock: world.clock)
            let personal = CreditFile.CaseInput(title: "拒不公示公共收益案", situation: "联系人电话13812345678", facts: "", basis: "莆田方案二（一）",
                                                outcome: "约谈并通报", publishedOn: "2024-11-19")
            let errors = await #expect(throws: FieldErrors.self) { try await credit.publishCase(companyId: world.a.company.id, personal, scope: regulator) }
            #expect(errors?.message(for: "situation")?.contains("个人信息") == true && errors?.message(for: "facts") != nil)
            var fixed = personal
            fixed.situation = "该企业在管东湖花园"
            fixed.facts = "连续两个季度未公示停车费收入"
            try await credit.publishCase(companyId: world.a.company.id, fixed, scope: regulator)
            await #expect(throws: LedgerError.notFound("物业服务企业")) {
                try await credit.publishCase(companyId: world.b.company.id, fixed, scope: regulator)
            }
            let cases = try await credit.cases()
            #expect(cases.count == 1 && cases[0].facts == "连续两个季度未公示停车费收入" && cases[0].companyName == world.a.company.name)
        }
    }

    @Test(arguments: TestDatabase.available)
    func theDailyJobRecordsGradeChangesAndSkipsDisabledRules(kind: TestDatabase.Kind) async throws {
        try await withDatabase(kind) { database in
            // setup: a big praise lifts the grade; the region switches 约谈 (C01) off
            let world = try await World.build(in: database)
            let regulator = world.a.users[.regulator]!.scope
            let credit = CreditFile(database: database, clock: world.clock)
            try await credit.record(companyId: world.a.company.id, rule: "G02", points: "40", occurredOn: "2024-11-19", documentNumber: "鼓建〔2024〕7号",
                                    note: "守信激励", scope: regulator)
            let lifted = try #require(try await lastGrade(credit, world.a.company.id))
            try await CreditRules.set(regionCode: world.a.county.code, rule: "C01",
                                      .init(points: "-5", months: "12", repairAllowed: true, repairAfterMonths: "3", enabled: false),
                                      scope: regulator, database: database, clock: world.clock)
            await #expect(throws: LedgerError.self) {
                try await credit.record(companyId: world.a.company.id, rule: "C01", occurredOn: "2024-11-19", documentNumber: "鼓建约〔2024〕8号",
                                        note: "约谈", scope: regulator)
            }
            try await Enforcement(database: database, clock: world.clock).record(
                companyId: world.a.company.id, EnforcementInput(kind: .interview, decidedOn: "2024-11-18", basis: "莆田方案附件第22项",
                                                               documentNumber: "鼓建约〔2024〕9号"), scope: regulator)

            // MUT: the daily job a year on, when the praise has expired
            #expect(try await credit.collect() == 0, "a disabled rule raises nothing")
            world.clock.advance(by: 370 * 86_400)
            _ = try await credit.collect()

            // validation: the grade fell back, recorded with the old and the new grade; running again records nothing more
            let score = try await credit.score(of: world.a.company.id)
            let change = try #require(try await lastGrade(credit, world.a.company.id))
            #expect(change.oldGrade == lifted.newGrade && change.newGrade == score.grade && change.newGrade != lifted.newGrade)
            #expect(change.cause.hasPrefix("每日核级"))
            let count = try await credit.gradeChanges(companyId: world.a.company.id).count
            _ = try await credit.collect()
            #expect(try await credit.gradeChanges(companyId: world.a.company.id).count == count)
        }
    }
}
