import Foundation

/// 问题台账: every problem with its source, deadline, rectification and escalation.
public enum ProblemLedger {
    public static let headers = ["序号", "问题编号", "小区", "物业企业", "问题类别", "问题描述", "来源", "严重程度", "发现时间", "整改期限", "责任主体",
                                 "整改状态", "督办情况", "销号时间"]

    /// The workbook: title, the 单位／填报人／填报时间 line, the header (repeated on every printed page), a row per problem.
    public static func layout(unit: String, period: String, filledOn: Day) -> LedgerLayout<Problems.Problem> {
        LedgerLayout(sheet: InspectionLedgers.head(title: "\(unit)物业小区公共收益问题台账", name: "问题台账", unit: unit, periodTitle: period,
                                                   filledOn: filledOn, headers: headers, widths: [6, 8, 20, 24, 20, 40, 10, 8, 18, 12, 20, 10, 12, 18]),
                     headers: headers, row: row)
    }

    static func row(_ p: Problems.Problem, _ number: Int) -> [XLSXCell] {
        [.integer(Int64(number)), .integer(p.id)] + [
            p.estateName, p.companyName ?? "", p.categoryTitle, p.description, p.sourceTitle, p.severityTitle, Timestamp.display(stored: p.createdAt),
            p.deadline, p.responsible, p.status.title, escalationTitle(p.escalationLevel), p.closedAt.map(Timestamp.display(stored:)) ?? "",
        ].map(XLSXCell.text)
    }

    /// How far the escalation ladder has gone.
    public static func escalationTitle(_ level: Int) -> String { ["未督办", "已发提醒函", "已发督办函", "已约谈"][min(max(level, 0), 3)] }
}
