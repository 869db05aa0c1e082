import Foundation
import LedgerCore

/// A radio button of a form.
struct Choice: Sendable {
    let name: String
    let value: String
    let label: String
    let checked: Bool
}

/// 自查自纠 list: for a company its estates still due and its filings; for officials the filings of their region, filtered.
struct SelfInspectionListPage: Sendable {
    struct Row: Sendable {
        let id: Int64; let estate: String; let company: String; let period: String; let filedAt: String
        let conforms: Int; let fails: Int; let hasFails: Bool; let notApplicable: Int; let isFalse: Bool; let phase: String?
    }
    struct DueRow: Sendable { let estateId: Int64; let estate: String; let period: String; let periodCode: String; let dueOn: String; let overdue: Bool }
    let layout: Layout
    let isCompany: Bool
    let due: [DueRow]
    let hasDue: Bool
    let rows: [Row]
    let empty: Bool
    let pager: Pager
    let regions: [Option]
    let periods: [Option]
    let statuses: [Option]
    let isOfficial: Bool
    let ledgerCSV: String
    let ledgerXLSX: String
}

/// The filing form: the estate, the quarter, a campaign phase, each checklist item with its answer and, for a 不符合,
/// the 整改措施, 整改时限 and 责任人.
struct SelfInspectionFormPage: Sendable {
    struct Item: Sendable {
        let number: Int; let code: String; let title: String; let clause: String; let choices: [Choice]; let resultError: String?
        let note: Field; let measure: Field; let deadline: Field; let responsible: Field
    }
    let layout: Layout
    let estates: [Option]
    let chosen: Bool
    let noEstates: Bool
    let estateId: String
    let estateName: String
    let estateError: String?
    let periods: [Option]
    let periodError: String?
    let phases: [Option]
    let hasPhases: Bool
    let phaseError: String?
    let checklistTitle: String
    let items: [Item]
    let photosError: String?
    let formError: String?
}

/// One self-inspection as filed, and the official's finding.
struct SelfInspectionDetailPage: Sendable {
    struct Item: Sendable {
        let number: Int; let title: String; let clause: String; let result: String; let fails: Bool
        let note: String; let measure: String; let deadline: String; let responsible: String
    }
    struct Photo: Sendable { let fileId: Int64; let filename: String }
    let layout: Layout
    let id: Int64
    let estateId: Int64
    let estate: String
    let company: String
    let period: String
    let phase: String?
    let filedAt: String
    let filedBy: String
    let checklistTitle: String
    let counts: String
    let items: [Item]
    let photos: [Photo]
    let hasPhotos: Bool
    let isFalse: Bool
    let falseAt: String
    let falseNote: String
    let falseProblemId: Int64?
    let canJudge: Bool
    let note: Field
}

/// A region's checklist in force, its own versions, and (for regulators) the form that makes a new version.
struct ChecklistPage: Sendable {
    struct Row: Sendable { let number: Int; let code: String; let title: String; let clause: String; let category: String }
    struct Version: Sendable { let version: Int; let createdAt: String; let createdBy: String; let note: String; let count: Int }
    struct EditRow: Sendable { let index: Int; let number: Int; let code: Field; let title: Field; let clause: Field; let categories: [Option]; let categoryError: String? }
    let layout: Layout
    let regionCode: String
    let regionName: String
    let regions: [Option]
    let hasRegions: Bool
    let inForce: String
    let rows: [Row]
    let versions: [Version]
    let hasVersions: Bool
    let canEdit: Bool
    let editRows: [EditRow]
    let note: Field
    let formError: String?
}

/// The public estate page's compact section: what each filed self-inspection found and how it is being put right.
struct PublicSelfInspectionRow: Sendable {
    struct Item: Sendable { let title: String; let measure: String; let deadline: String }
    let period: String
    let filedOn: String
    let company: String
    let conforms: Int
    let fails: Int
    let notApplicable: Int
    let items: [Item]
    let hasItems: Bool
    let recordedFalse: Bool

    init(_ r: SelfInspections.PublicResult) {
        period = r.period.title
        filedOn = r.filedOn
        company = r.companyName
        (conforms, fails, notApplicable) = (r.conforms, r.fails, r.notApplicable)
        items = r.failed.map { Item(title: $0.title, measure: $0.measure, deadline: $0.deadline) }
        hasItems = !r.failed.isEmpty
        recordedFalse = r.recordedFalse
    }
}

extension ChecklistVersion {
    /// How pages name a version: the built-in list or the region's edit.
    func title(regionName: String?) -> String {
        regionCode == nil ? "内置检查清单（第\(version)版）" : "\(regionName ?? regionCode ?? "")检查清单（第\(version)版，\(Timestamp.display(stored: createdAt ?? ""))修订）"
    }
}
