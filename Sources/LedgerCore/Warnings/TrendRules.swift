import Foundation

/// W08 收入项目消失: an income category present in each of the last N quarters is missing now.
struct W08VanishedCategory: WarningRule {
    let code = "W08", name = "收入项目消失", severity = "medium"
    let citations: [PolicyCitation] = [.init(.putian, "二（一）", "公示内容漏项错项、故意不公示部分项目"), .init(.fuzhou, "二（一）", "公示项目不明晰、不具体、缺项漏项")]
    let parameters = [RuleParameter("quarters", "此前连续出现的季度数", unit: "个季度", default: 2, range: 1...4)]
    func evaluate(_ input: RuleInput) -> String? {
        guard let facts = input.facts else { return nil }
        var quarter = input.quarter
        var steady: Set<String>?
        for _ in 0..<max(1, Int(input.parameter("quarters", 2))) {
            quarter = quarter.previous
            guard let earlier = input.estate.quarters[quarter] else { return nil }
            steady = steady.map { $0.intersection(earlier.categories) } ?? earlier.categories
        }
        let gone = (steady ?? []).subtracting(facts.categories).sorted()
        guard !gone.isEmpty else { return nil }
        return "此前连续季度均有的收入项目本季度未出现：" + gone.map { IncomeCategory(rawValue: $0)?.title ?? $0 }.joined(separator: "、")
    }
}

/// W09 收入骤降: income below X% of the trailing four-quarter mean.
struct W09SuddenDrop: WarningRule {
    let code = "W09", name = "收入骤降", severity = "medium"
    let citations: [PolicyCitation] = [.init(.putian, "二（一）", "公示的公共收益收支情况与实际不符"), .init(.fuzhou, "二（一）", "收取的停车费等公共收益资金去向、用向不清")]
    let parameters = [RuleParameter("percent", "低于前四季度均值的比例", unit: "%", default: 50, range: 1...100)]
    func evaluate(_ input: RuleInput) -> String? {
        guard let facts = input.facts else { return nil }
        var history: [Int64] = []
        var quarter = input.quarter
        for _ in 0..<4 {
            quarter = quarter.previous
            if let earlier = input.estate.quarters[quarter] { history.append(earlier.income) }
        }
        guard history.count >= 2 else { return nil }  // a new estate has no trend to fall from
        let mean = Double(history.reduce(0, +)) / Double(history.count)
        let threshold = mean * input.parameter("percent", 50) / 100
        guard mean > 0, Double(facts.income) < threshold else { return nil }
        return "收入 \(yuan(facts.income)) 元，低于前\(history.count)个季度均值 \(yuan(Int64(mean))) 元的 \(Int(input.parameter("percent", 50)))%"
    }
}

/// W10 成本占比异常: cost / income above max(60%, the county's 95th percentile).
struct W10CostRatio: WarningRule {
    let code = "W10", name = "成本占比异常", severity = "medium"
    let citations: [PolicyCitation] = [.init(.putian, "二（二）", "虚增项目列支"), .init(.fuzhou, "二（一）", "支出事项填报不全，列支项目不规范")]
    let parameters = [RuleParameter("floor", "成本占比下限阈值", unit: "%", default: 60, range: 1...100)]
    func evaluate(_ input: RuleInput) -> String? {
        guard let facts = input.facts, facts.income > 0 else { return nil }
        let ratio = Double(facts.cost) / Double(facts.income)
        let threshold = max(input.parameter("floor", 60) / 100, input.peers.costRatioP95 ?? 0)
        guard ratio > threshold else { return nil }
        return String(format: "成本占收入 %.1f%%，高于阈值 %.1f%%（本县同季度第95百分位与%.0f%%取大）", ratio * 100, threshold * 100, input.parameter("floor", 60))
    }
}

/// W11 户均收益偏低: income per household below X% of the county median.
struct W11LowIncomePerHousehold: WarningRule {
    let code = "W11", name = "户均收益偏低", severity = "low"
    let citations: [PolicyCitation] = [.init(.putian, "二（一）", "公示金额填报不实、与实际不符")]
    let parameters = [RuleParameter("percent", "低于本县中位数的比例", unit: "%", default: 20, range: 1...100)]
    func evaluate(_ input: RuleInput) -> String? {
        guard let facts = input.facts, input.estate.households > 0, let median = input.peers.incomePerHouseholdMedian, median > 0 else { return nil }
        let perHousehold = Double(facts.income) / Double(input.estate.households)
        let threshold = median * input.parameter("percent", 20) / 100
        guard perHousehold < threshold else { return nil }
        return String(format: "户均收益 %.2f 元，低于本县同季度中位数 %.2f 元的 %.0f%%", perHousehold / 100, median / 100, input.parameter("percent", 20))
    }
}
