import Foundation

/// What the rules know about one estate in one quarter: its latest published version, summarised.
public struct QuarterFacts: Sendable {
    public let quarter: Quarter
    public let income: Int64
    public let cost: Int64
    public let ownersShare: Int64
    public let transfer: Int64?
    public let transferDate: String?
    public let displayFrom: String
    public let displayUntil: String
    /// When version 1 was published (UTC ISO-8601).
    public let firstPublishedAt: String
    public let versions: Int
    public internal(set) var categories: Set<String>
    /// Expenditures no register decision covers (W07, `DecisionCoverage`), and why, one reason each.
    public var undecidedExpenditures: Int
    public var uncoveredReasons: [String] = []
    /// `maintenance_fund`, or nil for the dedicated account (W05).
    public var transferTarget: String? = nil

    public var surplus: Int64 { income - cost }
}

/// One estate as the rules see it: registry facts and its published quarters.
public struct EstateFacts: Sendable {
    public let id: Int64
    public let companyId: Int64?
    public let regionPath: String
    public let households: Int
    public let ownersShareBp: Int
    /// A dedicated account is open today (`EstateFigures.accountOpenSQL`).
    public let hasAccount: Bool
    /// Last day of the latest committee term, if any.
    public let committeeTermEnd: String?
    /// The estate's management contracts: who owed each quarter's filing (`filer(of:)`).
    public let contracts: [EstateFigures.Contract]
    public internal(set) var quarters: [Quarter: QuarterFacts]
    /// When each complaint about the estate in the last year was received (UTC ISO-8601) (W13).
    public var complaints: [String] = []
    /// Deadlines of the estate's rectifications still open (not even submitted) and past due (W14).
    public var overdueRectifications: [String] = []
    /// The quarters whose self-inspection has been filed (W16).
    public var selfInspected: Set<Quarter> = []
    /// The days (Asia/Shanghai) self-inspections were filed, for a campaign's due date (W16).
    public var selfInspectionFiledOn: [String] = []
    /// The region's `self_inspection.days` and `self_inspection.campaign_due` (`SelfInspectionFigures`).
    public var selfInspectionDays = 30
    public var campaignSelfInspectionDue = 0
    /// The 自查自纠 phases of the campaigns covering the estate's region: each is a due date of its own (W16).
    public var selfInspectionPhases: [SelfInspectionFigures.Phase] = []

    /// The company that owes `quarter`'s filing: the one managing the estate on its last day (`EstateFigures.filer`).
    public func filer(of quarter: Quarter) -> Int64? { EstateFigures.filer(of: quarter, contracts: contracts) }

    /// The county part of the materialised path (`/350000/350100/350102/`), for peer comparisons.
    public var countyPath: String { "/" + regionPath.split(separator: "/").prefix(3).joined(separator: "/") + "/" }
}

/// Peer figures of one county in one quarter (rules W10 and W11).
public struct PeerStatistics: Sendable {
    public let costRatioP95: Double?
    public let incomePerHouseholdMedian: Double?

    public init(costRatioP95: Double?, incomePerHouseholdMedian: Double?) {
        self.costRatioP95 = costRatioP95
        self.incomePerHouseholdMedian = incomePerHouseholdMedian
    }

    /// The county's figures for `quarter`: every estate that published it counts, managed or not.
    public static func make(_ estates: [EstateFacts], quarter: Quarter) -> PeerStatistics {
        make(figures: estates.compactMap { estate in estate.quarters[quarter].map { ($0.income, $0.cost, estate.households) } })
    }

    /// From (income, cost, households) per estate.
    static func make(figures: [(Int64, Int64, Int)]) -> PeerStatistics {
        var ratios: [Double] = [], perHousehold: [Double] = []
        for (income, cost, households) in figures {
            if income > 0 { ratios.append(Double(cost) / Double(income)) }
            if households > 0 { perHousehold.append(Double(income) / Double(households)) }
        }
        return PeerStatistics(costRatioP95: percentile(ratios, 0.95), incomePerHouseholdMedian: percentile(perHousehold, 0.5))
    }

    static func percentile(_ values: [Double], _ p: Double) -> Double? {
        guard !values.isEmpty else { return nil }
        let sorted = values.sorted()
        return sorted[min(sorted.count - 1, Int((Double(sorted.count - 1) * p).rounded()))]
    }
}
