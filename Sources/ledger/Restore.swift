import ArgumentParser
import Foundation
import LedgerCore

/// `ledger restore BACKUP`: checks a SQLite backup with `ledger verify`'s checks and only then puts it in place of the
/// database (stop the server first). PostgreSQL: `pg_restore` (see README).
struct Restore: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "从备份恢复 (verify a SQLite backup, then replace the database with it)")

    @OptionGroup var database: DatabaseOptions
    @Argument(help: "the backup file (from ledger backup or the daily job)") var backup: String

    func run() async throws {
        let url = database.databaseURL
        guard url.hasPrefix("sqlite://") else {
            throw ValidationError("PostgreSQL 请使用 pg_restore 恢复（见 README“备份与恢复”）")
        }
        let target = String(url.dropFirst("sqlite://".count))
        do {
            let (leaves, entries) = try await DatabaseBackup.restore(backup, to: target, logger: database.logger)
            print("已恢复：\(backup) → \(target)（校验通过：\(leaves) 条公示记录，\(entries) 条审计记录）")
        } catch let error as LedgerError {
            printError(error.message)
            throw ExitCode(2)
        }
    }
}
