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

    init(title: String, context: AppRequestContext, section: String = "", notice: String? = nil) {
        self.title = title
        self.userName = context.user?.displayName
        self.roleTitle = context.user?.role.title
        self.csrf = context.csrfToken
        self.notice = notice
        let items = context.user.map { Self.navigation(for: $0.role) } ?? []
        self.nav = items.map { NavItem(title: $0.0, href: $0.1, current: $0.1 == section) }
    }

    static func navigation(for role: Role) -> [(String, String)] {
        let registry = [("小区", "/estates"), ("季度公示", "/filings"), ("预警处置", "/warnings"), ("投诉举报", "/complaints"), ("问题整改", "/problems"),
                        ("专项整治", "/campaigns"), ("报表", "/reports"), ("物业企业", "/companies"), ("行政区划", "/regions")]
        switch role {
        case .admin: return [("首页", "/"), ("数据看板", "/dashboard")] + registry + [("批量导入", "/import"), ("时限设置", "/settings"), ("账号管理", "/accounts"), ("审计日志", "/audit")]
        case .regulator: return [("首页", "/"), ("数据看板", "/dashboard")] + registry + [("批量导入", "/import"), ("时限设置", "/settings"), ("账号管理", "/accounts")]
        case .oversight: return [("首页", "/"), ("数据看板", "/dashboard")] + registry + [("审计日志", "/audit")]
        case .street, .department: return [("首页", "/"), ("数据看板", "/dashboard")] + registry
        case .supervisor: return [("首页", "/"), ("数据看板", "/dashboard")] + registry.filter { $0.1 != "/complaints" }
        case .company: return [("首页", "/"), ("季度公示", "/filings"), ("预警处置", "/warnings"), ("问题整改", "/problems"), ("我的小区", "/estates"),
                               ("本企业", "/companies")]
        case .committee: return [("首页", "/"), ("本小区", "/estates"), ("预警", "/warnings")]
        case .auditor: return [("首页", "/")]
        }
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
