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
