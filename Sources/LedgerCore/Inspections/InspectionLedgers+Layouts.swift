import Foundation

/// The two inspection ledgers' workbooks: title, the 单位／填报人／填报时间 line with the period, the header, a row per entry.
extension InspectionLedgers {
    /// 检查工作台账 (工作台账 含主管部门、乡镇（街道）检查工作台账: Dehua §五(五), Putian §五(四), Fuzhou §五).
    public static let workHeaders = ["序号", "检查日期", "县（市、区）", "街道（乡镇）", "小区名称", "物业服务企业", "检查单位", "检查人员", "检查方式",
                                     "检查事项", "发现问题", "问题数", "整改情况", "备注"]

    /// 抽查核实台账 (Putian 附件1 #11, the verifications of §四(三): 上级交办件、信访件、问题线索、公共收益为零的小区 and the random
    /// remainder; what was verified follows the disclosure content of §四(二) and the checklist).
    public static let spotCheckHeaders = ["序号", "县（区）", "镇（街道）", "小区名称", "物业服务企业", "核实日期", "核实方式", "核实对象",
                                          "公共收益公示情况", "专户设立使用情况", "收益分配及结余转存情况", "支出决议及凭证情况", "存在问题", "整改情况",
                                          "核实人员", "备注"]

    public static func workLayout(unit: String, period: Period, filledOn: Day, tier: Tier = .all) -> LedgerLayout<Entry> {
        let sheet = head(title: "\(unit)物业小区公共收益专项整治\(tier.title)", name: tier.title, unit: unit, period: period, filledOn: filledOn,
                         headers: workHeaders, widths: [6, 14, 12, 14, 20, 24, 20, 20, 18, 30, 40, 8, 20, 24])
        return LedgerLayout(sheet: sheet, headers: workHeaders) { e, number in
            [.integer(Int64(number))] + [e.date, e.county, e.street, e.estate, e.company, e.unit, e.inspectors, e.method, e.items, e.findings]
                .map(XLSXCell.text) + [.integer(Int64(e.problems)), .text(e.rectification), .text(e.remark)]
        }
    }

    public static func spotCheckLayout(unit: String, period: Period, filledOn: Day) -> LedgerLayout<Entry> {
        let sheet = head(title: "\(unit)物业“点题整治”抽查核实台账", name: "抽查核实台账", unit: unit, period: period, filledOn: filledOn,
                         headers: spotCheckHeaders, widths: [6, 12, 14, 20, 24, 12, 22, 22, 24, 20, 24, 20, 40, 20, 20, 24])
        return LedgerLayout(sheet: sheet, headers: spotCheckHeaders) { e, number in
            [.integer(Int64(number))] + [
                e.county, e.street, e.estate, e.company, e.date, e.method, e.target,
                e.answer(["disclosed_on_time", "displayed_30_days"]), e.answer(["account_used"]), e.answer(["ratio_agreed", "surplus_transferred"]),
                e.answer(["owners_decided", "vouchers_complete"]), e.findings, e.rectification, e.inspectors, e.remark,
            ].map(XLSXCell.text)
        }
    }

    static func head(title: String, name: String, unit: String, period: Period, filledOn: Day, headers: [String], widths: [Double]) -> XLSXSheet {
        head(title: title, name: name, unit: unit, periodTitle: period.title, filledOn: filledOn, headers: headers, widths: widths)
    }

    /// A ledger's sheet as the plans print it: the title, the 单位（盖章）／统计期间／填报人／填报时间 line, the header row
    /// (bordered table from there on, the header repeated on every printed page).
    static func head(title: String, name: String, unit: String, periodTitle: String, filledOn: Day, headers: [String], widths: [Double]) -> XLSXSheet {
        let last = XLSXWriter.reference(row: 1, column: headers.count).filter(\.isLetter)
        let filler = "单位（盖章）：\(unit)　　统计期间：\(periodTitle)　　填报人：　　　　填报时间：\(chinese(filledOn))"
        return XLSXSheet(name: name, rows: [[.bold(title)], [.text(filler)], headers.map(XLSXCell.bold)], merges: ["A1:\(last)1", "A2:\(last)2"],
                         columnWidths: widths, frozenRows: 3, tableFrom: 3, printTitles: 3...3)
    }
}
