import Foundation

/// The inspection checklist (一单): what an inspector checks at an estate, each item with the clause it rests on and the
/// problem category a 不符合 becomes. Version 1, from the seeds' own wording.
public struct ChecklistItem: Sendable, Codable, Equatable {
    public let code: String
    public let title: String
    public let clause: String
    /// The problem a 不符合 raises (`ProblemCategory`).
    public let category: String

    public init(code: String, title: String, clause: String, category: String) {
        self.code = code
        self.title = title
        self.clause = clause
        self.category = category
    }
}

/// The built-in checklist, version 1: in force wherever no region above an estate has its own (`Checklists`).
public enum Checklist {
    public static let version = 1

    public static let items: [ChecklistItem] = [
        .init(code: "disclosed_on_time", title: "按季度按时、按统一格式公示公共收益收支情况", clause: "莆田方案附件第4项；福州方案附件3第8项",
              category: "revenue_undisclosed"),
        .init(code: "displayed_30_days", title: "公示在小区主要出入口公示栏张贴不少于30日", clause: "德化方案附件1第7项", category: "information_duty"),
        .init(code: "account_used", title: "设立并使用公共收益专户", clause: "德化方案附件1第8项；福州方案附件3第9项", category: "revenue_no_account"),
        .init(code: "ratio_agreed", title: "按约定比例分配公共收益", clause: "莆田方案二（二）", category: "revenue_ratio"),
        .init(code: "surplus_transferred", title: "结余按规定转存专户或维修资金", clause: "莆田方案二（二）", category: "revenue_not_transferred"),
        .init(code: "owners_decided", title: "公共收益支出经业主共同决定或管理规约授权", clause: "福州方案四（五）", category: "revenue_unauthorized_use"),
        .init(code: "vouchers_complete", title: "收支凭证齐全、可查", clause: "莆田方案附件第6项", category: "revenue_inflated_cost"),
        .init(code: "space_as_intended", title: "公共空间和物业服务用房按规划用途使用", clause: "福州方案附件3第17项", category: "common_space_occupied"),
        .init(code: "committee_in_term", title: "业委会（物管会）在任期内正常运行", clause: "福州方案附件3第21项", category: "committee_failure"),
    ]

    public static func item(_ code: String) -> ChecklistItem? { items.first { $0.code == code } }
}

/// How an item was found: 符合 / 不符合 / 不适用.
public enum ChecklistResult: String, CaseCode, Codable {
    case conforms, fails, notApplicable = "not_applicable"

    public var title: String {
        switch self {
        case .conforms: "符合"
        case .fails: "不符合"
        case .notApplicable: "不适用"
        }
    }
}
