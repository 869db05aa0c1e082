import Foundation

/// W06 未设专户: a managed estate has no dedicated public-revenue account.
struct W06NoAccount: WarningRule {
    let code = "W06", name = "未设专户", severity = "high"
    let citations: [PolicyCitation] = [.init(.fuzhou, "二（三）、四（一）", "以住宅小区物业服务区域为单位单独开设公共收益银行账户，专户专账管理")]
    let aboutTheEstateNow = true
    func evaluate(_ input: RuleInput) -> String? {
        guard input.quarter == input.currentQuarter, input.estate.companyId != nil, !input.estate.hasAccount else { return nil }
        return "小区未设立公共收益专户"
    }
}

/// W15 业委会任期届满: the owners' committee's term has ended without a new one.
struct W15CommitteeExpired: WarningRule {
    let code = "W15", name = "业委会任期届满", severity = "low"
    let citations: [PolicyCitation] = [.init(.panjin, "三（三）6", "业主委员会任期届满后未及时组织召开业主大会会议进行换届选举")]
    let aboutTheEstateNow = true
    func evaluate(_ input: RuleInput) -> String? {
        guard input.quarter == input.currentQuarter, input.estate.companyId != nil,
              let end = input.estate.committeeTermEnd, end < input.today.description else { return nil }
        return "业委会任期已于 \(end) 届满，未见换届"
    }
}


/// W13 投诉集中: at least N complaints about one estate in the last D days.
struct W13ComplaintCluster: WarningRule {
    let code = "W13", name = "投诉集中", severity = "medium"
    let citations: [PolicyCitation] = [.init(.wenxian, "附件5", "投诉举报问题逐件登记台账、跟踪办理"), .init(.putian, "五（三）", "群众反映集中的问题重点督办")]
    let aboutTheEstateNow = true
    let parameters = [RuleParameter("count", "投诉件数", unit: "件", default: 3, range: 2...100),
                      RuleParameter("days", "统计天数", unit: "天", default: 90, range: 1...365)]
    func evaluate(_ input: RuleInput) -> String? {
        guard input.quarter == input.currentQuarter else { return nil }
        let days = Int(input.parameter("days", 90)), count = Int(input.parameter("count", 3))
        let since = input.today.adding(days: -days).description
        let recent = input.estate.complaints.filter { Timestamp.shanghaiDay(Timestamp.parse($0) ?? .distantPast) >= since }.count
        guard recent >= count else { return nil }
        return "近\(days)天（\(since) 起）收到投诉 \(recent) 件，达到 \(count) 件"
    }
}

/// W14 整改逾期: a rectification still open after its deadline.
struct W14RectificationOverdue: WarningRule {
    let code = "W14", name = "整改逾期", severity = "high"
    let citations: [PolicyCitation] = [.init(.putian, "附件第22项", "逾期不整改的约谈、通报、信用减分"), .init(.fuzhou, "附件3第27项", "逾期不整改的约谈、通报、信用减分"), .init(.dehua, "附件1第23项", "逾期不整改的约谈、通报、信用减分")]
    let aboutTheEstateNow = true
    func evaluate(_ input: RuleInput) -> String? {
        guard input.quarter == input.currentQuarter, let earliest = input.estate.overdueRectifications.min() else { return nil }
        return "\(input.estate.overdueRectifications.count) 项整改逾期未完成，最早截止日期 \(earliest)"
    }
}
