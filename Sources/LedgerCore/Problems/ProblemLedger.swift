import Foundation

/// 问题台账: every problem with its source, deadline, rectification and escalation.
public enum ProblemLedger {
    public static let headers = ["序号", "问题编号", "小区", "物业企业", "问题类别", "问题描述", "来源", "严重程度", "发现时间", "整改期限", "责任主体",
                                 "整改状态", "督办情况", "销号时间"]

    public static func rows(_ problems: [Problems.Problem]) -> [[String]] {
        problems.enumerated().map { index, p in
            ["\(index + 1)", "\(p.id)", p.estateName, p.companyName ?? "", p.categoryTitle, p.description, p.sourceTitle, p.severityTitle,
             Timestamp.display(stored: p.createdAt), p.deadline, p.responsible, p.status.title,
             ["未督办", "已发提醒函", "已发督办函", "已约谈"][min(p.escalationLevel, 3)], p.closedAt.map(Timestamp.display(stored:)) ?? ""]
        }
    }

    public static func csv(_ problems: [Problems.Problem]) -> String { CSV.format([headers] + rows(problems)) }

    public static func xlsx(_ problems: [Problems.Problem]) throws -> Data {
        let body = rows(problems).map { row in
            row.enumerated().map { $0.offset <= 1 ? XLSXCell.integer(Int64($0.element) ?? 0) : .text($0.element) }
        }
        return try XLSXWriter.data([XLSXSheet(name: "问题台账", rows: [headers.map(XLSXCell.bold)] + body,
                                              columnWidths: [6, 8, 20, 24, 20, 40, 10, 8, 18, 12, 20, 10, 12, 18], frozenRows: 1)])
    }
}
