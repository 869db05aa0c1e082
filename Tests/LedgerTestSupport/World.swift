import Foundation
import LedgerCore
import SQLKit

/// A small hand-made registry with two counties, A (鼓楼区) and B (台江区), each with a street, a community,
/// a company, an estate and one user of every role — the smallest world in which jurisdiction can leak.
public struct World: Sendable {
    public struct Side: Sendable {
        public let county: Region
        public let street: Region
        public let community: Region
        public let company: Company
        public let estate: Estate
        /// One user per role, bound to this side (admin and auditor are shared and listed on side A only).
        public let users: [Role: User]
    }

    public static let password = "Test-pass-2024"

    public let database: Database
    public let clock: ManualClock
    public let a: Side
    public let b: Side
    public let admin: User

    /// Builds the world in `database` (as the platform itself; the users use bcrypt cost 4 for speed).
    public static func build(in database: Database, clock: ManualClock = ManualClock(Date(timeIntervalSince1970: 1_732_000_000))) async throws -> World {
        let users = UserDirectory(database: database, clock: clock, bcryptCost: 4)
        let (province, city) = try await database.transaction { db in
            let province = try await RegionDirectory.insert(on: db, code: "350000", name: "福建省", level: .province, parentPath: nil)
            let city = try await RegionDirectory.insert(on: db, code: "350100", name: "福州市", level: .city, parentPath: province.path)
            return (province, city)
        }
        _ = province
        let admin = try await users.create(NewUser(username: "admin", password: password, displayName: "管理员", role: .admin), scope: .system)
        let a = try await side(database, clock, users, city: city, code: "350102", name: "鼓楼区", street: "鼓东街道", community: "东湖社区",
                               company: "鼓楼甲物业服务有限公司", estate: "东湖花园", suffix: "a")
        let b = try await side(database, clock, users, city: city, code: "350103", name: "台江区", street: "洋中街道", community: "洋中社区",
                               company: "台江乙物业服务有限公司", estate: "洋中新村", suffix: "b")
        return World(database: database, clock: clock, a: a, b: b, admin: admin)
    }

    static func side(
        _ database: Database, _ clock: ManualClock, _ users: UserDirectory, city: Region, code: String, name: String,
        street streetName: String, community communityName: String, company companyName: String, estate estateName: String, suffix: String
    ) async throws -> Side {
        let (county, street, community) = try await database.transaction { db in
            let county = try await RegionDirectory.insert(on: db, code: code, name: name, level: .county, parentPath: city.path)
            let street = try await RegionDirectory.insert(on: db, code: code + "001", name: streetName, level: .street, parentPath: county.path)
            let community = try await RegionDirectory.insert(on: db, code: code + "001001", name: communityName, level: .community, parentPath: street.path)
            return (county, street, community)
        }
        let company = try await CompanyRepository(database: database, clock: clock).create(
            CompanyInput(name: companyName, uscc: USCC.withCheckCharacter("91" + code + "MA0000" + (suffix == "a" ? "01A" : "02B")),
                         region: code, contactName: "王经理", contactPhone: "0591-87654321"),
            scope: .system)
        var estate = try await EstateRepository(database: database, clock: clock).create(
            EstateInput(name: estateName, address: "\(name)某路1号", community: community.code,
                        households: "300", floorArea: "30000", ownersShare: "70"),
            scope: .system)
        let records = EstateRecords(database: database, clock: clock)
        _ = try await records.assignCompany(estateId: estate.id, ContractInput(company: "\(company.id)", startDate: "2020-01-01"), scope: .system)
        estate = try await EstateRepository(database: database, clock: clock).estate(estate.id, scope: .system)
        var bound: [Role: User] = [:]
        for role in Role.allCases where role != .admin && (role != .auditor || suffix == "a") {
            let region: String? = switch role {
            case .street: street.code
            case _ where role.isRegional: county.code
            default: nil
            }
            bound[role] = try await users.create(
                NewUser(username: "\(role.rawValue)-\(suffix)", password: password, displayName: "\(role.title)\(suffix)", role: role,
                        regionCode: region, companyId: role == .company ? company.id : nil, estateId: role == .committee ? estate.id : nil),
                scope: .system)
        }
        return Side(county: county, street: street, community: community, company: company, estate: estate, users: bound)
    }

    /// Tables whose rows change without anyone writing business data: sessions and login throttling (every test
    /// signs in), the migrations' own table, keys created on first use, and the dashboard's kept parts (derived figures
    /// written when a dashboard is viewed).
    public static let unfingerprintedTables: Set<String> = ["sessions", "login_failures", "schema_migrations", "installation_secrets", "audit_log",
                                                             "dashboard_parts"]

    /// Every business table's content, read from the schema's own table list (a new table is covered without being
    /// named here), plus the audit entries other than sign-ins. Equal fingerprints: nothing was written.
    public func fingerprint() async throws -> String {
        try await database.read { db in
            let isPostgres = db.dialect.name == "postgresql"
            let tables = try await (isPostgres
                ? db.raw("SELECT table_name AS name FROM information_schema.tables WHERE table_schema = 'public' AND table_type = 'BASE TABLE' ORDER BY 1")
                : db.raw("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY 1"))
                .all(decodingColumn: "name", as: String.self)
            var parts: [String] = []
            for table in tables where !Self.unfingerprintedTables.contains(table) {
                let digest: String?
                if isPostgres {
                    digest = try await db.raw("""
                        SELECT COUNT(*) || ':' || COALESCE(md5(string_agg(t::text, '|' ORDER BY t::text)), '') AS d FROM \(ident: table) t
                        """).first(decodingColumn: "d", as: String.self)
                } else {
                    let columns = try await db.raw("SELECT name FROM pragma_table_info(\(bind: table))").all(decodingColumn: "name", as: String.self)
                    let row = columns.map { "quote(\"\($0)\")" }.joined(separator: " || ',' || ")
                    digest = try await db.raw(SQLQueryString("""
                        SELECT COUNT(*) || ':' || COALESCE(group_concat(r, '|'), '') AS d FROM (SELECT \(row) AS r FROM "\(table)" ORDER BY 1)
                        """)).first(decodingColumn: "d", as: String.self)
                }
                parts.append("\(table)=\(digest ?? "?")")
            }
            let audits = try await db.raw("""
                SELECT COUNT(*) AS n FROM audit_log WHERE action NOT IN ('login', 'logout', 'login_failed')
                """).first(decodingColumn: "n", as: Int.self) ?? -1
            parts.append("audit=\(audits)")
            return parts.joined(separator: ";")
        }
    }
}
