import Foundation
import Hummingbird

/// The API's error body: `{"error":{"code","message","field"}}`.
enum APIError {
    struct Body: Encodable {
        struct Detail: Encodable {
            let code: String
            let message: String
            let field: String?
        }
        let error: Detail
    }

    static func response(status: HTTPResponse.Status, code: String, message: String, field: String?) -> Response {
        let data = (try? JSONEncoder().encode(Body(error: .init(code: code, message: message, field: field)))) ?? Data()
        return Response(status: status, headers: [.contentType: "application/json; charset=utf-8"],
                        body: .init(byteBuffer: ByteBuffer(bytes: data)))
    }
}
