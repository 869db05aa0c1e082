import Foundation
import LedgerCore
import LedgerTestSupport
import SQLKit
import Testing

/// Complaints from filing to 销号 and back, problems through rectification and the escalation ladder.
@Suite struct ComplaintTests {
    static let kinds = TestDatabase.available
    static let pdf = Array("%PDF-1.4\n1 0 obj\n<<>>\nendobj\n".utf8)

    static func desk(_ world: World) -> Complaints {
        Complaints(database: world.database, clock: world.clock, filesDirectory: NSTemporaryDirectory() + "ledger-test-files")
    }

    static func fields(_ world: World, name: String = "张三", phone: String = "13800138000") -> ComplaintInput {
        ComplaintInput(estateId: world.a.estate.id, category: "revenue_undisclosed", content: "小区停车费收入一直没有公示，请核查。", name: name, phone: phone)
    }

    static func id(_ db: Database, code: String) async throws -> Int64 {
        try await db.read { try await $0.raw("SELECT id FROM complaints WHERE tracking_code = \(bind: code)").first(decodingColumn: "id", as: Int64.self)! }
    }

    static func counts(_ database: Database) async throws -> String {
        try await database.read { db in
            var parts: [String] = []
            for table in ["complaints", "complaint_events", "problems", "problem_events", "attachments", "letters", "audit_log"] {
                parts.append("\(table)=\(try await db.raw("SELECT COUNT(*) AS n FROM \(ident: table)").first(decodingColumn: "n", as: Int.self) ?? -1)")
            }
            let statuses = try await db.raw("SELECT status FROM complaints ORDER BY id").all(decodingColumn: "status", as: String.self)
            return parts.joined(separator: ",") + ":" + statuses.joined(separator: ",")
        }
    }

    @Test(arguments: kinds)
    func anonymousComplaintIsHandledClosedReopenedAndClosedAgain(kind: TestDatabase.Kind) async throws {
        try await withDatabase(kind) { database in
            let world = try await World.build(in: database)
            let desk = Self.desk(world)
            let street = world.a.users[.street]!.scope
            let code = try await desk.file(Self.fields(world, name: "", phone: ""), uploads: [], address: "203.0.113.9")
            #expect(code.count == 12 && code.hasPrefix("TS"))
            let id = try await Self.id(database, code: code)
            var tracking = try await desk.track(code: code.lowercased())
            #expect(tracking.status == .received && tracking.estateName == world.a.estate.name)
            // The deadline is 15 working days after 19 November 2024 (a Tuesday): 10 December.
            #expect(tracking.deadline == "2024-12-10")
            // Handling: the default unit is the estate's street.
            let (received, _) = try await desk.complaint(id, scope: street)
            #expect(received.handlingRegion == world.a.street.code && received.maskedName == "匿名")
            try await desk.act(.assign, on: id, ComplaintStep(), scope: street)
            try await desk.act(.note, on: id, ComplaintStep(note: "已约谈物业公司项目经理"), scope: street)
            try await desk.act(.reply, on: id, ComplaintStep(note: "已责令物业公司补充公示停车费收支"), scope: street)
            let closed = try await desk.act(.close, on: id, ComplaintStep(note: "已于小区公示栏补充公示", outcome: .fixed, reply: "物业公司已在公示栏补充公示停车费收支"),
                                            uploads: [.init(filename: "公示照片.pdf", bytes: Self.pdf)], scope: street)
            #expect(closed.status == .closed && closed.outcome == .fixed)
            tracking = try await desk.track(code: code)
            #expect(tracking.canReopen && tracking.publicEvents.contains { $0.note.contains("已责令物业公司补充公示") })
            #expect(tracking.reply == "物业公司已在公示栏补充公示停车费收支" && tracking.publicEvents.contains { $0.note == tracking.reply })
            #expect(!tracking.publicEvents.contains { $0.note.contains("项目经理") }, "internal notes are not public")
            // Not satisfied: reopened with a new deadline, then closed again.
            try await desk.rate(code: code, rating: .dissatisfied, comment: "公示内容不全，缺少广告收入")
            let (reopened, _) = try await desk.complaint(id, scope: street)
            #expect(reopened.status == .assigned && reopened.reopenedCount == 1 && reopened.outcome == nil)
            try await desk.act(.close, on: id, ComplaintStep(note: "已补充电梯广告收入", outcome: .fixed, reply: "已补充电梯广告收入并重新公示"), scope: street)
            // Sixty days after closing, reopening is refused.
            world.clock.advance(by: 61 * 86_400)
            do {
                try await desk.rate(code: code, rating: .dissatisfied, comment: "仍不满意")
                Issue.record("reopened after 60 days")
            } catch let error as LedgerError { #expect(error.code == "rating_expired") }
            // An unknown code and a malformed one give the same answer.
            let unknown = await #expect(throws: LedgerError.self) { try await desk.track(code: "TS2345678923") }
            let malformed = await #expect(throws: LedgerError.self) { try await desk.track(code: "x") }
            #expect(unknown?.message == malformed?.message)
        }
    }

    @Test(arguments: kinds)
    func refusedStepsWriteNothing(kind: TestDatabase.Kind) async throws {
        try await withDatabase(kind) { database in
            let world = try await World.build(in: database)
            let desk = Self.desk(world)
            let street = world.a.users[.street]!.scope
            let id = try await Self.id(database, code: try await desk.file(Self.fields(world), uploads: [], address: "203.0.113.10"))
            let before = try await Self.counts(database)
            func refused(_ code: String, _ body: () async throws -> Void) async {
                do { try await body(); Issue.record("\(code): accepted") } catch let error as LedgerError { #expect(error.code == code) } catch let errors as FieldErrors {
                    #expect(errors.items.first?.code == code)
                } catch { Issue.record("\(code): \(error)") }
            }
            await refused("transition_not_allowed") { try await desk.act(.close, on: id, ComplaintStep(note: "已处理", outcome: .fixed, reply: "已处理"), scope: street) }
            await refused("outside_jurisdiction") { try await desk.act(.assign, on: id, ComplaintStep(handlingRegion: world.b.street.code), scope: street) }
            await refused("past_deadline") { try await desk.act(.assign, on: id, ComplaintStep(deadline: "2024-11-18"), scope: street) }
            await refused("not_found") { try await desk.act(.assign, on: id, ComplaintStep(), scope: world.b.users[.street]!.scope) }
            await refused("forbidden") { try await desk.act(.assign, on: id, ComplaintStep(), scope: world.a.users[.oversight]!.scope) }
            try await desk.act(.assign, on: id, ComplaintStep(), scope: street)
            let assigned = try await Self.counts(database)
            await refused("type_mismatch") {
                try await desk.act(.close, on: id, ComplaintStep(note: "已处理", outcome: .fixed, reply: "已处理"), uploads: [.init(filename: "photo.png", bytes: Self.pdf)], scope: street)
            }
            await refused("unsupported_type") {
                try await desk.act(.close, on: id, ComplaintStep(note: "已处理", outcome: .fixed, reply: "已处理"),
                                   uploads: [.init(filename: "a.exe", bytes: Array("MZ....".utf8))], scope: street)
            }
            await refused("required") { try await desk.act(.close, on: id, ComplaintStep(note: "已处理", reply: "已处理"), scope: street) }
            #expect(try await Self.counts(database) == assigned)
            #expect(before != assigned)
            // Personal data: masked; only the handler may see it, and the look is audited.
            let (complaint, _) = try await desk.complaint(id, scope: world.a.users[.regulator]!.scope)
            #expect(complaint.maskedName == "张*" && complaint.maskedPhone == "13*******00")
            await refused("not_handler") { _ = try await desk.unmask(id, scope: world.a.users[.regulator]!.scope) }
            let shown = try await desk.unmask(id, scope: street)
            #expect(shown.name == "张三" && shown.phone == "13800138000")
            let audits = try await database.read { db in
                try await db.raw("SELECT username FROM audit_log WHERE action = 'unmask'").all(decodingColumn: "username", as: String.self)
            }
            #expect(audits == [street.username])
        }
    }

    @Test(arguments: kinds)
    func publicFilingIsLimitedPerAddress(kind: TestDatabase.Kind) async throws {
        try await withDatabase(kind) { database in
            let world = try await World.build(in: database)
            let desk = Self.desk(world)
            for _ in 0..<Complaints.hourlyLimit { _ = try await desk.file(Self.fields(world), uploads: [], address: "198.51.100.7") }
            await #expect(throws: LedgerError.self) { try await desk.file(Self.fields(world), uploads: [], address: "198.51.100.7") }
            _ = try await desk.file(Self.fields(world), uploads: [], address: "198.51.100.8")
            var bad = Self.fields(world)
            bad.category = "nonsense"
            bad.content = "短"
            do {
                _ = try await desk.file(bad, uploads: [], address: "198.51.100.9")
                Issue.record("a bad form was filed")
            } catch let errors as FieldErrors {
                #expect(Set(errors.items.compactMap(\.field)) == ["category", "content"])
            }
            let similar = try await desk.similar(estateId: world.a.estate.id, category: "revenue_undisclosed")
            #expect(similar.count == Complaints.hourlyLimit + 1)
        }
    }

    @Test(arguments: kinds)
    func transferToTheDisciplineCommission(kind: TestDatabase.Kind) async throws {
        try await withDatabase(kind) { database in
            let world = try await World.build(in: database)
            let desk = Self.desk(world)
            let regulator = world.a.users[.regulator]!.scope, oversight = world.a.users[.oversight]!.scope
            let id = try await Self.id(database, code: try await desk.file(Self.fields(world), uploads: [], address: "203.0.113.11"))
            try await desk.act(.assign, on: id, ComplaintStep(handlingRegion: world.a.county.code), scope: regulator)
            try await desk.act(.transfer, on: id, ComplaintStep(note: "涉嫌挪用公共收益", transferTo: .oversight), scope: regulator)
            let department = world.a.users[.department]!.scope
            #expect(try await desk.list(scope: department, filter: .init()).total == 0, "the department sees only what was sent to it")
            await #expect(throws: LedgerError.forbidden) { try await desk.act(.decide, on: id, ComplaintStep(note: "x"), scope: regulator) }
            let decided = try await desk.act(.decide, on: id, ComplaintStep(note: "已立案审查"), scope: oversight)
            #expect(decided.status == .assigned && decided.transferDecision == "已立案审查")
            let closed = try await desk.act(.close, on: id, ComplaintStep(note: "已移交纪委监委处理", outcome: .transferred, reply: "您反映的问题已移交纪委监委处理"), scope: regulator)
            #expect(closed.outcome?.isFix == false)
        }
    }

    @Test(arguments: kinds)
    func overdueProblemClimbsTheLadderOnce(kind: TestDatabase.Kind) async throws {
        try await withDatabase(kind) { database in
            let world = try await World.build(in: database)
            let desk = Self.desk(world)
            let regulator = world.a.users[.regulator]!.scope, company = world.a.users[.company]!.scope
            let complaint = try await Self.id(database, code: try await desk.file(Self.fields(world), uploads: [], address: "203.0.113.12"))
            try await desk.act(.assign, on: complaint, ComplaintStep(), scope: regulator)
            await #expect(throws: FieldErrors.self) {
                try await desk.act(.problem, on: complaint, ComplaintStep(problem: ProblemInput(estateId: nil, category: "", description: "停车收益未公示", deadline: "2024-11-01")), scope: regulator)
            }
            await #expect(throws: LedgerError.self, "the officer writes the description, the complaint's words are not copied") {
                try await desk.act(.problem, on: complaint, ComplaintStep(problem: ProblemInput(estateId: nil, category: "", description: "", deadline: "2024-11-19")), scope: regulator)
            }
            let linked = try await desk.act(.problem, on: complaint, ComplaintStep(problem: ProblemInput(estateId: nil, category: "", description: "停车收益未公示", deadline: "2024-11-19")),
                                            scope: regulator)
            let problemId = try #require(linked.problemId)
            let problems = Problems(database: database, clock: world.clock, filesDirectory: NSTemporaryDirectory() + "ledger-test-files")
            let escalation = Escalation(database: database, clock: world.clock)
            // On the deadline day: the reminder.
            #expect(try await escalation.run() == 1)
            #expect(try await escalation.run() == 0, "each letter once")
            world.clock.advance(by: 7 * 86_400)
            #expect(try await escalation.run() == 1)
            world.clock.advance(by: 7 * 86_400)
            #expect(try await escalation.run() == 1)
            let detail = try await problems.problem(problemId, scope: regulator)
            #expect(detail.letters.map(\.kind) == ["reminder", "supervision", "interview"])
            #expect(detail.letters[1].facts["overdueDays"] == "7" && detail.letters[2].facts["estate"] == world.a.estate.name)
            #expect(detail.problem.escalationLevel == 3)
            // W14 sees it.
            try await WarningEngine(database: database, clock: world.clock).run(quarters: 1)
            #expect(try await WarningEngine(database: database, clock: world.clock).openKeys().contains { $0.hasPrefix("W14/\(world.a.estate.id)/") })
            // The company must bring evidence; the officer sends it back once, then accepts.
            do {
                try await problems.act(.rectify, on: problemId, note: "已整改", scope: company)
                Issue.record("rectified without evidence")
            } catch let error as LedgerError { #expect(error.code == "required") }
            try await problems.act(.rectify, on: problemId, note: "已补充公示", uploads: [.init(filename: "a.pdf", bytes: Self.pdf)], scope: company)
            await #expect(throws: LedgerError.self) { try await problems.act(.rectify, on: problemId, note: "再次提交", scope: company) }
            // Submitted and waiting for verification: no longer overdue, so the ladder and W14 leave it alone.
            #expect(try await problems.problem(problemId, scope: regulator).problem.daysOverdue(today: Day("2024-12-31")!) == nil)
            #expect(try await problems.list(scope: regulator, filter: { var f = Problems.Filter(); f.overdue = true; return f }()).total == 0)
            try await problems.act(.sendBack, on: problemId, note: "缺少广告收入", scope: regulator)
            try await problems.act(.rectify, on: problemId, note: "已补充", uploads: [.init(filename: "b.pdf", bytes: Self.pdf)], scope: company)
            let closed = try await problems.act(.accept, on: problemId, note: "核验属实", scope: regulator)
            #expect(closed.status == .closed)
            await #expect(throws: LedgerError.notFound("问题")) { try await problems.problem(problemId, scope: world.b.users[.company]!.scope) }
        }
    }

    @Test(arguments: kinds)
    func officialsRecordRectificationWhereNoCompanyManages(kind: TestDatabase.Kind) async throws {
        try await withDatabase(kind) { database in
            let world = try await World.build(in: database)
            let regulator = world.a.users[.regulator]!.scope
            let unmanaged = try await EstateRepository(database: database, clock: world.clock).create(
                EstateInput(name: "无物业小区", address: "鼓楼区某巷2号", community: world.a.community.code, households: "40",
                            floorArea: "3000", ownersShare: "70"), scope: regulator)
            let problems = Problems(database: database, clock: world.clock, filesDirectory: NSTemporaryDirectory() + "ledger-test-files")
            let id = try await problems.create(ProblemInput(estateId: unmanaged.id, category: "common_space_occupied", description: "楼道堆放杂物"),
                                               scope: regulator)
            #expect(try await problems.problem(id, scope: regulator).problem.responsible == "建设单位或业委会")
            // No company can act here; the street records the rectification and the regulator verifies it.
            await #expect(throws: LedgerError.notFound("问题")) {
                try await problems.act(.rectify, on: id, note: "x", uploads: [.init(filename: "a.pdf", bytes: Self.pdf)], scope: world.a.users[.company]!.scope)
            }
            try await problems.act(.rectify, on: id, note: "社区组织清理", uploads: [.init(filename: "a.pdf", bytes: Self.pdf)], scope: world.a.users[.street]!.scope)
            #expect(try await problems.act(.accept, on: id, note: "已清理", scope: regulator).status == .closed)
        }
    }

    @Test(arguments: kinds)
    func escalatedWarningBecomesAProblemAndPutRightIsCounted(kind: TestDatabase.Kind) async throws {
        try await withDatabase(kind) { database in
            let world = try await World.build(in: database)
            try await WarningEngine(database: database, clock: world.clock).run(quarters: 1)
            let regulator = world.a.users[.regulator]!.scope
            let w06 = try await database.read { db in
                try await db.raw("SELECT id FROM warnings WHERE rule = 'W06' AND estate_id = \(bind: world.a.estate.id)").first(decodingColumn: "id", as: Int64.self)!
            }
            try await WarningInbox(database: database, clock: world.clock).act(.escalate, on: w06, note: "督促开立专户", scope: regulator)
            let problems = Problems(database: database, clock: world.clock, filesDirectory: NSTemporaryDirectory())
            let list = try await problems.list(scope: regulator, filter: .init())
            #expect(list.items.map(\.source) == [.warning] && list.items.first?.category == "revenue_no_account")
            #expect(list.items.first?.sourceId == w06)
            // 整治到位率: one of two common-space problems put right.
            for description in ["占用架空层堆放杂物", "物业用房出租经营"] {
                _ = try await problems.create(ProblemInput(estateId: world.a.estate.id, category: description.hasPrefix("占用") ? "common_space_occupied" : "service_room_use", description: description), scope: regulator)
            }
            let first = try await problems.list(scope: regulator, filter: { var f = Problems.Filter(); f.category = "common_space_occupied"; return f }()).items[0]
            try await problems.act(.refer, on: first.id, note: "请认定", scope: regulator)
            try await problems.act(.decide, on: first.id, note: "认定为违法占用", scope: world.a.users[.department]!.scope)
            try await problems.act(.rectify, on: first.id, note: "已清理", uploads: [.init(filename: "x.pdf", bytes: Self.pdf)], scope: world.a.users[.company]!.scope)
            try await problems.act(.accept, on: first.id, note: "已恢复", scope: regulator)
            let (total, rows) = try await problems.putRightRates(regionCode: world.a.county.code, scope: regulator)
            #expect(total.found == 2 && total.putRight == 1 && total.rate == 0.5)
            #expect(rows.map(\.region.code) == [world.a.street.code])
            await #expect(throws: LedgerError.notFound("行政区划")) { try await problems.putRightRates(regionCode: world.b.county.code, scope: regulator) }
        }
    }
}
