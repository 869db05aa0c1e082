import Foundation
import LedgerCore

/// An option of a `<select>`, remembering whether it is chosen.
struct Option: Sendable {
    let value: String
    let label: String
    let selected: Bool

    /// A sub-region filter: "全部辖区", then counties with their streets indented.
    static func regions(_ regions: [Region], selected: String) -> [Option] {
        [Option(value: "", label: "全部辖区", selected: selected.isEmpty)]
            + regions.map { Option(value: $0.code, label: ($0.level == .street ? "　" : "") + $0.name, selected: $0.code == selected) }
    }
}

/// The values and errors of one form field.
struct Field: Sendable {
    let value: String
    let error: String?

    init(_ name: String, _ values: [String: String], _ errors: FieldErrors) {
        value = values[name] ?? ""
        error = errors.message(for: name)
    }
}
