import Crypto
import Foundation
import SQLKit

/// 凭证: contracts, invoices and bank slips (PDF, JPEG, PNG) attached to a published version's lines. The file's
/// type is read from its content, never from its name; files are stored by their SHA-256 under `directory`.
public struct VoucherStore: Sendable {
    public struct Voucher: Sendable, Codable, Equatable {
        public let id: Int64
        public let versionId: Int64
        public let estateId: Int64
        public let kind: String
        public let position: Int
        public let filename: String
        public let contentType: String
        public let size: Int
        public let sha256: String
    }

    public static let maxBytes = 5 << 20

    let database: Database
    let clock: any LedgerClock
    public let directory: String

    public init(database: Database, clock: any LedgerClock, directory: String) {
        self.database = database
        self.clock = clock
        self.directory = directory
    }

    /// The type a file's first bytes prove, or nil.
    public static func sniff(_ bytes: [UInt8]) -> (type: String, extension: String)? {
        if bytes.starts(with: Array("%PDF-".utf8)) { return ("application/pdf", "pdf") }
        if bytes.starts(with: [0xFF, 0xD8, 0xFF]) { return ("image/jpeg", "jpg") }
        if bytes.starts(with: [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]) { return ("image/png", "png") }
        return nil
    }

    /// Attaches a file to line `line` (`income.0`, `costs.1`, `expenditures.0`) of the latest version of a quarter.
    public func attach(estateId: Int64, quarter: Quarter, line: String, filename: String, bytes: [UInt8], scope: Scope) async throws -> Voucher {
        guard bytes.count <= Self.maxBytes else {
            throw LedgerError(.tooLarge, code: "file_too_large", message: "凭证文件不能超过5 MB（当前\(bytes.count / 1024) KB）", field: "file")
        }
        guard !bytes.isEmpty else { throw LedgerError.invalid("file", code: "required", "请选择凭证文件") }
        guard let sniffed = Self.sniff(bytes) else {
            throw LedgerError.invalid("file", code: "unsupported_type", "凭证只能是 PDF、JPEG 或 PNG 文件（按文件内容识别）")
        }
        let claimed = (filename as NSString).pathExtension.lowercased()
        let matches = ["pdf": "pdf", "jpg": "jpg", "jpeg": "jpg", "png": "png"][claimed]
        guard matches == sniffed.extension else {
            throw LedgerError.invalid("file", code: "type_mismatch", "文件名“\(filename)”与文件内容（\(sniffed.extension.uppercased())）不符，请检查后重新上传")
        }
        let parts = line.split(separator: ".")
        let kinds = ["income": "income", "costs": "cost", "expenditures": "expenditure"]
        guard parts.count == 2, let kind = kinds[String(parts[0])], let position = Int(parts[1]) else {
            throw LedgerError.invalid("line", code: "unknown_line", "请选择凭证对应的收支项目")
        }
        guard scope.role == .company || scope.role == .admin else { throw LedgerError.forbidden }
        let digest = SHA256.hash(data: Data(bytes)).map { String(format: "%02x", $0) }.joined()
        let safeName = String(filename.replacingOccurrences(of: "/", with: "_").replacingOccurrences(of: "\\", with: "_").prefix(120))
        let at = clock.now()
        let path = try storedPath(sha256: digest, extension: sniffed.extension)
        return try await database.transaction { db in
            guard let estate = try await EstateRepository.estate(estateId, scope: scope, on: db) else { throw LedgerError.notFound("小区") }
            guard let versionId = try await db.raw("""
                SELECT v.id FROM disclosure_versions v JOIN disclosure_lines l ON l.version_id = v.id
                WHERE v.estate_id = \(bind: estateId) AND v.year = \(bind: quarter.year) AND v.quarter = \(bind: quarter.quarter)
                AND l.kind = \(bind: kind) AND l.position = \(bind: position)
                ORDER BY v.version DESC LIMIT 1
                """).first(decodingColumn: "id", as: Int64.self) else {
                throw LedgerError.invalid("line", code: "unknown_line", "\(quarter.title)没有该收支项目")
            }
            if !FileManager.default.fileExists(atPath: path) {
                try Data(bytes).write(to: URL(fileURLWithPath: path), options: .atomic)
            }
            let id = try await db.raw("""
                INSERT INTO vouchers (version_id, estate_id, kind, position, filename, content_type, size, sha256, uploaded_at, uploaded_by)
                VALUES (\(bind: versionId), \(bind: estateId), \(bind: kind), \(bind: position), \(bind: safeName), \(bind: sniffed.type),
                        \(bind: bytes.count), \(bind: digest), \(bind: Timestamp.storage(at)), \(bind: scope.username))
                RETURNING id
                """).first(decodingColumn: "id", as: Int64.self)!
            let voucher = Voucher(id: id, versionId: versionId, estateId: estateId, kind: kind, position: position, filename: safeName,
                                  contentType: sniffed.type, size: bytes.count, sha256: digest)
            try await AuditLog.record(on: db, scope: scope, at: at, action: "attach", entity: "voucher", entityId: "\(id)",
                                      regionPath: estate.regionPath, after: voucher)
            return voucher
        }
    }

    /// Vouchers of one version, for the pages that show its lines.
    public func vouchers(versionId: Int64) async throws -> [Voucher] {
        try await database.read { db in
            try await db.raw("""
                SELECT id, version_id, estate_id, kind, position, filename, content_type, size, sha256 FROM vouchers
                WHERE version_id = \(bind: versionId) ORDER BY kind, position, id
                """).all(decoding: Voucher.self, keyDecodingStrategy: .convertFromSnakeCase)
        }
    }

    /// A voucher and its bytes (vouchers of published disclosures are public).
    public func file(id: Int64) async throws -> (Voucher, Data) {
        let voucher = try await database.read { db in
            try await db.raw("""
                SELECT id, version_id, estate_id, kind, position, filename, content_type, size, sha256 FROM vouchers WHERE id = \(bind: id)
                """).first(decoding: Voucher.self, keyDecodingStrategy: .convertFromSnakeCase)
        }
        guard let voucher, let ext = ["application/pdf": "pdf", "image/jpeg": "jpg", "image/png": "png"][voucher.contentType],
              let data = FileManager.default.contents(atPath: try storedPath(sha256: voucher.sha256, extension: ext)) else {
            throw LedgerError.notFound("凭证")
        }
        return (voucher, data)
    }

    func storedPath(sha256: String, extension ext: String) throws -> String {
        let folder = (directory as NSString).appendingPathComponent(String(sha256.prefix(2)))
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        return (folder as NSString).appendingPathComponent("\(sha256).\(ext)")
    }
}
