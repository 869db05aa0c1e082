import Foundation

/// W06 未设专户: a managed estate has no dedicated public-revenue account.
struct W06NoAccount: WarningRule {
    let code = "W06", name = "未设专户", severity = "high", clause = "福州§二(一)、德化：公共收益设立专户"
    let defaults: [String: Double] = [:]
    func evaluate(_ input: RuleInput) -> String? {
        guard input.quarter == input.currentQuarter, input.estate.companyId != nil, !input.estate.hasAccount else { return nil }
        return "小区未设立公共收益专户"
    }
}

/// W15 业委会任期届满: the owners' committee's term has ended without a new one.
struct W15CommitteeExpired: WarningRule {
    let code = "W15", name = "业委会任期届满", severity = "low", clause = "盘锦§六：业委会（物管会）运行失效"
    let defaults: [String: Double] = [:]
    func evaluate(_ input: RuleInput) -> String? {
        guard input.quarter == input.currentQuarter, input.estate.companyId != nil,
              let end = input.estate.committeeTermEnd, end < input.today.description else { return nil }
        return "业委会任期已于 \(end) 届满，未见换届"
    }
}
