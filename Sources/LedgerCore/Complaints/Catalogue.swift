import Foundation

/// 问题类别: the tree of docs/policy.md §5 — Wen County's summary table (附件6) at the top, the other plans' items beneath.
/// Complaints and problems share it. New items are added here (the tree is open to extension).
public struct ProblemCategory: Sendable, Hashable {
    public let code: String
    public let title: String
    /// The top-level group (附件6 heading).
    public let group: String
    /// The 附件6 column an item is counted under, when it is a finer item of another (未设专户 → 违规侵占小区公共收益).
    public let parent: String?

    init(_ code: String, _ title: String, group: String, parent: String? = nil) {
        self.code = code
        self.title = title
        self.group = group
        self.parent = parent
    }

    public static let groups = ["物业服务履约不到位", "物业服务企业侵害业主利益", "群众反映集中的其他问题", "其他主体违规"]

    public static let all: [ProblemCategory] = [
        .init("service_contract", "未按合同约定提供服务", group: groups[0]),
        .init("information_duty", "未履行信息公开和报告义务", group: groups[0]),
        .init("security_duty", "未按合同约定提供安全防范工作", group: groups[0]),
        .init("handover_duty", "未履行移交义务", group: groups[0]),
        .init("common_area_business", "擅自利用小区公共部位经营", group: groups[1]),
        .init("revenue_undisclosed", "未公示公共收益收支情况", group: groups[1]),
        .init("revenue_misappropriated", "违规侵占小区公共收益", group: groups[1]),
        .init("revenue_no_account", "未设公共收益专户", group: groups[1], parent: "revenue_misappropriated"),
        .init("revenue_ratio", "未按约定比例分配收益", group: groups[1], parent: "revenue_misappropriated"),
        .init("revenue_not_transferred", "结余未转存专户", group: groups[1], parent: "revenue_misappropriated"),
        .init("revenue_inflated_cost", "虚增成本支出", group: groups[1], parent: "revenue_misappropriated"),
        .init("revenue_unauthorized_use", "擅自使用公共收益", group: groups[1], parent: "revenue_misappropriated"),
        .init("service_room_use", "擅自改变物业服务用房用途", group: groups[2]),
        .init("common_space_occupied", "占用架空层、避难层等公共空间", group: groups[2]),
        .init("refuse_to_exit", "无正当理由拒不退出", group: groups[2]),
        .init("enforcement_access", "执法进小区难", group: groups[2]),
        .init("committee_failure", "业委会（物管会）运行失效", group: groups[2]),
        .init("old_elevator", "住宅老旧电梯更新不及时", group: groups[2]),
        .init("developer_violation", "建设单位违规", group: groups[3]),
        .init("committee_violation", "业委会（物管会）违规", group: groups[3]),
    ]

    public static func named(_ code: String) -> ProblemCategory? { all.first { $0.code == code } }

    /// Categories referred to a deciding department (Fuzhou §二(二)): 自然资源 determines, 城管 enforces.
    public static let referable: [String: String] = ["common_space_occupied": "自然资源、城管", "service_room_use": "自然资源、城管"]

    /// The category a warning rule's finding belongs to (an escalated warning becomes a problem of this category).
    public static func forRule(_ rule: String) -> String {
        switch rule {
        case "W01", "W02", "W08", "W12": "revenue_undisclosed"
        case "W06": "revenue_no_account"
        case "W04": "revenue_ratio"
        case "W05": "revenue_not_transferred"
        case "W10": "revenue_inflated_cost"
        case "W07": "revenue_unauthorized_use"
        case "W15": "committee_failure"
        case "W13": "service_contract"
        case "W16": "information_duty"
        default: "revenue_misappropriated"
        }
    }
}

/// 来源: where a complaint or clue came from (docs/policy.md §7).
public enum ComplaintSource: String, Sendable, CaseIterable, Codable {
    case online, hotline, letter, visit, phone, petition, superior, media

    public var title: String {
        switch self {
        case .online: "网上投诉"
        case .hotline: "12345热线转办"
        case .letter: "来信"
        case .visit: "来访"
        case .phone: "来电"
        case .petition: "信访部门转办"
        case .superior: "上级交办"
        case .media: "媒体舆情"
        }
    }
}

/// How a complaint ended: fixed, or closed without a fix (so a closure rate never passes for a fix rate).
public enum ComplaintOutcome: String, Sendable, CaseIterable, Codable {
    case fixed, unsubstantiated, notResponsible = "not_responsible", duplicate, transferred

    public var title: String {
        switch self {
        case .fixed: "已解决"
        case .unsubstantiated: "反映不属实"
        case .notResponsible: "不属本部门职责"
        case .duplicate: "重复投诉"
        case .transferred: "已移交处理"
        }
    }

    public var isFix: Bool { self == .fixed }
}

/// 执法措施: what a regulator may record against a company (docs/policy.md §9).
public enum EnforcementKind: String, Sendable, CaseIterable, Codable {
    case orderRectify = "order_rectify", interview, publicNotice = "public_notice", creditDeduction = "credit_deduction", penalty, transfer, expel

    public var title: String {
        switch self {
        case .orderRectify: "责令整改"
        case .interview: "约谈"
        case .publicNotice: "通报曝光"
        case .creditDeduction: "信用扣分"
        case .penalty: "行政处罚"
        case .transfer: "移交"
        case .expel: "清退"
        }
    }
}
