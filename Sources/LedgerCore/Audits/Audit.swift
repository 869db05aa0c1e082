import Foundation

/// 第三方审计 (Putian §四(六)): the owners' committee, or owners of at least 20% of the households by petition, object to a
/// published quarter and an audit is requested; the county accepts it (assigning an auditor organisation that has not
/// worked for the company, and a deadline), bundles it with another accepted audit (整合打包统一审计), or — for a quarter
/// that reported no revenue and that no owner objected to — exempts it. The auditor files findings (each becomes a
/// problem for the company, source `audit`) and a report; the county closes the audit once the findings are dealt with.
public enum AuditOrigin: String, Sendable, Codable, CaseIterable {
    /// 业委会提出异议并申请审计.
    case committee
    /// 20%以上业主联名.
    case petition
    /// 县级主管部门统一组织（整合打包、例行审计）: no owner objection.
    case county

    public var title: String {
        switch self {
        case .committee: "业委会申请"
        case .petition: "业主联名申请"
        case .county: "主管部门统一组织"
        }
    }

    /// Whether the request carries an owners' objection (which rules out the zero-revenue exemption).
    public var isObjection: Bool { self != .county }
}

public enum AuditStatus: String, Sendable, Codable, CaseIterable {
    case petitioning, pending, accepted, exempted, reported, closed

    public var title: String {
        switch self {
        case .petitioning: "联名征集中"
        case .pending: "待县级决定"
        case .accepted: "审计中"
        case .exempted: "免于审计"
        case .reported: "已出具审计报告，整改中"
        case .closed: "已办结"
        }
    }
}

/// The county's decision on a pending request.
public enum AuditDecision: String, Sendable, Codable, CaseIterable {
    case accept, exempt, bundle

    public var title: String {
        switch self {
        case .accept: "同意审计并委托审计机构"
        case .exempt: "公共收益为零且无异议，免于审计"
        case .bundle: "与其他小区整合打包审计"
        }
    }
}

/// One audit (request and engagement).
public struct AuditCase: Sendable, Equatable {
    public let id: Int64
    public let estateId: Int64
    public let estateName: String
    public let regionPath: String
    public let companyId: Int64?
    public let companyName: String?
    public let quarter: Quarter
    public let origin: AuditOrigin
    public let objection: String
    public let status: AuditStatus
    /// The estate's households when the request was made (the petition's denominator).
    public let households: Int
    /// Distinct households whose signature is verified.
    public let signedHouseholds: Int
    public let requestedAt: String
    public let requestedBy: String
    public let qualifiedAt: String?
    public let decision: AuditDecision?
    public let reason: String?
    public let decidedAt: String?
    public let bundleOf: Int64?
    public let orgId: Int64?
    public let orgName: String?
    public let deadline: String?
    public let summary: String?
    public let reportedAt: String?
    public let closedAt: String?
    public let rectification: String?

    /// Households still needed for the petition to reach 20%.
    public var householdsNeeded: Int { max(0, Audits.threshold(households: households) - signedHouseholds) }
}

public struct AuditFinding: Sendable, Equatable {
    public let id: Int64
    public let line: String
    public let issue: String
    public let amount: Money?
    public let problemId: Int64?
    /// The problem's status title (整改中 / 已整改), for the public page.
    public let problemStatus: String
    public let rectified: Bool
}

public struct AuditSignature: Sendable, Equatable {
    public let id: Int64
    public let building: String
    public let room: String
    public let name: String
    public let phone: String
    /// 1 verified, 0 awaiting an official's check, -1 refused.
    public let verified: Int
    public let method: String?
    public let signedAt: String
}

/// A registered auditor organisation and the companies it declared having worked for.
public struct AuditorOrg: Sendable, Equatable {
    public let id: Int64
    public let name: String
    public let uscc: String
    public let contact: String
    public let regionPath: String
    public let clients: [String]
    public let members: [String]
}

/// What a petition signer types on the public page.
public struct PetitionSigner: Sendable {
    public var name: String
    public var building: String
    public var room: String
    public var phone: String
    /// The one-time code the committee handed out (optional: without one an official checks the signature).
    public var code: String

    public init(name: String, building: String, room: String, phone: String, code: String = "") {
        (self.name, self.building, self.room, self.phone, self.code) = (name, building, room, phone, code)
    }
}

/// The dashboard's audit figures for a region.
public struct AuditFigures: Sendable, Codable, Equatable {
    public var requested = 0
    public var petitioning = 0
    public var pending = 0
    public var accepted = 0
    public var exempted = 0
    public var completed = 0
    public var findingsOpen = 0
    public init() {}
}
