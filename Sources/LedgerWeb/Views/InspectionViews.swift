import Foundation
import LedgerCore

/// A spot-check plan in a list or heading.
struct PlanRow: Sendable {
    let id: Int64
    let title: String
    let region: String
    let period: String
    let ratio: String
    let status: String
    let drawn: Bool
    let eligible: Int
    let sampled: Int
    let forced: Int
    let publishedAt: String

    init(_ plan: InspectionPlans.Plan) {
        id = plan.id
        region = plan.regionName
        period = "\(plan.year)年" + (plan.quarter.map { "第\($0)季度" } ?? "（全年）")
        title = "\(plan.regionName)\(period)双随机抽查计划"
        ratio = Self.percent(plan.ratioBasisPoints)
        status = plan.status.title
        drawn = plan.status == .drawn
        eligible = plan.eligibleCount
        sampled = plan.estates.count
        forced = plan.forced.count
        publishedAt = Timestamp.display(stored: plan.publishedAt)
    }

    static func percent(_ basisPoints: Int) -> String {
        basisPoints % 100 == 0 ? "\(basisPoints / 100)%" : String(format: "%.2f%%", Double(basisPoints) / 100)
    }
}

struct PlanListPage: Sendable {
    let layout: Layout
    let rows: [PlanRow]
    let empty: Bool
    let canPlan: Bool
    let pager: Pager
}

struct PlanFormPage: Sendable {
    struct Proposal: Sendable {
        let id: Int64
        let name: String
        let reasons: String
        let checked: Bool
    }
    let layout: Layout
    let regions: [Option]
    let year: Field
    let quarters: [Option]
    let ratio: Field
    let ratioHint: String
    let seedSource: Field
    let proposals: [Proposal]
    let hasProposals: Bool
    let extraForced: Field
    let confirm: Field
    let formError: String?
}

/// An estate of a plan as a table row; `publicView` hides inspectors' names.
struct PlanEstateRow: Sendable {
    let id: Int64
    let name: String
    let place: String
    let company: String
    let forced: Bool
    let inspectors: String
    let recordId: Int64?
    let result: String
    let failedClass: String

    init(_ estate: InspectionPlans.PlanEstate, publicView: Bool) {
        id = estate.id
        name = estate.name
        place = estate.regionName
        company = estate.companyName ?? "（无物业服务企业）"
        forced = estate.forced
        inspectors = estate.inspectors.map { publicView ? "检查员\($0.id)号（\($0.organisation)）" : "\($0.name)（\($0.organisation)）" }
            .joined(separator: "、")
        recordId = estate.recordId
        switch estate.failed {
        case nil: (result, failedClass) = ("待检查", "state-due")
        case 0?: (result, failedClass) = ("全部符合", "state-onTime")
        case let n?: (result, failedClass) = ("\(n)项不符合", "state-late")
        }
    }
}

struct PlanDetailPage: Sendable {
    let layout: Layout
    let plan: PlanRow
    let seedSource: String
    let seed: String?
    let eligibleHash: String
    let method: String
    let poolSize: Int
    let forced: [PlanEstateRow]
    let hasForced: Bool
    let drawnRows: [PlanEstateRow]
    let canDraw: Bool
    let canRecord: Bool
    let drawnAt: String?
    let seedField: Field
    let confirm: Field
    let formError: String?
}

struct VisitFormPage: Sendable {
    struct Item: Sendable {
        struct Choice: Sendable { let value: String; let label: String; let checked: Bool }
        let code: String
        let index: Int
        let title: String
        let clause: String
        let choices: [Choice]
        let note: String
        let error: String?
        let photoError: String?
    }
    let layout: Layout
    let planId: String
    let estateId: String
    let estateName: String?
    let planTitle: String?
    let inspectedOn: Field
    let estate: Field
    let supervisors: [Option]
    let hasSupervisors: Bool
    let supervisor: Field
    let items: [Item]
    let formError: String?
}

struct VisitPage: Sendable {
    struct Item: Sendable {
        struct Photo: Sendable { let href: String; let filename: String }
        let title: String
        let clause: String
        let result: String
        let failed: Bool
        let note: String
        let photos: [Photo]
    }
    struct Raised: Sendable { let id: Int64; let description: String; let status: String; let deadline: String }
    let layout: Layout
    let id: Int64
    let planId: Int64?
    let estateId: Int64
    let estateName: String
    let company: String
    let inspectedOn: String
    let recordedAt: String
    let recordedBy: String
    let supervisor: String?
    let items: [Item]
    let problems: [Raised]
    let hasProblems: Bool
}

struct PublicPlanPage: Sendable {
    let layout: Layout
    let plan: PlanRow
    let forced: [PlanEstateRow]
    let hasForced: Bool
    let seedSource: String
    let seed: String
    let eligibleHash: String
    let method: String
    let poolSize: Int
    let drawnAt: String
    let rows: [PlanEstateRow]
}

/// The inspection results on the public estate page (双随机一公开).
struct PublicInspectionRow: Sendable {
    struct Finding: Sendable { let title: String; let status: String; let deadline: String }
    let inspectedOn: String
    let planId: Int64?
    let planTitle: String
    let summary: String
    let findings: [Finding]

    init(_ result: InspectionRecords.PublicResult) {
        inspectedOn = result.inspectedOn
        planId = result.planId
        planTitle = result.planTitle
        summary = "符合 \(result.conforms) 项，不符合 \(result.fails) 项" + (result.notApplicable > 0 ? "，不适用 \(result.notApplicable) 项" : "")
        findings = result.findings.map { Finding(title: $0.title, status: $0.status.title, deadline: $0.deadline) }
    }
}

struct InspectorPage: Sendable {
    struct Row: Sendable {
        let id: Int64
        let name: String
        let organisation: String
        let region: String
        let street: String
        let conflicts: String
        let active: Bool
        let kind: String

        init(_ inspector: Inspectors.Inspector) {
            id = inspector.id
            kind = inspector.kind.title
            name = inspector.name
            organisation = inspector.organisation
            region = inspector.regionName
            street = inspector.streetName ?? "—"
            conflicts = inspector.conflicts.isEmpty ? "—" : inspector.conflicts.map { "企业\($0)" }.joined(separator: "、")
            active = inspector.active
        }
    }
    let layout: Layout
    let rows: [Row]
    let empty: Bool
    let pager: Pager
    let canEdit: Bool
    let regionCode: String
    let streets: [Option]
    let kinds: [Option]
    let name: Field
    let organisation: Field
    let streetCode: Field
    let conflicts: Field
    let kind: Field
    let formError: String?
}
