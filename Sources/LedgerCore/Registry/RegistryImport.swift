import Foundation
import SQLKit

/// One reason a CSV row was refused.
public struct ImportRowError: Sendable, Equatable, Codable {
    public let line: Int
    public let field: String
    public let message: String
}

/// An import that wrote nothing, with every bad row named.
public struct ImportRejected: Error, Sendable {
    public let errors: [ImportRowError]
}

/// All-or-nothing CSV import of estates and companies (`ledger import …` and the upload page).
public struct RegistryImport: Sendable {
    public enum Kind: String, Sendable, CaseIterable { case estates, companies }

    /// Header aliases: each column may be named by its field key or its Chinese label.
    static let estateColumns: [String: String] = [
        "name": "name", "小区名称": "name", "address": "address", "地址": "address", "community": "community", "社区代码": "community",
        "households": "households", "户数": "households", "floorarea": "floorArea", "建筑面积": "floorArea",
        "ownersshare": "ownersShare", "业主分成比例": "ownersShare", "companyuscc": "companyUscc", "物业企业信用代码": "companyUscc",
        "contractstart": "contractStart", "合同开始日期": "contractStart",
    ]
    static let companyColumns: [String: String] = [
        "name": "name", "企业名称": "name", "uscc": "uscc", "统一社会信用代码": "uscc", "region": "region", "注册地区划代码": "region",
        "contactname": "contactName", "联系人": "contactName", "contactphone": "contactPhone", "联系电话": "contactPhone",
        "address": "address", "地址": "address",
    ]
    public static let maxRows = 20_000

    let database: Database
    let clock: any LedgerClock

    public init(database: Database, clock: any LedgerClock) {
        self.database = database
        self.clock = clock
    }

    /// Imports every row or none; returns how many were created, or throws `ImportRejected`.
    public func run(_ kind: Kind, csv text: String, scope: Scope) async throws -> Int {
        guard scope.canEditRegistry else { throw LedgerError.forbidden }
        let records = CSV.parse(text)
        guard let header = records.first else {
            throw ImportRejected(errors: [ImportRowError(line: 1, field: "", message: "文件为空，请使用模板填写后再上传")])
        }
        let aliases = kind == .estates ? Self.estateColumns : Self.companyColumns
        let keys = header.fields.map { aliases[$0.trimmingCharacters(in: .whitespaces).lowercased()] ?? aliases[$0.trimmingCharacters(in: .whitespaces)] }
        let required = kind == .estates ? ["name", "address", "community", "households", "floorArea", "ownersShare"]
            : ["name", "uscc", "region"]
        let missing = required.filter { !keys.contains($0) }
        guard missing.isEmpty else {
            throw ImportRejected(errors: [ImportRowError(line: header.line, field: missing.joined(separator: ","),
                                                         message: "表头缺少必需的列：\(missing.joined(separator: "、"))")])
        }
        let rows = records.dropFirst()
        guard rows.count <= Self.maxRows else {
            throw ImportRejected(errors: [ImportRowError(line: header.line, field: "", message: "一次最多导入\(Self.maxRows)行")])
        }
        guard !rows.isEmpty else {
            throw ImportRejected(errors: [ImportRowError(line: header.line, field: "", message: "文件只有表头，没有数据行")])
        }
        let cells = rows.map { Row(line: $0.line, keys: keys, values: $0.fields) }
        let at = clock.now()
        let count = try await database.transaction { db in
            var errors: [ImportRowError] = []
            var created = 0
            for row in cells {
                let line = row.line
                do {
                    switch kind {
                    case .estates: try await Self.importEstate(row, scope: scope, at: at, on: db)
                    case .companies: _ = try await CompanyRepository.insert(try Self.company(row).validated(), scope: scope, at: at, on: db)
                    }
                    created += 1
                } catch let failure as FieldErrors {
                    errors += failure.items.map { ImportRowError(line: line, field: $0.field ?? "", message: $0.message) }
                } catch let failure as LedgerError {
                    errors.append(ImportRowError(line: line, field: failure.field ?? "", message: failure.message))
                }
            }
            if !errors.isEmpty { throw ImportRejected(errors: errors) }
            try await AuditLog.record(on: db, scope: scope, at: at, action: "import", entity: kind.rawValue, entityId: "",
                                      regionPath: scope.regionPath, after: ["rows": created])
            return created
        }
        return count
    }

    /// One data row, read by column key (the last column of a key wins; a missing cell is empty).
    struct Row: Sendable {
        let line: Int
        let keys: [String?]
        let values: [String]

        subscript(_ key: String) -> String {
            keys.indices.last { keys[$0] == key && $0 < values.count }.map { values[$0] } ?? ""
        }
    }

    static func company(_ row: Row) -> CompanyInput {
        CompanyInput(name: row["name"], uscc: row["uscc"], region: row["region"], contactName: row["contactName"],
                     contactPhone: row["contactPhone"], address: row["address"])
    }

    /// An estate row, with its manager and contract start when given; every error of the row is reported together.
    static func importEstate(_ row: Row, scope: Scope, at: Date, on db: any SQLDatabase) async throws {
        var reader = InputReader()
        let input = EstateInput(name: row["name"], address: row["address"], community: row["community"], households: row["households"],
                                floorArea: row["floorArea"], ownersShare: row["ownersShare"]).check(&reader)
        let uscc = reader.text(row["companyUscc"], field: "companyUscc", label: "物业企业信用代码", required: false, max: 18).uppercased()
        let start = reader.day(row["contractStart"], field: "contractStart", label: "合同开始日期", required: !uscc.isEmpty)
        try reader.errors.throwIfAny()
        let estate = try await EstateRepository.insert(input, scope: scope, at: at, on: db)
        guard !uscc.isEmpty, let start else { return }
        let companyId = try await db.raw("SELECT id FROM companies WHERE uscc = \(bind: uscc)").first(decodingColumn: "id", as: Int64.self)
        guard let companyId else {
            throw LedgerError.invalid("companyUscc", code: "unknown_company", "统一社会信用代码为 \(uscc) 的企业尚未登记")
        }
        try await db.raw("""
            INSERT INTO contracts (estate_id, company_id, start_date, end_date, created_at)
            VALUES (\(bind: estate.id), \(bind: companyId), \(bind: start.description), NULL, \(bind: Timestamp.storage(at)))
            """).run()
        try await db.raw("UPDATE estates SET company_id = \(bind: companyId) WHERE id = \(bind: estate.id)").run()
    }

    /// A template for the upload page, header row plus one example.
    public static func template(_ kind: Kind) -> String {
        switch kind {
        case .estates:
            "小区名称,地址,社区代码,户数,建筑面积,业主分成比例,物业企业信用代码,合同开始日期\r\n示例花园,五四路1号,350102001001,320,28000,70,,\r\n"
        case .companies:
            "企业名称,统一社会信用代码,注册地区划代码,联系人,联系电话,地址\r\n示例物业服务有限公司,91350100M000100Y43,350102,王经理,0591-87654321,五四路1号\r\n"
        }
    }
}
