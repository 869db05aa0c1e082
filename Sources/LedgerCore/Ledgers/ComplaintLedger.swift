import Foundation

/// The complaint ledger in the columns of Wen County 附件5 (which that plan calls its 工作台账), and the problem ledger
/// (问题台账). Complainants' names and phones stay masked in exports: the ledger circulates, the handling officer looks
/// them up on the page (audited).
public enum ComplaintLedger {
    public static let headers = ["序号", "投诉人", "联系方式", "问题（舆情）简要内容", "来源", "受理时间", "承办科室", "办理进展和结果", "是否办结", "受理人", "备注"]

    public static func rows(_ complaints: [Complaints.Complaint]) -> [[String]] {
        complaints.enumerated().map { index, c in
            let progress: String
            if c.status == .closed {
                progress = "\(c.outcome?.title ?? "已办结")：\(c.closureNote ?? "")"
            } else if let reply = c.reply {
                progress = "\(c.status.title)；已答复：\(reply)"
            } else {
                progress = c.status.title
            }
            var remarks = ["查询码 \(c.trackingCode)"]
            if let ref = c.sourceRef { remarks.append("来源编号 \(ref)") }
            if c.reopenedCount > 0 { remarks.append("投诉人不满意重办\(c.reopenedCount)次") }
            if let deadline = c.deadline { remarks.append("办理时限 \(deadline)") }
            if let problem = c.problemId { remarks.append("已立案问题 #\(problem)") }
            return ["\(index + 1)", c.maskedName, c.maskedPhone, "\(c.estateName)：\(c.content)", c.source.title, Timestamp.display(stored: c.receivedAt),
                    c.handlingRegionName ?? "", progress, c.status == .closed ? "是" : "否", c.receivedBy, remarks.joined(separator: "；")]
        }
    }

    public static func csv(_ complaints: [Complaints.Complaint]) -> String {
        CSV.format([headers] + rows(complaints))
    }

    /// The workbook as in 附件5: title, the 单位／填报人／填报时间 line, the header, the rows.
    public static func xlsx(_ complaints: [Complaints.Complaint], unit: String, filledOn: Day) throws -> Data {
        let body = rows(complaints).map { row in row.enumerated().map { $0.offset == 0 ? XLSXCell.integer(Int64($0.element) ?? 0) : .text($0.element) } }
        let title = "\(unit)“整治物业服务履约不到位、侵占业主公共收益等问题”工作台账"
        let filler = "单位（盖章）：\(unit)　　　　填报人：　　　　填报时间：\(filledOn.year)年\(filledOn.month)月\(filledOn.day)日"
        return try XLSXWriter.data([XLSXSheet(name: "投诉举报受理台账", rows: [[.bold(title)], [.text(filler)], headers.map(XLSXCell.bold)] + body,
                                              merges: ["A1:K1", "A2:K2"], columnWidths: [6, 10, 14, 50, 14, 18, 14, 40, 8, 12, 30], frozenRows: 3)])
    }
}

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
