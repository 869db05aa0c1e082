import Foundation

/// The complaint ledger in the columns of Wen County 附件5 (which that plan calls its 工作台账). Complainants' names and
/// phones stay masked in exports: the ledger circulates, the handling officer looks them up on the page (audited).
public enum ComplaintLedger {
    public static let headers = ["序号", "投诉人", "联系方式", "问题（舆情）简要内容", "来源", "受理时间", "承办科室", "办理进展和结果", "是否办结", "受理人", "备注"]

    /// The workbook as in 附件5: title, the 单位／填报人／填报时间 line, the header, then a row per complaint.
    public static func layout(unit: String, filledOn: Day, period: String? = nil) -> LedgerLayout<Complaints.Complaint> {
        let title = "\(unit)“整治物业服务履约不到位、侵占业主公共收益等问题”工作台账"
        let filler = "单位（盖章）：\(unit)　　　　填报人：　　　　填报时间：\(filledOn.year)年\(filledOn.month)月\(filledOn.day)日"
            + (period.map { "　　　　统计期间：\($0)" } ?? "")
        let sheet = XLSXSheet(name: "投诉举报受理台账", rows: [[.bold(title)], [.text(filler)], headers.map(XLSXCell.bold)],
                              merges: ["A1:K1", "A2:K2"], columnWidths: [6, 10, 14, 50, 14, 18, 14, 40, 8, 12, 30], frozenRows: 3,
                              tableFrom: 3, printTitles: 3...3)
        return LedgerLayout(sheet: sheet, headers: headers) { c, number in
            [.integer(Int64(number))] + row(c).map(XLSXCell.text)
        }
    }

    /// The period an export covers, as the ledger's head says it and as its file is named: month by month, or
    /// cumulatively since the campaign began (附件5: "填专项行动开展以来的相关情况"); nil when neither end is set.
    public static func period(from: Day?, until: Day?, today: Day) -> (title: String, name: String)? {
        guard from != nil || until != nil else { return nil }
        func words(_ day: Day) -> String { "\(day.year)年\(day.month)月\(day.day)日" }
        let end = until ?? today
        let title = (from.map { words($0) } ?? "开始") + "至" + words(end) + (until == nil && from != nil ? "（累计）" : "")
        let name = (from.map { $0.description } ?? "") + "至" + end.description
        return (title, name)
    }

    static func row(_ c: Complaints.Complaint) -> [String] {
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
        return [c.maskedName, c.maskedPhone, "\(c.estateName)：\(c.content)", c.source.title, Timestamp.display(stored: c.receivedAt),
                c.handlingRegionName ?? "", progress, c.status == .closed ? "是" : "否", c.receivedBy, remarks.joined(separator: "；")]
    }
}
