import Foundation
import SQLKit

/// 单独开户: one dedicated account serves one estate. The register refuses a number another estate holds; the index
/// makes that hold under concurrent writes too.
struct M0025_UniqueAccountNumbers: Migration {
    let version = 25
    let name = "0025_unique_account_numbers"

    func prepare(on db: any SQLDatabase, dialect d: SchemaDialect) async throws {
        try await d.exec(db, "CREATE UNIQUE INDEX dedicated_accounts_number ON dedicated_accounts(account_number)")
    }
}
