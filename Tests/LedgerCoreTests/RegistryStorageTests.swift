import Foundation
import LedgerCore
import LedgerTestSupport
import SQLKit
import Testing

/// Registry storage on every available database (SQLite always; PostgreSQL when LEDGER_TEST_POSTGRES_URL is set).
@Suite struct RegistryStorageTests {
    static let kinds = TestDatabase.available

    func estateInput(_ name: String, community: String) -> EstateInput {
        EstateInput(name: name, address: "某路1号", community: community, households: "120", floorArea: "9000", ownersShare: "70")
    }

    // MARK: Tests

    /// 单独开户: a number another estate holds is refused — naming it only to those who may see it — and the register
    /// lists each account, masked for those who neither keep the register nor manage the estate.
    @Test(arguments: kinds)
    func accountNumbersAreUniqueAndTheRegisterListsThem(kind: TestDatabase.Kind) async throws {
        try await withDatabase(kind) { database in
            let world = try await World.build(in: database)
            let records = EstateRecords(database: database, clock: world.clock)
            let aRegulator = world.a.users[.regulator]!.scope, bRegulator = world.b.users[.regulator]!.scope
            _ = try await records.setAccount(estateId: world.a.estate.id, AccountInput(bank: "兴业银行", accountNumber: "6222000011112222", openedOn: "2024-01-05"),
                                             scope: aRegulator)
            // Re-registering the same estate's own number is fine.
            _ = try await records.setAccount(estateId: world.a.estate.id, AccountInput(bank: "兴业银行", accountNumber: "6222000011112222", openedOn: "2024-01-05"),
                                             scope: aRegulator)
            let before = try await world.fingerprint()
            do {
                _ = try await records.setAccount(estateId: world.b.estate.id, AccountInput(bank: "某银行", accountNumber: "6222000011112222", openedOn: "2024-02-01"),
                                                 scope: bRegulator)
                Issue.record("a second estate registered the same account")
            } catch let error as LedgerError {
                #expect(error.code == "account_taken" && error.message.hasPrefix("该账号已登记") && !error.message.contains(world.a.estate.name))
            }
            do {
                _ = try await records.setAccount(estateId: world.b.estate.id, AccountInput(bank: "某银行", accountNumber: "6222000011112222", openedOn: "2024-02-01"),
                                                 scope: world.admin.scope)
                Issue.record("a second estate registered the same account")
            } catch let error as LedgerError {
                #expect(error.code == "account_taken" && error.message.contains("「\(world.a.estate.name)」"))
            }
            #expect(try await world.fingerprint() == before)
            _ = try await records.setAccount(estateId: world.b.estate.id, AccountInput(bank: "某银行", accountNumber: "6222000033334444", openedOn: "2024-02-01"),
                                             scope: bRegulator)
            let register = AccountRegister(database: database)
            let city = try await RegionDirectory(database: database).region("350100", scope: world.admin.scope)
            let full = try await register.list(region: city, scope: world.admin.scope).items
            #expect(full.map(\.accountNumber) == ["6222000011112222", "6222000033334444"] && full[0].county == world.a.county.name)
            let county = try await RegionDirectory(database: database).region(world.a.county.code, scope: aRegulator)
            let department = try await register.list(region: county, scope: world.a.users[.department]!.scope).items
            #expect(department.map(\.accountNumber) == ["6222 **** 2222"])
            #expect(try await register.list(region: county, query: "兴业", scope: aRegulator).total == 1)
            #expect(try await register.list(region: county, query: "工商", scope: aRegulator).total == 0)
            #expect(try await register.completeness(region: city, scope: world.admin.scope) == .init(managed: 2, registered: 2))
            await #expect(throws: LedgerError.notFound("行政区划")) { try await register.list(region: county, scope: bRegulator) }
        }
    }

    @Test(arguments: kinds)
    func migrationsAreRecordedAndIdempotent(kind: TestDatabase.Kind) async throws {
        try await withDatabase(kind) { database in
            // MUT
            let again = try await Migrator(database: database).migrate()
            // validation
            #expect(again.isEmpty)
            let versions = try await database.read { db in
                try await db.raw("SELECT version FROM schema_migrations ORDER BY version").all(decodingColumn: "version", as: Int.self)
            }
            // Each branch appends its own number, so the list may have gaps until they meet; it is in order and complete.
            #expect(versions == Migrator.all.map(\.version) && versions == versions.sorted())
        }
    }

    @Test(arguments: kinds)
    func regionalUsersSeeOnlyTheirRegionsEstates(kind: TestDatabase.Kind) async throws {
        try await withDatabase(kind) { database in
            // setup
            let world = try await World.build(in: database)
            let estates = EstateRepository(database: database, clock: world.clock)
            for role in Role.allCases where role != .admin && role != .auditor {
                let scope = world.a.users[role]!.scope
                // MUT
                let page = try await estates.estates(scope: scope, request: ListRequest(sort: .name))
                // validation
                #expect(page.items.map(\.id) == [world.a.estate.id], "\(role)")
                await #expect(throws: LedgerError.notFound("小区")) { try await estates.estate(world.b.estate.id, scope: scope) }
            }
            let all = try await estates.estates(scope: world.admin.scope, request: ListRequest(sort: .name))
            #expect(all.total == 2)
            let auditor = try await estates.estates(scope: world.a.users[.auditor]!.scope, request: ListRequest(sort: .name))
            #expect(auditor.total == 0)
        }
    }

    @Test(arguments: kinds)
    func companiesAreScopedToRegisteredOrManagedRegion(kind: TestDatabase.Kind) async throws {
        try await withDatabase(kind) { database in
            let world = try await World.build(in: database)
            let companies = CompanyRepository(database: database, clock: world.clock)
            let seen = try await companies.companies(scope: world.a.users[.regulator]!.scope, request: ListRequest(sort: .name))
            #expect(seen.items.map(\.id) == [world.a.company.id])
            await #expect(throws: LedgerError.self) { try await companies.company(world.b.company.id, scope: world.a.users[.company]!.scope) }
            // A company of B that starts managing an estate in A becomes visible to A's regulator.
            _ = try await EstateRecords(database: database, clock: world.clock).assignCompany(
                estateId: world.a.estate.id, ContractInput(company: "\(world.b.company.id)", startDate: "2024-07-01"), scope: .system)
            let after = try await companies.companies(scope: world.a.users[.regulator]!.scope, request: ListRequest(sort: .name))
            #expect(Set(after.items.map(\.id)) == [world.a.company.id, world.b.company.id])
        }
    }

    @Test(arguments: kinds)
    func creatingAnEstateWritesItsAuditEntry(kind: TestDatabase.Kind) async throws {
        try await withDatabase(kind) { database in
            let world = try await World.build(in: database)
            let scope = world.a.users[.regulator]!.scope
            // MUT
            let estate = try await EstateRepository(database: database, clock: world.clock)
                .create(estateInput("O'Brien'; DROP TABLE estates; --", community: world.a.community.code), scope: scope)
            // validation
            #expect(estate.name == "O'Brien'; DROP TABLE estates; --")
            let log = try await AuditLog.entries(in: database, scope: world.admin.scope, filter: {
                var f = AuditFilter(); f.entity = "estate"; f.action = "create"; f.username = scope.username; return f
            }())
            #expect(log.items.count == 1)
            #expect(log.items[0].entityId == "\(estate.id)")
            #expect(log.items[0].afterJson?.contains("O'Brien'") == true)
        }
    }

    @Test(arguments: kinds)
    func refusesEstatesOutsideTheJurisdictionAndDuplicates(kind: TestDatabase.Kind) async throws {
        try await withDatabase(kind) { database in
            let world = try await World.build(in: database)
            let estates = EstateRepository(database: database, clock: world.clock)
            let scope = world.a.users[.regulator]!.scope
            let before = try await world.fingerprint()
            await #expect(throws: LedgerError.self) {
                _ = try await estates.create(estateInput("新小区", community: world.b.community.code), scope: scope)
            }
            await #expect(throws: LedgerError.self) {
                _ = try await estates.create(estateInput("新小区", community: world.a.street.code), scope: scope)
            }
            do {
                _ = try await estates.create(estateInput(world.a.estate.name, community: world.a.community.code), scope: scope)
                Issue.record("duplicate accepted")
            } catch let error as LedgerError {
                #expect(error.code == "duplicate_estate")
                #expect(error.field == "name")
            }
            await #expect(throws: LedgerError.forbidden) {
                _ = try await estates.create(estateInput("新小区", community: world.a.community.code),
                                             scope: world.a.users[.street]!.scope)
            }
            await #expect(throws: LedgerError.self) {
                _ = try await estates.update(world.b.estate.id, estateInput("改名", community: world.a.community.code), scope: scope)
            }
            #expect(try await world.fingerprint() == before)
        }
    }

    @Test(arguments: kinds)
    func companyCodesAreCheckedAndUnique(kind: TestDatabase.Kind) async throws {
        try await withDatabase(kind) { database in
            let world = try await World.build(in: database)
            #expect(throws: FieldErrors.self) {
                _ = try CompanyInput(name: "某物业", uscc: "91350100M000100Y44", region: "350102").validated()
            }
            do {
                _ = try await CompanyRepository(database: database, clock: world.clock).create(
                    CompanyInput(name: "另一家", uscc: world.a.company.uscc, region: "350102"), scope: world.admin.scope)
                Issue.record("duplicate code accepted")
            } catch let error as LedgerError {
                #expect(error.code == "duplicate_uscc")
            }
        }
    }

    @Test(arguments: kinds)
    func contractsKeepHistory(kind: TestDatabase.Kind) async throws {
        try await withDatabase(kind) { database in
            let world = try await World.build(in: database)
            let records = EstateRecords(database: database, clock: world.clock)
            // Named by its 统一社会信用代码, as the estate page's form does (lower case and full width are folded).
            _ = try await records.assignCompany(estateId: world.a.estate.id, ContractInput(company: world.b.company.uscc.lowercased(), startDate: "2024-03-01"),
                                                scope: world.admin.scope)
            await #expect(throws: LedgerError.self) {
                _ = try await records.assignCompany(estateId: world.a.estate.id, ContractInput(company: "91350102MA2YX1234X", startDate: "2024-06-01"),
                                                    scope: world.admin.scope)
            }
            let details = try await records.details(estateId: world.a.estate.id, scope: world.admin.scope)
            #expect(details.contracts.count == 2)
            #expect(details.contracts[0].companyId == world.b.company.id)
            #expect(details.contracts[1].endDate == "2024-02-29")
            await #expect(throws: LedgerError.self) {
                _ = try await records.assignCompany(estateId: world.a.estate.id, ContractInput(company: "\(world.a.company.id)", startDate: "2023-01-01"),
                                                    scope: world.admin.scope)
            }
        }
    }

    @Test(arguments: kinds)
    func importIsAllOrNothingAndNamesEachBadRow(kind: TestDatabase.Kind) async throws {
        try await withDatabase(kind) { database in
            let world = try await World.build(in: database)
            let importer = RegistryImport(database: database, clock: world.clock)
            let scope = world.a.users[.regulator]!.scope
            let a = world.a.community.code, b = world.b.community.code
            let bad = """
                小区名称,地址,社区代码,户数,建筑面积,业主分成比例
                甲小区,一路1号,\(a),100,8000,70
                乙小区,二路2号,\(b),100,8000,70
                丙小区,三路3号,\(a),abc,8000,70
                甲小区,四路4号,\(a),100,8000,70
                """
            let before = try await world.fingerprint()
            do {
                _ = try await importer.run(.estates, csv: bad, scope: scope)
                Issue.record("bad import accepted")
            } catch let rejected as ImportRejected {
                #expect(rejected.errors.map(\.line) == [3, 4, 5])
                #expect(rejected.errors[1].field == "households")
                #expect(rejected.errors[2].message.contains("已有名为“甲小区”"))
            }
            #expect(try await world.fingerprint() == before)
            let good = "name,address,community,households,floorArea,ownersShare\n甲小区,一路1号,\(a),100,8000,70\n丙小区,三路3号,\(a),90,8000,60.5\n"
            #expect(try await importer.run(.estates, csv: good, scope: scope) == 2)
        }
    }

    @Test(arguments: kinds)
    func auditLogCannotBeRewritten(kind: TestDatabase.Kind) async throws {
        try await withDatabase(kind) { database in
            _ = try await World.build(in: database)
            await #expect(throws: (any Error).self) {
                try await database.transaction { db in try await db.raw("UPDATE audit_log SET username = 'x'").run() }
            }
            await #expect(throws: (any Error).self) {
                try await database.transaction { db in try await db.raw("DELETE FROM audit_log").run() }
            }
            let count = try await database.read { db in
                try await db.raw("SELECT COUNT(*) AS n FROM audit_log WHERE username = 'x'").first(decodingColumn: "n", as: Int.self)
            }
            #expect(count == 0)
        }
    }

    @Test(arguments: kinds)
    func oversightSeesItsRegionsAuditEntriesOnly(kind: TestDatabase.Kind) async throws {
        try await withDatabase(kind) { database in
            let world = try await World.build(in: database)
            let entries = try await AuditLog.entries(in: database, scope: world.a.users[.oversight]!.scope, filter: AuditFilter())
            #expect(!entries.items.isEmpty)
            let estateEntries = entries.items.filter { $0.entity == "estate" }.map(\.entityId)
            #expect(estateEntries.contains("\(world.a.estate.id)"))
            #expect(!estateEntries.contains("\(world.b.estate.id)"))
            #expect(!entries.items.contains { $0.entity == "company" && $0.entityId == "\(world.b.company.id)" })
            await #expect(throws: LedgerError.forbidden) {
                _ = try await AuditLog.entries(in: database, scope: world.a.users[.regulator]!.scope, filter: AuditFilter())
            }
        }
    }
}
