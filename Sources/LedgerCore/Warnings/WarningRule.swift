import Foundation

/// A rule's finding: which estate and quarter, and why (the figures and the threshold, in Chinese).
public struct Finding: Sendable, Hashable {
    public let rule: String
    public let estateId: Int64
    public let quarter: Quarter
    public let detail: String
    /// The company the warning is addressed to: for a quarter's filing the one that owed it, otherwise the current one.
    public var companyId: Int64? = nil
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
    /// The clauses of the local plans (and of the unified format) the rule rests on; `clause` words them for a reader
    /// of no particular region, `citations.basis(for:)` for an official of one.
    var citations: [PolicyCitation] { get }
    /// The parameters a regulator may change for its region, with their defaults and permitted ranges.
    var parameters: [RuleParameter] { get }
    /// Whether the rule speaks about the estate now (W06, W13, W14, W15: the current quarter, the current company)
    /// rather than about one quarter's filing (addressed to the company that owed it).
    var aboutTheEstateNow: Bool { get }
    func evaluate(_ input: RuleInput) -> String?
}

extension WarningRule {
    public var parameters: [RuleParameter] { [] }
    public var aboutTheEstateNow: Bool { false }
    public var defaults: [String: Double] { Dictionary(uniqueKeysWithValues: parameters.map { ($0.name, $0.defaultValue) }) }
}

/// One changeable parameter of a rule: name, Chinese label and unit, default, and the range a value must lie in.
public struct RuleParameter: Sendable {
    public let name: String
    public let label: String
    public let unit: String
    public let defaultValue: Double
    public let range: ClosedRange<Double>
    /// Whether only whole numbers make sense (days, quarters, counts).
    public let integral: Bool

    public init(_ name: String, _ label: String, unit: String, default value: Double, range: ClosedRange<Double>, integral: Bool = true) {
        self.name = name
        self.label = label
        self.unit = unit
        self.defaultValue = value
        self.range = range
        self.integral = integral
    }

    /// Shows a value without a needless ".0".
    public func format(_ value: Double) -> String {
        value.rounded() == value ? String(Int(value)) : String(value)
    }
}

/// The rules of docs/design.md §7.2 (W01–W15) and W16 自查逾期.
public enum WarningRules {
    public static func rule(_ code: String) -> (any WarningRule)? { all.first { $0.code == code } }

    public static let all: [any WarningRule] = [
        W01LateOrMissing(), W02DisplayPeriod(), W03ZeroRevenue(), W04ShareBelowRatio(), W05TransferShort(), W06NoAccount(),
        W07NoDecision(), W08VanishedCategory(), W09SuddenDrop(), W10CostRatio(), W11LowIncomePerHousehold(), W12Corrected(),
        W13ComplaintCluster(), W14RectificationOverdue(), W15CommitteeExpired(), W16SelfInspectionOverdue(),
    ]
}

func yuan(_ fen: Int64) -> String { Money(fen: fen).display }

extension WarningRule {
    /// Every clause under its plan's title (no region known).
    public var clause: String { citations.basis(for: nil) }

    /// 「W01 逾期未公示」— the code never appears without its name.
    public var label: String { "\(code) \(name)" }
}
