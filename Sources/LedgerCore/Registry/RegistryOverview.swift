import Foundation
import SQLKit

/// Headline figures of the registry within a scope (the home page; the dashboard issue builds on it).
public struct RegistryOverview: Sendable {
    /// Today's registry, in the definitions of `EstateFigures`.
    public struct Figures: Sendable, Codable {
        public let scopeName: String
        public let estates: Int
        public let households: Int
        /// Estates with a dedicated account open today.
        public let withAccount: Int
        /// Estates with a committee in term today.
        public let withCommittee: Int
        /// Estates no management contract covers today.
        public let withoutCompany: Int
    }

    let database: Database
    let clock: any LedgerClock

    public init(database: Database, clock: any LedgerClock) {
        self.database = database
        self.clock = clock
    }

    public func figures(scope: Scope) async throws -> Figures {
        let today = Day(Timestamp.shanghaiDay(clock.now()))!
        return try await database.read { db in
            let row = try await db.raw("""
                SELECT COUNT(*) AS estates, CAST(COALESCE(SUM(e.households), 0) AS BIGINT) AS households,
                       SUM(\(EstateFigures.flag(EstateFigures.accountOpenSQL("e.id", by: today)))) AS with_account,
                       SUM(\(EstateFigures.flag(EstateFigures.committeeInTermSQL("e.id", on: today)))) AS with_committee,
                       SUM(\(EstateFigures.flag("\(EstateFigures.managerSQL("e.id", on: today)) IS NULL"))) AS without_company
                FROM estates e WHERE \(scope.estatePredicate())
                """).first()!
            var name = "全平台"
            if let path = scope.regionPath, let code = path.split(separator: "/").last {
                name = try await db.raw("SELECT name FROM regions WHERE code = \(bind: String(code))").first(decodingColumn: "name", as: String.self) ?? name
            } else if scope.role == .company, let id = scope.companyId {
                name = try await db.raw("SELECT name FROM companies WHERE id = \(bind: id)").first(decodingColumn: "name", as: String.self) ?? name
            } else if scope.role == .committee, let id = scope.estateId {
                name = try await db.raw("SELECT name FROM estates WHERE id = \(bind: id)").first(decodingColumn: "name", as: String.self) ?? name
            }
            func int(_ column: String) throws -> Int { try row.decodeNil(column: column) ? 0 : Int(try row.decode(column: column, as: Int64.self)) }
            return Figures(scopeName: name, estates: try int("estates"), households: try int("households"),
                           withAccount: try int("with_account"), withCommittee: try int("with_committee"),
                           withoutCompany: try int("without_company"))
        }
    }
}
