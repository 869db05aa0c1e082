import Foundation
/// The roles of docs/design.md §2.
public enum Role: String, Sendable, CaseIterable, Codable {
    case admin, regulator, street, department, oversight, supervisor, company, committee, auditor

    public var title: String {
        switch self {
        case .admin: "平台管理员"
        case .regulator: "物业主管部门"
        case .street: "街道（乡镇）社区"
        case .department: "协同部门"
        case .oversight: "纪委监委"
        case .supervisor: "行风监督员"
        case .company: "物业服务企业"
        case .committee: "业委会（物管会）"
        case .auditor: "第三方审计机构"
        }
    }

    /// Roles bound to a region (their jurisdiction) rather than to a company or an estate.
    public var isRegional: Bool {
        switch self {
        case .regulator, .street, .department, .oversight, .supervisor: true
        default: false
        }
    }
}
