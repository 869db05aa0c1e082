import Foundation
import LedgerCore

/// The two-factor part of the own-account page.
struct TOTPSection: Sendable {
    let enabled: Bool
    let required: Bool
    let enrolling: Bool
    /// The QR code of the `otpauth://` address, as inline SVG (the project's own encoder).
    let qrSVG: String
    /// The seed in Base32 groups, for typing into an app by hand.
    let manualKey: String
    let recoveryCodes: [String]
    let showRecoveryCodes: Bool
    let unusedRecoveryCodes: Int

    init(_ status: TwoFactor.Status, username: String) {
        enabled = status.enabled
        required = status.required
        enrolling = status.pendingSeed != nil
        if let seed = status.pendingSeed {
            qrSVG = (try? QRCode(text: TwoFactor.authenticatorURL(seed: seed, username: username)).svg(moduleSize: 4)) ?? ""
            manualKey = TwoFactor.manualKey(seed: seed, username: username)
        } else {
            qrSVG = ""
            manualKey = ""
        }
        recoveryCodes = status.recoveryCodes
        showRecoveryCodes = !status.recoveryCodes.isEmpty
        unusedRecoveryCodes = status.unusedRecoveryCodes
    }
}

struct OwnAccountPage: Sendable {
    let layout: Layout
    let user: User
    let current: Field, password: Field, confirmation: Field
    let passwordErrors: [String]
    let passwordInvalid: Bool
    let totp: TOTPSection
    let totpError: String?
}

struct AccountRow: Sendable {
    let id: Int64
    let username: String
    let displayName: String
    let roleTitle: String
    let binding: String
    let disabled: Bool
    let totpEnabled: Bool
    let mustChangePassword: Bool
    let createdAt: String
    let sessions: Int

    init(_ a: AccountAdmin.Summary) {
        (id, username, displayName, roleTitle, binding) = (a.id, a.username, a.displayName, a.role.title, a.bindingName)
        (disabled, totpEnabled, mustChangePassword, sessions) = (a.disabled, a.totpEnabled, a.mustChangePassword, a.sessions)
        createdAt = Timestamp.display(stored: a.createdAt)
    }
}

struct SessionRow: Sendable {
    let id: String
    let kind: String
    let createdAt: String
    let lastSeenAt: String

    init(_ s: AccountAdmin.SessionInfo) {
        id = s.id
        kind = s.kind == "api" ? "接口令牌" : "浏览器"
        createdAt = Timestamp.display(stored: s.createdAt)
        lastSeenAt = Timestamp.display(stored: s.lastSeenAt)
    }
}

struct RoleChoice: Sendable {
    let value: String
    let title: String
    let checked: Bool
}

struct AccountListPage: Sendable {
    let layout: Layout
    let search: String
    let rows: [AccountRow]
    let roles: [Option]
    let statuses: [Option]
    let pager: Pager
    let empty: Bool
    let canSetPolicy: Bool
    let policy: [RoleChoice]
}

struct AccountFormPage: Sendable {
    let layout: Layout
    let username: Field, displayName: Field, password: Field
    let passwordErrors: [String]
    let passwordInvalid: Bool
    let role: Field, region: Field, company: Field, estate: Field
    let roles: [Option]
    let regions: [Option]
    let ownRegion: String
}

struct AccountDetailPage: Sendable {
    let layout: Layout
    let account: AccountRow
    let sessions: [SessionRow]
    let hasSessions: Bool
    let isSelf: Bool
    let password: Field
    let passwordErrors: [String]
    let passwordInvalid: Bool
    let actionError: String?
}
