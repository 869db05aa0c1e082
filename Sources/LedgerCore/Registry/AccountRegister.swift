import Foundation
import SQLKit

/// 公共收益银行账户台账 (Dehua 附件1 #8, Fuzhou 附件3 #9: 汇总建立物业小区…公共收益银行账户台账): every estate's dedicated
/// account in a region — bank, number, opened date, estate, company — listed, searched and exported in the 台账 layout.
/// One account serves one estate (单独开户): a number another estate holds is refused, naming that estate only to those
/// who may see it.
public struct AccountRegister: Sendable {
    public struct Entry: Sendable, Equatable {
        public let estateId: Int64
        public let estate: String
        public let county: String
        public let street: String
        public let company: String
        public let bank: String
        /// In full for the officials who keep the register and the company managing the estate; otherwise masked.
        public let accountNumber: String
        public let openedOn: String
    }

    /// The register's figures: estates managed by a company, and how many of them have an account registered.
    public struct Completeness: Sendable, Equatable {
        public let managed: Int
        public let registered: Int
        public var rate: Double? { managed == 0 ? nil : Double(registered) / Double(managed) }
        public init(managed: Int, registered: Int) {
            self.managed = managed
            self.registered = registered
        }
    }

    public static let headers = ["序号", "县（市、区）", "街道（乡镇）", "小区名称", "物业服务企业", "开户银行", "公共收益专户账号", "开户日期", "备注"]

    public static func layout(unit: String, period: InspectionLedgers.Period, filledOn: Day) -> LedgerLayout<Entry> {
        let sheet = InspectionLedgers.head(title: "\(unit)物业小区公共收益银行账户台账", name: "银行账户台账", unit: unit, period: period,
                                           filledOn: filledOn, headers: headers, widths: [6, 12, 14, 22, 26, 22, 26, 12, 16])
        return LedgerLayout(sheet: sheet, headers: headers) { e, number in
            [.integer(Int64(number))] + [e.county, e.street, e.estate, e.company, e.bank, e.accountNumber, e.openedOn, ""].map(XLSXCell.text)
        }
    }

    let database: Database

    public init(database: Database) { self.database = database }

    /// `6222 **** 1234`: the first and last four digits.
    public static func mask(_ number: String) -> String {
        guard number.count > 8 else { return String(repeating: "*", count: number.count) }
        return number.prefix(4) + " **** " + number.suffix(4)
    }

    /// The register under a region the scope covers, by county, street and estate; `query` matches estate, company or
    /// bank names.
    public func list(region: Region, query: String = "", scope: Scope, page: Int = 1, pageSize: Int = 50) async throws -> Page<Entry> {
        try scope.require(.viewReports)
        guard scope.covers(regionPath: region.path) else { throw LedgerError.notFound("行政区划") }
        let size = max(1, min(pageSize, 500)), number = max(1, min(page, 1_000_000))
        return try await database.read { db in
            let condition = Self.condition(region: region, query: query)
            let total = try await db.raw("""
                SELECT COUNT(*) AS n FROM dedicated_accounts a JOIN estates e ON e.id = a.estate_id LEFT JOIN companies c ON c.id = e.company_id
                WHERE \(condition)
                """).first(decodingColumn: "n", as: Int.self) ?? 0
            let items = try await Self.entries(condition: condition, limit: size, offset: (number - 1) * size, scope: scope, on: db)
            return Page(items: items, total: total, page: number, pageSize: size)
        }
    }

    /// Every entry under the region, for the export (in batches).
    public func forEach(region: Region, scope: Scope, _ each: (Entry) async throws -> Void) async throws {
        try scope.require(.viewReports)
        guard scope.covers(regionPath: region.path) else { throw LedgerError.notFound("行政区划") }
        var offset = 0
        while true {
            let start = offset
            let batch = try await database.read { db in
                try await Self.entries(condition: Self.condition(region: region, query: ""), limit: 1_000, offset: start, scope: scope, on: db)
            }
            for entry in batch { try await each(entry) }
            if batch.count < 1_000 { break }
            offset += batch.count
        }
    }

    /// Managed estates under the region, and those with an account registered.
    public func completeness(region: Region, scope: Scope) async throws -> Completeness {
        try scope.require(.viewReports)
        guard scope.covers(regionPath: region.path) else { throw LedgerError.notFound("行政区划") }
        return try await database.read { db in
            let row = try await db.raw("""
                SELECT COUNT(*) AS managed, SUM(CASE WHEN EXISTS (SELECT 1 FROM dedicated_accounts a WHERE a.estate_id = e.id) THEN 1 ELSE 0 END) AS registered
                FROM estates e WHERE e.company_id IS NOT NULL AND \(Scope.pathPredicate("e.region_path", region.path))
                """).first()
            return Completeness(managed: try row?.decode(column: "managed", as: Int.self) ?? 0,
                                registered: try row?.decode(column: "registered", as: Int?.self) ?? 0)
        }
    }

    /// Refuses a number another estate holds: naming it when the scope may see it, otherwise only that it is taken.
    static func refuseDuplicate(_ number: String, estateId: Int64, scope: Scope, at: Date, on db: any SQLDatabase) async throws {
        guard let holder = try await db.raw("""
            SELECT estate_id FROM dedicated_accounts WHERE account_number = \(bind: number) AND estate_id <> \(bind: estateId)
            """).first(decodingColumn: "estate_id", as: Int64.self) else { return }
        if let visible = try await EstateRepository.estate(holder, scope: scope, at: at, on: db) {
            throw LedgerError(.conflict, code: "account_taken",
                              message: "该账号已登记为「\(visible.name)」（编号 \(visible.id)）的公共收益专户；一个专户只能对应一个小区（单独开户）",
                              field: "accountNumber")
        }
        throw LedgerError(.conflict, code: "account_taken", message: "该账号已登记；一个专户只能对应一个小区（单独开户）", field: "accountNumber")
    }

    static func condition(region: Region, query: String) -> SQLQueryString {
        var condition: SQLQueryString = Scope.pathPredicate("e.region_path", region.path)
        let text = query.trimmingCharacters(in: .whitespaces)
        if !text.isEmpty {
            let like = "%" + String(text.prefix(40)).replacingOccurrences(of: "%", with: "").replacingOccurrences(of: "_", with: "") + "%"
            condition = "\(condition) AND (e.name LIKE \(bind: like) OR c.name LIKE \(bind: like) OR a.bank LIKE \(bind: like))"
        }
        return condition
    }

    static func entries(condition: SQLQueryString, limit: Int, offset: Int, scope: Scope, on db: any SQLDatabase) async throws -> [Entry] {
        let rows = try await db.raw("""
            SELECT e.id, e.name, e.region_path, e.company_id, c.name AS company, a.bank, a.account_number, a.opened_on
            FROM dedicated_accounts a JOIN estates e ON e.id = a.estate_id LEFT JOIN companies c ON c.id = e.company_id
            WHERE \(condition) ORDER BY e.region_path, e.id LIMIT \(bind: limit) OFFSET \(bind: offset)
            """).all()
        var names: [String: String] = [:]
        let codes = Set(try rows.flatMap { try $0.decode(column: "region_path", as: String.self).split(separator: "/").map(String.init) })
        if !codes.isEmpty {
            for row in try await db.raw("SELECT code, name FROM regions WHERE code IN (\(binds: Array(codes)))").all() {
                names[try row.decode(column: "code", as: String.self)] = try row.decode(column: "name", as: String.self)
            }
        }
        return try rows.map { row in
            let path = try row.decode(column: "region_path", as: String.self).split(separator: "/").map(String.init)
            let company = try row.decode(column: "company_id", as: Int64?.self)
            let number = try row.decode(column: "account_number", as: String.self)
            let full = scope.canEditRegistry || (scope.companyId != nil && scope.companyId == company)
            return Entry(estateId: try row.decode(column: "id", as: Int64.self), estate: try row.decode(column: "name", as: String.self),
                         county: path.count > 2 ? names[path[2]] ?? "" : "", street: path.count > 3 ? names[path[3]] ?? "" : "",
                         company: try row.decode(column: "company", as: String?.self) ?? "（无物业服务企业）", bank: try row.decode(column: "bank", as: String.self),
                         accountNumber: full ? number : Self.mask(number), openedOn: try row.decode(column: "opened_on", as: String.self))
        }
    }
}
