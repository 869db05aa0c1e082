import Foundation
import LedgerCore
import LedgerTestSupport
import SQLKit
import Testing

/// Filing, publishing, correcting and the transparency log, on every available database.
@Suite struct DisclosureStorageTests {
    static let kinds = TestDatabase.available
    static let q2 = Quarter(year: 2024, quarter: 2)!

    // MARK: Tests

    @Test(arguments: kinds)
    func publishingAppendsToTheLogAndCorrectionsKeepHistory(kind: TestDatabase.Kind) async throws {
        try await withDatabase(kind) { database in
            let world = try await World.build(in: database)
            let repo = DisclosureRepository(database: database, clock: world.clock)
            let company = world.a.users[.company]!.scope
            // MUT
            try await repo.saveDraft(estateId: world.a.estate.id, quarter: Self.q2, document: DisclosureSamples.valid(), scope: company)
            let first = try await repo.publish(estateId: world.a.estate.id, quarter: Self.q2, document: nil, reason: nil, scope: company)
            await #expect(throws: FieldErrors.self) {
                _ = try await repo.publish(estateId: world.a.estate.id, quarter: Self.q2, document: DisclosureSamples.valid(), reason: nil, scope: company)
            }
            var corrected = DisclosureSamples.valid()
            corrected.income[0].amount = "18700.00"
            corrected.distribution = .init(ownersShare: "13090.00", companyShare: "5610.00")
            corrected.display = .init(from: "2024-11-19", until: "2024-12-20")   // a correction is displayed afresh
            let second = try await repo.publish(estateId: world.a.estate.id, quarter: Self.q2, document: corrected, reason: "停车费漏记一笔", scope: company)
            // validation
            #expect(first.version == 1 && first.leafIndex == 0)
            #expect(second.version == 2 && second.leafIndex == 1 && second.reason == "停车费漏记一笔")
            let history = try await DisclosureHistory(database: database).versions(estateId: world.a.estate.id, scope: world.a.users[.regulator]!.scope)
            #expect(history.map(\.incomeFen) == [2_460_000, 2_470_000])
            let head = try await TransparencyLog(database: database).treeHead()
            #expect(head.size == 2)
            let proof = try await TransparencyLog(database: database).inclusionProof(leafHash: first.leafHash, size: 2)
            #expect(Merkle.verifyInclusion(leaf: Data(hex: first.leafHash)!, index: proof.leafIndex, size: 2, path: proof.path,
                                           rootHash: Data(hex: head.rootHash)!))
            let report = try await LogVerifier(database: database).verify()
            #expect(report.ok)
            #expect(report.checkedLeaves == 2 && report.checkedTreeHeads == 2)
        }
    }

    /// Publishing refuses a display period shorter than the region's W02 `days` — the one setting both hold.
    @Test(arguments: kinds)
    func publishingHoldsTheRegionsMinimumDisplayPeriod(kind: TestDatabase.Kind) async throws {
        try await withDatabase(kind) { database in
            let world = try await World.build(in: database)
            let repo = DisclosureRepository(database: database, clock: world.clock)
            let company = world.a.users[.company]!.scope
            try await WarningParameters(database: database, clock: world.clock)
                .set(regionCode: world.a.county.code, rule: "W02", name: "days", value: "60", scope: world.a.users[.regulator]!.scope)
            do {
                _ = try await repo.publish(estateId: world.a.estate.id, quarter: Self.q2, document: DisclosureSamples.valid(), reason: nil, scope: company)
                Issue.record("a display shorter than the region's 60 days was published")
            } catch let errors as FieldErrors {
                #expect(errors.items.contains { $0.code == "display_too_short" && $0.message.contains("不得少于60天") })
            }
            // County B keeps the default 30 days.
            _ = try await repo.publish(estateId: world.b.estate.id, quarter: Self.q2, document: DisclosureSamples.valid(), reason: nil,
                                       scope: world.b.users[.company]!.scope)
        }
    }

    @Test(arguments: kinds)
    func verifyNamesATamperedAmount(kind: TestDatabase.Kind) async throws {
        try await withDatabase(kind) { database in
            let world = try await World.build(in: database)
            let repo = DisclosureRepository(database: database, clock: world.clock)
            let company = world.a.users[.company]!.scope
            for quarter in [1, 2, 3] {
                _ = try await repo.publish(estateId: world.a.estate.id, quarter: Quarter(year: 2024, quarter: quarter)!,
                                           document: DisclosureSamples.valid(), reason: nil, scope: company)
            }
            #expect(try await LogVerifier(database: database).verify().ok)
            // MUT: someone with database access lowers the parking income of 2024 Q2.
            try await database.transaction { db in
                try await db.raw("""
                    UPDATE disclosure_lines SET amount_fen = 1000000 WHERE kind = 'income' AND position = 0
                    AND version_id = (SELECT id FROM disclosure_versions WHERE quarter = 2)
                    """).run()
            }
            // validation
            let report = try await LogVerifier(database: database).verify()
            #expect(!report.ok)
            #expect(report.checkedLeaves == 1)
            #expect(report.firstMismatch?.contains("2024年第2季度") == true)
            #expect(report.firstMismatch?.contains("经营收入") == true)
        }
    }

    @Test(arguments: kinds)
    func filingIsRefusedOutsideTheCompanysEstatesAndPeriods(kind: TestDatabase.Kind) async throws {
        try await withDatabase(kind) { database in
            let world = try await World.build(in: database)
            let repo = DisclosureRepository(database: database, clock: world.clock)
            let company = world.a.users[.company]!.scope
            let before = try await world.fingerprint()
            await #expect(throws: LedgerError.notFound("小区")) {
                try await repo.saveDraft(estateId: world.b.estate.id, quarter: Self.q2, document: DisclosureSamples.valid(), scope: company)
            }
            for (quarter, code) in [(Quarter(year: 2024, quarter: 4)!, "future_quarter"), (Quarter(year: 2019, quarter: 4)!, "before_contract")] {
                do {
                    _ = try await repo.publish(estateId: world.a.estate.id, quarter: quarter, document: DisclosureSamples.valid(), reason: nil, scope: company)
                    Issue.record("\(quarter) accepted")
                } catch let error as LedgerError {
                    #expect(error.code == code)
                }
            }
            await #expect(throws: LedgerError.forbidden) {
                try await repo.saveDraft(estateId: world.a.estate.id, quarter: Self.q2, document: DisclosureSamples.valid(),
                                         scope: world.a.users[.regulator]!.scope)
            }
            var malformed = DisclosureSamples.valid()
            malformed.income[0].amount = "1e3"
            await #expect(throws: FieldErrors.self) {
                _ = try await repo.publish(estateId: world.a.estate.id, quarter: Self.q2, document: malformed, reason: nil, scope: company)
            }
            #expect(try await world.fingerprint() == before)
            #expect(try await TransparencyLog(database: database).treeHead().size == 0)
        }
    }
}

extension DisclosureStorageTests {
    @Test(arguments: kinds)
    func disclosureImportIsAllOrNothing(kind: TestDatabase.Kind) async throws {
        try await withDatabase(kind) { database in
            let world = try await World.build(in: database)
            let importer = DisclosureImport(database: database, clock: world.clock)
            let company = world.a.users[.company]!.scope
            let a = world.a.estate.id, b = world.b.estate.id
            let header = "小区编号,年度,季度,停车费,电梯广告,经营成本,业主分成,企业分成,期初余额,联系人,联系电话,公示开始,公示截止"
            let good1 = "\(a),2024,1,18600.00,6000,6000,13020.00,5580.00,50210.35,王经理,0591-87654321,2024-04-05,2024-05-06"
            let bad = """
                \(header)
                \(good1)
                \(a),2024,2,12.345,0,0,0,0,100,王经理,0591-87654321,2024-07-05,2024-08-05
                \(b),2024,2,100,0,0,70,30,100,王经理,0591-87654321,2024-07-05,2024-08-05
                \(a),2024,3,100,0,0,50,30,100,王经理,0591-87654321,2024-10-05,2024-10-20
                """
            do {
                _ = try await importer.run(csv: bad, scope: company)
                Issue.record("bad import accepted")
            } catch let rejected as ImportRejected {
                #expect(rejected.errors.map(\.line) == [3, 4, 5, 5])
                #expect(rejected.errors[0].field == "income.0.amount")
                #expect(rejected.errors[2].field == "distribution")
                #expect(rejected.errors[3].field == "display.until")
            }
            #expect(try await TransparencyLog(database: database).treeHead().size == 0)
            let good = "\(header)\n\(good1)\n\(a),2024,2,100,0,0,70,30,100,王经理,0591-87654321,2024-07-05,2024-08-05\n"
            #expect(try await importer.run(csv: good, scope: company) == 2)
            #expect(try await LogVerifier(database: database).verify().checkedLeaves == 2)
        }
    }
}

extension DisclosureStorageTests {
    @Test(arguments: kinds)
    func verifyNoticesTheEndOfTheLogWasDeleted(kind: TestDatabase.Kind) async throws {
        try await withDatabase(kind) { database in
            let world = try await World.build(in: database)
            let repo = DisclosureRepository(database: database, clock: world.clock)
            for quarter in [1, 2] {
                _ = try await repo.publish(estateId: world.a.estate.id, quarter: Quarter(year: 2024, quarter: quarter)!,
                                           document: DisclosureSamples.valid(), reason: nil, scope: world.a.users[.company]!.scope)
            }
            try await database.transaction { db in
                try await db.raw("DELETE FROM disclosure_lines WHERE version_id = (SELECT id FROM disclosure_versions WHERE leaf_index = 1)").run()
                try await db.raw("DELETE FROM disclosure_versions WHERE leaf_index = 1").run()
            }
            let report = try await LogVerifier(database: database).verify()
            #expect(report.firstMismatch?.contains("末尾的记录已被删除") == true)
        }
    }

    @Test(arguments: kinds)
    func overdueDraftsCountAsMissing(kind: TestDatabase.Kind) async throws {
        try await withDatabase(kind) { database in
            let world = try await World.build(in: database)
            try await DisclosureRepository(database: database, clock: world.clock).saveDraft(
                estateId: world.a.estate.id, quarter: Self.q2, document: DisclosureDocument(), scope: world.a.users[.company]!.scope)
            let listing = try await DisclosureCalendar(database: database, clock: world.clock)
                .listing(scope: world.a.users[.regulator]!.scope, quarter: Self.q2, states: [.missing], page: 1)
            #expect(listing.page.items.map(\.estateId) == [world.a.estate.id])
            #expect(listing.page.items.first?.draftOverdue == true)
        }
    }
}

extension DisclosureStorageTests {
    /// The upload's 转存账户 column names the target account: 维修资金专户 is stored as the maintenance fund, an unknown
    /// account is refused beside its field, and an empty cell is the dedicated account.
    @Test(arguments: kinds)
    func disclosureImportReadsTheTransferTarget(kind: TestDatabase.Kind) async throws {
        try await withDatabase(kind) { database in
            let world = try await World.build(in: database)
            let importer = DisclosureImport(database: database, clock: world.clock)
            let company = world.a.users[.company]!.scope
            let a = world.a.estate.id
            let header = "小区编号,年度,季度,停车费,经营成本,业主分成,企业分成,转存金额,转存日期,转存账户,期初余额,联系人,联系电话,公示开始,公示截止"
            func row(_ quarter: Int, _ target: String) -> String {
                let from = ["2024-04-05", "2024-07-05", "2024-10-05"][quarter - 1]
                let until = ["2024-05-06", "2024-08-05", "2024-11-05"][quarter - 1]
                return "\(a),2024,\(quarter),1000.00,0,700.00,300.00,700.00,\(from),\(target),0,王经理,0591-87654321,\(from),\(until)"
            }
            do {
                _ = try await importer.run(csv: "\(header)\n\(row(2, "某银行账户"))\n", scope: company)
                Issue.record("an unknown transfer account was accepted")
            } catch let rejected as ImportRejected {
                #expect(rejected.errors.contains { $0.field.contains("transfer") })
            }
            #expect(try await importer.run(csv: "\(header)\n\(row(2, "维修资金专户"))\n\(row(3, ""))\n", scope: company) == 2)
            let targets = try await database.read { db in
                try await db.raw("SELECT quarter, transfer_target FROM disclosure_versions WHERE estate_id = \(bind: a) ORDER BY quarter").all().map {
                    try $0.decode(column: "transfer_target", as: String?.self)
                }
            }
            #expect(targets == ["maintenance_fund", nil])
        }
    }
}

extension DisclosureStorageTests {
    /// A correction is displayed afresh: its period may not start before the day it is published (the first version's
    /// period may be long over), every error comes at once with the missing reason, and the preview shows the version as
    /// it will read next to the one it corrects, without publishing anything.
    @Test(arguments: kinds)
    func aCorrectionNeedsAFreshDisplayPeriodAndIsPreviewedFirst(kind: TestDatabase.Kind) async throws {
        try await withDatabase(kind) { database in
            let world = try await World.build(in: database)
            let repo = DisclosureRepository(database: database, clock: world.clock)
            let company = world.a.users[.company]!.scope
            _ = try await repo.publish(estateId: world.a.estate.id, quarter: Self.q2, document: DisclosureSamples.valid(), reason: nil, scope: company)
            var corrected = DisclosureSamples.valid()
            corrected.income[0].amount = "18700.00"
            corrected.distribution = .init(ownersShare: "13090.00", companyShare: "5610.00")
            // The old period (2024-07-05 to 2024-08-05) and no reason: both refused at once.
            do {
                _ = try await repo.publish(estateId: world.a.estate.id, quarter: Self.q2, document: corrected, reason: "", scope: company)
                Issue.record("a correction under an expired display period was published")
            } catch let errors as FieldErrors {
                #expect(Set(errors.items.compactMap(\.field)) == ["reason", "display.from"])
            }
            corrected.display = .init(from: "2024-11-19", until: "2024-12-20")
            try await repo.saveDraft(estateId: world.a.estate.id, quarter: Self.q2, document: corrected, scope: company)
            let before = try await world.fingerprint()
            let preview = try await repo.preview(estateId: world.a.estate.id, quarter: Self.q2, reason: "停车费漏记一笔", scope: company)
            #expect(preview.entry.version.version == 2 && preview.entry.version.incomeFen == 2_470_000)
            #expect(preview.previous?.version.version == 1 && preview.previous?.version.incomeFen == 2_460_000)
            #expect(try await world.fingerprint() == before, "previewing writes nothing")
            await #expect(throws: LedgerError.self) {
                _ = try await repo.preview(estateId: world.a.estate.id, quarter: Self.q2, reason: "", scope: world.b.users[.company]!.scope)
            }
            let published = try await repo.publish(estateId: world.a.estate.id, quarter: Self.q2, document: nil, reason: "停车费漏记一笔", scope: company)
            #expect(published.version == 2 && published.displayFrom == "2024-11-19")
        }
    }
}
