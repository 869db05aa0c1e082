import Foundation
import SQLKit

/// `ledger import disclosures FILE.csv` and the company upload page: one row per estate and quarter, every row
/// published or none, each bad row named with its field and reason.
public struct DisclosureImport: Sendable {
    /// Columns: Chinese label → field key. Income columns are the unified categories.
    static let columns: [String: String] = [
        "小区编号": "estate", "年度": "year", "季度": "quarter",
        "停车费": "income.parking", "电梯广告": "income.advertising_elevator", "其他广告": "income.advertising_other",
        "场地租赁": "income.venue_rental", "通信基站": "income.telecom", "快递柜": "income.locker", "充电桩": "income.ev_charging",
        "其他收入": "income.other", "经营成本": "cost", "业主分成": "ownersShare", "企业分成": "companyShare",
        "经营支出": "expenditure", "支出说明": "expenditureDescription", "决议依据": "decision", "转存金额": "transferAmount",
        "转存日期": "transferDate", "转存账户": "transferTarget", "期初余额": "openingBalance", "联系人": "contactName", "联系电话": "contactPhone",
        "公示开始": "displayFrom", "公示截止": "displayUntil", "更正原因": "reason",
    ]
    public static let template = "小区编号,年度,季度,停车费,电梯广告,其他广告,场地租赁,通信基站,快递柜,充电桩,其他收入,经营成本,业主分成,企业分成,经营支出,支出说明,决议依据,转存金额,转存日期,转存账户,期初余额,联系人,联系电话,公示开始,公示截止,更正原因\r\n"

    let database: Database
    let clock: any LedgerClock

    public init(database: Database, clock: any LedgerClock) {
        self.database = database
        self.clock = clock
    }

    /// Publishes every row or none; returns how many were published, or throws `ImportRejected`.
    public func run(csv text: String, scope: Scope) async throws -> Int {
        let records = CSV.parse(text)
        guard let header = records.first else {
            throw ImportRejected(errors: [ImportRowError(line: 1, field: "", message: "文件为空，请使用模板填写后再上传")])
        }
        let keys = header.fields.map { Self.columns[$0.trimmingCharacters(in: .whitespaces)] ?? $0.trimmingCharacters(in: .whitespaces) }
        let missing = ["estate", "year", "quarter", "ownersShare", "openingBalance", "contactName", "contactPhone", "displayFrom", "displayUntil"]
            .filter { !keys.contains($0) }
        guard missing.isEmpty else {
            throw ImportRejected(errors: [ImportRowError(line: header.line, field: missing.joined(separator: ","), message: "表头缺少必需的列")])
        }
        guard records.count > 1 else { throw ImportRejected(errors: [ImportRowError(line: header.line, field: "", message: "文件只有表头，没有数据行")]) }
        guard records.count <= RegistryImport.maxRows + 1 else {
            throw ImportRejected(errors: [ImportRowError(line: header.line, field: "", message: "一次最多导入\(RegistryImport.maxRows)行")])
        }
        let at = clock.now()
        let published = try await database.transaction { db in
            var errors: [ImportRowError] = []
            var published: [(Int64, Quarter)] = []
            for record in records.dropFirst() {
                var row: [String: String] = [:]
                for (index, value) in record.fields.enumerated() where index < keys.count { row[keys[index]] = value.trimmingCharacters(in: .whitespaces) }
                do {
                    guard let estate = Int64(row["estate"] ?? ""), let year = Int(row["year"] ?? ""), let q = Int(row["quarter"] ?? ""),
                          let quarter = Quarter(year: year, quarter: q) else {
                        throw LedgerError.invalid("小区编号/年度/季度", code: "bad_target", "小区编号、年度、季度须为数字，季度为1至4")
                    }
                    _ = try await DisclosureRepository.publish(estateId: estate, quarter: quarter, document: Self.document(row),
                                                               reason: row["reason"] ?? "", scope: scope, at: at, on: db)
                    published.append((estate, quarter))
                } catch let failure as FieldErrors {
                    errors += failure.items.map { ImportRowError(line: record.line, field: $0.field ?? "", message: $0.message) }
                } catch let failure as LedgerError {
                    errors.append(ImportRowError(line: record.line, field: failure.field ?? "", message: failure.message))
                }
            }
            if !errors.isEmpty { throw ImportRejected(errors: errors) }
            return published
        }
        await WarningEngine(database: database, clock: clock).afterPublishing(published)
        return published.count
    }

    static func document(_ row: [String: String]) -> DisclosureDocument {
        func has(_ key: String) -> Bool { !(row[key] ?? "").isEmpty }
        let income = IncomeCategory.allCases.compactMap { category -> DisclosureDocument.Income? in
            guard let amount = row["income.\(category.rawValue)"], !amount.isEmpty else { return nil }
            return .init(category: category.rawValue, description: category.title, amount: amount)
        }
        return DisclosureDocument(
            income: income,
            costs: has("cost") ? [.init(description: "经营成本", amount: row["cost"]!)] : [],
            distribution: .init(ownersShare: row["ownersShare"] ?? "", companyShare: has("companyShare") ? row["companyShare"]! : "0"),
            expenditures: has("expenditure")
                ? [.init(description: has("expenditureDescription") ? row["expenditureDescription"]! : "经营支出", amount: row["expenditure"]!,
                         decision: row["decision"] ?? "")] : [],
            transfer: has("transferAmount") || has("transferDate")
                ? .init(amount: row["transferAmount"] ?? "", date: row["transferDate"] ?? "", target: Self.transferTarget(row["transferTarget"])) : nil,
            openingBalance: row["openingBalance"] ?? "",
            contact: .init(name: row["contactName"] ?? "", phone: row["contactPhone"] ?? ""),
            display: .init(from: row["displayFrom"] ?? "", until: row["displayUntil"] ?? ""))
    }

    /// The 转存账户 column: 公共收益专户 (or empty) is the dedicated account, 维修资金专户 the maintenance fund; the codes
    /// themselves are accepted too, and anything else is passed on for the checks to refuse with its field.
    static func transferTarget(_ text: String?) -> String? {
        let value = (text ?? "").trimmingCharacters(in: .whitespaces)
        switch value {
        case "", "公共收益专户", "专户", "dedicated": return nil
        case "维修资金专户", "维修资金", "专项维修资金", "maintenance_fund": return "maintenance_fund"
        default: return value
        }
    }
}
