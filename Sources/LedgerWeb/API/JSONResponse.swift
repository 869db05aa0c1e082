import Foundation
import Hummingbird

/// JSON responses with stable key order.
enum JSONResponse {
    static let encoder: JSONEncoder = {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return encoder
    }()

    static func make(_ value: some Encodable, status: HTTPResponse.Status = .ok) throws -> Response {
        Response(status: status, headers: [.contentType: "application/json; charset=utf-8"],
                 body: .init(byteBuffer: ByteBuffer(bytes: try encoder.encode(value))))
    }
}

/// A page of items in API form.
struct PageBody<Item: Encodable>: Encodable {
    let items: [Item]
    let page: Int
    let pageSize: Int
    let total: Int
}

/// An optional that the synthesized encoding writes as `null` rather than leaving the key out, for API fields the
/// contract lists on every item (e.g. an annual plan's `quarter`).
struct JSONNullable<Wrapped: Encodable & Sendable>: Encodable, Sendable {
    let value: Wrapped?
    init(_ value: Wrapped?) { self.value = value }

    func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        if let value { try container.encode(value) } else { try container.encodeNil() }
    }
}
