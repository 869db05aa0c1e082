import Foundation
/// A refusal the user can act on: a stable code, a Chinese message and, where it applies, the offending field.
public struct LedgerError: Error, Sendable, Equatable {
    public enum Kind: String, Sendable {
        case invalid, notFound, forbidden, unauthorized, conflict, locked, tooLarge
        /// Well-formed as the API document describes, but refused by a rule the document cannot express (422).
        case unprocessable
    }

    public let kind: Kind
    public let code: String
    public let message: String
    public let field: String?

    public init(_ kind: Kind, code: String, message: String, field: String? = nil) {
        self.kind = kind
        self.code = code
        self.message = message
        self.field = field
    }

    public static func invalid(_ field: String, code: String, _ message: String) -> LedgerError {
        LedgerError(.invalid, code: code, message: message, field: field)
    }

    public static func notFound(_ what: String) -> LedgerError {
        LedgerError(.notFound, code: "not_found", message: "\(what)不存在或不在您的管辖范围内")
    }

    public static let forbidden = LedgerError(.forbidden, code: "forbidden", message: "您的账号无权进行此操作")
}

/// Several field errors found at once, so a form can show each beside its field.
public struct FieldErrors: Error, Sendable {
    public private(set) var items: [LedgerError] = []

    public init() {}

    public var isEmpty: Bool { items.isEmpty }

    public mutating func add(_ error: LedgerError) { items.append(error) }

    public mutating func add(_ field: String, code: String, _ message: String) {
        items.append(.invalid(field, code: code, message))
    }

    /// The message for one field, if it has an error.
    public func message(for field: String) -> String? {
        items.first { $0.field == field }?.message
    }

    public func throwIfAny() throws {
        if !items.isEmpty { throw self }
    }
}
