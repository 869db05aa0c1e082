import Foundation
import SQLKit

/// Where a problem came from.
public enum ProblemSource: String, CaseCode, Codable {
    case complaint, warning, manual, inspection, audit
    /// 交叉检查发现: a cross-inspection group's finding in the inspected region (`CrossInspections`).
    case crossInspection = "cross_inspection"
    case selfInspectionFalse = "self_inspection_false"

    public var title: String {
        switch self {
        case .complaint: "投诉举报"
        case .warning: "预警转入"
        case .manual: "人工录入"
        case .inspection: "检查发现"
        case .audit: "审计发现"
        case .crossInspection: "交叉检查发现"
        case .selfInspectionFalse: "自查自纠弄虚作假"
        }
    }

    /// The sources an official enters by hand (the others arrive through their own step).
    public static let enteredByHand: [ProblemSource] = [.manual, .inspection, .audit]
}

/// How serious a problem (or a warning) is.
public enum ProblemSeverity: String, CaseCode, Codable {
    case high, medium, low

    public var title: String {
        switch self {
        case .high: "严重"
        case .medium: "一般"
        case .low: "轻微"
        }
    }
}

/// A problem to put on the ledger, as an official, a complaint's handler or an escalated warning submits it.
/// `problems(today:)` is every field error at once, keyed by the form's field names.
public struct ProblemInput: Sendable {
    public var estateId: Int64?
    public var category: String
    public var description: String
    /// nil: an unknown severity was chosen (refused); absent from a form means `.medium`.
    public var severity: ProblemSeverity?
    /// nil: an unknown source was chosen (refused).
    public var source: ProblemSource?
    /// As typed (`2024-07-01`); empty: the region's default period from today.
    public var deadline: String
    /// Empty: the company managing the estate, or its developer or committee.
    public var responsible: String

    public init(estateId: Int64?, category: String, description: String, severity: ProblemSeverity? = .medium, source: ProblemSource? = .manual,
                deadline: String = "", responsible: String = "") {
        self.estateId = estateId
        self.category = category
        self.description = description
        self.severity = severity
        self.source = source
        self.deadline = deadline
        self.responsible = responsible
    }

    var deadlineDay: Day? { deadlineText.isEmpty ? nil : Day(deadlineText) }

    private var deadlineText: String { InputReader.halfWidth(deadline.trimmingCharacters(in: .whitespaces)) }

    /// What is wrong with the input, every field at once.
    public func problems(today: Day) -> FieldErrors {
        var errors = FieldErrors()
        if ProblemCategory.named(category) == nil { errors.add("category", code: "unknown_category", "请选择问题类别") }
        let text = description.trimmingCharacters(in: .whitespacesAndNewlines)
        if text.isEmpty { errors.add("description", code: "required", "请填写问题描述") }
        if text.count > 2_000 || InputReader.hasControlCharacters(text) {
            errors.add("description", code: "too_long", "问题描述不能超过2000个字符，且不能包含控制字符")
        }
        if severity == nil { errors.add("severity", code: "unknown_severity", "请选择严重程度") }
        if !deadlineText.isEmpty {
            if let day = Day(deadlineText) {
                if day < today { errors.add("deadline", code: "past_deadline", "整改期限不能早于今天") }
            } else {
                errors.add("deadline", code: "bad_date", "整改期限应为有效日期，格式如 2024-07-01")
            }
        }
        if responsible.count > 100 || InputReader.hasControlCharacters(responsible) {
            errors.add("responsible", code: "too_long", "责任主体不能超过100个字符，且不能包含控制字符")
        }
        return errors
    }
}

/// Problems on the casework kernel: their table, who sees which, their list order and their steps.
extension Problems: CaseKind {
    public typealias Item = Problem
    public typealias Source = ProblemSource

    public static let table = CaseTable(entity: "problem", name: "problems", alias: "p", openedAt: "created_at", events: "problem_events",
                                        order: "CASE p.status WHEN 'closed' THEN 1 ELSE 0 END, p.deadline, p.id",
                                        sorts: ["id": "p.id", "estate": "e.name", "deadline": "p.deadline", "status": "p.status", "found": "p.created_at"])
    public static let overdueStatuses: [Status] = [.open]
    public static func id(of item: Problem) -> Int64 { item.id }

    public static func search(_ text: String, like: String) -> SQLQueryString? {
        let number = Int64(text.hasPrefix("#") ? String(text.dropFirst()) : text) ?? 0
        return "(p.id = \(bind: number) OR p.description LIKE \(bind: like) ESCAPE '\\' OR e.name LIKE \(bind: like) ESCAPE '\\')"
    }

    /// The rectification steps as data: from which status each may be taken and the permission it needs.
    public static let steps = StateTable<Status, Action>([
        .init(.rectify, from: [.open], needs: .rectifyProblem),
        .init(.accept, from: [.submitted], needs: .verifyRectification),
        .init(.sendBack, from: [.submitted], needs: .verifyRectification),
        .init(.refer, from: [.open, .submitted], needs: .referProblem),
        .init(.decide, from: [.open, .submitted], needs: .decideReferredProblem),
        .init(.note, from: [.open, .submitted], needs: .noteProblem),
    ])
}
