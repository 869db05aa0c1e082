import Foundation
import SQLKit

/// The local work plans the rules rest on (the five in shared/seeds), and which of them a region follows.
///
/// A warning is shown to an official with the clause of *their own* plan (a Fuzhou officer reads the Fuzhou plan's
/// clause); where their plan has no clause for the rule, the other plans' clauses are shown as 参照 under their full
/// short titles — never as a bare "莆田§二(一)". A region follows the plan set for it or for a region above it
/// (setting `policy.plan`); where none is set, the plan of the city or county whose code it lies under.
public enum PolicyPlan: Int, CaseIterable, Sendable {
    case dehua = 1, putian, fuzhou, wenxian, panjin

    /// How officials call it in a sentence: 《福州市工作方案》.
    public var shortTitle: String {
        switch self {
        case .dehua: "德化县工作方案"
        case .putian: "莆田市工作方案"
        case .fuzhou: "福州市工作方案"
        case .wenxian: "温县专项行动工作方案"
        case .panjin: "盘锦市专项整治实施方案"
        }
    }

    /// The document's own title.
    public var title: String {
        switch self {
        case .dehua: "关于深化“整治物业服务企业侵占业主公共收益、收入及分配不公开等问题，切实维护业主利益”工作方案（德建〔2024〕62号）"
        case .putian: "关于深化“整治物业公司侵占业主公共收益、收入及分配不公开等问题，切实维护业主利益”工作方案（莆田市）"
        case .fuzhou: "关于深化福州市“整治物业服务企业侵占业主公共收益、收入及分配不公开等问题，切实维护业主利益”工作方案"
        case .wenxian: "温县关于整治物业服务履约不到位、侵占业主公共收益等问题专项行动工作方案"
        case .panjin: "盘锦市物业行业领域专项整治工作实施方案"
        }
    }

    /// The region code the plan was issued for; regions under it follow it unless a setting says otherwise.
    public var regionCode: String {
        switch self {
        case .dehua: "350526"
        case .putian: "350300"
        case .fuzhou: "350100"
        case .wenxian: "410825"
        case .panjin: "211100"
        }
    }

    /// The plan issued for the deepest region on the path (`/350000/350100/350102/…`), if any.
    public static func issued(forPath path: String) -> PolicyPlan? {
        let codes = Set(path.split(separator: "/").map(String.init))
        return allCases.filter { codes.contains($0.regionCode) }.max { $0.regionCode.count < $1.regionCode.count }
    }

    /// The plan a region follows: the `policy.plan` setting at or above it (1–5), else the plan issued for it.
    public static func followed(atPath path: String, on db: any SQLDatabase) async throws -> PolicyPlan? {
        let set = try await RegionSettings.value("policy.plan", at: path, on: db)
        return PolicyPlan(rawValue: set) ?? issued(forPath: path)
    }

    /// The settings page's explanation of the values.
    static let settingLabel = "本地工作方案（预警依据引用哪份方案的条款；0为按所在地区自动，"
        + allCases.map { "\($0.rawValue)为\($0.shortTitle)" }.joined(separator: "，") + "）"
}

/// One clause a rule rests on: in a plan, or (plan nil) in the unified disclosure format every plan requires.
public struct PolicyCitation: Sendable, Equatable {
    public let plan: PolicyPlan?
    /// The clause's place in the document, as the document numbers it: 二（一）, 附件3第27项.
    public let clause: String
    public let text: String

    public init(_ plan: PolicyPlan?, _ clause: String, _ text: String) {
        self.plan = plan
        self.clause = clause
        self.text = text
    }

    /// 《福州市工作方案》二（一）：text — or 统一公示格式：text.
    public var sentence: String {
        guard let plan else { return "统一公示格式\(clause.isEmpty ? "" : "·" + clause)：\(text)" }
        return "《\(plan.shortTitle)》\(clause)：\(text)"
    }
}

extension Array where Element == PolicyCitation {
    /// The basis as an official of a region following `plan` reads it: their plan's clauses (and the unified format)
    /// first; the other plans' only as 参照 when their own has none. With no plan known, every clause by its title.
    public func basis(for plan: PolicyPlan?) -> String {
        guard let plan else { return map(\.sentence).joined(separator: "；") }
        let own = filter { $0.plan == plan }, unified = filter { $0.plan == nil }, others = filter { $0.plan != nil && $0.plan != plan }
        if !own.isEmpty || others.isEmpty { return (own + unified).map(\.sentence).joined(separator: "；") }
        return (unified.map(\.sentence) + ["参照" + others.map(\.sentence).joined(separator: "；")]).joined(separator: "；")
    }
}
