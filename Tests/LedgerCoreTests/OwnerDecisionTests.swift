import Foundation
import LedgerCore
import LedgerTestSupport
import SQLKit
import Testing

/// The owners' decision register, rule W07 against it, and transfers to the 维修资金专户 (W05) — docs/design.md §24.
@Suite struct OwnerDecisionTests {
    /// A correction is displayed afresh from the day it is published (the world's today, 2024-11-19).
    static func reshown(_ document: DisclosureDocument) -> DisclosureDocument {
        var document = document
        document.display = .init(from: "2024-11-19", until: "2024-12-20")
        return document
    }

    static let kinds = TestDatabase.available
    static let q3 = Quarter(year: 2024, quarter: 3)!

    /// The sample disclosure for Q3 2024 with one expenditure of `amount` citing `decision`.
    static func filing(decision: String, amount: String = "2400.00", target: String? = nil) -> DisclosureDocument {
        var document = DisclosureSamples.valid()
        document.display = .init(from: "2024-10-05", until: "2024-11-05")
        document.transfer = .init(amount: "13020.00", date: "2024-10-10", target: target)
        document.expenditures = [.init(description: "更换单元门禁", amount: amount, decision: decision)]
        document.closingBalance = nil
        return document
    }

    static func assembly(amount: String = "5000", from: String = "2024-01-01", until: String = "2024-12-31") -> OwnerDecisionInput {
        OwnerDecisionInput(kind: "assembly", decidedOn: "2023-12-20", subject: "2024年度公共收益使用计划", votesArea: "21000", votesHouseholds: "210",
                           amount: amount, validFrom: from, validUntil: until)
    }

    /// Publishes A's Q3 with the given document and returns the open W07 warning's detail, if any.
    static func w07(_ world: World, _ document: DisclosureDocument) async throws -> String? {
        _ = try await DisclosureRepository(database: world.database, clock: world.clock)
            .publish(estateId: world.a.estate.id, quarter: q3, document: document, reason: nil, scope: world.a.users[.company]!.scope)
        return try await detail(world, "W07")
    }

    static func detail(_ world: World, _ rule: String) async throws -> String? {
        try await world.database.read { db in
            try await db.raw("""
                SELECT detail FROM warnings WHERE rule = \(bind: rule) AND estate_id = \(bind: world.a.estate.id) AND year = 2024 AND quarter = 3
                AND status = 'open'
                """).first(decodingColumn: "detail", as: String.self)
        }
    }

    static func register(_ world: World) -> OwnerDecisions {
        OwnerDecisions(database: world.database, clock: world.clock, filesDirectory: NSTemporaryDirectory() + "ledger-decision-tests")
    }

    // MARK: Tests

    @Test func referencesAreReadFromTheDecisionText() {
        #expect(OwnerDecision.citedId("D12") == 12)
        #expect(OwnerDecision.citedId(" d7 2024年第2次业主大会决议") == 7)
        #expect(OwnerDecision.citedId("Ｄ１２") == 12)
        #expect(OwnerDecision.citedId("D12x") == nil)
        #expect(OwnerDecision.citedId("2024年第2次业主大会决议") == nil)
        #expect(OwnerDecision.citedId("D") == nil)
        #expect(OwnerDecision.citedId("") == nil)
    }

    @Test(arguments: kinds)
    func w07AcceptsAnExpenditureItsDecisionCovers(kind: TestDatabase.Kind) async throws {
        try await withDatabase(kind) { database in
            // setup
            let world = try await World.build(in: database)
            let decision = try await Self.register(world).add(Self.assembly(), estateId: world.a.estate.id, scope: world.a.users[.committee]!.scope)
            // MUT
            let finding = try await Self.w07(world, Self.filing(decision: decision.reference))
            // validation
            #expect(finding == nil)
        }
    }

    @Test(arguments: kinds)
    func w07FiresForAnExpenditureAboveItsDecisionsAmount(kind: TestDatabase.Kind) async throws {
        try await withDatabase(kind) { database in
            let world = try await World.build(in: database)
            let decision = try await Self.register(world).add(Self.assembly(amount: "2000"), estateId: world.a.estate.id,
                                                              scope: world.a.users[.regulator]!.scope)
            let finding = try await Self.w07(world, Self.filing(decision: decision.reference))
            #expect(finding?.contains("超过授权金额 2000.00 元") == true, "\(finding ?? "nil")")
        }
    }

    @Test(arguments: kinds)
    func w07AddsUpADecisionsSpendingOverItsPeriod(kind: TestDatabase.Kind) async throws {
        try await withDatabase(kind) { database in
            let world = try await World.build(in: database)
            let decision = try await Self.register(world).add(Self.assembly(amount: "4000"), estateId: world.a.estate.id, scope: world.a.users[.street]!.scope)
            let repo = DisclosureRepository(database: database, clock: world.clock)
            var q2 = Self.filing(decision: decision.reference)
            q2.display = .init(from: "2024-07-05", until: "2024-08-05")
            _ = try await repo.publish(estateId: world.a.estate.id, quarter: Quarter(year: 2024, quarter: 2)!, document: q2, reason: nil,
                                       scope: world.a.users[.company]!.scope)
            // 2400 in Q2 is within 4000; another 2400 in Q3 is not.
            let finding = try await Self.w07(world, Self.filing(decision: decision.reference))
            #expect(finding?.contains("累计支出 4800.00 元") == true, "\(finding ?? "nil")")
        }
    }

    @Test(arguments: kinds)
    func w07FiresForAnExpiredDecision(kind: TestDatabase.Kind) async throws {
        try await withDatabase(kind) { database in
            let world = try await World.build(in: database)
            let decision = try await Self.register(world).add(Self.assembly(from: "2024-01-01", until: "2024-06-30"), estateId: world.a.estate.id,
                                                              scope: world.a.users[.committee]!.scope)
            let finding = try await Self.w07(world, Self.filing(decision: decision.reference))
            #expect(finding?.contains("不覆盖2024年第3季度") == true || finding?.contains("不覆盖") == true, "\(finding ?? "nil")")
        }
    }

    @Test(arguments: kinds)
    func w07FiresForAnotherEstatesDecisionAndForFreeText(kind: TestDatabase.Kind) async throws {
        try await withDatabase(kind) { database in
            let world = try await World.build(in: database)
            let theirs = try await Self.register(world).add(Self.assembly(), estateId: world.b.estate.id, scope: world.b.users[.committee]!.scope)
            let finding = try await Self.w07(world, Self.filing(decision: theirs.reference))
            #expect(finding?.contains("不是本小区登记的决议") == true, "\(finding ?? "nil")")
            // A correction citing free words instead of a register number is still not covered: the warning stays open.
            _ = try await DisclosureRepository(database: database, clock: world.clock)
                .publish(estateId: world.a.estate.id, quarter: Self.q3, document: Self.reshown(Self.filing(decision: "2024年第2次业主大会决议")), reason: "更正决议依据",
                         scope: world.a.users[.company]!.scope)
            #expect(try await Self.detail(world, "W07") != nil)
            let words = DecisionCoverage.uncovered([Self.q3: [.init(amountFen: 100, decision: "2024年第2次业主大会决议")]], decisions: [:])
            #expect(words[Self.q3]?.first?.contains("不是决议登记簿中的编号") == true)
        }
    }

    @Test(arguments: kinds)
    func recordingTheCitedDecisionClosesItsW07AtOnce(kind: TestDatabase.Kind) async throws {
        try await withDatabase(kind) { database in
            // setup: the filing cites D1 before the register has it (a fresh database: the first decision is D1).
            let world = try await World.build(in: database)
            #expect(try await Self.w07(world, Self.filing(decision: "D1"))?.contains("不是本小区登记的决议") == true)
            // MUT
            let decision = try await Self.register(world).add(Self.assembly(), estateId: world.a.estate.id, scope: world.a.users[.committee]!.scope)
            // validation
            #expect(decision.reference == "D1")
            #expect(try await Self.detail(world, "W07") == nil)
        }
    }

    @Test func aCovenantCapsEachItem() {
        let covenant = OwnerDecision(id: 5, estateId: 1, regionPath: "/", kind: .covenant, decidedOn: "2023-01-01", subject: "小额维修",
                                     votesAreaFor: nil, votesHouseholdsFor: nil, amountFen: 300_000, validFrom: "2023-01-01", validUntil: nil,
                                     recordedAt: "", recordedBy: "")
        let found = DecisionCoverage.uncovered([Self.q3: [.init(amountFen: 250_000, decision: "D5"), .init(amountFen: 250_000, decision: "D5"),
                                                          .init(amountFen: 350_000, decision: "D5")]], decisions: [5: covenant])
        #expect(found[Self.q3]?.count == 1)
        #expect(found[Self.q3]?.first?.contains("单笔限额 3000.00 元") == true)
    }

    @Test(arguments: kinds)
    func w05AcceptsATransferToTheMaintenanceFund(kind: TestDatabase.Kind) async throws {
        try await withDatabase(kind) { database in
            let world = try await World.build(in: database)
            let decision = try await Self.register(world).add(Self.assembly(), estateId: world.a.estate.id, scope: world.a.users[.committee]!.scope)
            let published = try await DisclosureRepository(database: database, clock: world.clock)
                .publish(estateId: world.a.estate.id, quarter: Self.q3, document: Self.filing(decision: decision.reference, target: "maintenance_fund"),
                         reason: nil, scope: world.a.users[.company]!.scope)
            #expect(published.transferTarget == "maintenance_fund")
            #expect(try await Self.detail(world, "W05") == nil)
            // The log's entry names the target, and the whole log still verifies from the stored rows.
            let history = try await DisclosureHistory(database: database).versions(estateId: world.a.estate.id, scope: .system)
            #expect(history.first?.transferTarget == "maintenance_fund")
            let report = try await LogVerifier(database: database).verify()
            #expect(report.ok, "\(report)")
        }
    }

    @Test func entriesWithoutATargetOrRatioDecisionKeepTheirCanonicalForm() throws {
        // An entry published before targets existed: no `target`, no distribution `decision` — byte for byte as before.
        var content = try DisclosureChecks.parse(DisclosureSamples.valid())
        let plain = String(decoding: try JSONEncoder.sortedForTest.encode(content.document), as: UTF8.self)
        #expect(!plain.contains("target") && !plain.contains("\"decision\":\"D"))
        #expect(plain.contains("\"transfer\":{\"amount\":\"13020.00\",\"date\":\"2024-07-10\"}"))
        content.transferTarget = .maintenanceFund
        content.ratioDecision = "D3"
        let cited = String(decoding: try JSONEncoder.sortedForTest.encode(content.document), as: UTF8.self)
        #expect(cited.contains("\"target\":\"maintenance_fund\"") && cited.contains("\"decision\":\"D3\""))
        // An explicit "dedicated" is the same as none.
        var explicit = DisclosureSamples.valid()
        explicit.transfer?.target = "dedicated"
        #expect(try DisclosureChecks.parse(explicit).document == DisclosureChecks.parse(DisclosureSamples.valid()).document)
        explicit.transfer?.target = "savings"
        #expect(throws: FieldErrors.self) { try DisclosureChecks.parse(explicit) }
    }

    @Test(arguments: kinds)
    func theRegisterIsScopedAndReportsEveryErrorAtOnce(kind: TestDatabase.Kind) async throws {
        try await withDatabase(kind) { database in
            let world = try await World.build(in: database)
            let register = Self.register(world)
            // Every missing field at once.
            do {
                try await register.add(OwnerDecisionInput(kind: "", decidedOn: "", subject: "", validFrom: ""), estateId: world.a.estate.id,
                                       scope: world.a.users[.committee]!.scope)
                Issue.record("an empty decision was accepted")
            } catch let errors as FieldErrors {
                #expect(Set(errors.items.compactMap(\.field)) == ["decisionKind", "decisionDate", "subject", "validFrom"])
            }
            // An assembly decision needs its votes, within the estate's totals; the period must not end before it starts.
            do {
                try await register.add(OwnerDecisionInput(kind: "assembly", decidedOn: "2024-01-01", subject: "x", votesArea: "999999", amount: "-5",
                                                          validFrom: "2024-02-01", validUntil: "2024-01-01"),
                                       estateId: world.a.estate.id, scope: world.a.users[.committee]!.scope)
                Issue.record("a bad decision was accepted")
            } catch let errors as FieldErrors {
                #expect(Set(errors.items.compactMap(\.field)) == ["votesArea", "votesHouseholds", "amount", "validUntil"])
            }
            // Another county's official, and the other estate's committee: not found; the company may read but not add.
            for scope in [world.b.users[.regulator]!.scope, world.b.users[.committee]!.scope] {
                await #expect(throws: LedgerError.self) { try await register.add(Self.assembly(), estateId: world.a.estate.id, scope: scope) }
                await #expect(throws: LedgerError.self) { _ = try await register.register(estateId: world.a.estate.id, scope: scope) }
            }
            await #expect(throws: LedgerError.self) {
                try await register.add(Self.assembly(), estateId: world.a.estate.id, scope: world.a.users[.company]!.scope)
            }
            // The committee adds one with its document; the company reads it; the audit log has it.
            let pdf = Array("%PDF-1.4 决议".utf8)
            var input = Self.assembly()
            input.document = Complaints.Upload(filename: "决议.pdf", bytes: pdf)
            let decision = try await register.add(input, estateId: world.a.estate.id, scope: world.a.users[.committee]!.scope)
            let (_, list, documents) = try await register.register(estateId: world.a.estate.id, scope: world.a.users[.company]!.scope)
            #expect(list.map(\.id) == [decision.id] && list[0].amountFen == 500_000)
            let file = try #require(documents[decision.id]?.first)
            let read = try await register.document(estateId: world.a.estate.id, fileId: file.id, scope: world.a.users[.street]!.scope)
            #expect(Array(read.data) == pdf && read.contentType == "application/pdf")
            await #expect(throws: LedgerError.self) {
                _ = try await register.document(estateId: world.a.estate.id, fileId: file.id, scope: world.b.users[.regulator]!.scope)
            }
            let audited = try await database.read { db in
                try await db.raw("SELECT COUNT(*) AS n FROM audit_log WHERE entity = 'owner_decision' AND entity_id = \(bind: decision.reference)")
                    .first(decodingColumn: "n", as: Int.self)
            }
            #expect(audited == 1)
        }
    }
}

extension JSONEncoder {
    static var sortedForTest: JSONEncoder {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return encoder
    }
}
