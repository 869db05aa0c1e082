import Foundation
import Hummingbird
import LedgerCore

/// Browsing the audit log (admin and the discipline commission) in plain Chinese: 动作 and 对象 by name, the object
/// linked to its page, the recorded values as 项目 / 变更前 / 变更后; filterable and exportable as CSV. There is no
/// route that edits or deletes it.
struct AuditController {
    let database: Database
    let clock: any LedgerClock
    let renderer: Renderer

    struct AuditPage: Sendable {
        struct Row: Sendable {
            let at: String; let username: String; let role: String; let action: String; let actionCode: String
            let entity: String; let entityId: String; let link: String?
            let changes: [AuditVocabulary.Change]
            let hasChanges: Bool
        }
        let layout: Layout
        let username: String, from: String, until: String
        let entities: [Option], actions: [Option]
        let rows: [Row]
        let pager: Pager
        let empty: Bool
        let exportHref: String
    }

    /// The most rows one export writes (newest first); the file's last line says so when the filter selects more.
    static let exportLimit = 20_000

    func addRoutes(to router: some RouterMethods<AppRequestContext>) {
        router.get("/audit", use: list)
        router.get("/audit/export", use: export)
    }

    static func filter(_ query: Parameters) throws -> AuditFilter {
        var filter = AuditFilter()
        filter.username = String((query["user"].map(String.init) ?? "").trimmingCharacters(in: .whitespaces).prefix(64))
        filter.entity = String((query["entity"].map(String.init) ?? "").prefix(40))
        filter.action = String((query["action"].map(String.init) ?? "").prefix(40))
        filter.from = try LedgerQuery.day(query["from"], field: "from")
        filter.until = try LedgerQuery.day(query["until"], field: "until")
        filter.page = query["page"].flatMap { Int(String($0)) } ?? 1
        return filter
    }

    static func queryItems(_ filter: AuditFilter) -> [(String, String)] {
        [("user", filter.username), ("entity", filter.entity), ("action", filter.action),
         ("from", filter.from?.description ?? ""), ("until", filter.until?.description ?? "")]
    }

    @Sendable func list(_ request: Request, context: AppRequestContext) async throws -> Response {
        let scope = try context.scope()
        let filter = try Self.filter(request.uri.queryParameters)
        let page = try await AuditLog.entries(in: database, scope: scope, filter: filter)
        let rows = page.items.map { entry in
            let changes = AuditVocabulary.changes(before: entry.beforeJson, after: entry.afterJson)
            return AuditPage.Row(at: Timestamp.display(stored: entry.at), username: entry.username, role: Role(rawValue: entry.role)?.title ?? entry.role,
                                 action: AuditVocabulary.action(entry.action), actionCode: entry.action,
                                 entity: AuditVocabulary.entity(entry.entity), entityId: entry.entityId,
                                 link: AuditVocabulary.link(entity: entry.entity, id: entry.entityId), changes: changes, hasChanges: !changes.isEmpty)
        }
        let query = Self.queryItems(filter)
        let model = AuditPage(
            layout: Layout(title: "审计日志", context: context, section: "/audit"),
            username: filter.username, from: filter.from?.description ?? "", until: filter.until?.description ?? "",
            entities: [Option(value: "", label: "全部对象", selected: filter.entity.isEmpty)]
                + AuditVocabulary.entities.sorted { $0.value.title < $1.value.title }
                .map { Option(value: $0.key, label: $0.value.title, selected: $0.key == filter.entity) },
            actions: [Option(value: "", label: "全部动作", selected: filter.action.isEmpty)]
                + AuditVocabulary.actions.sorted { $0.value < $1.value }.map { Option(value: $0.key, label: $0.value, selected: $0.key == filter.action) },
            rows: rows,
            pager: Pager(page, base: "/audit", query: query),
            empty: rows.isEmpty,
            exportHref: "/audit/export?" + query.filter { !$0.1.isEmpty }.map { "\($0.0)=\($0.1.urlQueryEncoded)" }.joined(separator: "&"))
        return renderer.render(.audit, model)
    }

    /// The filtered entries as CSV (newest first, at most `exportLimit`), named with the period.
    @Sendable func export(_ request: Request, context: AppRequestContext) async throws -> Response {
        let scope = try context.scope()
        var filter = try Self.filter(request.uri.queryParameters)
        filter.page = 1
        filter.pageSize = Self.exportLimit
        let page = try await AuditLog.entries(in: database, scope: scope, filter: filter)
        var lines = [["时间", "操作人", "角色", "动作", "对象", "对象编号", "变更内容"]]
        for entry in page.items {
            let changes = AuditVocabulary.changes(before: entry.beforeJson, after: entry.afterJson)
                .map { "\($0.field)：\($0.before.isEmpty ? "" : $0.before + " → ")\($0.after)" }.joined(separator: "；")
            lines.append([Timestamp.display(stored: entry.at), entry.username, Role(rawValue: entry.role)?.title ?? entry.role,
                          AuditVocabulary.action(entry.action), AuditVocabulary.entity(entry.entity), entry.entityId, changes].map(CSV.safeCell))
        }
        if page.total > page.items.count {
            lines.append(["（共 \(page.total) 条，仅导出最新的 \(page.items.count) 条；请缩小日期范围分次导出）"])
        }
        let period = (filter.from?.description ?? "开始") + "至" + (filter.until?.description ?? Timestamp.shanghaiDay(clock.now()))
        return LedgerQuery.csv(CSV.format(lines), filename: "审计日志-\(period).csv")
    }
}
