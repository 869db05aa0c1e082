import Foundation
import SQLKit

/// Consistent copies of a live database.
public enum DatabaseBackup {
    /// SQLite: `VACUUM INTO` writes a transactionally consistent copy while the server keeps running.
    /// PostgreSQL has its own tool for this, and the error says so.
    public static func copy(_ database: Database, to path: String) async throws {
        guard database.kind == .sqlite else {
            throw LedgerError(.invalid, code: "use_pg_dump",
                              message: "PostgreSQL 请使用 pg_dump 备份，例如：pg_dump --format=custom --file=ledger.dump \"$LEDGER_DATABASE_URL\"")
        }
        guard !FileManager.default.fileExists(atPath: path) else {
            throw LedgerError(.conflict, code: "exists", message: "目标文件已存在：\(path)")
        }
        try await database.read { db in try await db.raw("VACUUM INTO \(bind: path)").run() }
    }
}
