import Foundation
import SQLKit

/// The caller's jurisdiction and role. Every repository function takes one first and applies it in SQL.
public struct Scope: Sendable {
    public let userId: Int64?
    public let username: String
    public let role: Role
    /// Materialised path of the user's region (`/350000/350100/`), for regional roles.
    public let regionPath: String?
    public let companyId: Int64?
    public let estateId: Int64?

    public init(userId: Int64?, username: String, role: Role, regionPath: String?, companyId: Int64?, estateId: Int64?) {
        self.userId = userId
        self.username = username
        self.role = role
        self.regionPath = regionPath
        self.companyId = companyId
        self.estateId = estateId
    }

    /// The command line and the demo generator act as the platform itself.
    public static let system = Scope(userId: nil, username: "system", role: .admin, regionPath: nil, companyId: nil, estateId: nil)

    /// May create and edit registry records (estates, companies, contracts, committees, accounts).
    public var canEditRegistry: Bool { can(.editRegistry) }

    /// May browse the audit log.
    public var canReadAuditLog: Bool { can(.readAuditLog) }

    /// Whether a region path lies inside this scope's jurisdiction.
    public func covers(regionPath path: String) -> Bool {
        switch role {
        case .admin: true
        case _ where role.isRegional: regionPath.map { path.hasPrefix($0) } ?? false
        default: false
        }
    }

    /// SQL predicate restricting estates (aliased `alias`) to this scope.
    public func estatePredicate(_ alias: String = "e") -> SQLQueryString {
        let column = SQLQueryString(alias)
        switch role {
        case .admin:
            return "1 = 1"
        case .company:
            guard let companyId else { return "1 = 0" }
            return "\(column).company_id = \(bind: companyId)"
        case .committee:
            guard let estateId else { return "1 = 0" }
            return "\(column).id = \(bind: estateId)"
        case .auditor:
            return "1 = 0"
        default:
            return Scope.pathPredicate("\(column).region_path", regionPath)
        }
    }

    /// SQL predicate restricting companies (aliased `alias`) to this scope: regional users see companies
    /// registered in their region or managing an estate there; a company sees itself; a committee its manager.
    public func companyPredicate(_ alias: String = "c") -> SQLQueryString {
        let column = SQLQueryString(alias)
        switch role {
        case .admin:
            return "1 = 1"
        case .company:
            guard let companyId else { return "1 = 0" }
            return "\(column).id = \(bind: companyId)"
        case .committee:
            guard let estateId else { return "1 = 0" }
            return "\(column).id IN (SELECT company_id FROM estates WHERE id = \(bind: estateId))"
        case .auditor:
            return "1 = 0"
        default:
            let own = Scope.pathPredicate("\(column).region_path", regionPath)
            let managed = Scope.pathPredicate("se.region_path", regionPath)
            return "(\(own) OR \(column).id IN (SELECT se.company_id FROM estates se WHERE se.company_id IS NOT NULL AND \(managed)))"
        }
    }

    /// SQL predicate restricting regions (aliased `alias`) to those this scope may browse:
    /// its own region, what lies beneath it, and the chain of ancestors above it (names only).
    public func regionPredicate(_ alias: String = "r") -> SQLQueryString {
        let column = SQLQueryString(alias)
        guard role != .admin else { return "1 = 1" }
        guard let regionPath else { return "1 = 0" }
        let below = Scope.pathPredicate("\(column).path", regionPath)
        let ancestors = regionPath.split(separator: "/").map(String.init)
        return "(\(below) OR \(column).code IN (\(binds: ancestors)))"
    }

    /// Rows of an officials' area (plans, visits, inspectors, credit events): everything for the admin, the scope's
    /// region and below for a regional official, nothing for anyone else.
    func officialPredicate(_ column: SQLQueryString) -> SQLQueryString {
        role == .admin ? "1 = 1" : role.isRegional ? Self.pathPredicate(column, regionPath) : "1 = 0"
    }

    /// `column` starts with `path`, written as a range so both databases use the index.
    static func pathPredicate(_ column: SQLQueryString, _ path: String?) -> SQLQueryString {
        guard let path, !path.isEmpty else { return "1 = 0" }
        return "(\(column) >= \(bind: path) AND \(column) < \(bind: path + "~"))"
    }
}

/// Which rows of a region-keyed table a tally reads: everything under a path, or only the rows at exactly these paths
/// (the dashboard adds a city's own rows to its districts' sums, `Dashboard.part`), or both at once (the subtree parts
/// a dashboard counts in one pass, `Dashboard.childParts`).
enum PathSelection: Sendable {
    case under(String)
    case at([String])
    case union(under: [String], at: [String])

    func predicate(_ column: SQLQueryString) -> SQLQueryString {
        switch self {
        case .under(let path): Scope.pathPredicate(column, path)
        case .at(let paths): paths.isEmpty ? "1 = 0" : "\(column) IN (\(binds: paths))"
        case .union(let under, let at):
            // In parentheses: callers AND it with other conditions.
            "(\(under.reduce(PathSelection.at(at).predicate(column)) { "\($0) OR \(Scope.pathPredicate(column, $1))" }))"
        }
    }
}
