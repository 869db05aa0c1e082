import Foundation

/// W16 自查逾期: the company that owed a quarter's self-inspection (`SelfInspectionFigures`) has not filed it by its due
/// day (the region's days into the next quarter), or no self-inspection at all by the campaign's date in that quarter
/// (5/31 Dehua and Fuzhou, 7/20 Putian), or none filed within a campaign's 自查自纠 phase by its last day (the phase
/// ending in that quarter). Filing, even late, clears it; the filing date stays on the record.
struct W16SelfInspectionOverdue: WarningRule {
    let code = "W16", name = "自查逾期", severity = "medium"
    let citations: [PolicyCitation] = [.init(.putian, "四（二）", "下一季度初开展上一季度的自查自纠"),
                                       .init(.putian, "五（二）", "7月20日前公示自查结果"),
                                       .init(.dehua, "五（二）", "5月31日前公示自查结果"), .init(.fuzhou, "五（二）", "5月底前完成自查自纠并公示结果")]
    let parameters = [RuleParameter("grace", "截止日后宽限天数", unit: "天", default: 0, range: 0...60),
                      RuleParameter("quarters", "检查最近几个季度", unit: "个季度", default: 4, range: 1...8)]

    func evaluate(_ input: RuleInput) -> String? {
        let estate = input.estate, quarter = input.quarter, current = input.currentQuarter
        // Only the recent quarters: self-inspections began with the platform, and older gaps are history, not a to-do.
        let age = (current.year * 4 + current.quarter) - (quarter.year * 4 + quarter.quarter)
        guard age >= 0, age < Int(input.parameter("quarters", 4)), estate.filer(of: quarter) != nil else { return nil }
        let grace = Int(input.parameter("grace", 0))
        var reasons: [String] = []
        let due = SelfInspectionFigures.dueDay(for: quarter, days: estate.selfInspectionDays)
        if due.adding(days: grace) < input.today && !estate.selfInspected.contains(quarter) {
            reasons.append("\(quarter.title)的自查自纠应于 \(due) 前提交，至今未提交")
        }
        if let campaign = SelfInspectionFigures.campaignDueDay(year: quarter.year, monthDay: estate.campaignSelfInspectionDue),
           Quarter(containing: campaign) == quarter, campaign.adding(days: grace) < input.today,
           !estate.selfInspectionFiledOn.contains(where: { $0.hasPrefix("\(quarter.year)-") }) {
            reasons.append("专项整治自查自纠阶段要求 \(campaign) 前提交自查结果，本年度至今未提交")
        }
        for phase in estate.selfInspectionPhases where Quarter(containing: phase.endsOn) == quarter && phase.endsOn.adding(days: grace) < input.today {
            // Filed from the phase's first day on (late filing clears it, as above).
            if !estate.selfInspectionFiledOn.contains(where: { $0 >= phase.startsOn.description }) {
                reasons.append("「\(phase.campaign)」\(phase.name)（\(phase.startsOn)至\(phase.endsOn)）要求提交自查结果，至今未提交")
            }
        }
        return reasons.isEmpty ? nil : reasons.joined(separator: "；")
    }
}
