import Foundation
/// 物业小区: a residential estate, with what the registry lists about it.
public struct Estate: Sendable, Codable, Equatable {
    public let id: Int64
    public let name: String
    public let address: String
    public let communityCode: String
    public let communityName: String
    public let regionPath: String
    public let households: Int
    /// Gross floor area in whole square metres.
    public let floorArea: Int
    /// Owners' agreed share of the surplus, in basis points (7000 = 70%).
    public let ownersShareBp: Int
    public let companyId: Int64?
    public let companyName: String?
    /// 1 when a dedicated account is open by today (`EstateFigures.accountOpenSQL`), else 0; read it as `accountOpen`.
    public let hasAccount: Int
    public let createdAt: String
    public let updatedAt: String

    /// Whether the estate's dedicated account is open by today — the figures' definition, not merely registered.
    public var accountOpen: Bool { hasAccount == 1 }
}

/// 物业服务合同: who managed which estate when.
public struct ManagementContract: Sendable, Codable, Equatable {
    public let id: Int64
    public let estateId: Int64
    public let companyId: Int64
    public let companyName: String
    public let startDate: String
    public let endDate: String?
}

/// 业主委员会 or 物业管理委员会 with its term.
public struct Committee: Sendable, Codable, Equatable {
    public enum Kind: String, Sendable, Codable, CaseIterable {
        case owners = "业主委员会"
        case management = "物业管理委员会"
    }

    public let id: Int64
    public let estateId: Int64
    public let kind: Kind
    public let chairName: String
    public let termStart: String
    public let termEnd: String
}

/// 公共收益专户: the estate's dedicated public-revenue bank account.
public struct DedicatedAccount: Sendable, Codable, Equatable {
    public let id: Int64
    public let estateId: Int64
    public let bank: String
    public let accountNumber: String
    public let openedOn: String

    /// `622**************34`-style mask for public pages (see `Mask.number`).
    public var maskedNumber: String { Mask.number(accountNumber) }
}
