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
