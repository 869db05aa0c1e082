import Foundation

/// Where the owners' share is transferred (结余转存): the dedicated public-revenue account or the maintenance-fund account
/// (Putian §二(二): 结余及时存入维修资金专户).
public enum SurplusAccount: String, Sendable, CaseIterable {
    case dedicated
    case maintenanceFund = "maintenance_fund"

    public var title: String {
        switch self {
        case .dedicated: "公共收益专户"
        case .maintenanceFund: "维修资金专户"
        }
    }
}

/// 公共收益季度公示: the content of one disclosure in typed form, with the figures derived from it.
public struct DisclosureContent: Sendable, Equatable {
    public struct Income: Sendable, Equatable { public let category: IncomeCategory; public let description: String; public let amount: Money }
    public struct Cost: Sendable, Equatable { public let description: String; public let amount: Money }
    public struct Expenditure: Sendable, Equatable { public let description: String; public let amount: Money; public let decision: String }

    public var income: [Income] = []
    public var costs: [Cost] = []
    public var ownersShare: Money?
    public var companyShare: Money?
    public var expenditures: [Expenditure] = []
    public var transferAmount: Money?
    public var transferDate: Day?
    public var transferTarget: SurplusAccount = .dedicated
    /// The register decision cited for the agreed distribution ratio ("" = none).
    public var ratioDecision = ""
    public var openingBalance: Money?
    public var contactName = ""
    public var contactPhone = ""
    public var displayFrom: Day?
    public var displayUntil: Day?

    public init() {}

    public var incomeTotal: Money { income.map(\.amount).sum() }
    public var costTotal: Money { costs.map(\.amount).sum() }
    public var expenditureTotal: Money { expenditures.map(\.amount).sum() }
    /// 经营结余: income less the cost of earning it (negative when costs exceed income).
    public var surplus: Money { incomeTotal - costTotal }
    /// Closing owners' fund balance = opening + owners' share − expenditures.
    public var closingBalance: Money? {
        openingBalance.map { $0 + (ownersShare ?? .zero) - expenditureTotal }
    }

    /// The exchange form, with every amount and date normalised (`"1234.50"`, `"2024-07-05"`).
    public var document: DisclosureDocument {
        DisclosureDocument(
            income: income.map { .init(category: $0.category.rawValue, description: $0.description, amount: $0.amount.description) },
            costs: costs.map { .init(description: $0.description, amount: $0.amount.description) },
            distribution: ownersShare.map {
                .init(ownersShare: $0.description, companyShare: (companyShare ?? .zero).description, decision: ratioDecision.isEmpty ? nil : ratioDecision)
            },
            expenditures: expenditures.map { .init(description: $0.description, amount: $0.amount.description, decision: $0.decision) },
            transfer: transferAmount.map {
                .init(amount: $0.description, date: transferDate?.description ?? "", target: transferTarget == .dedicated ? nil : transferTarget.rawValue)
            },
            openingBalance: openingBalance?.description,
            closingBalance: closingBalance?.description,
            contact: contactName.isEmpty && contactPhone.isEmpty ? nil : .init(name: contactName, phone: contactPhone),
            display: displayFrom.map { .init(from: $0.description, until: displayUntil?.description ?? "") })
    }
}
