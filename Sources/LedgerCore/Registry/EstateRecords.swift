import Foundation
import SQLKit

/// The records hanging off an estate: management contracts, owners' committees and the dedicated account.
public struct EstateRecords: Sendable {
    let database: Database
    let clock: any LedgerClock

    public init(database: Database, clock: any LedgerClock) {
        self.database = database
        self.clock = clock
    }

    /// Everything shown on an estate's page, read in one go.
    public struct Details: Sendable {
        public let contracts: [ManagementContract]
        public let committees: [Committee]
        public let account: DedicatedAccount?
    }

    public func details(estateId: Int64, scope: Scope) async throws -> Details {
        try await database.read { db in
            guard try await EstateRepository.isVisible(estateId, scope: scope, on: db) else { throw LedgerError.notFound("小区") }
            let contracts = try await db.raw("""
                SELECT k.id, k.estate_id, k.company_id, c.name AS company_name, k.start_date, k.end_date
                FROM contracts k JOIN companies c ON c.id = k.company_id
                WHERE k.estate_id = \(bind: estateId) ORDER BY k.start_date DESC, k.id DESC
                """).all(decoding: ManagementContract.self, keyDecodingStrategy: .convertFromSnakeCase)
            let committees = try await db.raw("""
                SELECT id, estate_id, kind, chair_name, term_start, term_end FROM committees
                WHERE estate_id = \(bind: estateId) ORDER BY term_start DESC, id DESC
                """).all(decoding: Committee.self, keyDecodingStrategy: .convertFromSnakeCase)
            let account = try await db.raw("""
                SELECT id, estate_id, bank, account_number, opened_on FROM dedicated_accounts WHERE estate_id = \(bind: estateId)
                """).first(decoding: DedicatedAccount.self, keyDecodingStrategy: .convertFromSnakeCase)
            return Details(contracts: contracts, committees: committees, account: account)
        }
    }

    /// Records that `companyId` manages the estate from `start`; the previous open contract ends the day before.
    public func assignCompany(estateId: Int64, _ command: ContractInput, scope: Scope) async throws -> ManagementContract {
        guard scope.canEditRegistry else { throw LedgerError.forbidden }
        let input = try command.validated()
        let (companyText, start, end) = (input.company, input.start, input.end)
        let at = clock.now()
        return try await database.transaction { db in
            guard let estate = try await EstateRepository.estate(estateId, scope: scope, at: at, on: db) else { throw LedgerError.notFound("小区") }
            // The company is named by its 统一社会信用代码 (or, from scripts, its id).
            let byCode = try await db.raw("SELECT id FROM companies WHERE uscc = \(bind: companyText)").first(decodingColumn: "id", as: Int64.self)
            guard let companyId = byCode ?? Int64(companyText),
                  let company = try await CompanyRepository.company(companyId, scope: .system, on: db) else {
                throw LedgerError.invalid("company", code: "unknown_company", "统一社会信用代码为“\(companyText)”的物业服务企业尚未登记")
            }
            // 限制投标: a black-listed company is named before the contract is recorded; going on needs an explicit acknowledgement.
            let blackListed = try await CreditFile.isBlackListed(companyId, today: Day(Timestamp.shanghaiDay(at))!, on: db)
            if blackListed && !command.acknowledgeBlackList {
                throw LedgerError.invalid("company", code: "black_listed",
                                          "拟承接企业已列入黑名单（限制投标）：“\(company.name)”。确需登记的，请勾选“已知悉”后再保存")
            }
            let overlapping = try await db.raw("""
                SELECT id FROM contracts WHERE estate_id = \(bind: estateId) AND start_date >= \(bind: start.description)
                """).first()
            if overlapping != nil {
                throw LedgerError.invalid("startDate", code: "overlapping_contract", "开始日期须晚于该小区已有合同的开始日期")
            }
            let previousEnd = Self.dayBefore(start)
            try await db.raw("""
                UPDATE contracts SET end_date = \(bind: previousEnd)
                WHERE estate_id = \(bind: estateId) AND (end_date IS NULL OR end_date >= \(bind: start.description))
                """).run()
            let id = try await db.raw("""
                INSERT INTO contracts (estate_id, company_id, start_date, end_date, created_at)
                VALUES (\(bind: estateId), \(bind: companyId), \(bind: start.description), \(bind: end?.description),
                        \(bind: Timestamp.storage(at)))
                RETURNING id
                """).first(decodingColumn: "id", as: Int64.self)!
            try await db.raw("UPDATE estates SET company_id = \(bind: companyId), updated_at = \(bind: Timestamp.storage(at)) WHERE id = \(bind: estateId)").run()
            let contract = ManagementContract(id: id, estateId: estateId, companyId: companyId, companyName: company.name,
                                              startDate: start.description, endDate: end?.description)
            try await AuditLog.record(on: db, scope: scope, at: at, action: "assign_company", entity: "estate", entityId: "\(estateId)",
                                      regionPath: estate.regionPath, before: estate.companyId, after: contract)
            if blackListed {
                try await AuditLog.record(on: db, scope: scope, at: at, action: "acknowledge_black_list", entity: "estate", entityId: "\(estateId)",
                                          regionPath: estate.regionPath, after: ["company": "\(companyId)", "contract": "\(id)", "warning": "拟承接企业已列入黑名单"])
            }
            return contract
        }
    }

    /// Records an owners' committee (or management committee) and its term.
    public func addCommittee(estateId: Int64, _ command: CommitteeInput, scope: Scope) async throws -> Committee {
        guard scope.canEditRegistry else { throw LedgerError.forbidden }
        let input = try command.validated()
        let (kind, chair, start, end) = (input.kind, input.chairName, input.termStart, input.termEnd)
        let at = clock.now()
        return try await database.transaction { db in
            guard let estate = try await EstateRepository.estate(estateId, scope: scope, at: at, on: db) else { throw LedgerError.notFound("小区") }
            let id = try await db.raw("""
                INSERT INTO committees (estate_id, kind, chair_name, term_start, term_end, created_at)
                VALUES (\(bind: estateId), \(bind: kind.rawValue), \(bind: chair), \(bind: start.description), \(bind: end.description),
                        \(bind: Timestamp.storage(at)))
                RETURNING id
                """).first(decodingColumn: "id", as: Int64.self)!
            let committee = Committee(id: id, estateId: estateId, kind: kind, chairName: chair,
                                      termStart: start.description, termEnd: end.description)
            try await AuditLog.record(on: db, scope: scope, at: at, action: "create", entity: "committee", entityId: "\(id)",
                                      regionPath: estate.regionPath, after: committee)
            return committee
        }
    }

    /// Sets (or replaces) the estate's dedicated public-revenue account.
    public func setAccount(estateId: Int64, _ command: AccountInput, scope: Scope) async throws -> DedicatedAccount {
        guard scope.canEditRegistry else { throw LedgerError.forbidden }
        let input = try command.validated()
        let (bank, number, opened) = (input.bank, input.accountNumber, input.openedOn)
        let at = clock.now()
        return try await database.transaction { db in
            guard let estate = try await EstateRepository.estate(estateId, scope: scope, at: at, on: db) else { throw LedgerError.notFound("小区") }
            let before = try await db.raw("""
                SELECT id, estate_id, bank, account_number, opened_on FROM dedicated_accounts WHERE estate_id = \(bind: estateId)
                """).first(decoding: DedicatedAccount.self, keyDecodingStrategy: .convertFromSnakeCase)
            try await AccountRegister.refuseDuplicate(number, estateId: estateId, scope: scope, at: at, on: db)
            try await db.raw("DELETE FROM dedicated_accounts WHERE estate_id = \(bind: estateId)").run()
            let id = try await db.raw("""
                INSERT INTO dedicated_accounts (estate_id, bank, account_number, opened_on, created_at)
                VALUES (\(bind: estateId), \(bind: bank), \(bind: number), \(bind: opened.description), \(bind: Timestamp.storage(at)))
                RETURNING id
                """).first(decodingColumn: "id", as: Int64.self)!
            let account = DedicatedAccount(id: id, estateId: estateId, bank: bank, accountNumber: number, openedOn: opened.description)
            try await AuditLog.record(on: db, scope: scope, at: at, action: "set_account", entity: "estate", entityId: "\(estateId)",
                                      regionPath: estate.regionPath, before: before, after: account)
            return account
        }
    }

    static func dayBefore(_ day: Day) -> String {
        if day.day > 1 { return Day(year: day.year, month: day.month, day: day.day - 1).description }
        if day.month > 1 { return Day(year: day.year, month: day.month - 1, day: Day.daysIn(year: day.year, month: day.month - 1)).description }
        return Day(year: day.year - 1, month: 12, day: 31).description
    }
}
