import Foundation
@testable import LedgerCore
import Testing

/// Each rule on hand-made facts, at its boundaries: exactly at the threshold, one step past it, no peers, no history.
@Suite struct WarningRuleTests {
    static let q3 = Quarter(year: 2024, quarter: 3)!
    static let today = Day("2024-11-19")!

    static func facts(_ quarter: Quarter = q3, income: Int64 = 1_000_000, cost: Int64 = 300_000, share: Int64? = nil, transfer: Int64? = -1,
                      transferDate: String? = "2024-10-10", display: (String, String) = ("2024-10-05", "2024-11-05"),
                      published: String = "2024-10-05T02:00:00Z", versions: Int = 1, categories: Set<String> = ["parking", "telecom"],
                      undecided: Int = 0) -> QuarterFacts {
        let owners = share ?? (income - cost) * 7 / 10
        return QuarterFacts(quarter: quarter, income: income, cost: cost, ownersShare: owners, transfer: transfer == -1 ? owners : transfer,
                            transferDate: transferDate, displayFrom: display.0, displayUntil: display.1, firstPublishedAt: published,
                            versions: versions, categories: categories, undecidedExpenditures: undecided)
    }

    static func estate(_ quarters: [QuarterFacts], households: Int = 100, account: Bool = true, committeeEnd: String? = "2027-01-01",
                       contractStart: String? = "2020-01-01", complaints: [String] = [], overdueRectifications: [String] = []) -> EstateFacts {
        var facts = EstateFacts(id: 1, companyId: 7, regionPath: "/350000/350100/350102/350102001/350102001001/", households: households, ownersShareBp: 7_000,
                    hasAccount: account, committeeTermEnd: committeeEnd,
                    contracts: contractStart.map { [EstateFigures.Contract(companyId: 7, start: $0, end: nil)] } ?? [],
                    quarters: Dictionary(uniqueKeysWithValues: quarters.map { ($0.quarter, $0) }))
        facts.complaints = complaints
        facts.overdueRectifications = overdueRectifications
        return facts
    }

    static let noPeers = PeerStatistics(costRatioP95: nil, incomePerHouseholdMedian: nil)

    static func fires(_ code: String, _ estate: EstateFacts, quarter: Quarter = q3, peers: PeerStatistics = noPeers, today: Day = today,
                      parameters: [String: Double] = [:]) -> String? {
        let rule = WarningRules.rule(code)!
        var values = rule.defaults
        values.merge(parameters) { _, new in new }
        return rule.evaluate(RuleInput(estate: estate, quarter: quarter, peers: peers, today: today, currentQuarter: q3, parameters: values))
    }

    /// The four quarters before Q3 2024 with the same figures (a steady history).
    static func history(income: Int64 = 1_000_000, categories: Set<String> = ["parking", "telecom"]) -> [QuarterFacts] {
        var quarter = q3, result: [QuarterFacts] = []
        for _ in 0..<4 {
            quarter = quarter.previous
            result.append(facts(quarter, income: income, display: ("\(quarter.dueDate)", "\(quarter.dueDate.adding(days: 30))"),
                                categories: categories))
        }
        return result
    }

    @Test func fifteenRulesHaveCodesNamesAndClauses() {
        #expect(WarningRules.all.count == 16)
        #expect(Set(WarningRules.all.map(\.code)).count == 16)
        for rule in WarningRules.all {
            #expect(!rule.name.isEmpty && !rule.clause.isEmpty && ["high", "medium", "low"].contains(rule.severity), "\(rule.code)")
            for parameter in rule.parameters { #expect(parameter.range.contains(parameter.defaultValue), "\(rule.code).\(parameter.name)") }
        }
    }

    /// A Fuzhou officer reads the Fuzhou plan's clause; a clause only another city's plan has is shown as 参照 under that
    /// plan's title; no bare "莆田§" anywhere.
    @Test func eachRegionReadsItsOwnPlansClauseFirst() throws {
        #expect(PolicyPlan.issued(forPath: "/350000/350100/350102/350102001/") == .fuzhou)
        #expect(PolicyPlan.issued(forPath: "/350000/350500/350526/") == .dehua)
        #expect(PolicyPlan.issued(forPath: "/410000/410800/410825/") == .wenxian)
        #expect(PolicyPlan.issued(forPath: "/110000/110100/") == nil)
        let w01 = try #require(WarningRules.rule("W01")), w02 = try #require(WarningRules.rule("W02")), w04 = try #require(WarningRules.rule("W04"))
        #expect(w01.citations.basis(for: .fuzhou) == "《福州市工作方案》二（一）：未按照规定的时间节点公示公共收益情况")
        #expect(w01.citations.basis(for: .putian).hasPrefix("《莆田市工作方案》二（一）") && !w01.citations.basis(for: .putian).contains("福州"))
        #expect(w02.citations.basis(for: .fuzhou) == "参照《莆田市工作方案》四（二）：公示期不少于30天")
        #expect(w04.citations.basis(for: .panjin).hasPrefix("统一公示格式"))
        #expect(w01.clause.contains("《莆田市工作方案》") && w01.clause.contains("《福州市工作方案》"))
        for rule in WarningRules.all {
            for plan in [PolicyPlan?.none] + PolicyPlan.allCases.map(Optional.some) {
                let basis = rule.citations.basis(for: plan)
                #expect(!basis.isEmpty && !basis.contains("§"), "\(rule.code) for \(String(describing: plan))")
            }
        }
    }

    @Test func w01DeadlineIsMidnightBeijingAfterTheDueDay() {
        // Q3 is due on 31 October: 23:59 Beijing (15:59 UTC) is on time, 00:00 on 1 November is late.
        #expect(Self.fires("W01", Self.estate([Self.facts(published: "2024-10-31T15:59:59Z")])) == nil)
        #expect(Self.fires("W01", Self.estate([Self.facts(published: "2024-10-31T16:00:00Z")])) != nil)
        #expect(Self.fires("W01", Self.estate([]))?.contains("尚未公示") == true)
        // Not yet due on the due day itself, nor for a quarter before the company's contract.
        #expect(Self.fires("W01", Self.estate([]), today: Day("2024-10-31")!) == nil)
        #expect(Self.fires("W01", Self.estate([], contractStart: "2024-10-01")) == nil)
    }

    @Test func w01IsOwedByTheCompanyManagingOnTheQuartersLastDay() {
        // The company changed on 1 October: Q3 is still owed (by the outgoing company), though the current contract began after it.
        let estate = EstateFacts(id: 1, companyId: 8, regionPath: "/350000/350100/350102/350102001/350102001001/", households: 100, ownersShareBp: 7_000,
                                 hasAccount: true, committeeTermEnd: nil,
                                 contracts: [.init(companyId: 7, start: "2020-01-01", end: "2024-09-30"), .init(companyId: 8, start: "2024-10-01", end: nil)],
                                 quarters: [:])
        #expect(Self.fires("W01", estate)?.contains("尚未公示") == true)
        #expect(estate.filer(of: Self.q3) == 7)
    }

    @Test func w02DisplayOfExactlyThirtyDaysIsEnough() {
        #expect(Self.fires("W02", Self.estate([Self.facts(display: ("2024-10-05", "2024-11-04"))])) == nil)
        #expect(Self.fires("W02", Self.estate([Self.facts(display: ("2024-10-05", "2024-11-03"))]))?.contains("29天") == true)
        #expect(Self.fires("W02", Self.estate([Self.facts(display: ("2024-11-01", "2024-12-31"))]))?.contains("晚于截止日期") == true)
        // A region that requires 20 days accepts 25.
        #expect(Self.fires("W02", Self.estate([Self.facts(display: ("2024-10-05", "2024-10-30"))]), parameters: ["days": 20]) == nil)
    }

    @Test func w03OnlyExactlyZeroRevenue() {
        #expect(Self.fires("W03", Self.estate([Self.facts(income: 0, cost: 0)])) != nil)
        #expect(Self.fires("W03", Self.estate([Self.facts(income: 1, cost: 0, share: 0)])) == nil)
        #expect(Self.fires("W03", Self.estate([])) == nil, "nothing published is W01's business")
    }

    @Test func w04ShareExactlyAtTheAgreedRatio() {
        // Surplus 7,000.00 yuan at 70 %: 4,900.00 is the floor.
        #expect(Self.fires("W04", Self.estate([Self.facts(share: 490_000)])) == nil)
        #expect(Self.fires("W04", Self.estate([Self.facts(share: 489_999)]))?.contains("4,900.00") == true)
        #expect(Self.fires("W04", Self.estate([Self.facts(income: 100, cost: 100, share: 0)])) == nil, "no surplus, nothing to share")
    }

    @Test func w05TransferAmountAndDeadline() {
        #expect(Self.fires("W05", Self.estate([Self.facts(transfer: 489_999)]))?.contains("仅转存") == true)
        #expect(Self.fires("W05", Self.estate([Self.facts(transfer: nil)]))?.contains("仅转存 0.00") == true)
        // 30 days after 30 September is 30 October.
        #expect(Self.fires("W05", Self.estate([Self.facts(transferDate: "2024-10-30")])) == nil)
        #expect(Self.fires("W05", Self.estate([Self.facts(transferDate: "2024-10-31")])) != nil)
        #expect(Self.fires("W05", Self.estate([Self.facts(transferDate: "2024-10-31")]), parameters: ["days": 31]) == nil)
        // A transfer to the 维修资金专户 counts (Putian §二(二)), unless the region admits only the dedicated account.
        var toFund = Self.facts()
        toFund.transferTarget = "maintenance_fund"
        #expect(Self.fires("W05", Self.estate([toFund])) == nil)
        #expect(Self.fires("W05", Self.estate([toFund]), parameters: ["maintenance_fund": 0])?.contains("维修资金专户") == true)
    }

    @Test func w06AndW15SpeakAboutTheCurrentQuarterOnly() {
        #expect(Self.fires("W06", Self.estate([], account: false)) != nil)
        #expect(Self.fires("W06", Self.estate([], account: true)) == nil)
        #expect(Self.fires("W06", Self.estate([], account: false), quarter: Self.q3.previous) == nil)
        #expect(Self.fires("W15", Self.estate([], committeeEnd: "2024-11-18")) != nil)
        #expect(Self.fires("W15", Self.estate([], committeeEnd: "2024-11-19")) == nil, "the term's last day is still inside it")
        #expect(Self.fires("W15", Self.estate([], committeeEnd: nil)) == nil)
    }

    @Test func w07CountsUndecidedExpenditures() {
        #expect(Self.fires("W07", Self.estate([Self.facts(undecided: 2)]))?.hasPrefix("2 笔") == true)
        #expect(Self.fires("W07", Self.estate([Self.facts(undecided: 0)])) == nil)
    }

    @Test func w08NeedsTheCategoryInEachOfTheLastNQuarters() {
        let now = Self.facts(categories: ["parking"])
        #expect(Self.fires("W08", Self.estate([now] + Self.history()))?.contains("通信基站") == true)
        #expect(Self.fires("W08", Self.estate([now])) == nil, "a new estate has no history")
        var gap = Self.history()
        gap[1] = Self.facts(gap[1].quarter, categories: ["parking"])
        #expect(Self.fires("W08", Self.estate([now] + gap)) == nil, "present in Q2 only, not in both of the last two quarters")
        #expect(Self.fires("W08", Self.estate([now] + gap), parameters: ["quarters": 1]) != nil)
    }

    @Test func w09FiresBelowHalfTheTrailingMean() {
        #expect(Self.fires("W09", Self.estate([Self.facts(income: 500_000, cost: 100_000)] + Self.history())) == nil, "exactly 50 %")
        #expect(Self.fires("W09", Self.estate([Self.facts(income: 499_999, cost: 100_000)] + Self.history())) != nil)
        #expect(Self.fires("W09", Self.estate([Self.facts(income: 1, cost: 0, share: 0)] + Array(Self.history().prefix(1)))) == nil,
                "one quarter of history is no trend")
    }

    @Test func w10UsesTheCountyP95OrTheFloor() {
        let at60 = Self.estate([Self.facts(income: 1_000_000, cost: 600_000)])
        #expect(Self.fires("W10", at60) == nil, "exactly 60 % with no peers")
        #expect(Self.fires("W10", Self.estate([Self.facts(income: 1_000_000, cost: 600_001)])) != nil)
        let peers = PeerStatistics(costRatioP95: 0.8, incomePerHouseholdMedian: nil)
        #expect(Self.fires("W10", Self.estate([Self.facts(income: 1_000_000, cost: 700_000)]), peers: peers) == nil, "under the county's P95")
        #expect(Self.fires("W10", Self.estate([Self.facts(income: 1_000_000, cost: 800_001)]), peers: peers) != nil)
        #expect(Self.fires("W10", Self.estate([Self.facts(income: 0, cost: 0)])) == nil)
    }

    @Test func w11ComparesWithTheCountyMedian() {
        // Median 10,000 fen per household; 20 % is 2,000 fen: 100 households × 2,000 = 200,000 fen is exactly at it.
        let peers = PeerStatistics(costRatioP95: nil, incomePerHouseholdMedian: 10_000)
        #expect(Self.fires("W11", Self.estate([Self.facts(income: 200_000, cost: 0)]), peers: peers) == nil)
        #expect(Self.fires("W11", Self.estate([Self.facts(income: 199_999, cost: 0)]), peers: peers) != nil)
        #expect(Self.fires("W11", Self.estate([Self.facts(income: 1, cost: 0, share: 0)])) == nil, "no peers: nothing to compare with")
        #expect(Self.fires("W11", Self.estate([Self.facts(income: 1, cost: 0, share: 0)], households: 0), peers: peers) == nil)
    }

    @Test func w12FlagsCorrections() {
        #expect(Self.fires("W12", Self.estate([Self.facts(versions: 1)])) == nil)
        #expect(Self.fires("W12", Self.estate([Self.facts(versions: 3)]))?.contains("2 次") == true)
    }

    @Test func w13CountsComplaintsInTheWindow() {
        let three = Self.estate([], complaints: ["2024-09-01T00:00:00Z", "2024-10-01T00:00:00Z", "2024-11-18T00:00:00Z"])
        #expect(Self.fires("W13", three) != nil)
        // 90 days before 19 November is 21 August: a complaint on 20 August is outside the window.
        let old = Self.estate([], complaints: ["2024-08-20T00:00:00Z", "2024-10-01T00:00:00Z", "2024-11-18T00:00:00Z"])
        #expect(Self.fires("W13", old) == nil)
        #expect(Self.fires("W13", old, parameters: ["days": 91]) != nil)
        #expect(Self.fires("W13", three, quarter: Self.q3.previous) == nil, "about the current quarter only")
    }

    @Test func w14FlagsRectificationsPastTheirDeadline() {
        #expect(Self.fires("W14", Self.estate([], overdueRectifications: ["2024-11-18"])) != nil)
        #expect(Self.fires("W14", Self.estate([], overdueRectifications: [])) == nil)
    }

    @Test func w16FlagsAMissingSelfInspectionAfterItsDueDayAndTheCampaignDate() {
        // Q3's self-inspection is due by 2024-10-30 (30 days into Q4): the day after, it is missing.
        var estate = Self.estate([])
        #expect(Self.fires("W16", estate, today: Day("2024-10-30")!) == nil, "the due day itself is still in time")
        #expect(Self.fires("W16", estate, today: Day("2024-10-31")!)?.contains("2024-10-30") == true)
        #expect(Self.fires("W16", estate, today: Day("2024-11-05")!, parameters: ["grace": 7]) == nil)
        estate.selfInspectionDays = 60
        #expect(Self.fires("W16", estate) == nil, "the region gives 60 days: due 2024-11-29")
        estate.selfInspectionDays = 30
        estate.selfInspected = [Self.q3]
        #expect(Self.fires("W16", estate) == nil, "filed, even late")
        // Older quarters than the lookback, and estates nobody managed, owe nothing.
        #expect(Self.fires("W16", Self.estate([]), quarter: Quarter(year: 2023, quarter: 3)!) == nil)
        #expect(Self.fires("W16", Self.estate([]), quarter: Quarter(year: 2023, quarter: 4)!) != nil)
        #expect(Self.fires("W16", Self.estate([], contractStart: "2024-10-01")) == nil)
        // The campaign's date (5/31) falls in Q2: nothing filed this year by then is a finding of Q2.
        var campaign = Self.estate([])
        campaign.selfInspected = [Quarter(year: 2024, quarter: 2)!]
        campaign.campaignSelfInspectionDue = 531
        let q2 = Quarter(year: 2024, quarter: 2)!
        #expect(Self.fires("W16", campaign, quarter: q2)?.contains("2024-05-31") == true)
        campaign.selfInspectionFiledOn = ["2024-07-10"]
        #expect(Self.fires("W16", campaign, quarter: q2) == nil)
        campaign.campaignSelfInspectionDue = 0
        campaign.selfInspectionFiledOn = []
        #expect(Self.fires("W16", campaign, quarter: q2) == nil)
        // A campaign's 自查自纠 phase (4/1–5/20) is a due date of its own: a filing before the phase does not count.
        campaign.selfInspectionPhases = [.init(campaign: "鼓楼区点题整治", name: "自查自纠阶段", startsOn: Day("2024-04-01")!, endsOn: Day("2024-05-20")!)]
        campaign.selfInspectionFiledOn = ["2024-03-15"]
        #expect(Self.fires("W16", campaign, quarter: q2)?.contains("「鼓楼区点题整治」自查自纠阶段（2024-04-01至2024-05-20）") == true)
        #expect(Self.fires("W16", campaign, quarter: Quarter(year: 2024, quarter: 1)!)?.contains("自查自纠阶段") == false, "the phase ends in Q2")
        campaign.selfInspectionFiledOn = ["2024-03-15", "2024-05-21"]
        #expect(Self.fires("W16", campaign, quarter: q2) == nil, "filed, even late")
        #expect(SelfInspectionFigures.campaignDueDay(year: 2024, monthDay: 230) == nil && SelfInspectionFigures.campaignDueDay(year: 2024, monthDay: 229) != nil)
    }
}
