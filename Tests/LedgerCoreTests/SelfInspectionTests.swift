import Foundation
import LedgerCore
import LedgerTestSupport
import SQLKit
import Testing

/// Checklists per region (versioned, inherited), companies' self-inspections (自查自纠), the false finding, rule W16 and
/// the dashboard's self-inspection rate — each storage test on every available database.
@Suite struct SelfInspectionTests {
    static let kinds = TestDatabase.available
    static let q3 = Quarter(year: 2024, quarter: 3)!

    /// Every item of `checklist` answered 符合.
    static func allConform(_ checklist: ChecklistVersion = .builtIn) -> [String: SelfInspectionAnswer] {
        Dictionary(uniqueKeysWithValues: checklist.items.map { ($0.code, SelfInspectionAnswer(.conforms)) })
    }

    static func rows(_ items: [(String, String)]) -> [ChecklistInput.Row] {
        items.map { ChecklistInput.Row(code: $0.0, title: $0.1, clause: "福州方案附件3第8项", category: "information_duty") }
    }

    static func warning(_ rule: String, estate: Int64, _ quarter: Quarter, on database: Database) async throws -> String? {
        try await database.read { db in
            try await db.raw("""
                SELECT status FROM warnings WHERE rule = \(bind: rule) AND estate_id = \(bind: estate) AND year = \(bind: quarter.year)
                AND quarter = \(bind: quarter.quarter) ORDER BY id DESC
                """).first(decodingColumn: "status", as: String.self)
        }
    }

    // MARK: Tests

    @Test(arguments: kinds)
    func checklistsAreVersionedAndInheritedFromTheNearestRegion(kind: TestDatabase.Kind) async throws {
        try await withDatabase(kind) { database in
            // setup
            let world = try await World.build(in: database)
            let checklists = Checklists(database: database, clock: world.clock)
            let regulatorA = world.a.users[.regulator]!.scope
            #expect(try await checklists.checklist(forEstate: world.a.estate.id, scope: regulatorA) == .builtIn)
            // MUT: the city makes a list, then county A its own.
            let city = try await checklists.save(regionCode: "350100", ChecklistInput(rows: Self.rows([("a1", "按时公示"), ("a2", "设立专户")]), note: "市级清单"),
                                                 scope: .system)
            let county = try await checklists.save(regionCode: world.a.county.code,
                                                   ChecklistInput(rows: Self.rows([("b1", "按时公示"), ("b2", "设立专户"), ("b3", "业委会在任")]), note: "区级清单"),
                                                   scope: regulatorA)
            // validation
            #expect(city.version == 2 && county.version == 3)
            #expect(try await checklists.checklist(forEstate: world.a.estate.id, scope: regulatorA).items.map(\.code) == ["b1", "b2", "b3"])
            #expect(try await checklists.checklist(regionPath: world.b.estate.regionPath).version == 2, "county B inherits the city's list")
            // A new version of the city leaves county A on its own list; the old city version stays readable.
            let newer = try await checklists.save(regionCode: "350100", ChecklistInput(rows: Self.rows([("a1", "按时公示")]), note: "删去一项"), scope: .system)
            #expect(try await checklists.checklist(regionPath: world.b.estate.regionPath) == newer)
            #expect(try await checklists.checklist(regionPath: world.a.estate.regionPath).version == 3)
            let history = try await checklists.history(regionCode: "350100", scope: .system)
            #expect(history.own.map(\.version) == [4, 2] && history.own.last?.items.count == 2)
            // An inspection record answers county A's list and keeps its version.
            let records = InspectionRecords(database: database, clock: world.clock)
            let builtInAnswers = Dictionary(uniqueKeysWithValues: Checklist.items.map { ($0.code, InspectionRecords.Answer(.conforms)) })
            await #expect(throws: FieldErrors.self) {
                try await records.record(.init(estateId: world.a.estate.id, inspectedOn: "2024-11-18", answers: builtInAnswers), scope: regulatorA)
            }
            let answers = Dictionary(uniqueKeysWithValues: ["b1", "b2", "b3"].map { ($0, InspectionRecords.Answer(.conforms)) })
            try await records.record(.init(estateId: world.a.estate.id, inspectedOn: "2024-11-18", answers: answers), scope: regulatorA)
            let stored = try await database.read { db in
                try await db.raw("SELECT checklist_version FROM inspection_records").first(decodingColumn: "checklist_version", as: Int.self)
            }
            #expect(stored == 3)
            // Audited; refused outside the jurisdiction and to a company.
            let audited = try await database.read { db in
                try await db.raw("SELECT COUNT(*) AS n FROM audit_log WHERE entity = 'checklist_version'").first(decodingColumn: "n", as: Int.self)
            }
            #expect(audited == 3)
            await #expect(throws: LedgerError.self) {
                try await checklists.save(regionCode: world.b.county.code, ChecklistInput(rows: Self.rows([("x", "越权")]), note: "越权"), scope: regulatorA)
            }
            await #expect(throws: LedgerError.forbidden) {
                try await checklists.save(regionCode: world.a.county.code, ChecklistInput(rows: Self.rows([("x", "越权")]), note: "企业"),
                                          scope: world.a.users[.company]!.scope)
            }
        }
    }

    @Test func anEditedChecklistReportsEveryFieldErrorAtOnce() {
        let input = ChecklistInput(rows: [
            .init(code: "a1", title: "按时公示", clause: "莆田§四(二)", category: "information_duty"),
            .init(code: "a1", title: "", clause: "莆田§四(二)", category: "nonsense"),
            .init(code: "", title: "", clause: "", category: ""),
            .init(code: "Bad Code", title: "某项", clause: "", category: ""),
        ], note: " ")
        let fields = Set(input.problems().items.compactMap(\.field))
        #expect(fields == ["note", "code.1", "title.1", "category.1", "code.3", "clause.3", "category.3"])
        #expect(Set(ChecklistInput(rows: [], note: "空").problems().items.compactMap(\.field)) == ["items"])
    }

    @Test func aSelfInspectionReportsEveryFieldErrorAtOnce() {
        var answers = Self.allConform()
        answers["account_used"] = SelfInspectionAnswer(.fails, note: "未设专户")
        answers["ratio_agreed"] = SelfInspectionAnswer(.fails, measure: "按约定比例重新分配", deadline: "2024-11-01", responsible: "王经理")
        answers.removeValue(forKey: "committee_in_term")
        answers["invented"] = SelfInspectionAnswer(.conforms)
        let input = SelfInspectionInput(estateId: nil, period: "2024Q4", answers: answers, photos: [Complaints.Upload(filename: "a.pdf", bytes: Array("%PDF-1.4".utf8))])
        let errors = input.problems(checklist: .builtIn, today: Day("2024-11-19")!)
        #expect(Set(errors.items.compactMap(\.field)) == ["estate", "period", "measure.account_used", "deadline.account_used", "responsible.account_used",
                                                          "deadline.ratio_agreed", "result.committee_in_term", "result.invented", "photos"])
        #expect(errors.items.allSatisfy { !$0.message.isEmpty && $0.message.unicodeScalars.contains { $0.value > 0x4E00 } }, "every message is in Chinese")
        // The same form, completed, has nothing to say.
        var good = Self.allConform()
        good["account_used"] = SelfInspectionAnswer(.fails, measure: "开立专户", deadline: "２０２４-12-31", responsible: "王经理")
        #expect(SelfInspectionInput(estateId: 1, period: "2024Q3", answers: good).problems(checklist: .builtIn, today: Day("2024-11-19")!).isEmpty)
    }

    @Test(arguments: kinds)
    func aCompanyFilesOnlyForItsEstatesAndOfficialsSeeOnlyTheirRegion(kind: TestDatabase.Kind) async throws {
        try await withDatabase(kind) { database in
            // setup
            let world = try await World.build(in: database)
            let service = SelfInspections(database: database, clock: world.clock, filesDirectory: NSTemporaryDirectory())
            let companyA = world.a.users[.company]!.scope
            var answers = Self.allConform()
            answers["account_used"] = SelfInspectionAnswer(.fails, note: "尚未开立专户", measure: "本月内开立公共收益专户", deadline: "2024-12-31", responsible: "王经理")
            let png: [UInt8] = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0, 0, 0, 13]
            // MUT
            do {
                try await service.file(SelfInspectionInput(estateId: world.b.estate.id, period: "2024Q3", answers: answers), scope: companyA)
                Issue.record("a company filed for an estate it does not manage")
            } catch let errors as FieldErrors {
                #expect(errors.items.compactMap(\.field) == ["estate"])
            }
            await #expect(throws: LedgerError.forbidden) {
                try await service.file(SelfInspectionInput(estateId: world.a.estate.id, period: "2024Q3", answers: answers), scope: world.a.users[.regulator]!.scope)
            }
            let id = try await service.file(SelfInspectionInput(estateId: world.a.estate.id, period: "2024Q3", answers: answers,
                                                                photos: [Complaints.Upload(filename: "现场.png", bytes: png)]), scope: companyA)
            // validation
            await #expect(throws: LedgerError.self) {
                try await service.file(SelfInspectionInput(estateId: world.a.estate.id, period: "2024Q3", answers: answers), scope: companyA)
            }
            let detail = try await service.detail(id, scope: world.a.users[.street]!.scope)
            #expect(detail.inspection.fails == 1 && detail.inspection.conforms == 8 && detail.inspection.checklistVersion == 1)
            #expect(detail.inspection.answers["account_used"]?.responsible == "王经理" && detail.photos.count == 1)
            #expect(try await service.photo(id, file: detail.photos[0].id, scope: companyA).contentType == "image/png")
            for user in [world.b.users[.regulator]!, world.b.users[.street]!, world.b.users[.company]!] {
                await #expect(throws: LedgerError.self) { try await service.detail(id, scope: user.scope) }
                #expect(try await service.list(scope: user.scope, filter: .init()).total == 0, "\(user.username) lists nothing of county A")
            }
            #expect(try await service.list(scope: world.a.users[.regulator]!.scope, filter: .init(period: Self.q3, status: "fails")).total == 1)
            #expect(try await service.list(scope: world.a.users[.regulator]!.scope, filter: .init(status: "false")).total == 0)
            #expect(try await service.due(scope: companyA).isEmpty, "Q3 is filed, nothing else is due")
            #expect(try await service.due(scope: world.b.users[.company]!.scope).map(\.period) == [Self.q3])
            let audited = try await database.read { db in
                try await db.raw("SELECT COUNT(*) AS n FROM audit_log WHERE entity = 'self_inspection' AND action = 'file'").first(decodingColumn: "n", as: Int.self)
            }
            #expect(audited == 1)
            // A campaign phase of the estate's region may be named; one of another county's campaign may not.
            let campaigns = Campaigns(database: database, clock: world.clock)
            let ownCampaign = try await campaigns.create(Campaigns.NewCampaign(name: "鼓楼区点题整治", region: world.a.county.code,
                                                                               phaseDates: (0..<4).map { ("2024-0\($0 + 5)-01", "2024-0\($0 + 5)-20") }),
                                                         scope: world.a.users[.regulator]!.scope)
            let otherCampaign = try await campaigns.create(Campaigns.NewCampaign(name: "台江区点题整治", region: world.b.county.code,
                                                                                 phaseDates: (0..<4).map { ("2024-0\($0 + 5)-01", "2024-0\($0 + 5)-20") }),
                                                           scope: world.b.users[.regulator]!.scope)
            let phases = try await service.phases(estateId: world.a.estate.id, scope: companyA)
            #expect(phases.count == 4 && phases.allSatisfy { $0.title.hasPrefix("鼓楼区点题整治") })
            let foreignPhase = try await database.read { db in
                try await db.raw("SELECT MIN(id) AS id FROM campaign_phases WHERE campaign_id = \(bind: otherCampaign)").first(decodingColumn: "id", as: Int64.self)
            }
            await #expect(throws: LedgerError.self) {
                try await service.file(SelfInspectionInput(estateId: world.a.estate.id, period: "2024Q2", phase: "\(foreignPhase ?? 0)", answers: Self.allConform()),
                                       scope: companyA)
            }
            let tied = try await service.file(SelfInspectionInput(estateId: world.a.estate.id, period: "2024Q2", phase: "\(phases[1].id)", answers: Self.allConform()),
                                              scope: companyA)
            let tiedRecord = try await service.detail(tied, scope: companyA).inspection
            #expect(tiedRecord.campaignId == ownCampaign && tiedRecord.campaignPhase == phases[1].title.components(separatedBy: " · ").last)
        }
    }

    @Test(arguments: kinds)
    func aFalseFindingRaisesAProblemAndIsACreditEventSource(kind: TestDatabase.Kind) async throws {
        try await withDatabase(kind) { database in
            // setup
            let world = try await World.build(in: database)
            let service = SelfInspections(database: database, clock: world.clock, filesDirectory: NSTemporaryDirectory())
            let id = try await service.file(SelfInspectionInput(estateId: world.a.estate.id, period: "2024Q3", answers: Self.allConform()),
                                            scope: world.a.users[.company]!.scope)
            // MUT: refused to another county and to the company; the street of the estate records it.
            await #expect(throws: LedgerError.self) { try await service.recordFalse(id, note: "越权认定", scope: world.b.users[.regulator]!.scope) }
            await #expect(throws: LedgerError.forbidden) { try await service.recordFalse(id, note: "自己认定", scope: world.a.users[.company]!.scope) }
            await #expect(throws: FieldErrors.self) { try await service.recordFalse(id, note: "  ", scope: world.a.users[.street]!.scope) }
            let problemId = try await service.recordFalse(id, note: "现场核查停车收入未公示，与自查结论不符", scope: world.a.users[.street]!.scope)
            // validation
            let problem = try await Problems(database: database, clock: world.clock, filesDirectory: NSTemporaryDirectory())
                .problem(problemId, scope: world.a.users[.regulator]!.scope).problem
            #expect(problem.source == .selfInspectionFalse && problem.category == "information_duty" && problem.status == .open)
            #expect(problem.companyId == world.a.company.id)
            await #expect(throws: LedgerError.self) { try await service.recordFalse(id, note: "再次认定", scope: world.a.users[.regulator]!.scope) }
            let findings = try await service.falseFindings(since: Day("2024-11-01")!, scope: world.a.users[.regulator]!.scope)
            #expect(findings.count == 1 && findings[0].companyId == world.a.company.id && findings[0].problemId == problemId && findings[0].period == "2024Q3")
            #expect(try await service.falseFindings(since: Day("2024-11-20")!, scope: world.a.users[.regulator]!.scope).isEmpty)
            #expect(try await service.falseFindings(since: Day("2024-01-01")!, scope: world.b.users[.regulator]!.scope).isEmpty)
            #expect(try await service.detail(id, scope: world.a.users[.company]!.scope).inspection.isFalse)
            #expect(try await service.publicResults(estateId: world.a.estate.id).first?.recordedFalse == true)
        }
    }

    @Test(arguments: kinds)
    func w16FiresForAMissingSelfInspectionAndClearsWhenItIsFiled(kind: TestDatabase.Kind) async throws {
        try await withDatabase(kind) { database in
            // setup: county B gives its companies 60 days, so its Q3 self-inspection (due 2024-11-29) is not yet late.
            let world = try await World.build(in: database)
            try await RegionSettings(database: database, clock: world.clock)
                .set(regionCode: world.b.county.code, key: "self_inspection.days", value: "60", scope: world.b.users[.regulator]!.scope)
            // The campaign's date is a month and day: 2/30 is refused with a message, 5/31 accepted.
            do {
                try await RegionSettings(database: database, clock: world.clock)
                    .set(regionCode: world.b.county.code, key: "self_inspection.campaign_due", value: "230", scope: world.b.users[.regulator]!.scope)
                Issue.record("2/30 was accepted as a date")
            } catch let error as LedgerError {
                #expect(error.code == "not_a_date" && error.message.contains("有效的月日"))
            }
            try await RegionSettings(database: database, clock: world.clock)
                .set(regionCode: world.b.county.code, key: "self_inspection.campaign_due", value: "531", scope: world.b.users[.regulator]!.scope)
            let engine = WarningEngine(database: database, clock: world.clock)
            // MUT
            try await engine.run()
            // validation
            #expect(try await Self.warning("W16", estate: world.a.estate.id, Self.q3, on: database) == "open")
            #expect(try await Self.warning("W16", estate: world.b.estate.id, Self.q3, on: database) == nil)
            #expect(try await Self.warning("W16", estate: world.b.estate.id, Self.q3.previous, on: database) == "open")
            let campaignDetail = try await database.read { db in
                try await db.raw("SELECT detail FROM warnings WHERE rule = 'W16' AND estate_id = \(bind: world.b.estate.id) AND year = 2024 AND quarter = 2")
                    .first(decodingColumn: "detail", as: String.self)
            }
            #expect(campaignDetail?.contains("2024-05-31") == true, "county B's campaign date is in its Q2 finding")
            #expect(try await Self.warning("W16", estate: world.a.estate.id, Quarter(year: 2023, quarter: 3)!, on: database) == nil,
                    "only the last four quarters are checked")
            // Filing clears it at once (the estate's rules run again, as after a publication); the other estate's stays.
            try await SelfInspections(database: database, clock: world.clock, filesDirectory: NSTemporaryDirectory())
                .file(SelfInspectionInput(estateId: world.a.estate.id, period: "2024Q3", answers: Self.allConform()), scope: world.a.users[.company]!.scope)
            #expect(try await Self.warning("W16", estate: world.a.estate.id, Self.q3, on: database) == "closed")
            #expect(try await Self.warning("W16", estate: world.a.estate.id, Self.q3.previous, on: database) == "open", "Q2 is still missing")
            #expect(try await engine.run().closed == 0, "the full run finds nothing more to close")
            #expect(try await Self.warning("W16", estate: world.b.estate.id, Self.q3.previous, on: database) == "open")
            #expect(WarningRules.rule("W16")?.name == "自查逾期")
        }
    }

    @Test(arguments: kinds)
    func theDashboardRateCountsFilingsOverEstatesDue(kind: TestDatabase.Kind) async throws {
        try await withDatabase(kind) { database in
            // setup
            let world = try await World.build(in: database)
            try await SelfInspections(database: database, clock: world.clock, filesDirectory: NSTemporaryDirectory())
                .file(SelfInspectionInput(estateId: world.a.estate.id, period: "2024Q3", answers: Self.allConform()), scope: world.a.users[.company]!.scope)
            let dashboard = Dashboard(database: database, clock: world.clock)
            // MUT
            let city = try await dashboard.view(regionCode: "350100", quarter: Self.q3, scope: .system)
            let before = try await dashboard.view(regionCode: "350100", quarter: Quarter(year: 2019, quarter: 4)!, scope: .system)
            // validation
            let kpi = try #require(city.kpis.first { $0.key == "selfInspection" })
            let counted = try await database.read { db in
                try await db.raw("SELECT COUNT(DISTINCT estate_id) AS n FROM self_inspections WHERE year = 2024 AND quarter = 3").first(decodingColumn: "n", as: Int.self)
            }
            #expect(kpi.numerator == counted && kpi.numerator == 1 && kpi.denominator == 2 && kpi.value == 0.5)
            let none = try #require(before.kpis.first { $0.key == "selfInspection" })
            #expect(none.denominator == 0 && none.value == nil, "nothing due before any contract: no rate, not 0")
        }
    }
}
