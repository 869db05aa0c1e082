import Foundation

/// An exact amount of money in fen (分). Outside the program it is a decimal string of yuan, like `"1234.50"`.
public struct Money: Sendable, Hashable, Comparable, Codable, CustomStringConvertible {
    public let fen: Int64

    public init(fen: Int64) { self.fen = fen }

    public static let zero = Money(fen: 0)

    /// Why a text is not an amount, in Chinese; or the amount. Accepts `"1234"`, `"1234.5"`, `"1234.50"`,
    /// `"1,234.50"` and full-width digits; refuses signs, exponents, more than two decimals and anything else.
    public static func parse(_ text: String) -> Result<Money, MoneyError> {
        let trimmed = InputReader.halfWidth(text.trimmingCharacters(in: .whitespaces))
        // Thousands separators only in groups of three ("1,234.50"), never "1,2,3".
        if trimmed.contains(","), trimmed.range(of: #"^\d{1,3}(,\d{3})+(\.\d*)?$"#, options: .regularExpression) == nil {
            return .failure(.notANumber)
        }
        let cleaned = trimmed.replacingOccurrences(of: ",", with: "")
        guard !cleaned.isEmpty else { return .failure(.empty) }
        if cleaned.hasPrefix("-") { return .failure(.negative) }
        let parts = cleaned.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count <= 2, !parts[0].isEmpty, parts[0].allSatisfy({ $0.isASCII && $0.isNumber }) else {
            return .failure(.notANumber)
        }
        let fraction = parts.count == 2 ? parts[1] : ""
        guard fraction.allSatisfy({ $0.isASCII && $0.isNumber }), !(parts.count == 2 && fraction.isEmpty) else {
            return .failure(.notANumber)
        }
        guard fraction.count <= 2 else { return .failure(.tooManyDecimals) }
        guard parts[0].count <= 13, let yuan = Int64(parts[0]) else { return .failure(.tooLarge) }
        let cents = Int64(fraction.padding(toLength: 2, withPad: "0", startingAt: 0)) ?? 0
        return .success(Money(fen: yuan * 100 + cents))
    }

    /// `"1234.50"`: always two decimals, no grouping (the exchange format).
    public var description: String {
        let sign = fen < 0 ? "-" : ""
        let magnitude = fen.magnitude
        return "\(sign)\(magnitude / 100).\(Day.padded(Int(magnitude % 100), 2))"
    }

    /// `"1,234.50"` for people.
    public var display: String {
        let plain = description
        let negative = plain.hasPrefix("-")
        let digits = negative ? String(plain.dropFirst()) : plain
        let parts = digits.split(separator: ".")
        var grouped = ""
        for (index, char) in parts[0].reversed().enumerated() {
            if index > 0 && index % 3 == 0 { grouped.append(",") }
            grouped.append(char)
        }
        return (negative ? "-" : "") + String(grouped.reversed()) + "." + parts[1]
    }

    public static func + (a: Money, b: Money) -> Money { Money(fen: a.fen + b.fen) }
    public static func - (a: Money, b: Money) -> Money { Money(fen: a.fen - b.fen) }
    public static func < (a: Money, b: Money) -> Bool { a.fen < b.fen }

    /// Encoded as its decimal string.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(description)
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        let text = try container.decode(String.self)
        switch Money.parse(text) {
        case .success(let money): self = money
        case .failure(let error):
            throw DecodingError.dataCorruptedError(in: container, debugDescription: error.message)
        }
    }
}

/// Why a text is not an amount.
public enum MoneyError: Error, Sendable, Equatable {
    case empty, negative, notANumber, tooManyDecimals, tooLarge

    public var code: String {
        switch self {
        case .empty: "required"
        case .negative: "negative_amount"
        case .notANumber: "not_amount"
        case .tooManyDecimals: "too_many_decimals"
        case .tooLarge: "amount_too_large"
        }
    }

    public var message: String {
        switch self {
        case .empty: "请填写金额"
        case .negative: "金额不能为负数"
        case .notANumber: "金额应为数字，如 1234.50"
        case .tooManyDecimals: "金额最多保留两位小数（精确到分）"
        case .tooLarge: "金额过大"
        }
    }
}

extension Sequence where Element == Money {
    public func sum() -> Money { reduce(.zero, +) }
}
