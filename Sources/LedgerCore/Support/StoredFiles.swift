import Crypto
import Foundation

/// Uploaded files (vouchers, evidence, attachments): PDF, JPEG or PNG up to 5 MB, the type read from the content and
/// required to match the name, stored once by SHA-256 under one directory.
public struct StoredFiles: Sendable {
    /// A file that passed the checks, ready to store.
    public struct Checked: Sendable {
        public let sha256: String
        public let contentType: String
        public let ext: String
        public let filename: String
        public let size: Int
    }

    public static let maxBytes = 5 << 20
    static let extensions = ["application/pdf": "pdf", "image/jpeg": "jpg", "image/png": "png"]

    public let directory: String

    public init(directory: String) { self.directory = directory }

    /// The type a file's first bytes prove, or nil.
    public static func sniff(_ bytes: [UInt8]) -> (type: String, extension: String)? {
        if bytes.starts(with: Array("%PDF-".utf8)) { return ("application/pdf", "pdf") }
        if bytes.starts(with: [0xFF, 0xD8, 0xFF]) { return ("image/jpeg", "jpg") }
        if bytes.starts(with: [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]) { return ("image/png", "png") }
        return nil
    }

    /// Checks size, type and name; `label` names the file in messages (凭证, 证据材料, 附件).
    public static func check(filename: String, bytes: [UInt8], label: String, field: String = "file") throws -> Checked {
        guard bytes.count <= maxBytes else {
            throw LedgerError(.tooLarge, code: "file_too_large", message: "\(label)文件不能超过5 MB（当前\(bytes.count / 1024) KB）", field: field)
        }
        guard !bytes.isEmpty else { throw LedgerError.invalid(field, code: "required", "请选择\(label)文件") }
        guard let sniffed = sniff(bytes) else {
            throw LedgerError.invalid(field, code: "unsupported_type", "\(label)只能是 PDF、JPEG 或 PNG 文件（按文件内容识别）")
        }
        let claimed = (filename as NSString).pathExtension.lowercased()
        guard ["pdf": "pdf", "jpg": "jpg", "jpeg": "jpg", "png": "png"][claimed] == sniffed.extension else {
            throw LedgerError.invalid(field, code: "type_mismatch", "文件名“\(filename.prefix(80))”与文件内容（\(sniffed.extension.uppercased())）不符，请检查后重新上传")
        }
        let digest = Hex.encode(SHA256.hash(data: Data(bytes)))
        let safeName = String(filename.replacingOccurrences(of: "/", with: "_").replacingOccurrences(of: "\\", with: "_").prefix(120))
        return Checked(sha256: digest, contentType: sniffed.type, ext: sniffed.extension, filename: safeName, size: bytes.count)
    }

    /// Writes the bytes unless a file with the same digest is already there.
    public func write(_ checked: Checked, bytes: [UInt8]) throws {
        let path = try path(sha256: checked.sha256, extension: checked.ext)
        if !FileManager.default.fileExists(atPath: path) {
            try Data(bytes).write(to: URL(fileURLWithPath: path), options: .atomic)
        }
    }

    /// The bytes of a stored file.
    public func read(sha256: String, contentType: String) -> Data? {
        guard let ext = Self.extensions[contentType], let path = try? path(sha256: sha256, extension: ext) else { return nil }
        return FileManager.default.contents(atPath: path)
    }

    func path(sha256: String, extension ext: String) throws -> String {
        let folder = (directory as NSString).appendingPathComponent(String(sha256.prefix(2)))
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        return (folder as NSString).appendingPathComponent("\(sha256).\(ext)")
    }
}
