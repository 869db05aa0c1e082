import Foundation
import ArgumentParser
import LedgerCore

/// `ledger migrate`: apply pending schema migrations (the server also does this at start-up).
struct Migrate: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "执行数据库迁移 (apply schema migrations)")

    @OptionGroup var database: DatabaseOptions

    func run() async throws {
        let db = try await Database.open(url: database.databaseURL, logger: database.logger)
        let applied = try await Migrator(database: db).migrate()
        await db.close()
        print(applied.isEmpty ? "数据库已是最新版本" : "已执行迁移：\(applied.joined(separator: ", "))")
    }
}
