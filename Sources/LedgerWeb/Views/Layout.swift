import Foundation
import LedgerCore

/// What the shared page frame shows: title, the user, navigation for the role, the form token, a notice.
struct Layout: Sendable {
    struct NavItem: Sendable {
        let title: String
        let href: String
        let current: Bool
    }

    /// A heading of the menu: one link on its own, or a group that opens (a `<details>`, no script) to its links.
    struct NavGroup: Sendable {
        let title: String
        let single: NavItem?
        let items: [NavItem]
        let current: Bool
    }

    let title: String
    let userName: String?
    let roleTitle: String?
    let nav: [NavItem]
    let navGroups: [NavGroup]
    let csrf: String
    let notice: String?
    /// Unread notifications, shown beside the user's name.
    let unread: String
    let hasUnread: Bool

    /// Whom the frame is drawn for: the signed-in user (or a visitor) as they are, or, for a page kept rendered for
    /// everyone of a role and scope (`SharedPages`), placeholders that each request fills in with its own user's.
    struct Viewer: Sendable {
        let userName: String?
        let role: Role?
        let csrf: String
        let unread: String
        let hasUnread: Bool

        init(_ context: AppRequestContext) {
            userName = context.user?.displayName
            role = context.user?.role
            csrf = context.csrfToken
            unread = "\(context.unreadNotifications)"
            hasUnread = context.unreadNotifications > 0
        }

        init(userName: String?, role: Role?, csrf: String, unread: String, hasUnread: Bool) {
            self.userName = userName
            self.role = role
            self.csrf = csrf
            self.unread = unread
            self.hasUnread = hasUnread
        }
    }

    init(title: String, context: AppRequestContext, section: String = "", notice: String? = nil) {
        self.init(title: title, viewer: Viewer(context), section: section, notice: notice)
    }

    init(title: String, viewer: Viewer, section: String = "", notice: String? = nil) {
        self.title = title
        self.userName = viewer.userName
        self.roleTitle = viewer.role?.title
        self.csrf = viewer.csrf
        self.notice = notice
        self.unread = viewer.unread
        self.hasUnread = viewer.hasUnread
        let items = viewer.role.map { Self.navigation(for: $0) } ?? []
        self.nav = items.map { NavItem(title: $0.0, href: $0.1, current: $0.1 == section) }
        self.navGroups = Self.grouped(nav)
    }

    /// The menu's groups, so it fits one line at 1366 px: what a user opens daily stands alone, the rest is grouped by
    /// kind of work. A group the role sees one link of is that link.
    static let groups: [(title: String, hrefs: [String])] = [
        ("首页", ["/"]), ("数据看板", ["/dashboard"]),
        ("公示监管", ["/estates", "/filings", "/warnings"]),
        ("案件办理", ["/complaints", "/problems", "/self-inspections"]),
        ("检查督办", ["/campaigns", "/inspections", "/inspections/cross", "/supervision", "/demonstrations", "/audits"]),
        ("报表", ["/reports"]),
        ("企业信用", ["/companies", "/credit"]),
        ("系统管理", ["/regions", "/import", "/settings", "/accounts", "/audit"]),
    ]

    static func grouped(_ nav: [NavItem]) -> [NavGroup] {
        let byHref = Dictionary(nav.map { ($0.href, $0) }) { a, _ in a }
        var placed = Set<String>()
        var result: [NavGroup] = []
        for group in groups {
            let items = group.hrefs.compactMap { byHref[$0] }
            placed.formUnion(items.map(\.href))
            guard !items.isEmpty else { continue }
            result.append(NavGroup(title: group.title, single: items.count == 1 ? items[0] : nil, items: items, current: items.contains(where: \.current)))
        }
        // A menu entry no group names still shows, on its own.
        for item in nav where !placed.contains(item.href) {
            result.append(NavGroup(title: item.title, single: item, items: [item], current: item.current))
        }
        return result
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
