import Foundation
@testable import LedgerCore
import LedgerTestSupport
import SQLKit
import Testing

/// One test per definition of `EstateFigures`, each against rows inserted for the purpose and read back through the
/// callers that count it (dashboard, registry overview, 情况汇总表, 整治到位率, warning engine, calendar, filing).
@Suite struct EstateFiguresTests {
    static let kinds = TestDatabase.available
    static let q3 = Quarter(year: 2024, quarter: 3)!
    static let q4 = Quarter(year: 2024, quarter: 4)!

    static func run(_ database: Database, _ sql: SQLQueryString) async throws {
        try await database.transaction { db in try await db.raw(sql).run() }
    }

    /// Whether `condition` holds for one estate (a definition's SQL fragment evaluated on its own).
    static func holds(_ database: Database, _ estate: Int64, _ condition: (SQLQueryString) -> SQLQueryString) async throws -> Bool {
        let flag = EstateFigures.flag(condition("e.id"))
        return try await database.read { db in
            try await db.raw("SELECT \(flag) AS f FROM estates e WHERE e.id = \(bind: estate)")
                .first(decodingColumn: "f", as: Int.self) == 1
        }
    }

    static func city(_ world: World, _ quarter: Quarter = q3) async throws -> Dashboard.Figures {
        try await Dashboard(database: world.database, clock: world.clock).view(regionCode: "350100", quarter: quarter, scope: .system).figures
    }

    static func complaint(_ database: Database, _ world: World, _ code: String, received: String, status: String, outcome: String? = nil) async throws {
        let closedAt: String? = status == "closed" ? received : nil
        try await run(database, """
            INSERT INTO complaints (tracking_code, source, estate_id, region_path, category, content, received_at, received_by, status, outcome,
                                    closed_at, updated_at)
            VALUES (\(bind: code), 'online', \(bind: world.a.estate.id), \(bind: world.a.estate.regionPath), 'service_contract', '测试投诉内容',
                    \(bind: received), 'public', \(bind: status), \(bind: outcome), \(bind: closedAt), \(bind: received))
            """)
    }

    static func problem(_ database: Database, _ world: World, category: String, created: String, status: String, outcome: String? = nil) async throws {
        try await run(database, """
            INSERT INTO problems (estate_id, company_id, region_path, category, description, severity, source, deadline, responsible, status, outcome,
                                  created_at, created_by, updated_at)
            VALUES (\(bind: world.a.estate.id), \(bind: world.a.company.id), \(bind: world.a.estate.regionPath), \(bind: category), '测试问题', 'medium',
                    'manual', '2030-01-01', '物业服务企业', \(bind: status), \(bind: outcome), \(bind: created), 'test', \(bind: created))
            """)
    }

    /// Estate A passes to B's company on 1 October 2024, the day after Q3 ended (the clock stands on 19 November 2024).
    static func handOver(_ world: World) async throws {
        _ = try await EstateRecords(database: world.database, clock: world.clock).assignCompany(
            estateId: world.a.estate.id, ContractInput(company: "\(world.b.company.id)", startDate: "2024-10-01"), scope: .system)
    }

    // MARK: Tests

    @Test func managerIsTheContractCoveringTheDayAndTheFilerTheOneOnTheQuartersLastDay() {
        let contracts = [EstateFigures.Contract(companyId: 1, start: "2020-01-01", end: "2024-09-30"),
                         EstateFigures.Contract(companyId: 2, start: "2024-10-01", end: nil)]
        #expect(EstateFigures.manager(on: Day("2024-09-30")!, of: contracts) == 1, "a contract covers its last day")
        #expect(EstateFigures.manager(on: Day("2024-10-01")!, of: contracts) == 2, "and its first")
        #expect(EstateFigures.manager(on: Day("2019-12-31")!, of: contracts) == nil)
        #expect(EstateFigures.filer(of: Self.q3, contracts: contracts) == 1, "the outgoing company owes the quarter it managed at its end")
        #expect(EstateFigures.filer(of: Self.q4, contracts: contracts) == 2)
        #expect(EstateFigures.filer(of: Self.q3, contracts: [.init(companyId: 3, start: "2024-07-01", end: "2024-09-29")]) == nil,
                "a contract that ended before the quarter's last day owes nothing")
        #expect(EstateFigures.filer(of: Self.q3, contracts: []) == nil)
    }

    @Test func onTimeIsTheFirstPublicationBeforeMidnightBeijingAfterTheDueDay() {
        #expect(EstateFigures.deadline(Self.q3) == "2024-10-31T16:00:00Z")
        #expect(EstateFigures.onTime(firstPublishedAt: "2024-10-31T15:59:59Z", quarter: Self.q3))
        #expect(!EstateFigures.onTime(firstPublishedAt: "2024-10-31T16:00:00Z", quarter: Self.q3))
        #expect(!EstateFigures.isPastDue(Self.q3, today: Day("2024-10-31")!) && EstateFigures.isPastDue(Self.q3, today: Day("2024-11-01")!))
    }

    @Test(arguments: kinds)
    func managerInSQLAgreesWithSwift(kind: TestDatabase.Kind) async throws {
        try await withDatabase(kind) { database in
            // setup
            let world = try await World.build(in: database)
            try await Self.handOver(world)
            // MUT
            let loaded = try await database.read { db in try await EstateFigures.contracts(where: "e.id = \(bind: world.a.estate.id)", on: db) }
            // validation
            let contracts = try #require(loaded[world.a.estate.id])
            for day in ["2019-12-31", "2020-01-01", "2024-09-30", "2024-10-01", "2030-01-01"] {
                let sql = try await database.read { db in
                    try await db.raw("SELECT \(EstateFigures.managerSQL("e.id", on: Day(day)!)) AS c FROM estates e WHERE e.id = \(bind: world.a.estate.id)")
                        .first(decodingColumn: "c", as: Int64?.self) ?? nil
                }
                #expect(sql == EstateFigures.manager(on: Day(day)!, of: contracts), "\(day)")
            }
            #expect(EstateFigures.filer(of: Self.q3, contracts: contracts) == world.a.company.id)
        }
    }

    @Test(arguments: kinds)
    func accountOpenByTheQuartersEnd(kind: TestDatabase.Kind) async throws {
        try await withDatabase(kind) { database in
            // setup: A's account opened on Q3's last day, B's the day after.
            let world = try await World.build(in: database)
            for (estate, day) in [(world.a.estate.id, "2024-09-30"), (world.b.estate.id, "2024-10-01")] {
                try await Self.run(database, """
                    INSERT INTO dedicated_accounts (estate_id, bank, account_number, opened_on, created_at)
                    VALUES (\(bind: estate), '测试银行', \(bind: "62220000111122\(estate)"), \(bind: day), '2024-01-01T00:00:00Z')
                    """)
            }
            // MUT
            let figures = try await Self.city(world)
            let overview = try await RegistryOverview(database: database, clock: world.clock).figures(scope: .system)
            let facts = try await database.read { db in
                try await FactsLoader(db: db).estates(underPath: "/350000/", window: Self.q3...Self.q3, today: "2024-11-19")
            }
            // validation
            let openA = try await Self.holds(database, world.a.estate.id) { EstateFigures.accountOpenSQL($0, by: Self.q3.lastDay) }
            let openB = try await Self.holds(database, world.b.estate.id) { EstateFigures.accountOpenSQL($0, by: Self.q3.lastDay) }
            #expect(openA && !openB, "opened on the quarter's last day counts, the day after does not")
            #expect(figures.withAccount == 1 && figures.managed == 2, "at Q3's end only A's account was open")
            #expect(overview.withAccount == 2, "today both are open")
            let openToday = facts.map(\.hasAccount)
            #expect(openToday == [true, true], "W06 asks today")
        }
    }

    @Test(arguments: kinds)
    func accountOpenByTodayOnTheEstatePages(kind: TestDatabase.Kind) async throws {
        try await withDatabase(kind) { database in
            // setup: today is 19 November 2024; A's only account opens tomorrow, B's opened the day before yesterday.
            let world = try await World.build(in: database)
            let records = EstateRecords(database: database, clock: world.clock)
            for (estate, day) in [(world.a.estate.id, "2024-11-20"), (world.b.estate.id, "2024-11-17")] {
                _ = try await records.setAccount(estateId: estate, AccountInput(bank: "测试银行", accountNumber: "62220000111122\(estate)", openedOn: day),
                                                 scope: .system)
            }
            let repository = EstateRepository(database: database, clock: world.clock)
            // MUT
            let listed = try await repository.estates(scope: .system, request: ListRequest(sort: .name))
            let a = try await repository.estate(world.a.estate.id, scope: .system)
            let b = try await repository.publicEstate(world.b.estate.id)
            let found = try await repository.publicSearch("花园", limit: 10)
            let registered = try await records.details(estateId: world.a.estate.id, scope: .system).account
            // validation
            #expect(!a.accountOpen && b.accountOpen, "an account that opens after today is not open yet")
            #expect(listed.total == 2 && listed.items.count == 2, "one row per estate")
            #expect(Dictionary(uniqueKeysWithValues: listed.items.map { ($0.id, $0.accountOpen) }) == [world.a.estate.id: false, world.b.estate.id: true])
            #expect(found.map(\.accountOpen) == [false])
            #expect(registered?.openedOn == "2024-11-20", "the registered account is still there to be edited")
            world.clock.advance(by: 86_400)
            #expect(try await repository.estate(world.a.estate.id, scope: .system).accountOpen, "open on its opening day")
        }
    }

    @Test(arguments: kinds)
    func committeeInTermOnTheDay(kind: TestDatabase.Kind) async throws {
        try await withDatabase(kind) { database in
            // setup: A's term ends on Q3's last day, B's begins the day after.
            let world = try await World.build(in: database)
            for (estate, start, end) in [(world.a.estate.id, "2019-10-01", "2024-09-30"), (world.b.estate.id, "2024-10-01", "2029-09-30")] {
                try await Self.run(database, """
                    INSERT INTO committees (estate_id, kind, chair_name, term_start, term_end, created_at)
                    VALUES (\(bind: estate), '业主委员会', '张主任', \(bind: start), \(bind: end), '2024-01-01T00:00:00Z')
                    """)
            }
            // MUT
            let figures = try await Self.city(world)
            let overview = try await RegistryOverview(database: database, clock: world.clock).figures(scope: .system)
            // validation
            let inTermA = try await Self.holds(database, world.a.estate.id) { EstateFigures.committeeInTermSQL($0, on: Self.q3.lastDay) }
            let inTermB = try await Self.holds(database, world.b.estate.id) { EstateFigures.committeeInTermSQL($0, on: Self.q3.lastDay) }
            #expect(inTermA && !inTermB, "a term ending on the day is in term, one beginning the day after is not")
            #expect(figures.withCommittee == 1 && figures.committeeRate == 0.5)
            #expect(overview.withCommittee == 1, "today only B's term runs")
            #expect(overview.withoutCompany == 0)
        }
    }

    @Test(arguments: kinds)
    func summaryReportCountsTheCompaniesThatManagedDuringThePeriod(kind: TestDatabase.Kind) async throws {
        try await withDatabase(kind) { database in
            // setup: A's estate passes to B's company on 1 October; both estates are B's company's today.
            let world = try await World.build(in: database)
            try await Self.handOver(world)
            let report = SummaryReport(database: database, clock: world.clock)
            // MUT
            let q3 = try await report.build(regionCode: "350100", from: Self.q3.firstDay, until: Self.q3.lastDay, scope: .system)
            let q4 = try await report.build(regionCode: "350100", from: Self.q4.firstDay, until: Day("2024-11-19")!, scope: .system)
            let across = try await report.build(regionCode: "350100", from: Day("2024-09-30")!, until: Day("2024-10-01")!, scope: .system)
            // validation: 涉及企业数 is a[1]; rows are 鼓楼区 (A's estate), 台江区 (B's).
            #expect(q3.rows.map { $0.a[1] } == [1, 1] && q3.total.a[1] == 2, "in Q3 the outgoing company managed A's estate")
            #expect(q4.rows.map { $0.a[1] } == [1, 1] && q4.total.a[1] == 1, "in Q4 B's company managed both")
            #expect(across.rows.first?.a[1] == 2, "a period across the hand-over counts both companies")
        }
    }

    @Test(arguments: kinds)
    func onTimeLateAndDueOnTheDashboard(kind: TestDatabase.Kind) async throws {
        try await withDatabase(kind) { database in
            // setup: A publishes Q3 on 10 October, B on 5 November (late); A's correction afterwards changes nothing.
            let world = try await World.build(in: database)
            let now = world.clock.now()
            let repo = DisclosureRepository(database: database, clock: world.clock)
            world.clock.set(Timestamp.parse("2024-10-10T02:00:00Z")!)
            _ = try await repo.publish(estateId: world.a.estate.id, quarter: Self.q3, document: DisclosureSamples.valid(), reason: nil,
                                       scope: world.a.users[.company]!.scope)
            world.clock.set(Timestamp.parse("2024-11-05T02:00:00Z")!)
            _ = try await repo.publish(estateId: world.b.estate.id, quarter: Self.q3, document: DisclosureSamples.valid(), reason: nil,
                                       scope: world.b.users[.company]!.scope)
            var reshown = DisclosureSamples.valid()
            reshown.display = .init(from: "2024-11-05", until: "2024-12-06")   // a correction is displayed afresh
            _ = try await repo.publish(estateId: world.a.estate.id, quarter: Self.q3, document: reshown, reason: "更正",
                                       scope: world.a.users[.company]!.scope)
            world.clock.set(now)
            // MUT
            let figures = try await Self.city(world)
            let calendar = try await DisclosureCalendar(database: database, clock: world.clock).listing(scope: .system, quarter: Self.q3, states: [], page: 1)
            // validation
            #expect(figures.due == 2 && figures.onTime == 1 && figures.late == 1 && figures.onTimeRate == 0.5)
            #expect(calendar.counts[.onTime] == 1 && calendar.counts[.late] == 1)
        }
    }

    @Test(arguments: kinds)
    func complaintsReceivedClosedAndFixedInTheQuarter(kind: TestDatabase.Kind) async throws {
        try await withDatabase(kind) { database in
            // setup: Q3 runs from 2024-06-30T16:00Z to 2024-09-30T16:00Z (Beijing days).
            let world = try await World.build(in: database)
            try await Self.complaint(database, world, "C1", received: "2024-06-30T16:00:00Z", status: "received")
            try await Self.complaint(database, world, "C2", received: "2024-07-15T02:00:00Z", status: "closed", outcome: "fixed")
            try await Self.complaint(database, world, "C3", received: "2024-09-30T15:59:59Z", status: "closed", outcome: "not_substantiated")
            try await Self.complaint(database, world, "C4", received: "2024-06-30T15:59:59Z", status: "closed", outcome: "fixed")
            try await Self.complaint(database, world, "C5", received: "2024-09-30T16:00:00Z", status: "closed", outcome: "fixed")
            // MUT
            let figures = try await Self.city(world)
            let report = try await SummaryReport(database: database, clock: world.clock)
                .build(regionCode: "350100", from: Self.q3.firstDay, until: Self.q3.lastDay, scope: .system)
            // validation
            #expect(figures.complaintsReceived == 3 && figures.complaintsClosed == 2 && figures.complaintsFixed == 1)
            #expect(figures.closureRate == 2.0 / 3 && figures.fixRate == 1.0 / 3, "a closure is not a fix")
            #expect(report.c[4] == 3 && report.c[5] == 2)
            #expect(EstateFigures.complaintFixed(status: "closed", outcome: "fixed") && !EstateFigures.complaintFixed(status: "assigned", outcome: "fixed"))
        }
    }

    @Test(arguments: kinds)
    func problemsFoundAndPutRight(kind: TestDatabase.Kind) async throws {
        try await withDatabase(kind) { database in
            // setup: three problems found in Q3 (one put right), one put-right-category problem before Q3, one after it.
            let world = try await World.build(in: database)
            try await Self.problem(database, world, category: "revenue_ratio", created: "2024-08-01T02:00:00Z", status: "open")
            try await Self.problem(database, world, category: "service_room_use", created: "2024-08-02T02:00:00Z", status: "closed", outcome: "fixed")
            try await Self.problem(database, world, category: "service_contract", created: "2024-08-03T02:00:00Z", status: "closed", outcome: "withdrawn")
            try await Self.problem(database, world, category: "common_space_occupied", created: "2024-03-01T02:00:00Z", status: "open")
            try await Self.problem(database, world, category: "common_space_occupied", created: "2024-10-05T02:00:00Z", status: "closed", outcome: "fixed")
            // MUT
            let figures = try await Self.city(world)
            let (county, _) = try await Problems(database: database, clock: world.clock, filesDirectory: NSTemporaryDirectory())
                .putRightRates(regionCode: world.a.county.code, scope: .system)
            let report = try await SummaryReport(database: database, clock: world.clock)
                .build(regionCode: "350100", from: Self.q3.firstDay, until: Self.q3.lastDay, scope: .system)
            // validation
            #expect(figures.problemsFound == 3 && figures.problemsRectified == 1, "found in Q3; closed otherwise than fixed is not put right")
            #expect(figures.putRightFound == 2 && figures.putRight == 1, "整治到位率 at Q3's end: found up to then")
            #expect(county.found == 3 && county.putRight == 2, "整治到位率 today: the same definition up to today")
            #expect(report.rows.first?.b[0] == 0, "A still has open problems of the period")
        }
    }

    @Test(arguments: kinds)
    func warningsOpenAreOpenOrAcknowledged(kind: TestDatabase.Kind) async throws {
        try await withDatabase(kind) { database in
            // setup
            let world = try await World.build(in: database)
            for (rule, quarter, status) in [("W03", 3, "open"), ("W04", 3, "acknowledged"), ("W05", 3, "resolved"), ("W06", 3, "closed"), ("W07", 2, "open")] {
                try await Self.run(database, """
                    INSERT INTO warnings (rule, estate_id, company_id, region_path, year, quarter, severity, status, detail, opened_at, updated_at)
                    VALUES (\(bind: rule), \(bind: world.a.estate.id), \(bind: world.a.company.id), \(bind: world.a.estate.regionPath), 2024, \(bind: quarter),
                            'high', \(bind: status), '测试', '2024-10-01T00:00:00Z', '2024-10-01T00:00:00Z')
                    """)
            }
            // MUT
            let figures = try await Self.city(world)
            let open = try await WarningEngine(database: database, clock: world.clock).openKeys()
            // validation
            #expect(figures.openWarnings == ["W03": 1, "W04": 1] && figures.openWarningTotal == 2)
            let a = world.a.estate.id
            #expect(open == ["W03/\(a)/2024Q3", "W04/\(a)/2024Q3", "W07/\(a)/2024Q2"])
        }
    }

    @Test(arguments: kinds)
    func theOutgoingCompanyStillOwesTheQuarterItManagedAtItsEnd(kind: TestDatabase.Kind) async throws {
        try await withDatabase(kind) { database in
            // setup: A's estate passes to B's company on 1 October; nobody filed Q3, due on 31 October; today is 19 November.
            let world = try await World.build(in: database)
            try await Self.handOver(world)
            let outgoing = world.a.users[.company]!.scope, incoming = world.b.users[.company]!.scope
            let estate = world.a.estate.id
            let calendar = DisclosureCalendar(database: database, clock: world.clock)
            // MUT
            _ = try await WarningEngine(database: database, clock: world.clock).run(quarters: 1)
            let owedByOutgoing = try await calendar.listing(scope: outgoing, quarter: Self.q3, states: [], page: 1)
            let owedByIncoming = try await calendar.listing(scope: incoming, quarter: Self.q3, states: [], page: 1)
            let nextByIncoming = try await calendar.listing(scope: incoming, quarter: Self.q4, states: [], page: 1)
            let nextByOutgoing = try await calendar.listing(scope: outgoing, quarter: Self.q4, states: [], page: 1)
            let before = try await Self.city(world)
            // validation: W01 against the outgoing company.
            let w01 = try await database.read { db in
                try await db.raw("SELECT company_id FROM warnings WHERE rule = 'W01' AND estate_id = \(bind: estate) AND year = 2024 AND quarter = 3")
                    .all(decodingColumn: "company_id", as: Int64?.self)
            }
            #expect(w01 == [world.a.company.id])
            // The calendar lists Q3 for the outgoing company (under its own name) and not for the incoming one; Q4 the other way round.
            #expect(owedByOutgoing.page.items.map(\.estateId) == [estate] && owedByOutgoing.page.items.first?.state == .missing)
            #expect(owedByOutgoing.page.items.first?.companyName == world.a.company.name)
            #expect(owedByIncoming.page.items.map(\.estateId) == [world.b.estate.id])
            #expect(nextByIncoming.page.items.map(\.estateId).sorted() == [estate, world.b.estate.id].sorted() && nextByOutgoing.page.items.isEmpty)
            // The on-time KPI's denominator counts the quarter.
            #expect(before.due == 2 && before.onTime == 0)
            // Filing: the outgoing company may open and publish Q3; the incoming one may not, nor may the outgoing one file Q4.
            let repo = DisclosureRepository(database: database, clock: world.clock)
            let opened = try await repo.filingEstate(estate, quarter: Self.q3, scope: outgoing)
            #expect(opened.id == estate)
            await #expect(throws: LedgerError.notFound("小区")) { try await repo.filingEstate(estate, quarter: Self.q4, scope: outgoing) }
            await #expect(throws: LedgerError.notFound("小区")) {
                try await repo.filingEstate(world.b.estate.id, quarter: Self.q3, scope: outgoing)
            }
            do {
                _ = try await repo.publish(estateId: estate, quarter: Self.q3, document: DisclosureSamples.valid(), reason: nil, scope: incoming)
                Issue.record("the incoming company published a quarter it did not manage at its end")
            } catch let error as LedgerError {
                #expect(error.code == "before_contract")
            }
            _ = try await repo.saveDraft(estateId: estate, quarter: Self.q3, document: DisclosureSamples.valid(), scope: outgoing)
            let draft = try await repo.draft(estateId: estate, quarter: Self.q3, scope: outgoing)
            #expect(draft != nil)
            let published = try await repo.publish(estateId: estate, quarter: Self.q3, document: nil, reason: nil, scope: outgoing)
            #expect(published.companyId == world.a.company.id)
            let after = try await Self.city(world)
            #expect(after.due == 2 && after.late == 1, "filed after the deadline: late, still counted")
        }
    }

    @Test func demoTruthOwesEachQuarterToTheCompanyManagingAtItsEnd() async throws {
        try await withDatabase(.sqlite) { database in
            // setup: the small demo; some estates changed company inside the eight quarters, their earlier quarters unfiled.
            let clock = ManualClock(Date(timeIntervalSince1970: 1_764_000_000))
            let result = try await DemoGenerator(options: DemoAndBackupTests.smallDemo(), clock: clock).generate(into: database)
            let current = Quarter(containing: Day(Timestamp.shanghaiDay(clock.now()))!).previous
            // MUT
            let keys = try await WarningEngine(database: database, clock: clock).foundKeys()
            let found = keys.filter { $0.hasPrefix("W01/") }
            let figures = try await Dashboard(database: database, clock: clock).view(regionCode: "350100", quarter: current, scope: .system).figures
            // validation: the truth and the engine owe the same quarters.
            let planted = Set(result.truth.filter { $0.rule == "W01" }.map { "W01/\($0.estateId)/\($0.year)Q\($0.quarter)" })
            #expect(planted == found)
            let accounts = Set(result.truth.filter { $0.rule == "W06" }.map { "W06/\($0.estateId)/\($0.year)Q\($0.quarter)" })
            #expect(accounts == keys.filter { $0.hasPrefix("W06/") }, "no account open today, in the truth as in the rule")
            let outgoing = result.truth.filter { $0.rule == "W01" && $0.planted == "季度末在管的原物业企业未公示" }
            #expect(!outgoing.isEmpty, "the small demo has estates that changed company")
            for fault in outgoing {
                let (warned, manager) = try await database.read { db in
                    let row = try await db.raw("""
                        SELECT w.company_id AS warned, e.company_id AS now FROM warnings w JOIN estates e ON e.id = w.estate_id
                        WHERE w.rule = 'W01' AND w.estate_id = \(bind: fault.estateId) AND w.year = \(bind: fault.year) AND w.quarter = \(bind: fault.quarter)
                        """).first()
                    return (try row?.decode(column: "warned", as: Int64?.self), try row?.decode(column: "now", as: Int64?.self))
                }
                #expect(warned != nil && warned != manager, "W01 is the outgoing company's")
            }
            // The on-time KPI's denominator: the estates a contract covered on the quarter's last day (counted independently).
            let covered = try await database.read { db in
                try await db.raw("""
                    SELECT COUNT(DISTINCT estate_id) AS n FROM contracts WHERE start_date <= \(bind: current.lastDay.description)
                    AND (end_date IS NULL OR end_date >= \(bind: current.lastDay.description))
                    """).first(decodingColumn: "n", as: Int.self)
            }
            #expect(figures.due == covered)
        }
    }
}
