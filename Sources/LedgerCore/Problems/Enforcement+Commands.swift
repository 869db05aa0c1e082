import Foundation

/// An enforcement action as entered (the form, scripts, the demo); validated in core.
public struct EnforcementInput: Sendable {
    /// Nil when the form sent no (or an unknown) kind.
    public var kind: EnforcementKind?
    public var decidedOn: String
    public var basis: String
    public var documentNumber: String
    public var note: String
    /// The related problem's number, optional.
    public var problem: String

    public init(kind: EnforcementKind?, decidedOn: String, basis: String, documentNumber: String, note: String = "", problem: String = "") {
        (self.kind, self.decidedOn, self.basis, self.documentNumber, self.note, self.problem) = (kind, decidedOn, basis, documentNumber, note, problem)
    }

    public struct Valid: Sendable {
        public let kind: EnforcementKind
        public let decidedOn: Day
        public let basis: String
        public let documentNumber: String
        public let note: String
        public let problemId: Int64?
    }

    /// Field errors keyed `kind`, `decidedOn`, `basis`, `documentNumber`, `note`, `problem`; a decision cannot lie after `today`.
    public func validated(today: Day) throws -> Valid {
        var reader = InputReader()
        if self.kind == nil { reader.errors.add("kind", code: "required", "请选择措施类别") }
        let day = reader.day(self.decidedOn, field: "decidedOn", label: "决定日期")
        let basis = reader.text(self.basis, field: "basis", label: "依据", max: 500)
        let number = reader.text(self.documentNumber, field: "documentNumber", label: "文书编号", max: 60)
        let note = reader.text(self.note, field: "note", label: "备注", required: false, max: 1_000)
        let problemText = self.problem.trimmingCharacters(in: .whitespaces)
        let problemId = problemText.isEmpty ? nil : Int64(problemText)
        if !problemText.isEmpty && problemId == nil { reader.errors.add("problem", code: "not_integer", "关联问题编号须为数字") }
        if let day, today < day { reader.errors.add("decidedOn", code: "future_date", "决定日期不能晚于今天") }
        try reader.errors.throwIfAny()
        return Valid(kind: kind!, decidedOn: day!, basis: basis, documentNumber: number, note: note, problemId: problemId)
    }
}
