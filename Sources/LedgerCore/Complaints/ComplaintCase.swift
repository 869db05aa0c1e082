import Foundation
import SQLKit

/// A complaint as the complainant (online) or an officer (the other sources) submits it. `problems()` is every
/// field error at once, keyed by the form's field names.
public struct ComplaintInput: Sendable {
    public var estateId: Int64?
    public var category: String
    public var content: String
    public var name: String
    public var phone: String
    /// Staff intake only: where it came from (never `.online`, which the public form sets) and that source's number.
    public var source: ComplaintSource?
    public var sourceRef: String

    public init(estateId: Int64?, category: String, content: String, name: String = "", phone: String = "",
                source: ComplaintSource? = nil, sourceRef: String = "") {
        self.estateId = estateId
        self.category = category
        self.content = content
        self.name = name
        self.phone = phone
        self.source = source
        self.sourceRef = sourceRef
    }

    /// The content as it will be stored (trimmed).
    public var checkedContent: String { content.trimmingCharacters(in: .whitespacesAndNewlines) }
    /// The name as it will be stored; nil: anonymous.
    public var checkedName: String? { Self.optional(name) }
    var checkedPhone: String? { Self.optional(InputReader.halfWidth(phone.trimmingCharacters(in: .whitespacesAndNewlines)).replacingOccurrences(of: " ", with: "")) }

    private static func optional(_ text: String) -> String? {
        let trimmed = text.trimmingCharacters(in: .whitespacesAndNewlines)
        return trimmed.isEmpty ? nil : trimmed
    }

    public func problems() -> FieldErrors {
        var reader = InputReader(["category": category, "content": content, "name": name, "phone": phone])
        if estateId == nil { reader.errors.add("estate", code: "required", "请先搜索并选择小区") }
        let category = reader.text("category", label: "问题类别", max: 40)
        if !category.isEmpty && ProblemCategory.named(category) == nil {
            reader.errors.add("category", code: "unknown_category", "请选择问题类别")
        }
        let content = reader.text("content", label: "反映内容", max: 2_000)
        if !content.isEmpty && content.unicodeScalars.count < 10 { reader.errors.add("content", code: "too_short", "反映内容请至少写10个字，说明时间、地点和事情经过") }
        _ = reader.text("name", label: "姓名", required: false, max: 20)
        let phone = InputReader.halfWidth(reader.text("phone", label: "联系电话", required: false, max: 20)).replacingOccurrences(of: " ", with: "")
        if !phone.isEmpty && (phone.count < 7 || !phone.allSatisfy({ $0.isASCII && ($0.isNumber || $0 == "-") })) {
            reader.errors.add("phone", code: "bad_phone", "联系电话只能包含数字和“-”，至少7位")
        }
        return reader.errors
    }
}

/// Whom a complaint is transferred to.
public enum TransferTarget: String, CaseCode, Codable {
    case department, oversight

    public var title: String { self == .department ? "协同部门" : "纪委监委" }
}

/// One handling step's input: the note, and what the step needs besides (`Complaints.act` says which).
public struct ComplaintStep: Sendable {
    public var note: String
    /// `.close`: the result.
    public var outcome: ComplaintOutcome?
    /// `.transfer`: to whom.
    public var transferTo: TransferTarget?
    /// `.assign`: the handling unit's region code (empty: keep), the handler's login (empty: oneself) and the deadline (empty: keep).
    public var handlingRegion: String
    public var handler: String
    public var deadline: String
    /// `.problem`: the problem to raise (its estate and source are the complaint's).
    public var problem: ProblemInput?
    /// `.close`: the public reply addressed to the complainant (required; shown on the tracking page).
    public var reply: String

    public init(note: String = "", outcome: ComplaintOutcome? = nil, transferTo: TransferTarget? = nil, handlingRegion: String = "",
                handler: String = "", deadline: String = "", problem: ProblemInput? = nil, reply: String = "") {
        self.note = note
        self.reply = reply
        self.outcome = outcome
        self.transferTo = transferTo
        self.handlingRegion = handlingRegion
        self.handler = handler
        self.deadline = deadline
        self.problem = problem
    }
}

/// Complaints on the casework kernel: their table, who sees which, their list order and their steps.
extension Complaints: CaseKind {
    public typealias Item = Complaint
    public typealias Source = ComplaintSource

    public static let table = CaseTable(entity: "complaint", name: "complaints", alias: "c", openedAt: "received_at", events: "complaint_events",
                                        order: "c.received_at DESC, c.id DESC",
                                        sorts: ["received": "c.received_at", "estate": "e.name", "deadline": "c.deadline", "status": "c.status"])
    public static let overdueStatuses: [Status] = [.received, .assigned, .transferred]
    public static func id(of item: Complaint) -> Int64 { item.id }

    public static func search(_ text: String, like: String) -> SQLQueryString? {
        "(c.tracking_code = \(bind: text.uppercased()) OR c.source_ref = \(bind: text) OR c.content LIKE \(bind: like) ESCAPE '\\' OR e.name LIKE \(bind: like) ESCAPE '\\')"
    }

    /// The handling steps as data: from which status each may be taken and the permission it needs.
    public static let steps = StateTable<Status, Action>([
        .init(.assign, from: [.received, .assigned], needs: .handleComplaint),
        .init(.note, from: [.assigned, .transferred], needs: .handleComplaint),
        .init(.reply, from: [.assigned, .transferred], needs: .handleComplaint),
        .init(.close, from: [.assigned], needs: .handleComplaint),
        .init(.transfer, from: [.assigned], needs: .handleComplaint),
        .init(.decide, from: [.transferred], needs: .decideTransferredComplaint),
        .init(.problem, from: [.assigned], needs: .handleComplaint),
    ])
}

extension ComplaintSource: CaseCode {}
