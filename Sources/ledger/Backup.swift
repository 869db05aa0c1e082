import Foundation
import ArgumentParser
import LedgerCore

/// `ledger backup PATH`: a consistent copy of a live SQLite database (PostgreSQL: use pg_dump).
struct Backup: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "备份数据库 (consistent copy of a live SQLite database)")

    @OptionGroup var database: DatabaseOptions
    @Argument(help: "where to write the copy; must not exist") var path: String

    func run() async throws {
        let db = try await Database.open(url: database.databaseURL, logger: database.logger)
        defer { Task { await db.close() } }
        do {
            try await DatabaseBackup.copy(db, to: path)
            print("已备份到 \(path)")
        } catch let error as LedgerError {
            throw ValidationError(error.message)
        }
    }
}
