import Foundation
import Hummingbird
import NIOCore

extension Request {
    /// A query parameter as a browser's GET form sends it (`+` for a space, then percent-decoded), trimmed of the spaces
    /// and line breaks a paste brings along, at most `max` characters. (`uri.queryParameters` leaves `+` as it is, so a
    /// code typed with a trailing space would arrive as `TS…+`.)
    func formQuery(_ name: String, max: Int = 100) -> String {
        guard let query = uri.query, !query.isEmpty else { return "" }
        let value = FormData.urlEncoded(ByteBuffer(string: query))[name] ?? ""
        return String(value.trimmingCharacters(in: .whitespacesAndNewlines).prefix(max))
    }
}

extension FormData {
    /// The submitted fields with surrounding spaces and line breaks removed (public forms: pasted codes, names, phones).
    var trimmedFields: [String: String] {
        fields.mapValues { $0.trimmingCharacters(in: .whitespacesAndNewlines) }
    }
}
