import Foundation
import LedgerCore

/// What the shared page frame shows: title, the user, navigation for the role, the form token, a notice.
struct Layout: Sendable {
    struct NavItem: Sendable {
        let title: String
        let href: String
        let current: Bool
    }

    let title: String
    let userName: String?
    let roleTitle: String?
    let nav: [NavItem]
    let csrf: String
    let notice: String?
    /// Unread notifications, shown beside the user's name.
    let unread: Int
    let hasUnread: Bool

    init(title: String, context: AppRequestContext, section: String = "", notice: String? = nil) {
        self.title = title
        self.userName = context.user?.displayName
        self.roleTitle = context.user?.role.title
        self.csrf = context.csrfToken
        self.notice = notice
        self.unread = context.unreadNotifications
        self.hasUnread = context.unreadNotifications > 0
        let items = context.user.map { Self.navigation(for: $0.role) } ?? []
        self.nav = items.map { NavItem(title: $0.0, href: $0.1, current: $0.1 == section) }
    }

    /// The menu: every area whose permission the role has (`RoutePermissions`), in one order, with the words a company
    /// or a committee uses for its own records.
    static let menu: [(title: String, href: String, permission: Permission?)] = [
        ("首页", "/", nil), ("数据看板", "/dashboard", .viewDashboard), ("小区", "/estates", .viewRegistry),
        ("季度公示", "/filings", .viewFilings), ("预警处置", "/warnings", .viewWarnings), ("投诉举报", "/complaints", .viewComplaints),
        ("问题整改", "/problems", .viewProblems), ("自查自纠", "/self-inspections", .viewSelfInspections), ("专项整治", "/campaigns", .viewCampaigns),
        ("监督检查", "/inspections", .viewInspectionPlans), ("交叉检查", "/inspections/cross", .viewInspectionPlans), ("督办通报", "/supervision", .viewDashboard),
        ("示范小区", "/demonstrations", .viewDashboard), ("第三方审计", "/audits", .viewAudits),
        ("报表", "/reports", .viewReports),
        ("物业企业", "/companies", .viewCompanies), ("信用管理", "/credit", .viewCredit), ("行政区划", "/regions", .viewRegions), ("批量导入", "/import", .editRegistry),
        ("时限与参数", "/settings", .setRegionSettings), ("账号管理", "/accounts", .manageAccounts), ("审计日志", "/audit", .readAuditLog),
    ]

    static func navigation(for role: Role) -> [(String, String)] {
        let own: [String: String] = switch role {
        case .company: ["/estates": "我的小区", "/companies": "本企业", "/credit": "本企业信用"]
        case .committee: ["/estates": "本小区", "/warnings": "预警", "/companies": "物业企业"]
        default: [:]
        }
        return menu.filter { $0.permission.map(role.permissions.contains) ?? true }.map { (own[$0.href] ?? $0.title, $0.href) }
    }
}

/// A pager under a list: previous/next links that keep the search and sort.
struct Pager: Sendable {
    let page: Int
    let pageCount: Int
    let total: Int
    let previousHref: String?
    let nextHref: String?

    init<T>(_ page: Page<T>, base: String, query: [(String, String)]) {
        self.page = page.page
        self.pageCount = page.pageCount
        self.total = page.total
        func link(_ n: Int) -> String {
            let items = query.filter { !$0.1.isEmpty } + [("page", "\(n)")]
            return base + "?" + items.map { "\($0.0)=\($0.1.urlQueryEncoded)" }.joined(separator: "&")
        }
        previousHref = page.hasPrevious ? link(page.page - 1) : nil
        nextHref = page.hasNext ? link(page.page + 1) : nil
    }
}

extension String {
    var urlQueryEncoded: String {
        addingPercentEncoding(withAllowedCharacters: .alphanumerics.union(.init(charactersIn: "-._~"))) ?? ""
    }
}
