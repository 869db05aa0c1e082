import Foundation

/// Checks shared by every input form: trimming, required fields, lengths and whole numbers. Typed commands pass each
/// value with the field name its error is shown beside (`text(input.name, field: "name", …)`); the complaint forms still
/// read a dictionary of submitted values.
public struct InputReader: Sendable {
    /// Values submitted by field name, read by the overloads that take only a field name.
    public let submitted: [String: String]
    public var errors = FieldErrors()

    public init(_ submitted: [String: String] = [:]) { self.submitted = submitted }

    /// A trimmed text field; records an error if it is required and empty, or longer than `max` characters.
    public mutating func text(_ field: String, label: String, required: Bool = true, max: Int) -> String {
        text(submitted[field] ?? "", field: field, label: label, required: required, max: max)
    }

    /// `value` checked as the text field `field`.
    public mutating func text(_ value: String, field: String, label: String, required: Bool = true, max: Int) -> String {
        let value = value.trimmingCharacters(in: .whitespacesAndNewlines)
        if value.isEmpty {
            if required { errors.add(field, code: "required", "请填写\(label)") }
        } else if InputReader.hasControlCharacters(value) {
            errors.add(field, code: "bad_char", "\(label)不能包含控制字符")
        } else if value.count > max {
            errors.add(field, code: "too_long", "\(label)不能超过\(max)个字符（当前\(value.count)个）")
        }
        return value
    }

    /// A whole number within `range`; full-width digits are accepted.
    public mutating func integer(_ field: String, label: String, range: ClosedRange<Int>) -> Int {
        integer(submitted[field] ?? "", field: field, label: label, range: range)
    }

    /// `value` checked as the whole-number field `field`.
    public mutating func integer(_ value: String, field: String, label: String, range: ClosedRange<Int>) -> Int {
        let raw = Self.halfWidth(value.trimmingCharacters(in: .whitespacesAndNewlines))
        guard !raw.isEmpty else {
            errors.add(field, code: "required", "请填写\(label)")
            return 0
        }
        guard raw.count <= 12, raw.allSatisfy(\.isASCII), let value = Int(raw) else {
            errors.add(field, code: "not_integer", "\(label)必须是整数")
            return 0
        }
        guard range.contains(value) else {
            errors.add(field, code: "out_of_range", "\(label)应在\(range.lowerBound)至\(range.upperBound)之间")
            return value
        }
        return value
    }

    /// A percentage with up to two decimals, returned in basis points (70.5 → 7050).
    public mutating func percentBasisPoints(_ field: String, label: String) -> Int {
        percentBasisPoints(submitted[field] ?? "", field: field, label: label)
    }

    /// `value` checked as the percentage field `field`.
    public mutating func percentBasisPoints(_ value: String, field: String, label: String) -> Int {
        let raw = Self.halfWidth(value.trimmingCharacters(in: .whitespacesAndNewlines))
            .replacingOccurrences(of: "%", with: "")
        guard !raw.isEmpty else {
            errors.add(field, code: "required", "请填写\(label)")
            return 0
        }
        let parts = raw.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count <= 2, parts[0].count <= 3, let whole = Int(parts[0]), parts[0].allSatisfy({ $0.isASCII && $0.isNumber }),
            parts.count == 1 || (1...2).contains(parts[1].count) && parts[1].allSatisfy(\.isASCII) && Int(parts[1]) != nil
        else {
            errors.add(field, code: "not_percent", "\(label)应为0至100之间的数字，最多两位小数")
            return 0
        }
        let fraction = parts.count == 2 ? Int(parts[1].padding(toLength: 2, withPad: "0", startingAt: 0))! : 0
        let bp = whole * 100 + fraction
        guard (0...10_000).contains(bp) else {
            errors.add(field, code: "out_of_range", "\(label)应在0%至100%之间")
            return 0
        }
        return bp
    }

    /// A calendar date `YYYY-MM-DD`.
    public mutating func day(_ field: String, label: String, required: Bool = true) -> Day? {
        day(submitted[field] ?? "", field: field, label: label, required: required)
    }

    /// `value` checked as the date field `field`.
    public mutating func day(_ value: String, field: String, label: String, required: Bool = true) -> Day? {
        let raw = value.trimmingCharacters(in: .whitespacesAndNewlines)
        if raw.isEmpty {
            if required { errors.add(field, code: "required", "请填写\(label)") }
            return nil
        }
        guard let day = Day(Self.halfWidth(raw)) else {
            errors.add(field, code: "bad_date", "\(label)应为有效日期，格式如 2024-07-01")
            return nil
        }
        return day
    }

    /// C0 control characters other than tab and line breaks (NUL would be cut short by SQLite and refused by PostgreSQL).
    public static func hasControlCharacters(_ text: String) -> Bool {
        text.unicodeScalars.contains { $0.value < 0x20 && $0 != "\t" && $0 != "\n" && $0 != "\r" || $0.value == 0x7F }
    }

    /// Full-width digits and punctuation typed by Chinese input methods, folded to ASCII.
    public static func halfWidth(_ text: String) -> String {
        String(String.UnicodeScalarView(text.unicodeScalars.map { scalar in
            (0xFF01...0xFF5E).contains(scalar.value) ? Unicode.Scalar(scalar.value - 0xFEE0)! : scalar
        }))
    }
}

/// Formats a basis-point ratio as a percentage (`7050` → `70.5%`).
public func percentText(basisPoints bp: Int) -> String {
    bp % 100 == 0 ? "\(bp / 100)%" : String(format: "%.2f", Double(bp) / 100).replacingOccurrences(of: #"0$"#, with: "", options: .regularExpression) + "%"
}

/// Masks for personal and account numbers shown in lists, public pages and circulated ledgers.
public enum Mask {
    /// Keeps at most 3 leading and 2 trailing characters and never more than 40% of them (rounded down), the rest `*`:
    /// `13812345678` → `13*******78`, `87654321` → `87*****1`, a 19-digit account → `622**************34`.
    public static func number(_ text: String) -> String {
        let chars = Array(text)
        let shown = chars.count * 2 / 5
        let tail = min(2, shown / 2)
        let head = min(3, shown - tail)
        return String(chars.prefix(head)) + String(repeating: "*", count: chars.count - head - tail) + String(chars.suffix(tail))
    }
}
