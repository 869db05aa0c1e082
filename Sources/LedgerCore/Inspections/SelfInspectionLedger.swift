import Foundation
import SQLKit

/// 自查自纠台账 (Dehua, Fuzhou: "形成自查自纠台账，明确整改措施、整改时限和责任人"): one row per 不符合 item of each
/// self-inspection, or one row saying all was in order, in the officials' scope and filter.
public enum SelfInspectionLedger {
    /// One row of the ledger.
    public struct Row: Sendable {
        public let inspection: SelfInspection
        /// The item found not in order (nil: a self-inspection with nothing 不符合).
        public let item: ChecklistItem?
        public let answer: SelfInspectionAnswer?
    }

    public static let headers = ["序号", "小区", "物业服务企业", "自查季度", "提交时间", "检查内容", "存在问题", "整改措施", "整改时限", "责任人", "核查情况"]

    /// The workbook: title, the 单位／填报人／填报时间 line, the header (repeated on every printed page), the rows.
    public static func layout(unit: String, period: String, filledOn: Day) -> LedgerLayout<Row> {
        LedgerLayout(sheet: InspectionLedgers.head(title: "\(unit)物业服务企业自查自纠台账", name: "自查自纠台账", unit: unit, periodTitle: period,
                                                   filledOn: filledOn, headers: headers, widths: [6, 20, 24, 14, 18, 30, 30, 30, 12, 10, 24]),
                     headers: headers, row: row)
    }

    static func row(_ row: Row, _ number: Int) -> [XLSXCell] {
        let s = row.inspection
        let finding = s.isFalse ? "认定弄虚作假：\(s.falseNote ?? "")" : ""
        return [.integer(Int64(number))] + [
            s.estateName, s.companyName, s.period.title, Timestamp.display(stored: s.filedAt), row.item?.title ?? "（全部符合或不适用）",
            row.answer?.note ?? "", row.answer?.measure ?? "", row.answer?.deadline ?? "", row.answer?.responsible ?? "", finding,
        ].map(XLSXCell.text)
    }
}

extension SelfInspections {
    /// Every row of the ledger the filter selects, a page of self-inspections at a time (constant memory).
    public func forEachLedgerRow(scope: Scope, filter: Filter, _ each: (SelfInspectionLedger.Row) async throws -> Void) async throws {
        try scope.require(.viewSelfInspections)
        var page = 1
        var checklists: [Int: ChecklistVersion] = [:]
        while true {
            var paged = filter
            paged.page = page
            let batch = try await list(scope: scope, filter: paged, pageSize: 200)
            for s in batch.items {
                if checklists[s.checklistVersion] == nil {
                    checklists[s.checklistVersion] = try await database.read { db in try await Checklists.version(s.checklistVersion, on: db) } ?? .builtIn
                }
                let failed = checklists[s.checklistVersion]!.items.filter { s.answers[$0.code]?.result == .fails }
                if failed.isEmpty {
                    try await each(.init(inspection: s, item: nil, answer: nil))
                } else {
                    for item in failed { try await each(.init(inspection: s, item: item, answer: s.answers[item.code])) }
                }
            }
            guard batch.hasNext else { return }
            page += 1
        }
    }
}
