import Foundation
import LedgerCore
import LedgerTestSupport
import SQLKit
import Testing

@Suite struct DemoAndBackupTests {
    static let kinds = TestDatabase.available

    static func smallDemo() -> DemoGenerator.Options {
        var options = DemoGenerator.Options()
        options.estateCount = 120
        options.companyCount = 30
        options.bcryptCost = 4
        return options
    }

    static func snapshot(_ database: Database) async throws -> [String] {
        try await database.read { db in
            try await db.raw("SELECT name || '|' || address || '|' || community_code || '|' || households AS s FROM estates ORDER BY id")
                .all(decodingColumn: "s", as: String.self)
        }
    }

    // MARK: Tests

    @Test(arguments: kinds)
    func demoIsDeterministicAndValid(kind: TestDatabase.Kind) async throws {
        let clock = ManualClock(Date(timeIntervalSince1970: 1_764_000_000))
        let first = try await withDatabase(kind) { database in
            let result = try await DemoGenerator(options: Self.smallDemo(), clock: clock).generate(into: database)
            #expect(Set(result.logins.map(\.role)) == Set(Role.allCases))
            // Disclosures for eight quarters, a valid transparency log, and faults of many kinds planted.
            #expect(try await LogVerifier(database: database).verify().ok)
            let head = try await TransparencyLog(database: database).treeHead()
            #expect(head.size > 120 * 5)
            #expect(Set(result.truth.map(\.rule)).count >= 6)
            // Planted faults are truthful filings: every generated version passes the publishing checks.
            let history = DisclosureHistory(database: database)
            for estate in 1...40 {
                for version in try await history.publicVersions(estateId: Int64(estate)) {
                    let entry = try #require(try await history.entry(estateId: version.estateId, quarter: version.period, version: version.version))
                    let document = LogEntry(version: entry.version, lines: entry.lines).disclosure
                    try DisclosureChecks.checkPublishable(try DisclosureChecks.parse(document), sentClosingBalance: document.closingBalance)
                }
            }
            let codes = try await database.read { db in
                try await db.raw("SELECT uscc FROM companies").all(decodingColumn: "uscc", as: String.self)
            }
            #expect(codes.count == 30)
            #expect(codes.allSatisfy(USCC.isValid))
            let counties = try await database.read { db in
                try await db.raw("SELECT name FROM regions WHERE level = 'county' ORDER BY code").all(decodingColumn: "name", as: String.self)
            }
            #expect(counties.count == 13)
            #expect(counties.contains("高新区") && counties.contains("鼓楼区") && counties.contains("闽清县"))
            let gulou = try await DemoGenerator.logins(in: database).first { $0.username == "gulou" }
            #expect(gulou?.regionCode == "350102")
            // Spot-check plans: one per district and one for the city, each redrawn from its published seed and list.
            let plans = try await InspectionPlans.ids(on: database)
            #expect(plans.count == 14)
            for plan in plans { #expect(try await InspectionPlans.redraw(plan, on: database) == nil, "plan \(plan)") }
            // Cross inspections: one round per quarter of the year so far, each pairing redrawn from its seed and list.
            let rounds = try await CrossInspections.ids(on: database)
            #expect(rounds.count == Quarter(containing: Day(Timestamp.shanghaiDay(clock.now()))!).quarter)
            for round in rounds { #expect(try await CrossInspections.redraw(round, on: database) == nil, "round \(round)") }
            // A year of self-inspections: most filed, each missing one warned (W16) as the truth says, one found false.
            let (filed, w16, falseProblems) = try await database.read { db in
                (try await db.raw("SELECT COUNT(*) AS n FROM self_inspections").first(decodingColumn: "n", as: Int.self) ?? 0,
                 Set(try await db.raw("SELECT estate_id, year, quarter FROM warnings WHERE rule = 'W16'").all().map {
                     "\(try $0.decode(column: "estate_id", as: Int64.self))/\(try $0.decode(column: "year", as: Int.self))Q\(try $0.decode(column: "quarter", as: Int.self))"
                 }),
                 try await db.raw("""
                     SELECT COUNT(*) AS n FROM problems p JOIN self_inspections s ON s.false_problem_id = p.id
                     WHERE p.source = 'self_inspection_false' AND s.false_at IS NOT NULL
                     """).first(decodingColumn: "n", as: Int.self) ?? 0)
            }
            let plantedW16 = Set(result.truth.filter { $0.rule == "W16" }.map { "\($0.estateId)/\($0.year)Q\($0.quarter)" })
            #expect(filed > 120 * 3 && !plantedW16.isEmpty && w16 == plantedW16 && falseProblems == 1)
            // A credit history made from the planted faults: companies with more of their own faults (not the committee's
            // term, not signals such as zero revenue or a correction) grade lower, third by third.
            let own: Set<String> = ["W01", "W02", "W04", "W05", "W06", "W07", "W08", "W09", "W10", "W14", "W16"]
            let scores = try await CreditFile(database: database, clock: clock).scores()
            let owners = try await database.read { db in
                Dictionary(uniqueKeysWithValues: try await db.raw("SELECT id, company_id FROM estates WHERE company_id IS NOT NULL").all().map {
                    (try $0.decode(column: "id", as: Int64.self), try $0.decode(column: "company_id", as: Int64.self))
                })
            }
            var faults: [Int64: Int] = [:]
            for planted in result.truth where own.contains(planted.rule) { if let company = owners[planted.estateId] { faults[company, default: 0] += 1 } }
            let managing = Set(owners.values).sorted { (faults[$0] ?? 0, $0) < (faults[$1] ?? 0, $1) }
            let third = managing.count / 3
            func mean(_ ids: ArraySlice<Int64>) -> Double { Double(ids.map { scores[$0]!.total }.reduce(0, +)) / Double(ids.count) }
            let (few, some, many) = (mean(managing.prefix(third)), mean(managing.dropFirst(third).prefix(third)), mean(managing.suffix(third)))
            #expect(few > some && some > many, "mean scores by planted faults: \(few), \(some), \(many)")
            let (sources, blackListed, letters, replied) = try await database.read { db in
                (Set(try await db.raw("SELECT DISTINCT rule FROM credit_events").all(decodingColumn: "rule", as: String.self)),
                 try await db.raw("SELECT COUNT(*) AS n FROM credit_lists WHERE list = 'black'").first(decodingColumn: "n", as: Int.self) ?? 0,
                 try await db.raw("SELECT COUNT(*) AS n FROM region_letters").first(decodingColumn: "n", as: Int.self) ?? 0,
                 try await db.raw("SELECT COUNT(*) AS n FROM region_letters WHERE reply IS NOT NULL").first(decodingColumn: "n", as: Int.self) ?? 0)
            }
            #expect(sources.isSuperset(of: ["C01", "C03", "C06", "C07"]) && blackListed == 2 && letters == 2 && replied == 1, "\(sources)")
            // Fuzhou's demonstration targets, with progress: most nominations confirmed, one refused, two waiting.
            let demonstrations = try await database.read { db in
                try await db.raw("SELECT status, COUNT(*) AS n FROM demonstrations GROUP BY status").all().reduce(into: [String: Int]()) {
                    $0[try $1.decode(column: "status", as: String.self)] = try $1.decode(column: "n", as: Int.self)
                }
            }
            #expect(demonstrations["refused"] == 1 && demonstrations["nominated"] == 2 && (demonstrations["confirmed"] ?? 0) > 10, "\(demonstrations)")
            // The demo company and the district officers have things to do and notifications (docs/design.md §29).
            let (companyUser, company, gulouUser) = try await database.read { db in
                let row = try await db.raw("SELECT id, company_id FROM users WHERE username = 'company'").first()!
                let gulou = try await db.raw("SELECT id FROM users WHERE username = 'gulou'").first(decodingColumn: "id", as: Int64.self)!
                return (try row.decode(column: "id", as: Int64.self), try row.decode(column: "company_id", as: Int64.self), gulou)
            }
            let todo = TodoList(database: database, clock: clock)
            let companyScope = Scope(userId: companyUser, username: "company", role: .company, regionPath: nil, companyId: company, estateId: nil)
            let gulouScope = Scope(userId: gulouUser, username: "gulou", role: .regulator, regionPath: "/350000/350100/350102/", companyId: nil, estateId: nil)
            let companyTodo = try await todo.items(scope: companyScope)
            #expect(companyTodo.filter { $0.count > 0 }.count >= 2 && companyTodo.first { $0.key == "questions" }?.count == 1, "\(companyTodo)")
            #expect(try await todo.items(scope: gulouScope).contains { $0.count > 0 })
            let notifications = Notifications(database: database, clock: clock)
            #expect(try await notifications.unreadCount(userId: companyUser) > 0)
            #expect(try await notifications.unreadCount(userId: gulouUser) > 0)
            // The generated ids continue correctly after the bulk load.
            let estate = try await EstateRepository(database: database, clock: clock).create(
                EstateInput(name: "演示后新增", address: "某路", community: "350102001001", households: "10",
                            floorArea: "1000", ownersShare: "70"), scope: .system)
            #expect(estate.id == 121)
            return try await Self.snapshot(database)
        }
        let second = try await withDatabase(kind) { database in
            try await DemoGenerator(options: Self.smallDemo(), clock: clock).generate(into: database)
            return try await Self.snapshot(database)
        }
        #expect(first.count == 121)
        #expect(Array(first.prefix(120)) == second)
    }

    @Test func sqliteBackupIsAConsistentCopy() async throws {
        try await withDatabase(.sqlite) { database in
            _ = try await World.build(in: database)
            let path = NSTemporaryDirectory() + "ledger-backup-\(UUID().uuidString).sqlite"
            // MUT
            try await DatabaseBackup.copy(database, to: path)
            // validation
            let copy = try await TestDatabase.open(url: "sqlite://" + path)
            let names = try await copy.read { db in
                try await db.raw("SELECT name FROM estates ORDER BY id").all(decodingColumn: "name", as: String.self)
            }
            await copy.close()
            #expect(names == ["东湖花园", "洋中新村"])
            await #expect(throws: LedgerError.self) { try await DatabaseBackup.copy(database, to: path) }
        }
    }

    @Test(.enabled(if: TestDatabase.postgresURL == nil, "PostgreSQL is configured; its storage tests ran"))
    func postgresStorageTestsWereSkipped() {
        // Reported so that a run without LEDGER_TEST_POSTGRES_URL says plainly that PostgreSQL was not exercised.
        print("⚠️  LEDGER_TEST_POSTGRES_URL is not set: storage tests skipped PostgreSQL and ran on SQLite only.")
        #expect(TestDatabase.available == [.sqlite])
    }
}
