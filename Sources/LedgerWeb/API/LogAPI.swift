import Foundation
import Hummingbird
import LedgerCore

/// The transparency log's public endpoints: tree head, inclusion proofs, consistency proofs (no login).
struct LogAPI {
    let log: TransparencyLog

    func addRoutes(to router: some RouterMethods<AppRequestContext>) {
        router.get("/api/v1/log/tree-head", use: treeHead)
        router.get("/api/v1/log/inclusion", use: inclusion)
        router.get("/api/v1/log/consistency", use: consistency)
    }

    @Sendable func treeHead(_ request: Request, context: AppRequestContext) async throws -> Response {
        try JSONResponse.make(try await log.treeHead())
    }

    struct InclusionBody: Encodable { let leafIndex: Int; let treeSize: Int; let auditPath: [String] }

    /// `?leaf=HASH&size=N` → `{leafIndex, treeSize, auditPath}`.
    @Sendable func inclusion(_ request: Request, context: AppRequestContext) async throws -> Response {
        let query = request.uri.queryParameters
        guard let leaf = query["leaf"].map(String.init), leaf.count == 64, Data(hex: leaf) != nil else {
            throw LedgerError.invalid("leaf", code: "bad_hash", "leaf 应为64位十六进制的叶哈希")
        }
        let size = try Self.number(query["size"], field: "size")
        let proof = try await log.inclusionProof(leafHash: leaf, size: size)
        return try JSONResponse.make(InclusionBody(leafIndex: proof.leafIndex, treeSize: size, auditPath: proof.path.map(\.hex)))
    }

    /// `?first=M&second=N` → `{proof}`.
    @Sendable func consistency(_ request: Request, context: AppRequestContext) async throws -> Response {
        let query = request.uri.queryParameters
        let first = try Self.number(query["first"], field: "first")
        let second = try Self.number(query["second"], field: "second")
        let proof = try await log.consistencyProof(first: first, second: second)
        return try JSONResponse.make(["proof": proof.map(\.hex)])
    }

    static func number(_ value: Substring?, field: String) throws -> Int {
        guard let value, let number = Int(value), number >= 0 else {
            throw LedgerError.invalid(field, code: "bad_parameter", "\(field) 必须是非负整数")
        }
        return number
    }
}
