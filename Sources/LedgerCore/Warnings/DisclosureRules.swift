import Foundation

/// W01 逾期未公示: a quarter owed (`EstateFigures.filer`) with nothing published by the deadline, or first published
/// after it; the warning is the owing company's, whether or not it manages the estate today.
struct W01LateOrMissing: WarningRule {
    let code = "W01", name = "逾期未公示", severity = "high"
    let citations: [PolicyCitation] = [.init(.putian, "二（一）", "每季度第一个月的月底前公示上一季度公共收益收支情况"), .init(.fuzhou, "二（一）", "未按照规定的时间节点公示公共收益情况")]
    func evaluate(_ input: RuleInput) -> String? {
        let due = input.quarter.dueDate
        guard EstateFigures.isPastDue(input.quarter, today: input.today), input.estate.filer(of: input.quarter) != nil else { return nil }
        guard let facts = input.facts else { return "截止日期 \(due) 已过，尚未公示" }
        if EstateFigures.onTime(firstPublishedAt: facts.firstPublishedAt, quarter: input.quarter) { return nil }
        return "截止日期 \(due)，实际公示于 \(Timestamp.display(stored: facts.firstPublishedAt))"
    }
}

/// W02 公示期不足: displayed less than the required days, or the display started after the deadline.
struct W02DisplayPeriod: WarningRule {
    let code = "W02", name = "公示期不足", severity = "medium"
    let citations: [PolicyCitation] = [.init(.putian, "四（二）", "公示期不少于30天")]
    let parameters = [RuleParameter("days", "公示期最少天数（发布公示时同样校验）", unit: "天", default: 30, range: 1...365)]
    func evaluate(_ input: RuleInput) -> String? {
        guard let facts = input.facts, let from = Day(facts.displayFrom), let until = Day(facts.displayUntil) else { return nil }
        let required = Int(input.parameter("days", 30))
        if from.days(until: until) < required { return "公示期 \(from) 至 \(until) 共\(from.days(until: until))天，少于\(required)天" }
        if input.quarter.dueDate < from { return "公示开始于 \(from)，晚于截止日期 \(input.quarter.dueDate)" }
        return nil
    }
}

/// W03 零收益: zero public revenue reported (a priority spot-check target).
struct W03ZeroRevenue: WarningRule {
    let code = "W03", name = "零收益", severity = "medium"
    let citations: [PolicyCitation] = [.init(.putian, "四（三）", "零收益小区列为重点抽查对象")]
    func evaluate(_ input: RuleInput) -> String? {
        guard let facts = input.facts, facts.income == 0 else { return nil }
        return "本季度公共收益为0"
    }
}

/// W04 分配比例异常: owners' share below the agreed ratio of the surplus.
struct W04ShareBelowRatio: WarningRule {
    let code = "W04", name = "分配比例异常", severity = "high"
    let citations: [PolicyCitation] = [.init(nil, "结余分配", "按约定比例分配业主与物业服务企业的份额")]
    func evaluate(_ input: RuleInput) -> String? {
        guard let facts = input.facts, facts.surplus > 0 else { return nil }
        let (product, overflow) = facts.surplus.multipliedReportingOverflow(by: Int64(input.estate.ownersShareBp))
        guard !overflow else { return nil }
        let agreed = product / 10_000
        guard facts.ownersShare < agreed else { return nil }
        return "结余 \(yuan(facts.surplus)) 元，约定业主比例 \(percentText(basisPoints: input.estate.ownersShareBp)) 应得 \(yuan(agreed)) 元，实际 \(yuan(facts.ownersShare)) 元"
    }
}

/// W05 结余未转存: transfer smaller than the owners' share, or later than N days after the quarter's end. A transfer to the
/// 维修资金专户 counts like one to the dedicated account (Putian §二(二)) unless the region sets `maintenance_fund` to 0.
struct W05TransferShort: WarningRule {
    let code = "W05", name = "结余未转存", severity = "high"
    let citations: [PolicyCitation] = [.init(.dehua, "二（三）", "按规定时限及时转存公共收益资金"), .init(.putian, "二（二）", "结余及时存入维修资金专户"), .init(.fuzhou, "二（三）", "未按规定时限及时转存公共收益资金")]
    let parameters = [RuleParameter("days", "季度结束后转存期限", unit: "天", default: 30, range: 1...365),
                      RuleParameter("maintenance_fund", "结余可转入维修资金专户（1=可以，0=只认公共收益专户）", unit: "", default: 1, range: 0...1)]
    func evaluate(_ input: RuleInput) -> String? {
        guard let facts = input.facts, facts.ownersShare > 0 else { return nil }
        let transferred = facts.transfer ?? 0
        if transferred < facts.ownersShare { return "业主分成 \(yuan(facts.ownersShare)) 元，仅转存 \(yuan(transferred)) 元" }
        if facts.transferTarget == SurplusAccount.maintenanceFund.rawValue, input.parameter("maintenance_fund", 1) < 1 {
            return "结余转入维修资金专户，本地区规定应转入公共收益专户"
        }
        let limit = input.quarter.lastDay.adding(days: Int(input.parameter("days", 30)))
        if let date = facts.transferDate.flatMap(Day.init), limit < date { return "转存日期 \(date) 晚于 \(limit)" }
        return nil
    }
}

/// W07 支出无决议: an expenditure without a covering decision of the estate's register (`DecisionCoverage`): none cited,
/// an unknown reference, a decision not in force in the quarter, or more than it authorised.
struct W07NoDecision: WarningRule {
    let code = "W07", name = "支出无决议", severity = "high"
    let citations: [PolicyCitation] = [.init(.putian, "二（二）", "未按规定经业主共同决定擅自使用公共收益"), .init(.fuzhou, "二（一）", "未按规定使用公共收益，列支项目不规范")]
    func evaluate(_ input: RuleInput) -> String? {
        guard let facts = input.facts, facts.undecidedExpenditures > 0 else { return nil }
        let reasons = facts.uncoveredReasons.isEmpty ? "" : "：" + facts.uncoveredReasons.joined(separator: "；")
        return "\(facts.undecidedExpenditures) 笔经营支出没有有效的业主决议依据\(reasons)"
    }
}

/// W12 已公示数据被修改: a published version was corrected.
struct W12Corrected: WarningRule {
    let code = "W12", name = "已公示数据被修改", severity = "low"
    let citations: [PolicyCitation] = [.init(nil, "更正", "已公示的数据更正须留痕并复核")]
    func evaluate(_ input: RuleInput) -> String? {
        guard let facts = input.facts, facts.versions > 1 else { return nil }
        return "本季度公示已更正 \(facts.versions - 1) 次，请复核"
    }
}
