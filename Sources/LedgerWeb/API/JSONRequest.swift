import Foundation
import Hummingbird
import LedgerCore
import NIOCore

extension Request {
    /// Decodes a JSON body, keeping the decoder's own error (so the field at fault can be named) and refusing
    /// bodies over the context's limit with 413.
    func decodeJSON<T: Decodable>(as type: T.Type, context: AppRequestContext) async throws -> T {
        let buffer: ByteBuffer
        do {
            buffer = try await body.collect(upTo: context.maxUploadSize)
        } catch is NIOTooManyBytesError {
            throw LedgerError(.tooLarge, code: "too_large", message: "请求内容超过 1 MB 上限")
        }
        return try JSONDecoder().decode(T.self, from: Data(buffer.readableBytesView))
    }
}

/// What openapi.yaml promises about parameters and bodies that the domain checks do not already refuse.
enum APIInput {
    /// `maxLength` as the API document counts it: the code points of the string as sent, before any trimming (the domain
    /// then counts the trimmed text, which is never longer).
    static func limit(_ value: String?, _ field: String, max: Int) throws {
        guard let value, value.unicodeScalars.count > max else { return }
        throw LedgerError.invalid(field, code: "too_long", "\(field) 不能超过\(max)个字符")
    }

    /// A query parameter that, when given, must not be empty (an empty `region=` is a mistake, not "everywhere").
    static func nonEmpty(_ query: Parameters, _ field: String) throws -> String? {
        guard let value = query[Substring(field)] else { return nil }
        guard !value.isEmpty else { throw LedgerError.invalid(field, code: "bad_parameter", "参数 \(field) 不能为空") }
        return String(value)
    }

    /// Refuses every named query parameter that is given but empty.
    static func refuseEmpty(_ query: Parameters, _ fields: [String]) throws {
        for field in fields { _ = try nonEmpty(query, field) }
    }
}
