import Foundation

/// A rule's finding: which estate and quarter, and why (the figures and the threshold, in Chinese).
public struct Finding: Sendable, Hashable {
    public let rule: String
    public let estateId: Int64
    public let quarter: Quarter
    public let detail: String
}

/// Everything a rule may look at for one estate and one quarter.
public struct RuleInput: Sendable {
    public let estate: EstateFacts
    public let quarter: Quarter
    public let peers: PeerStatistics
    public let today: Day
    /// The quarter being filed now (registry rules W06 and W15 speak about it).
    public let currentQuarter: Quarter
    public let parameters: [String: Double]

    public var facts: QuarterFacts? { estate.quarters[quarter] }
    public func parameter(_ name: String, _ fallback: Double) -> Double { parameters[name] ?? fallback }
}

/// 预警规则: one small type per rule; its parameters are data (defaults here, overrides per region in the database).
public protocol WarningRule: Sendable {
    var code: String { get }
    var name: String { get }
    var severity: String { get }
    /// The policy clause the rule rests on.
    var clause: String { get }
    var defaults: [String: Double] { get }
    func evaluate(_ input: RuleInput) -> String?
}

/// The rules of DESIGN.md §6 that this release evaluates (W13 and W14 need complaints and rectifications).
public enum WarningRules {
    public static let all: [any WarningRule] = [
        W01LateOrMissing(), W02DisplayPeriod(), W03ZeroRevenue(), W04ShareBelowRatio(), W05TransferShort(), W06NoAccount(),
        W07NoDecision(), W08VanishedCategory(), W09SuddenDrop(), W10CostRatio(), W11LowIncomePerHousehold(), W12Corrected(),
        W15CommitteeExpired(),
    ]
}

func yuan(_ fen: Int64) -> String { Money(fen: fen).display }
