import Foundation

/// What a role may do: one table (`Role.permissions`) read by the core's guards, the controllers' flags and the
/// navigation menu alike, so "who may do what" is written once. Jurisdiction (which rows) is separate: `Scope`'s
/// predicates limit every query to the user's region, company or estate.
public enum Permission: String, Sendable, CaseIterable {
    // Registry
    case viewRegistry, viewCompanies, viewRegions, editRegistry
    // Disclosure
    case viewFilings, fileDisclosure, answerQuestions
    // 业主决议登记簿 (reading it follows the estate: whoever may see the estate)
    case recordDecision
    // Warnings
    case viewWarnings, acknowledgeWarning, explainWarning, resolveWarning, dismissWarning, escalateWarning, setWarningParameters
    // Complaints
    case viewComplaints, intakeComplaint, handleComplaint, decideTransferredComplaint
    // Problems
    case viewProblems, createProblem, rectifyProblem, verifyRectification, referProblem, decideReferredProblem, noteProblem
    case recordEnforcement
    case superviseRegions, answerSupervision
    case nominateDemonstration, confirmDemonstration
    // 第三方审计
    case viewAudits, requestAudit, verifyPetition, decideAudit, fileAuditReport
    // Credit (企业信用)
    case viewCredit, objectToCredit
    case viewInspectionPlans, planSpotChecks
    // Checklists and self-inspections (自查自纠)
    case editChecklist, viewSelfInspections, fileSelfInspection, judgeSelfInspection
    // Oversight and reporting
    case viewDashboard, viewReports, viewCampaigns, manageCampaigns, reportCampaignTasks
    // Administration
    case setRegionSettings, manageAccounts, setTwoFactorPolicy, readAuditLog

    /// In Chinese, for refusals and the documentation.
    public var title: String {
        switch self {
        case .viewRegistry: "查看小区"
        case .viewCompanies: "查看物业企业"
        case .viewRegions: "查看行政区划"
        case .editRegistry: "登记和修改小区、企业、合同、业委会、专户"
        case .viewFilings: "查看季度公示"
        case .fileDisclosure: "填报季度公示"
        case .answerQuestions: "答复业主存疑"
        case .recordDecision: "登记业主决议"
        case .viewWarnings: "查看预警"
        case .acknowledgeWarning: "签收预警"
        case .explainWarning: "说明预警情况"
        case .resolveWarning: "办结预警"
        case .dismissWarning: "排除预警"
        case .escalateWarning: "预警转为问题"
        case .setWarningParameters: "设置预警参数"
        case .viewComplaints: "查看投诉举报"
        case .intakeComplaint: "登记投诉"
        case .handleComplaint: "办理投诉"
        case .decideTransferredComplaint: "对移交的投诉提出处理意见"
        case .viewProblems: "查看问题整改"
        case .createProblem: "立案问题"
        case .rectifyProblem: "报送整改"
        case .verifyRectification: "核验整改"
        case .referProblem: "移交问题"
        case .decideReferredProblem: "对移交的问题提出处理意见"
        case .noteProblem: "记录问题进展"
        case .recordEnforcement: "记录约谈、通报、信用扣分等处理"
        case .superviseRegions: "向下级辖区发提醒函、督办函"
        case .answerSupervision: "答复上级的提醒函、督办函"
        case .nominateDemonstration: "推荐示范小区"
        case .confirmDemonstration: "认定示范小区（市级）"
        case .viewAudits: "查看第三方审计"
        case .requestAudit: "对公示提出异议并申请审计（业委会）"
        case .verifyPetition: "核实业主联名签名"
        case .decideAudit: "决定审计申请、委托审计机构"
        case .fileAuditReport: "填报审计发现和审计报告"
        case .viewCredit: "查看企业信用"
        case .objectToCredit: "对信用记录提出异议或申请信用修复"
        case .viewInspectionPlans: "查看抽查计划"
        case .planSpotChecks: "制定抽查计划并随机抽取"
        case .editChecklist: "修订检查清单"
        case .viewSelfInspections: "查看自查自纠"
        case .fileSelfInspection: "填报自查自纠"
        case .judgeSelfInspection: "认定自查自纠弄虚作假"
        case .viewDashboard: "查看数据看板"
        case .viewReports: "查看报表"
        case .viewCampaigns: "查看专项整治"
        case .manageCampaigns: "部署专项整治"
        case .reportCampaignTasks: "报送专项整治进展"
        case .setRegionSettings: "设置办理时限"
        case .manageAccounts: "管理账号"
        case .setTwoFactorPolicy: "设置两步验证要求"
        case .readAuditLog: "查阅审计日志"
        }
    }
}

extension Role {
    /// The permission table.
    public var permissions: Set<Permission> {
        switch self {
        case .admin:
            Set(Permission.allCases).subtracting([.requestAudit, .fileAuditReport, .answerQuestions, .explainWarning, .rectifyProblem, .fileSelfInspection, .answerSupervision,
                                                   .decideTransferredComplaint, .decideReferredProblem, .objectToCredit])
        case .regulator:
            Self.officialReading.union([.editRegistry, .acknowledgeWarning, .resolveWarning, .dismissWarning, .escalateWarning,
                                        .setWarningParameters, .intakeComplaint, .handleComplaint, .createProblem, .verifyRectification,
                                        .referProblem, .noteProblem, .recordEnforcement, .manageCampaigns, .reportCampaignTasks,
                                        .setRegionSettings, .manageAccounts, .planSpotChecks, .editChecklist, .judgeSelfInspection,
                                        .superviseRegions, .answerSupervision, .nominateDemonstration, .confirmDemonstration, .recordDecision,
                                        .verifyPetition, .decideAudit])
        case .street:
            Self.officialReading.union([.acknowledgeWarning, .resolveWarning, .escalateWarning, .intakeComplaint, .handleComplaint,
                                        .createProblem, .verifyRectification, .noteProblem, .reportCampaignTasks, .planSpotChecks,
                                        .judgeSelfInspection, .answerSupervision, .nominateDemonstration, .recordDecision, .verifyPetition])
        case .department:
            Self.officialReading.union([.decideTransferredComplaint, .decideReferredProblem, .reportCampaignTasks, .answerSupervision])
        case .oversight:
            Self.officialReading.union([.decideTransferredComplaint, .readAuditLog])
        case .supervisor:
            Self.officialReading.subtracting([.viewComplaints])
        case .company:
            [.viewRegistry, .viewCompanies, .viewFilings, .fileDisclosure, .answerQuestions, .viewWarnings, .acknowledgeWarning,
             .explainWarning, .viewProblems, .rectifyProblem, .viewSelfInspections, .fileSelfInspection, .viewCredit, .objectToCredit, .viewAudits]
        case .committee:
            [.viewRegistry, .viewCompanies, .viewFilings, .viewWarnings, .viewProblems, .recordDecision, .viewAudits, .requestAudit]
        case .auditor:
            [.viewAudits, .fileAuditReport]
        }
    }

    /// What every official of a region may read.
    static let officialReading: Set<Permission> = [
        .viewRegistry, .viewCompanies, .viewRegions, .viewFilings, .viewWarnings, .viewComplaints, .viewProblems,
        .viewDashboard, .viewReports, .viewCampaigns, .viewInspectionPlans, .viewSelfInspections, .viewCredit, .viewAudits,
    ]
}

extension Scope {
    public func can(_ permission: Permission) -> Bool { role.permissions.contains(permission) }

    /// Throws 403 unless the role has the permission.
    public func require(_ permission: Permission) throws {
        guard can(permission) else { throw LedgerError.forbidden }
    }
}
