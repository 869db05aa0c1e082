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
            try CompanyInput.validate(["name": companyName, "uscc": USCC.withCheckCharacter("91" + code + "MA0000" + (suffix == "a" ? "01A" : "02B")),
                                       "region": code, "contactName": "王经理", "contactPhone": "0591-87654321"]),
            scope: .system)
        var estate = try await EstateRepository(database: database, clock: clock).create(
            try EstateInput.validate(["name": estateName, "address": "\(name)某路1号", "community": community.code,
                                      "households": "300", "floorArea": "30000", "ownersShare": "70"]),
            scope: .system)
        let records = EstateRecords(database: database, clock: clock)
        _ = try await records.assignCompany(estateId: estate.id, fields: ["company": "\(company.id)", "startDate": "2020-01-01"], scope: .system)
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

    /// Row counts of every registry table, the audit log's writes, and the B side's rows: equal before and after
    /// a refused request means nothing was written.
    public func fingerprint() async throws -> String {
        try await database.read { [b] db in
            var parts: [String] = []
            for table in ["regions", "companies", "estates", "contracts", "committees", "dedicated_accounts", "users", "warnings", "warning_events",
                          "warning_parameters", "complaints", "complaint_events", "problems", "problem_events", "letters", "enforcement_actions",
                          "attachments", "region_settings", "campaigns", "campaign_phases", "campaign_tasks", "task_reports"] {
                let n = try await db.raw("SELECT COUNT(*) AS n FROM \(ident: table)").first(decodingColumn: "n", as: Int.self) ?? -1
                parts.append("\(table)=\(n)")
            }
            let audits = try await db.raw("""
                SELECT COUNT(*) AS n FROM audit_log WHERE action NOT IN ('login', 'logout', 'login_failed')
                """).first(decodingColumn: "n", as: Int.self) ?? -1
            parts.append("audit=\(audits)")
            let estate = try await db.raw("SELECT name, address, households, company_id, updated_at FROM estates WHERE id = \(bind: b.estate.id)")
                .first()
            parts.append(try "\(estate?.decode(column: "name", as: String.self) ?? "")|\(estate?.decode(column: "updated_at", as: String.self) ?? "")")
            let company = try await db.raw("SELECT name, updated_at FROM companies WHERE id = \(bind: b.company.id)").first()
            parts.append(try "\(company?.decode(column: "name", as: String.self) ?? "")|\(company?.decode(column: "updated_at", as: String.self) ?? "")")
            let warnings = try await db.raw("SELECT id, status FROM warnings WHERE estate_id = \(bind: b.estate.id) ORDER BY id").all()
            parts.append(try warnings.map { "\(try $0.decode(column: "id", as: Int64.self)):\(try $0.decode(column: "status", as: String.self))" }
                .joined(separator: ","))
            return parts.joined(separator: ";")
        }
    }
}
