import Foundation
/// A person's account on the platform, bound to a region, a company or an estate according to its role.
public struct User: Sendable, Codable, Equatable {
    public let id: Int64
    public let username: String
    public let displayName: String
    public let role: Role
    public let regionCode: String?
    public let regionPath: String?
    public let companyId: Int64?
    public let estateId: Int64?
    public let disabled: Int
    /// 1 when the user signs in with a second factor (TOTP).
    public let totpEnabled: Int
    /// 1 when the user's role must use a second factor (`role_policies`).
    public let totpRequired: Int
    /// 1 after an administrator reset the password: the user chooses a new one before anything else.
    public let mustChangePassword: Int

    /// The role requires two-factor sign-in and the user has not enrolled yet.
    public var mustEnrolTOTP: Bool { totpRequired == 1 && totpEnabled == 0 }

    /// The jurisdiction every query made for this user is limited to.
    public var scope: Scope {
        Scope(userId: id, username: username, role: role, regionPath: regionPath, companyId: companyId, estateId: estateId)
    }
}

/// What creating a user needs.
public struct NewUser: Sendable {
    public var username: String
    public var password: String
    public var displayName: String
    public var role: Role
    public var regionCode: String?
    public var companyId: Int64?
    public var estateId: Int64?

    public init(username: String, password: String, displayName: String, role: Role,
                regionCode: String? = nil, companyId: Int64? = nil, estateId: Int64? = nil) {
        self.username = username
        self.password = password
        self.displayName = displayName
        self.role = role
        self.regionCode = regionCode
        self.companyId = companyId
        self.estateId = estateId
    }
}
