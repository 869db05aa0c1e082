import Foundation
@testable import LedgerCore
import LedgerTestSupport
import SQLKit
import Testing

/// The dashboard's figures, drill-down, ranking and refusals, and the 情况汇总表 read back from its XLSX, each checked
/// against counts taken from the database independently.
@Suite struct DashboardTests {
    static let kinds = TestDatabase.available
    static let q3 = Quarter(year: 2024, quarter: 3)!

    /// County A files Q3 on time and B does not; two complaints in Q3 (one fixed), problems and enforcement in A.
    static func seeded(_ database: Database) async throws -> World {
        let world = try await World.build(in: database)
        let now = world.clock.now()
        world.clock.set(Timestamp.parse("2024-09-15T02:00:00Z")!)
        let desk = Complaints(database: database, clock: world.clock, filesDirectory: NSTemporaryDirectory())
        let street = world.a.users[.street]!.scope
        var codes: [String] = []
        for (index, category) in ["revenue_ratio", "service_contract"].enumerated() {
            codes.append(try await desk.file(ComplaintInput(estateId: world.a.estate.id, category: category, content: "这是第\(index + 1)条测试投诉内容。"),
                                             uploads: [], address: "203.0.113.\(index)"))
        }
        let firstCode = codes[0]
        let first = try await database.read { db in
            try await db.raw("SELECT id FROM complaints WHERE tracking_code = \(bind: firstCode)").first(decodingColumn: "id", as: Int64.self)!
        }
        try await desk.act(.assign, on: first, ComplaintStep(), scope: street)
        try await desk.act(.close, on: first, ComplaintStep(note: "已整改", outcome: .fixed, reply: "已责令物业公司整改到位"), scope: street)
        let problems = Problems(database: database, clock: world.clock, filesDirectory: NSTemporaryDirectory())
        let regulator = world.a.users[.regulator]!.scope
        _ = try await problems.create(ProblemInput(estateId: world.a.estate.id, category: "revenue_ratio", description: "分成比例偏低"), scope: regulator)
        let room = try await problems.create(ProblemInput(estateId: world.a.estate.id, category: "service_room_use", description: "用房出租"), scope: regulator)
        try await problems.act(.rectify, on: room, note: "已收回", uploads: [.init(filename: "a.pdf", bytes: Array("%PDF-1.4".utf8))],
                               scope: world.a.users[.company]!.scope)
        try await problems.act(.accept, on: room, note: "核验", scope: regulator)
        try await Enforcement(database: database, clock: world.clock).record(
            companyId: world.a.company.id, EnforcementInput(kind: .penalty, decidedOn: "2024-09-15", basis: "《物业管理条例》", documentNumber: "罚〔2024〕1号"),
            scope: regulator)
        world.clock.set(Timestamp.parse("2024-10-10T02:00:00Z")!)
        _ = try await DisclosureRepository(database: database, clock: world.clock)
            .publish(estateId: world.a.estate.id, quarter: q3, document: DisclosureSamples.valid(), reason: nil, scope: world.a.users[.company]!.scope)
        world.clock.set(now)
        return world
    }

    @Test(arguments: kinds)
    func figuresDrillDownAndRanking(kind: TestDatabase.Kind) async throws {
        try await withDatabase(kind) { database in
            let world = try await Self.seeded(database)
            let dashboard = Dashboard(database: database, clock: world.clock)
            let city = try await dashboard.view(regionCode: "350100", quarter: Self.q3, scope: .system)
            let f = city.figures
            #expect(f.estates == 2 && f.due == 2 && f.onTime == 1 && f.onTimeRate == 0.5)
            #expect(f.accountRate == 0 && f.committeeRate == 0)
            #expect(f.complaintsReceived == 2 && f.complaintsClosed == 1 && f.complaintsFixed == 1 && f.closureRate == 0.5)
            #expect(f.problemsFound == 2 && f.problemsRectified == 1 && f.putRightFound == 1 && f.putRight == 1)
            #expect(city.units.map(\.code) == [world.a.county.code, world.b.county.code])
            #expect(city.units.allSatisfy { $0.rank == nil }, "one estate each: below the default minimum of 5")
            #expect(city.kpis.first { $0.key == "spotCheck" }?.value == 0 && city.kpis.first { $0.key == "spotCheck" }?.target == 0.5)
            // A smaller minimum for the city ranks them; the write is audited, so the cached figures are recomputed.
            try await RegionSettings(database: database, clock: world.clock).set(regionCode: "350100", key: "ranking.min_sample", value: "1", scope: .system)
            let ranked = try await dashboard.view(regionCode: "350100", quarter: Self.q3, scope: .system)
            #expect(ranked.units.map(\.rank) == [1, 2])
            // At community level the units are the estates.
            let community = try await dashboard.view(regionCode: world.a.community.code, quarter: Self.q3, scope: world.a.users[.regulator]!.scope)
            #expect(community.units.map(\.code) == ["\(world.a.estate.id)"] && community.units[0].kind == "estate")
            #expect(community.trend.count == 8 && community.trend.last?.onTimeRate == 1)
            // Refusals.
            await #expect(throws: LedgerError.notFound("行政区划")) {
                try await dashboard.view(regionCode: world.b.county.code, quarter: Self.q3, scope: world.a.users[.regulator]!.scope)
            }
            await #expect(throws: LedgerError.forbidden) {
                try await dashboard.view(regionCode: world.a.county.code, quarter: Self.q3, scope: world.a.users[.company]!.scope)
            }
            #expect(throws: LedgerError.self) { try dashboard.quarter(year: "2024", quarter: "4") }
            #expect(throws: LedgerError.self) { try dashboard.quarter(year: "2024", quarter: "5") }
            #expect(try dashboard.quarter(year: "2024", quarter: nil) == Self.q3, "the year alone: its last quarter that has ended")
            #expect(try dashboard.quarter(year: nil, quarter: "4") == Quarter(year: 2023, quarter: 4)!, "the quarter alone: its latest that has ended")
            #expect(throws: LedgerError.self) { try dashboard.quarter(year: "2025", quarter: nil) }
            #expect(try dashboard.quarter(year: nil, quarter: nil) == Self.q3)
        }
    }

    /// The credit block: grades of the companies managing estates per sub-region, the black-listed among them, and the
    /// quarter's events — each equal to what the credit file and the tables say.
    @Test(arguments: kinds)
    func creditBlockCountsGradesBlackListedCompaniesAndTheQuartersEvents(kind: TestDatabase.Kind) async throws {
        try await withDatabase(kind) { database in
            let world = try await World.build(in: database)
            let credit = CreditFile(database: database, clock: world.clock)
            try await credit.record(companyId: world.a.company.id, rule: "C10", occurredOn: "2024-08-01", documentNumber: "鼓住建〔2024〕8号",
                                    note: "拒不配合检查", scope: world.a.users[.regulator]!.scope)
            try await credit.record(companyId: world.a.company.id, rule: "G02", occurredOn: "2024-10-08", documentNumber: "鼓住建〔2024〕9号",
                                    note: "主动整改", scope: world.a.users[.regulator]!.scope)
            try await credit.decide(.black, companyId: world.b.company.id, reason: "侵占公共收益拒不退还", documentNumber: "台住建〔2024〕3号",
                                    decidedOn: "2024-09-01", until: "2025-09-01", scope: world.b.users[.regulator]!.scope)
            let dashboard = Dashboard(database: database, clock: world.clock)
            let city = try await dashboard.view(regionCode: "350100", quarter: Quarter(year: 2024, quarter: 3)!, scope: .system).credit
            let scores = try await credit.scores()
            let unitA = try #require(city.units.first { $0.code == world.a.county.code })
            #expect(unitA.companies == 1 && unitA.grades == [scores[world.a.company.id]!.grade.rawValue: 1])
            #expect(city.blackListed.map(\.companyId) == [world.b.company.id] && city.blackListed[0].estates == 1)
            // Q3 has the bad event only (the good one is in Q4); county A alone sees no black-listed company.
            #expect(city.badEvents == 1 && city.goodEvents == 0)
            let countyA = try await dashboard.view(regionCode: world.a.county.code, quarter: Quarter(year: 2024, quarter: 3)!, scope: .system).credit
            #expect(countyA.blackListed.isEmpty && countyA.badEvents == 1)
            let countyB = try await dashboard.view(regionCode: world.b.county.code, quarter: Quarter(year: 2024, quarter: 3)!, scope: .system).credit
            #expect(countyB.badEvents == 0 && countyB.blackListed.count == 1)
        }
    }

    @Test(arguments: kinds)
    func summaryReportCellsMatchTheDatabase(kind: TestDatabase.Kind) async throws {
        try await withDatabase(kind) { database in
            let world = try await Self.seeded(database)
            let report = SummaryReport(database: database, clock: world.clock)
            let (from, until) = try report.period(from: "2024-07-01", until: "2024-09-30")
            let sheet = "情况汇总表"
            // Independent counts from the database.
            func count(_ sql: SQLQueryString) async throws -> Int {
                try await database.read { try await $0.raw(sql).first(decodingColumn: "n", as: Int.self) ?? -1 }
            }
            let aPath = world.a.county.path
            // 全面排查 小区数: the estates with an inspection record in the period (A's, visited on 9 September).
            var answers = Dictionary(uniqueKeysWithValues: Checklist.items.map { ($0.code, InspectionRecords.Answer(.conforms)) })
            answers["account_used"] = .init(.fails, note: "未设专户")
            try await InspectionRecords(database: database, clock: world.clock)
                .record(.init(estateId: world.a.estate.id, inspectedOn: "2024-09-09", answers: answers), scope: world.a.users[.regulator]!.scope)
            let result = try await report.build(regionCode: "350100", from: from, until: until, scope: .system)
            let book = try await Openpyxl.read(try SummaryReport.xlsx(result))
            let estatesA = try await count("""
                SELECT COUNT(DISTINCT estate_id) AS n FROM inspection_records WHERE region_path LIKE \(bind: aPath + "%")
                AND inspected_on BETWEEN '2024-07-01' AND '2024-09-30'
                """)
            let visits = try await count("SELECT COUNT(*) AS n FROM inspection_records WHERE inspected_on BETWEEN '2024-07-01' AND '2024-09-30'")
            let withProblemsA = try await count("SELECT COUNT(DISTINCT estate_id) AS n FROM problems WHERE region_path LIKE \(bind: aPath + "%")")
            let penaltiesA = try await count("SELECT COUNT(DISTINCT company_id) AS n FROM enforcement_actions WHERE kind = 'penalty' AND region_path LIKE \(bind: aPath + "%")")
            let received = try await count("SELECT COUNT(*) AS n FROM complaints")
            let closed = try await count("SELECT COUNT(*) AS n FROM complaints WHERE status = 'closed'")
            #expect(book.text(sheet, "A1") == "福州市“整治物业服务履约不到位、侵占业主公共收益等问题”情况汇总表")
            // Block A: header rows 3–6, then 鼓楼区, 台江区, 合计 in rows 7–9.
            #expect(book.text(sheet, "A3") == "辖区" && book.text(sheet, "B3") == "排查情况" && book.text(sheet, "K6") == "违规侵占小区公共收益")
            #expect(Set(["A3:A6", "B3:O3", "B4:C4", "D4:D6", "E4:O4", "E5:H5", "I5:K5", "L5:O5"]).isSubset(of: Set(book.merges[sheet] ?? [])))
            #expect(book.text(sheet, "A7") == "鼓楼区" && book.text(sheet, "A9") == "合计")
            #expect(book.cells[sheet]?["B7"] == ["int", "\(estatesA)"] && book.cells[sheet]?["D7"] == ["int", "\(withProblemsA)"])
            #expect(book.cells[sheet]?["K7"] == ["int", "1"] && book.cells[sheet]?["L7"] == ["int", "1"], "违规侵占 and 擅自改变用房 each in one estate")
            #expect(book.cells[sheet]?["B9"] == ["int", "1"] && book.cells[sheet]?["B8"] == ["int", "0"], "合计: the one estate screened")
            // Block B: header rows 11–14, data 15–17.
            #expect(book.text(sheet, "B11") == "整改情况" && book.text(sheet, "P13") == "行政处罚企业数")
            #expect(book.cells[sheet]?["B15"] == ["int", "0"], "one of A's two problems is still open")
            #expect(book.cells[sheet]?["J15"] == ["int", "1"], "擅自改变用房: put right")
            #expect(book.cells[sheet]?["P15"] == ["int", "\(penaltiesA)"] && book.text(sheet, "O15") == "—", "重新核级 is not recorded")
            // Block C: header rows 19–21, data row 22.
            #expect(book.text(sheet, "A19") == "督导检查情况" && book.text(sheet, "E20") == "县级受理" && book.cells[sheet]?["A22"] == ["int", "\(visits)"])
            #expect(book.cells[sheet]?["B22"] == ["int", "1"] && book.cells[sheet]?["C22"] == ["int", "1"] && book.cells[sheet]?["D22"] == ["int", "0"],
                    "督导检查: one estate visited, with a problem not yet put right")
            #expect(book.cells[sheet]?["E22"] == ["int", "\(received)"] && book.cells[sheet]?["F22"] == ["int", "\(closed)"])
            #expect(book.cells[sheet]?["G22"] == ["int", "0"])
            // Bad periods.
            #expect(throws: LedgerError.self) { try report.period(from: "2024-13-01", until: nil) }
            #expect(throws: LedgerError.self) { try report.period(from: "2024-10-01", until: "2024-09-01") }
            #expect(throws: LedgerError.self) { try report.period(from: "2024-10-01", until: "2030-01-01") }
            await #expect(throws: LedgerError.notFound("行政区划")) {
                try await report.build(regionCode: world.b.county.code, from: from, until: until, scope: world.a.users[.regulator]!.scope)
            }
        }
    }

    /// The cache is stamped per region (issue #16 item 5): a write in county B leaves county A's figures warm, and
    /// recomputes B's and the city's; a write in A recomputes A.
    @Test(arguments: kinds)
    func aWriteInOneDistrictLeavesTheOthersFiguresWarm(kind: TestDatabase.Kind) async throws {
        try await withDatabase(kind) { database in
            // setup
            let world = try await World.build(in: database)
            let cache = DashboardCache()
            let dashboard = Dashboard(database: database, clock: world.clock, cache: cache)
            let problems = Problems(database: database, clock: world.clock, filesDirectory: NSTemporaryDirectory())
            func view(_ code: String) async throws -> Dashboard.View {
                try await dashboard.view(regionCode: code, quarter: Self.q3, scope: .system)
            }
            let before = try await view(world.a.county.code)
            _ = try await view(world.b.county.code)
            _ = try await view("350100")
            #expect(await cache.misses == 3)
            _ = try await view(world.a.county.code)
            #expect(await cache.misses == 3, "unchanged: served from the cache")
            // MUT: a problem in county B
            _ = try await problems.create(ProblemInput(estateId: world.b.estate.id, category: "revenue_no_account", description: "未设专户"),
                                          scope: world.b.users[.regulator]!.scope)
            // validation
            let after = try await view(world.a.county.code)
            #expect(await cache.misses == 3 && after.figures == before.figures, "A is warm")
            _ = try await view(world.b.county.code)
            _ = try await view("350100")
            #expect(await cache.misses == 5, "B and the city were recomputed")
            _ = try await problems.create(ProblemInput(estateId: world.a.estate.id, category: "revenue_no_account", description: "未设专户"),
                                          scope: world.a.users[.regulator]!.scope)
            _ = try await view(world.a.county.code)
            #expect(await cache.misses == 6, "A was recomputed")
        }
    }

    /// A city and a province are summed from their districts' cached parts (issue #16 item 5). After each write of a
    /// random sequence (complaints filed and closed, problems raised, a quarter published, in either district) the sums
    /// equal a count of the rows themselves, district by district and in the trend, and only the district written in
    /// is counted again. Run twice: the missing parts counted from their own paths, their estates' accounts, committees
    /// and contracts looked up by id; and from one pass over the whole city that leaves out the rows of the parts found
    /// (`Dashboard.countWholeSubtreeAbove`), joining those tables (`Dashboard.lookUpByIdUpTo`).
    @Test(arguments: kinds, [24, 0])
    func summedFiguresEqualARecountFromTheRowsAfterRandomWrites(kind: TestDatabase.Kind, wholeSubtreeAbove: Int) async throws {
        try await Dashboard.$countWholeSubtreeAbove.withValue(wholeSubtreeAbove) { try await Dashboard.$lookUpByIdUpTo.withValue(wholeSubtreeAbove * 100) {
        try await withDatabase(kind) { database in
            // setup
            let world = try await World.build(in: database)
            world.clock.set(Timestamp.parse("2024-10-10T02:00:00Z")!)
            let q4 = Quarter(year: 2024, quarter: 4)!, today = Day(Timestamp.shanghaiDay(world.clock.now()))!
            let cache = DashboardCache()
            let dashboard = Dashboard(database: database, clock: world.clock, cache: cache)
            let desk = Complaints(database: database, clock: world.clock, filesDirectory: NSTemporaryDirectory())
            let problems = Problems(database: database, clock: world.clock, filesDirectory: NSTemporaryDirectory())
            let cityPath = world.a.county.path.split(separator: "/").prefix(2).map { "/\($0)" }.joined() + "/"
            // A second street in district A, with an estate of its own: a write in A's first street leaves it warm.
            let (secondStreet, secondCommunity) = try await database.transaction { db in
                let street = try await RegionDirectory.insert(on: db, code: world.a.county.code + "002", name: "温泉街道", level: .street,
                                                              parentPath: world.a.county.path)
                return (street, try await RegionDirectory.insert(on: db, code: street.code + "001", name: "温泉社区", level: .community,
                                                                 parentPath: street.path))
            }
            _ = try await EstateRepository(database: database, clock: world.clock).create(
                EstateInput(name: "温泉花园", address: "鼓楼区温泉路2号", community: secondCommunity.code, households: "200", floorArea: "20000",
                            ownersShare: "70"), scope: .system)
            // An account open in A and a committee in term in B at Q4's end: counted by id and by join alike.
            try await database.transaction { db in
                try await db.raw("""
                    INSERT INTO dedicated_accounts (estate_id, bank, account_number, opened_on, created_at)
                    VALUES (\(bind: world.a.estate.id), '测试银行', '6222000011112222', '2024-06-30', '2024-01-01T00:00:00Z')
                    """).run()
                try await db.raw("""
                    INSERT INTO committees (estate_id, kind, chair_name, term_start, term_end, created_at)
                    VALUES (\(bind: world.b.estate.id), '业主委员会', '张主任', '2023-01-01', '2027-12-31', '2024-01-01T00:00:00Z')
                    """).run()
            }
            var random = SeededRandom(seed: 16)
            var published: Set<Int64> = [], filed: [Int64: [String]] = [:]
            for step in 0..<10 {
                // MUT: one write in a district drawn at random
                let side = random.next() % 2 == 0 ? world.a : world.b
                let street = side.users[.street]!.scope
                switch random.next() % 4 {
                case 0 where !published.contains(side.estate.id):
                    _ = try await DisclosureRepository(database: database, clock: world.clock)
                        .publish(estateId: side.estate.id, quarter: Self.q3, document: DisclosureSamples.valid(), reason: nil, scope: side.users[.company]!.scope)
                    published.insert(side.estate.id)
                case 1 where !(filed[side.estate.id] ?? []).isEmpty:
                    let code = filed[side.estate.id]!.removeFirst()
                    let id = try await database.read { db in
                        try await db.raw("SELECT id FROM complaints WHERE tracking_code = \(bind: code)").first(decodingColumn: "id", as: Int64.self)!
                    }
                    try await desk.act(.assign, on: id, ComplaintStep(), scope: street)
                    try await desk.act(.close, on: id, ComplaintStep(note: "已处理", outcome: .fixed, reply: "已责令整改"), scope: street)
                case 2:
                    _ = try await problems.create(ProblemInput(estateId: side.estate.id, category: "revenue_ratio", description: "第\(step)个问题"),
                                                  scope: side.users[.regulator]!.scope)
                default:
                    filed[side.estate.id, default: []].append(try await desk.file(
                        ComplaintInput(estateId: side.estate.id, category: "revenue_ratio", content: "第\(step)条随机测试投诉内容。"),
                        uploads: [], address: "203.0.113.\(step)"))
                }
                // validation: the sums against a count of every row under the city
                let misses = await cache.partMisses
                let city = try await dashboard.view(regionCode: "350100", quarter: q4, scope: .system)
                // The first view counts A, its two streets, B and its street; then a write recounts its street and sums its district.
                #expect(await cache.partMisses - misses == (step == 0 ? 5 : 2), "step \(step): only the street written in is counted again")
                let province = try await dashboard.view(regionCode: "350000", quarter: q4, scope: .system)
                let recount = try await Dashboard.$lookUpByIdUpTo.withValue(2_000) {
                    try await database.read { db in
                        try await Dashboard.tally(.under(cityPath), quarter: q4, today: today, byEstate: false, on: db) { path, _ in
                            String(path.split(separator: "/").dropFirst(2).first ?? "")
                        }
                    }
                }
                #expect(city.figures == recount.total && province.figures == recount.total, "step \(step)")
                #expect(recount.total.withAccount == 1 && recount.total.withCommittee == 1, "step \(step)")
                #expect(city.units.map(\.figures) == city.units.map { recount.units[$0.code] ?? Dashboard.Figures() }, "step \(step)")
                #expect(city.trend.map(\.onTimeRate) == recount.trend.map { Dashboard.Figures.rate($0.onTime, $0.due) }, "step \(step)")
                #expect(city.trend.map(\.closureRate) == recount.trend.map { Dashboard.Figures.rate($0.closed, $0.received) }, "step \(step)")
                // District A is the sum of its streets' parts: each street and the whole against a count of A's rows.
                let district = try await dashboard.view(regionCode: world.a.county.code, quarter: q4, scope: .system)
                let streets = try await Dashboard.$lookUpByIdUpTo.withValue(2_000) {
                    try await database.read { db in
                        try await Dashboard.tally(.under(world.a.county.path), quarter: q4, today: today, byEstate: false, on: db) { path, _ in
                            String(path.split(separator: "/").dropFirst(3).first ?? "")
                        }
                    }
                }
                #expect(district.figures == streets.total && district.units.map(\.code) == [world.a.street.code, secondStreet.code], "step \(step)")
                #expect(district.units.map(\.figures) == district.units.map { streets.units[$0.code] ?? Dashboard.Figures() }, "step \(step)")
                #expect(district.units.last?.figures.estates == 1, "the second street's estate")
            }
            #expect(!published.isEmpty && !filed.isEmpty, "the sequence wrote disclosures and complaints")
        } } }
    }

    /// A restarted server (a new, empty cache) reads the parts kept in the database instead of counting them again
    /// (issue #16 item 5, M0034); after a write in one district only its street and its sum are counted, and the
    /// figures still equal a count of the rows.
    @Test(arguments: kinds)
    func aRestartedServerReadsTheKeptPartsAndCountsOnlyWhatChanged(kind: TestDatabase.Kind) async throws {
        try await withDatabase(kind) { database in
            // setup
            let world = try await World.build(in: database)
            world.clock.set(Timestamp.parse("2024-10-10T02:00:00Z")!)
            let q4 = Quarter(year: 2024, quarter: 4)!, today = Day(Timestamp.shanghaiDay(world.clock.now()))!
            let cityPath = world.a.county.path.split(separator: "/").prefix(2).map { "/\($0)" }.joined() + "/"
            func restarted() -> (Dashboard, DashboardCache) {
                let cache = DashboardCache()
                return (Dashboard(database: database, clock: world.clock, cache: cache), cache)
            }
            func recount() async throws -> Dashboard.Figures {
                try await database.read { db in
                    try await Dashboard.tally(.under(cityPath), quarter: q4, today: today, byEstate: false, on: db) { _, _ in "" }.total
                }
            }
            let (first, firstCache) = restarted()
            let counted = try await first.view(regionCode: "350100", quarter: q4, scope: .system)
            #expect(await firstCache.partsCounted == 4, "districts A and B and their streets")
            let kept = try await database.read { db in try await db.raw("SELECT COUNT(*) AS n FROM dashboard_parts").first(decodingColumn: "n", as: Int.self) }
            #expect(kept == 4)
            // MUT: a restart reads them; then a complaint in district A
            let (second, secondCache) = restarted()
            let read = try await second.view(regionCode: "350100", quarter: q4, scope: .system)
            #expect(await secondCache.partsCounted == 0 && read.figures == counted.figures && read.units.map(\.figures) == counted.units.map(\.figures))
            _ = try await Complaints(database: database, clock: world.clock, filesDirectory: NSTemporaryDirectory())
                .file(ComplaintInput(estateId: world.a.estate.id, category: "revenue_ratio", content: "重启后的一条测试投诉内容。"), uploads: [], address: "203.0.113.9")
            let (third, thirdCache) = restarted()
            let after = try await third.view(regionCode: "350100", quarter: q4, scope: .system)
            // validation
            #expect(await thirdCache.partsCounted == 2, "A's street and A's sum; B is read as kept")
            #expect(after.figures == (try await recount()) && after.figures.complaintsReceived == counted.figures.complaintsReceived + 1)
        }
    }

    /// The daily job counts the dashboard of the quarter it opens on ahead of the day's first view, which then reads
    /// every part as kept: it runs after every job that writes, and a job's start moves no stamp.
    @Test(arguments: kinds)
    func theDailyJobCountsTheDashboardAheadOfTheFirstView(kind: TestDatabase.Kind) async throws {
        try await withDatabase(kind) { database in
            // setup
            let world = try await World.build(in: database)
            world.clock.set(Timestamp.parse("2024-10-10T02:00:00Z")!)
            #expect(DailyJobs.standard.last?.name == "dashboard")
            // MUT: the day's jobs, all of them
            let outcome = await DailyJobs(database: database, clock: world.clock, host: "a").runDue(ignoringHour: true)
            // validation
            #expect(outcome["dashboard"] == .ran("预先统计 1 个省级区划2024年第3季度的监管看板"))
            let cache = DashboardCache()
            let dashboard = Dashboard(database: database, clock: world.clock, cache: cache)
            let view = try await dashboard.view(regionCode: "350000", quarter: dashboard.defaultQuarter(), scope: .system)
            #expect(await cache.partsCounted == 0, "every part read as kept")
            #expect(view.figures.estates == 2)
        }
    }
}
