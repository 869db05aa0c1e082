import Foundation
import Hummingbird
import LedgerCore

/// Which permission each area of the site needs before any of its handlers runs: one table, read by the middleware,
/// the navigation menu and the tests. Finer steps (filing, handling, configuring …) are checked by the core itself.
public enum RoutePermissions {
    /// Path prefixes (whole segments) and the permission they need.
    public static let table: [(prefix: String, permission: Permission)] = [
        ("/estates", .viewRegistry), ("/api/v1/estates", .viewRegistry),
        ("/companies", .viewCompanies), ("/api/v1/companies", .viewCompanies), ("/api/v1/credit", .viewCompanies),
        ("/regions", .viewRegions), ("/api/v1/regions", .viewRegions),
        ("/import", .editRegistry),
        ("/filings", .viewFilings),
        ("/warnings", .viewWarnings), ("/api/v1/warnings", .viewWarnings),
        ("/complaints", .viewComplaints),
        ("/problems", .viewProblems),
        ("/self-inspections", .viewSelfInspections),
        ("/dashboard", .viewDashboard), ("/api/v1/dashboard", .viewDashboard), ("/supervision", .viewDashboard), ("/demonstrations", .viewDashboard),
        ("/campaigns", .viewCampaigns),
        ("/inspections", .viewInspectionPlans), ("/api/v1/inspection-plans", .viewInspectionPlans),
        ("/inspections/cross", .viewInspectionPlans), ("/api/v1/cross-inspections", .viewInspectionPlans),
        ("/reports", .viewReports),
        ("/settings", .setRegionSettings),
        ("/accounts", .manageAccounts),
        ("/audit", .readAuditLog),
        ("/credit", .viewCredit),
        ("/audits", .viewAudits),
    ]

    /// The permission a signed-in path needs, if any (the longest matching prefix wins).
    public static func permission(for path: String) -> Permission? {
        table.filter { path == $0.prefix || path.hasPrefix($0.prefix + "/") }
            .max { $0.prefix.count < $1.prefix.count }?.permission
    }
}

/// Refuses (403) a signed-in user whose role lacks the area's permission (`RoutePermissions`).
struct PermissionMiddleware: RouterMiddleware {
    typealias Context = AppRequestContext

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        if let user = context.user, let permission = RoutePermissions.permission(for: request.uri.path), !user.role.permissions.contains(permission) {
            throw LedgerError(.forbidden, code: "forbidden", message: "您的账号无权\(permission.title)")
        }
        return try await next(request, context)
    }
}
