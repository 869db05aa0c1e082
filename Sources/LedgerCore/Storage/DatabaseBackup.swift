import Foundation
import Logging
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

extension DatabaseBackup {
    /// Where and how many scheduled copies are kept (`LEDGER_BACKUP_DIR`, `LEDGER_BACKUP_KEEP`, default 14).
    public struct Schedule: Sendable {
        public let directory: String
        public let keep: Int

        public init(directory: String, keep: Int = 14) {
            self.directory = directory
            self.keep = keep
        }

        /// The schedule the environment asks for; nil when `LEDGER_BACKUP_DIR` is not set.
        public static func configured(_ environment: [String: String] = ProcessInfo.processInfo.environment) throws -> Schedule? {
            guard let directory = environment["LEDGER_BACKUP_DIR"], !directory.isEmpty else { return nil }
            let keepText = environment["LEDGER_BACKUP_KEEP"] ?? ""
            guard keepText.isEmpty || (Int(keepText) ?? 0) > 0 else {
                throw LedgerError(.invalid, code: "bad_backup_keep", message: "LEDGER_BACKUP_KEEP 应为正整数，当前为“\(keepText)”")
            }
            return Schedule(directory: directory, keep: Int(keepText) ?? 14)
        }
    }

    /// The daily copy: `ledger-YYYYMMDD-HHMMSS.sqlite` in the directory, then only the newest `keep` copies are kept.
    /// Returns the new copy's path and how many old copies were removed.
    public static func scheduled(_ database: Database, schedule: Schedule, at: Date) async throws -> (path: String, removed: Int) {
        try FileManager.default.createDirectory(atPath: schedule.directory, withIntermediateDirectories: true)
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = Timestamp.shanghai
        let c = calendar.dateComponents([.year, .month, .day, .hour, .minute, .second], from: at)
        let name = String(format: "ledger-%04d%02d%02d-%02d%02d%02d.sqlite", c.year!, c.month!, c.day!, c.hour!, c.minute!, c.second!)
        let path = (schedule.directory as NSString).appendingPathComponent(name)
        try await copy(database, to: path)
        let copies = try FileManager.default.contentsOfDirectory(atPath: schedule.directory)
            .filter { $0.hasPrefix("ledger-") && $0.hasSuffix(".sqlite") }.sorted()
        let old = copies.dropLast(schedule.keep)
        for file in old { try FileManager.default.removeItem(atPath: (schedule.directory as NSString).appendingPathComponent(file)) }
        return (path, old.count)
    }

    /// Replaces the SQLite database at `target` with `backup`, after checking the backup: it must open, and its
    /// transparency log and audit chain must verify. A copy that fails is refused and nothing is replaced. The server
    /// must be stopped first.
    public static func restore(_ backup: String, to target: String, logger: Logger) async throws -> (leaves: Int, auditEntries: Int) {
        guard FileManager.default.fileExists(atPath: backup) else {
            throw LedgerError(.notFound, code: "no_backup", message: "备份文件不存在：\(backup)")
        }
        // Check a scratch copy, so that opening it (which may create WAL files) leaves the backup itself untouched.
        let scratch = target + ".restore-check"
        try? FileManager.default.removeItem(atPath: scratch)
        try FileManager.default.copyItem(atPath: backup, toPath: scratch)
        let checked = try await Database.open(url: "sqlite://" + scratch, logger: logger)
        let log: LogVerifier.Report
        let audit: AuditChainVerifier.Report
        do {
            log = try await LogVerifier(database: checked).verify()
            audit = try await AuditChainVerifier(database: checked).verify()
        } catch {
            await checked.close()
            Self.removeDatabaseFiles(scratch)
            throw LedgerError(.invalid, code: "backup_unreadable", message: "备份无法读取，未做任何替换：\(error)")
        }
        await checked.close()
        if let problem = log.firstMismatch ?? audit.firstMismatch {
            Self.removeDatabaseFiles(scratch)
            throw LedgerError(.invalid, code: "backup_failed_verify", message: "备份校验失败，未做任何替换：\(problem)")
        }
        // Replace: the checked copy (checkpointed on close) takes the target's place in one rename.
        try? FileManager.default.removeItem(atPath: scratch + "-wal")
        try? FileManager.default.removeItem(atPath: scratch + "-shm")
        Self.removeDatabaseFiles(target, keepMain: true)
        // rename(2) replaces the target atomically: there is never a moment without a database file.
        guard rename(scratch, target) == 0 else {
            throw LedgerError(.conflict, code: "restore_failed", message: "无法替换数据库文件 \(target)（错误码 \(errno)）")
        }
        return (log.checkedLeaves, audit.checkedEntries)
    }

    static func removeDatabaseFiles(_ path: String, keepMain: Bool = false) {
        for suffix in (keepMain ? [] : [""]) + ["-wal", "-shm"] { try? FileManager.default.removeItem(atPath: path + suffix) }
    }
}
