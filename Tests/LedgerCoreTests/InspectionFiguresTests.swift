import Foundation
import LedgerCore
import LedgerTestSupport
import SQLKit
import Testing

/// What is counted from inspections — the ledgers' rows, the 情况汇总表's 全面排查 and 督导检查, the dashboard's city field
/// rate, street coverage and cross-inspection reports — each against counts taken straight from the tables.
@Suite struct InspectionFiguresTests {
    static let kinds = TestDatabase.available

    static func answers(failing: String? = nil) -> [String: InspectionRecords.Answer] {
        var answers = Dictionary(uniqueKeysWithValues: Checklist.items.map { ($0.code, InspectionRecords.Answer(.conforms)) })
        if let failing { answers[failing] = .init(.fails, note: "停车费收入存入物业公司基本户") }
        return answers
    }

    /// County A's estate: a city spot check (city plan, 100%) on 11-05 that finds no account; B's estate: a street
    /// officer's visit on 11-06. A cross round for 2024 Q4 with A's report filed (one finding in B) and B's pending.
    static func inspected(_ world: World) async throws -> (plan: Int64, record: Int64, problem: Int64) {
        let city = CrossInspectionTests.city(world)
        // The plan is published and drawn on 1 November, before the visits (a visit never predates its draw).
        let now = world.clock.now()
        world.clock.set(Date(timeIntervalSince1970: 1_730_419_200))
        let plans = InspectionPlans(database: world.database, clock: world.clock)
        // Two inspectors of the city: every drawn estate is sent two.
        for name in ["市检查员甲", "市检查员乙"] {
            try await Inspectors(database: world.database, clock: world.clock).add(.init(regionCode: "350100", name: name, organisation: "福州市住建局"), scope: city)
        }
        let plan = try await plans.publish(.init(regionCode: "350100", year: 2024, ratio: "100", seedSource: "双色球2024年10月8日开奖号码"), scope: city)
        try await plans.draw(plan, seed: "01 02 03 04 05 06 07", scope: city)
        world.clock.set(now)
        let records = InspectionRecords(database: world.database, clock: world.clock)
        let (record, raised) = try await records.record(.init(estateId: world.a.estate.id, planId: plan, inspectedOn: "2024-11-05",
                                                              answers: answers(failing: "account_used")), scope: city)
        _ = try await records.record(.init(estateId: world.b.estate.id, inspectedOn: "2024-11-06", answers: answers()), scope: world.b.users[.street]!.scope)
        let round = try await CrossInspectionTests.drawnRound(world)
        let group = round.groups.first { $0.inspecting.code == world.a.county.code }!
        _ = try await CrossInspections(database: world.database, clock: world.clock).file(group.id, CrossInspectionTests.validReport(
            estates: [world.b.estate.id], findings: [.init(estate: "\(world.b.estate.id)", category: "service_room_use", description: "物业用房出租")]),
            scope: world.a.users[.regulator]!.scope)
        return (plan, record, raised[0])
    }

    static func count(_ database: Database, _ sql: SQLQueryString) async throws -> Int {
        try await database.read { try await $0.raw(sql).first(decodingColumn: "n", as: Int.self) ?? -1 }
    }

    // MARK: Tests

    @Test(arguments: kinds)
    func ledgersHaveTheirColumnsAndARowPerInspection(kind: TestDatabase.Kind) async throws {
        try await withDatabase(kind) { database in
            let world = try await World.build(in: database)
            _ = try await Self.inspected(world)
            let ledgers = InspectionLedgers(database: database, clock: world.clock)
            let city = CrossInspectionTests.city(world)
            let region = try await ledgers.region("350100", scope: city)
            let november = try ledgers.period(from: "2024-11-01", until: "2024-11-19")
            #expect(november.title == "2024年11月" && november.fileLabel == "2024-11")
            let cumulative = try ledgers.period(from: nil, until: nil)
            #expect(cumulative.fileLabel == "累计至2024-11-19" && cumulative.title == "累计（截至2024年11月19日）")
            #expect(throws: LedgerError.self) { try ledgers.period(from: "2024-11-30", until: "2024-11-01") }
            // MUT
            var work: [InspectionLedgers.Entry] = [], spot: [InspectionLedgers.Entry] = [], october: [InspectionLedgers.Entry] = []
            try await ledgers.forEach(region: region, period: november, crossInspections: true, scope: city) { work.append($0) }
            try await ledgers.forEach(region: region, period: cumulative, crossInspections: false, scope: city) { spot.append($0) }
            try await ledgers.forEach(region: region, period: try ledgers.period(from: "2024-10-01", until: "2024-10-31"), crossInspections: true,
                                      scope: city) { october.append($0) }
            // validation: the two records and the cross inspection's estate, in date order; the spot-check ledger has the records only.
            let records = try await Self.count(database, "SELECT COUNT(*) AS n FROM inspection_records")
            let crossEstates = try await Self.count(database, "SELECT COUNT(*) AS n FROM cross_inspection_estates")
            #expect(work.count == records + crossEstates && spot.count == records && october.isEmpty)
            #expect(work.map(\.date) == ["2024-11-05", "2024-11-06", "2024-11-12至2024-11-13"])
            #expect(work[0].estate == world.a.estate.name && work[0].county == world.a.county.name && work[0].street == world.a.street.name)
            #expect(work[0].method == "双随机抽查（市级计划）" && work[0].target == "随机抽取" && work[0].problems == 1 && work[0].rectification.hasPrefix("整改中"))
            #expect(work[1].method == "日常检查" && work[1].rectification == "无需整改")
            #expect(work[2].method == "交叉检查" && work[2].unit == "鼓楼区交叉检查组" && work[2].problems == 1 && work[2].findings.contains("物业用房出租"))
            let layout = InspectionLedgers.workLayout(unit: region.name, period: november, filledOn: Day("2024-11-19")!)
            #expect(layout.headers == ["序号", "检查日期", "县（市、区）", "街道（乡镇）", "小区名称", "物业服务企业", "检查单位", "检查人员", "检查方式",
                                       "检查事项", "发现问题", "问题数", "整改情况", "备注"])
            let row = LedgerLayout<InspectionLedgers.Entry>.text(layout.row(work[0], 1))
            #expect(row[0] == "1" && row[1] == "2024-11-05" && row[4] == world.a.estate.name && row[11] == "1"
                    && row[9] == "检查清单9项：符合8项、不符合1项、不适用0项")
            let spotLayout = InspectionLedgers.spotCheckLayout(unit: region.name, period: cumulative, filledOn: Day("2024-11-19")!)
            #expect(spotLayout.headers.count == 16 && spotLayout.headers[8] == "公共收益公示情况" && spotLayout.headers[7] == "核实对象")
            let spotRow = LedgerLayout<InspectionLedgers.Entry>.text(spotLayout.row(spot[0], 1))
            #expect(spotRow[8] == "符合" && spotRow[9].hasPrefix("不符合：设立并使用公共收益专户") && spotRow[5] == "2024-11-05")
            // The workbook, read back: title, the unit and period line, the header.
            let stream = try XLSXStream(layout)
            for entry in work { try stream.append(entry) }
            let url = try stream.finish()
            defer { try? FileManager.default.removeItem(at: url) }
            let book = try await Openpyxl.read(try Data(contentsOf: url))
            #expect(book.text("检查工作台账", "A1") == "福州市物业小区公共收益专项整治检查工作台账")
            #expect(book.text("检查工作台账", "A2")?.contains("统计期间：2024年11月") == true && book.text("检查工作台账", "N3") == "备注")
            #expect(book.text("检查工作台账", "E4") == world.a.estate.name && book.text("检查工作台账", "I6") == "交叉检查")
            // Scoped: county A's ledger has A's record only; B's region is not A's to read.
            var own: [InspectionLedgers.Entry] = []
            let regulatorA = world.a.users[.regulator]!.scope
            try await ledgers.forEach(region: try await ledgers.region("", scope: regulatorA), period: cumulative, crossInspections: true, scope: regulatorA) {
                own.append($0)
            }
            #expect(own.map(\.estate) == [world.a.estate.name])
            await #expect(throws: LedgerError.self) { try await ledgers.region(world.b.county.code, scope: regulatorA) }
            // The 主管部门's and the 镇（街道）'s ledgers: the city's visit and the county's cross inspection; the street officer's visit.
            var department: [InspectionLedgers.Entry] = [], street: [InspectionLedgers.Entry] = []
            try await ledgers.forEach(region: region, period: november, crossInspections: true, tier: .department, scope: city) { department.append($0) }
            try await ledgers.forEach(region: region, period: november, crossInspections: true, tier: .street, scope: city) { street.append($0) }
            #expect(department.map(\.date) == ["2024-11-05", "2024-11-12至2024-11-13"] && street.map(\.date) == ["2024-11-06"])
            #expect(InspectionLedgers.workLayout(unit: "福州市", period: november, filledOn: Day("2024-11-19")!, tier: .street).sheet.name == "镇（街道）检查工作台账")
        }
    }

    /// 双公示: a row per penalty and per inspection record in the region and period, naming companies and never a person.
    @Test(arguments: kinds)
    func doublePublicityHasARowPerPenaltyAndPerInspection(kind: TestDatabase.Kind) async throws {
        try await withDatabase(kind) { database in
            let world = try await World.build(in: database)
            _ = try await Self.inspected(world)
            try await Enforcement(database: database, clock: world.clock).record(companyId: world.a.company.id, EnforcementInput(
                kind: .penalty, decidedOn: "2024-11-10", basis: "《福建省物业管理条例》第七十九条", documentNumber: "鼓住建罚〔2024〕1号",
                note: "擅自将共有部分出租经营，收益未入公共收益专户"), scope: world.a.users[.regulator]!.scope)
            try await Enforcement(database: database, clock: world.clock).record(companyId: world.a.company.id, EnforcementInput(
                kind: .interview, decidedOn: "2024-11-11", basis: "约谈", documentNumber: "鼓住建约〔2024〕1号"), scope: world.a.users[.regulator]!.scope)
            let ledgers = InspectionLedgers(database: database, clock: world.clock)
            let publicity = DoublePublicity(database: database)
            let city = CrossInspectionTests.city(world)
            let region = try await ledgers.region("350100", scope: city)
            let november = try ledgers.period(from: "2024-11-01", until: "2024-11-19")
            let penalties = try await publicity.penalties(region: region, period: november, scope: city)
            #expect(penalties.map(\.documentNumber) == ["鼓住建罚〔2024〕1号"] && penalties[0].uscc == world.a.company.uscc
                    && penalties[0].authority == "鼓楼区住房和城乡建设局")
            #expect(try await publicity.penalties(region: region, period: try ledgers.period(from: "2024-10-01", until: "2024-10-31"), scope: city).isEmpty)
            let inspections = try await publicity.inspections(region: region, period: november, scope: city)
            let counted = try await Self.count(database, "SELECT COUNT(*) AS n FROM inspection_records WHERE inspected_on >= '2024-11-01'")
            #expect(inspections.count == counted && counted == 2)
            let spot = try #require(inspections.first { $0.kind == "双随机抽查" })
            #expect(spot.company == world.a.company.name && spot.result.hasPrefix("发现问题1项") && spot.authority == "福州市住房和城乡建设局")
            #expect(inspections.first { $0.kind == "日常检查" }?.result == "未发现问题")
            let cells = DoublePublicity.inspectionLayout(unit: "福州市住房和城乡建设局").row(spot, 1)
            #expect(cells.count == DoublePublicity.inspectionHeaders.count)
            // County B's regulator sees nothing of the city's.
            await #expect(throws: LedgerError.self) {
                try await publicity.penalties(region: region, period: november, scope: world.b.users[.regulator]!.scope)
            }
        }
    }

    @Test(arguments: kinds)
    func summaryReportCountsScreenedEstatesAndSupervisionFromRecords(kind: TestDatabase.Kind) async throws {
        try await withDatabase(kind) { database in
            let world = try await World.build(in: database)
            let (_, _, problem) = try await Self.inspected(world)
            let report = SummaryReport(database: database, clock: world.clock)
            let (from, until) = try report.period(from: "2024-11-01", until: "2024-11-19")
            // MUT
            let open = try await report.build(regionCode: "350100", from: from, until: until, scope: .system)
            try await database.transaction { db in
                try await db.raw("UPDATE problems SET status = 'closed', outcome = 'fixed' WHERE id = \(bind: problem)").run()
                // Audited, as every write is: the report is kept (`ListCache`) until an audit entry concerns its region.
                try await AuditLog.record(on: db, scope: .system, at: world.clock.now(), action: "close", entity: "problem", entityId: "\(problem)",
                                          regionPath: nil)
            }
            let fixed = try await report.build(regionCode: "350100", from: from, until: until, scope: .system)
            let october = try await report.build(regionCode: "350100", from: Day("2024-10-01")!, until: Day("2024-10-31")!, scope: .system)
            // validation: 全面排查 小区数 per county from the records, not the registry.
            let screenedA = try await Self.count(database, """
                SELECT COUNT(DISTINCT estate_id) AS n FROM inspection_records WHERE region_path LIKE \(bind: world.a.county.path + "%")
                AND inspected_on BETWEEN '2024-11-01' AND '2024-11-19'
                """)
            #expect(open.rows.map { $0.a[0] } == [screenedA, 1] && open.total.a[0] == 2)
            #expect(october.rows.map { $0.a[0] } == [0, 0], "no inspection in October: nothing screened, although both estates are registered")
            // 督导检查: 次数, 小区数, 发现问题小区数, 完成整改小区数.
            let visits = try await Self.count(database, "SELECT COUNT(*) AS n FROM inspection_records WHERE inspected_on BETWEEN '2024-11-01' AND '2024-11-19'")
            let failing = try await Self.count(database, "SELECT COUNT(DISTINCT estate_id) AS n FROM inspection_records WHERE failed > 0")
            #expect(Array(open.c.prefix(4)) == [visits, 2, failing, 0])
            #expect(Array(fixed.c.prefix(4)) == [visits, 2, failing, 1])
            #expect(Array(october.c.prefix(4)) == [0, 0, 0, 0])
        }
    }

    @Test(arguments: kinds)
    func dashboardInspectionFiguresEqualCountsFromTheTables(kind: TestDatabase.Kind) async throws {
        try await withDatabase(kind) { database in
            let world = try await World.build(in: database)
            _ = try await Self.inspected(world)
            // A county with no estates.
            let empty = try await database.transaction { db in
                try await RegionDirectory.insert(on: db, code: "350104", name: "仓山区", level: .county, parentPath: "/350000/350100/")
            }
            let dashboard = Dashboard(database: database, clock: world.clock)
            let q4 = Quarter(year: 2024, quarter: 4)!
            // MUT
            let city = try await dashboard.view(regionCode: "350100", quarter: q4, scope: .system)
            let none = try await dashboard.view(regionCode: empty.code, quarter: q4, scope: .system)
            // validation
            func kpi(_ view: Dashboard.View, _ key: String) throws -> Dashboard.KPI { try #require(view.kpis.first { $0.key == key }) }
            let estates = try await Self.count(database, "SELECT COUNT(*) AS n FROM estates")
            let byCity = try await Self.count(database, """
                SELECT COUNT(DISTINCT ir.estate_id) AS n FROM inspection_records ir JOIN inspection_plans p ON p.id = ir.plan_id
                JOIN regions r ON r.code = p.region_code WHERE r.level = 'city' AND ir.inspected_on LIKE '2024-%'
                """)
            let byStreet = try await Self.count(database, """
                SELECT COUNT(DISTINCT ir.estate_id) AS n FROM inspection_records ir JOIN users u ON u.username = ir.recorded_by
                JOIN regions r ON r.code = u.region_code WHERE r.level = 'street' AND ir.plan_id IS NULL AND ir.inspected_on LIKE '2024-%'
                """)
            let groups = try await Self.count(database, "SELECT COUNT(*) AS n FROM cross_inspection_groups")
            let filed = try await Self.count(database, "SELECT COUNT(*) AS n FROM cross_inspection_groups WHERE status = 'filed'")
            let cityCheck = try kpi(city, "cityCheck"), street = try kpi(city, "streetCoverage"), reports = try kpi(city, "crossInspection")
            #expect(cityCheck.numerator == byCity && cityCheck.denominator == estates && byCity == 1 && cityCheck.value == 0.5 && cityCheck.target == 0.15)
            #expect(street.numerator == byStreet && street.denominator == estates && byStreet == 1 && street.target == 1)
            #expect(reports.numerator == filed && reports.denominator == groups && reports.value == 0.5 && reports.target == 1)
            #expect(try kpi(city, "spotCheck").numerator == 2, "the annual verification rate still counts every record")
            // Per county: A filed its report, B has not; B's estate is the one a street covered.
            let a = try #require(city.units.first { $0.code == world.a.county.code }), b = try #require(city.units.first { $0.code == world.b.county.code })
            #expect(a.figures.crossFiled == 1 && a.figures.crossDue == 1 && b.figures.crossFiled == 0 && b.figures.crossDue == 1)
            #expect(a.figures.cityChecked == 1 && b.figures.streetCovered == 1 && b.figures.cityChecked == 0)
            // Nothing due: "—" (nil), never 0.
            for key in ["spotCheck", "cityCheck", "streetCoverage", "crossInspection"] {
                #expect(try kpi(none, key).value == nil, "\(key) in a county with no estates")
            }
        }
    }
}
