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

    public static let maxBytes = StoredFiles.maxBytes

    let database: Database
    let clock: any LedgerClock
    public let directory: String
    var files: StoredFiles { StoredFiles(directory: directory) }

    public init(database: Database, clock: any LedgerClock, directory: String) {
        self.database = database
        self.clock = clock
        self.directory = directory
    }

    /// Attaches a file to line `line` (`income.0`, `costs.1`, `expenditures.0`) of the latest version of a quarter.
    public func attach(estateId: Int64, quarter: Quarter, line: String, filename: String, bytes: [UInt8], scope: Scope) async throws -> Voucher {
        let checked = try StoredFiles.check(filename: filename, bytes: bytes, label: "凭证")
        let parts = line.split(separator: ".")
        let kinds = ["income": "income", "costs": "cost", "expenditures": "expenditure"]
        guard parts.count == 2, let kind = kinds[String(parts[0])], let position = Int(parts[1]) else {
            throw LedgerError.invalid("line", code: "unknown_line", "请选择凭证对应的收支项目")
        }
        try scope.require(.fileDisclosure)
        let at = clock.now()
        return try await database.transaction { db in
            guard let estate = try await DisclosureRepository.filingEstate(estateId, quarter: quarter, scope: scope, at: at, on: db) else {
                throw LedgerError.notFound("小区")
            }
            guard let versionId = try await db.raw("""
                SELECT v.id FROM disclosure_versions v JOIN disclosure_lines l ON l.version_id = v.id
                WHERE v.estate_id = \(bind: estateId) AND v.year = \(bind: quarter.year) AND v.quarter = \(bind: quarter.quarter)
                AND l.kind = \(bind: kind) AND l.position = \(bind: position)
                ORDER BY v.version DESC LIMIT 1
                """).first(decodingColumn: "id", as: Int64.self) else {
                throw LedgerError.invalid("line", code: "unknown_line", "\(quarter.title)没有该收支项目")
            }
            try files.write(checked, bytes: bytes)
            let id = try await db.raw("""
                INSERT INTO vouchers (version_id, estate_id, kind, position, filename, content_type, size, sha256, uploaded_at, uploaded_by)
                VALUES (\(bind: versionId), \(bind: estateId), \(bind: kind), \(bind: position), \(bind: checked.filename),
                        \(bind: checked.contentType), \(bind: checked.size), \(bind: checked.sha256), \(bind: Timestamp.storage(at)), \(bind: scope.username))
                RETURNING id
                """).first(decodingColumn: "id", as: Int64.self)!
            let voucher = Voucher(id: id, versionId: versionId, estateId: estateId, kind: kind, position: position, filename: checked.filename,
                                  contentType: checked.contentType, size: checked.size, sha256: checked.sha256)
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
        guard let voucher, let data = files.read(sha256: voucher.sha256, contentType: voucher.contentType) else {
            throw LedgerError.notFound("凭证")
        }
        return (voucher, data)
    }
}
