import Foundation
import LedgerCore

// The casework commands built from a form's fields: the field names belong to the pages, the checks to the core.

extension ProblemInput {
    /// From the problem form, or from a complaint's 立案 step (whose deadline field is `problemDeadline`).
    init(form: [String: String], deadlineField: String = "deadline") {
        self.init(estateId: Int64((form["estate"] ?? "").trimmingCharacters(in: .whitespaces)), category: form["category"] ?? "",
                  description: form["description"] ?? "", severity: Self.code(form["severity"], default: .medium),
                  source: Self.code(form["source"], default: .manual), deadline: form[deadlineField] ?? "", responsible: form["responsible"] ?? "")
    }

    /// A chosen code: the default where nothing was chosen, nil (refused by the core) where the code is unknown.
    static func code<Code: CaseCode>(_ raw: String?, default fallback: Code) -> Code? {
        guard let raw, !raw.isEmpty else { return fallback }
        return Code(rawValue: raw)
    }
}

extension ComplaintInput {
    init(form: [String: String]) {
        self.init(estateId: Int64((form["estate"] ?? "").trimmingCharacters(in: .whitespaces)), category: form["category"] ?? "",
                  content: form["content"] ?? "", name: form["name"] ?? "", phone: form["phone"] ?? "",
                  source: ComplaintSource(rawValue: form["source"] ?? ""), sourceRef: form["sourceRef"] ?? "")
    }
}

extension ComplaintStep {
    init(form: [String: String]) {
        self.init(note: form["note"] ?? "", outcome: ComplaintOutcome(rawValue: form["outcome"] ?? ""), transferTo: TransferTarget(rawValue: form["to"] ?? ""),
                  handlingRegion: form["handlingRegion"] ?? "", handler: form["handler"] ?? "", deadline: form["deadline"] ?? "",
                  problem: ProblemInput(form: form, deadlineField: "problemDeadline"), reply: form["reply"] ?? "")
    }
}
