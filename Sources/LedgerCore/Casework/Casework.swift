import Foundation
import SQLKit

/// The shared casework kernel: one scoped list query, one streamed ledger read and one event history for every
/// `CaseKind`.
public enum Casework {
    /// One page of a kind's cases a scope may see, filtered by `filter`, in the kind's order.
    public static func list<Kind: CaseKind>(_ kind: Kind.Type, scope: Scope, filter: CaseFilter, today: Day,
                                            on db: any SQLDatabase) async throws -> Page<Kind.Item> {
        let condition = try await condition(kind, scope: scope, filter: filter, today: today, on: db)
        let t = Kind.table
        let total = try await db.raw("""
            SELECT COUNT(*) AS n FROM \(unsafeRaw: t.name) \(unsafeRaw: t.alias) JOIN estates e ON e.id = \(t.column("estate_id")) WHERE \(condition)
            """).first(decodingColumn: "n", as: Int.self) ?? 0
        let page = max(1, min(filter.page, 1_000_000)), size = max(1, min(filter.pageSize, 500))
        let rows = try await db.raw("""
            \(Kind.select) WHERE \(condition) ORDER BY \(order(kind, filter)) LIMIT \(bind: size) OFFSET \(bind: (page - 1) * size)
            """).all()
        return Page(items: try rows.map(Kind.decode), total: total, page: page, pageSize: size)
    }

    /// Every case the filter selects, oldest first (by id), handed to `each` one at a time: read in batches by key,
    /// never all at once, so a ledger of any length is written in constant memory. The filter is checked before the
    /// first row is read.
    public static func forEach<Kind: CaseKind>(_ kind: Kind.Type, scope: Scope, filter: CaseFilter, today: Day, batch: Int = 500,
                                               on database: Database, _ each: (Kind.Item) async throws -> Void) async throws {
        let condition = try await database.read { db in try await Self.condition(kind, scope: scope, filter: filter, today: today, on: db) }
        let id = Kind.table.column("id")
        var after: Int64 = 0
        while true {
            let key = after
            let items = try await database.read { db in
                try await db.raw("\(Kind.select) WHERE \(condition) AND \(id) > \(bind: key) ORDER BY \(id) LIMIT \(bind: batch)").all().map(Kind.decode)
            }
            for item in items { try await each(item) }
            guard items.count == batch, let last = items.last else { return }
            after = Kind.id(of: last)
        }
    }

    /// The chosen column first (reversed when asked), then the kind's own order.
    static func order<Kind: CaseKind>(_ kind: Kind.Type, _ filter: CaseFilter) -> SQLQueryString {
        guard let column = Kind.table.sorts[filter.sort] else { return Kind.table.order }
        let direction: SQLQueryString = filter.descending ? "DESC" : "ASC"
        return "\(column) \(direction), \(Kind.table.order)"
    }

    /// The WHERE condition for a scope and a filter; unknown codes and regions outside the scope are refused.
    static func condition<Kind: CaseKind>(_ kind: Kind.Type, scope: Scope, filter: CaseFilter, today: Day,
                                          on db: any SQLDatabase) async throws -> SQLQueryString {
        let t = Kind.table
        if !filter.status.isEmpty && Kind.Status(rawValue: filter.status) == nil {
            let codes = Kind.Status.allCases.map(\.rawValue)
            throw LedgerError.invalid("status", code: "unknown_status", "状态须为 \(codes.dropLast().joined(separator: "、")) 或 \(codes.last ?? "")")
        }
        if !filter.sort.isEmpty && t.sorts[filter.sort] == nil {
            throw LedgerError.invalid("sort", code: "unknown_sort", "排序字段须为 \(t.sorts.keys.sorted().joined(separator: "、"))")
        }
        if !filter.source.isEmpty && Kind.Source(rawValue: filter.source) == nil {
            throw LedgerError.invalid("source", code: "unknown_source", "没有该来源")
        }
        var conditions: [SQLQueryString] = [Kind.visible(to: scope)]
        if !filter.regionCode.isEmpty {
            let region = try await RegionDirectory.covered(filter.regionCode, scope: scope, on: db)
            conditions.append(Scope.pathPredicate("\(t.alias).region_path", region.path))
        }
        if !filter.status.isEmpty { conditions.append("\(t.column("status")) = \(bind: filter.status)") }
        if !filter.source.isEmpty { conditions.append("\(t.column("source")) = \(bind: filter.source)") }
        if !filter.category.isEmpty {
            let codes = [filter.category] + ProblemCategory.all.filter { $0.parent == filter.category }.map(\.code)
            conditions.append("\(t.column("category")) IN (\(binds: codes))")
        }
        if let company = filter.companyId { conditions.append("\(t.column("company_id")) = \(bind: company)") }
        if let estate = filter.estateId { conditions.append("\(t.column("estate_id")) = \(bind: estate)") }
        if filter.overdue {
            conditions.append("\(t.column("status")) IN (\(binds: Kind.overdueStatuses.map(\.rawValue))) AND \(t.column("deadline")) < \(bind: today.description)")
        }
        if let due = filter.dueBy {
            conditions.append("""
                \(t.column("status")) IN (\(binds: Kind.overdueStatuses.map(\.rawValue))) AND \(t.column("deadline")) >= \(bind: today.description)
                AND \(t.column("deadline")) <= \(bind: due.description)
                """)
        }
        if let from = filter.from { conditions.append("\(t.column(t.openedAt)) >= \(bind: Timestamp.startOfShanghaiDay(from))") }
        if let until = filter.until { conditions.append("\(t.column(t.openedAt)) < \(bind: Timestamp.startOfShanghaiDay(until.adding(days: 1)))") }
        let search = filter.search.trimmingCharacters(in: .whitespaces)
        if !search.isEmpty, let matches = Kind.search(search, like: LikePattern.containing(search)) { conditions.append(matches) }
        return conditions.dropFirst().reduce(conditions[0]) { "\($0) AND \($1)" }
    }

    // MARK: Events

    /// Appends one step to a case's history, inside the caller's transaction. `publicNote` is what the public reads
    /// of a public step (nil: the note itself).
    public static func record<Kind: CaseKind>(_ kind: Kind.Type, _ id: Int64, at: Date, username: String, role: String, action: String,
                                              note: String, isPublic: Bool = false, publicNote: String? = nil, on db: any SQLDatabase) async throws {
        let t = Kind.table
        try await db.raw("""
            INSERT INTO \(unsafeRaw: t.events) (\(unsafeRaw: t.entity)_id, at, username, role, action, note, public, public_note)
            VALUES (\(bind: id), \(bind: Timestamp.storage(at)), \(bind: username), \(bind: role), \(bind: action), \(bind: note),
                    \(bind: isPublic ? 1 : 0), \(bind: isPublic ? publicNote ?? note : nil))
            """).run()
    }

    /// A case's history in order. `publicOnly`: the public steps in their public words (via `publicWording` for steps
    /// recorded before public wording was kept apart), without who took them.
    public static func events<Kind: CaseKind>(_ kind: Kind.Type, _ id: Int64, publicOnly: Bool,
                                              publicWording: (String, String) -> String = { _, note in note },
                                              on db: any SQLDatabase) async throws -> [CaseEvent] {
        let t = Kind.table
        let filter: SQLQueryString = publicOnly ? "AND public = 1" : ""
        return try await db.raw("""
            SELECT at, username, role, action, note, public_note, public FROM \(unsafeRaw: t.events)
            WHERE \(unsafeRaw: t.entity)_id = \(bind: id) \(filter) ORDER BY id
            """).all().map {
            let action = try $0.decode(column: "action", as: String.self)
            let note = try $0.decode(column: "note", as: String.self)
            let publicNote = try $0.decode(column: "public_note", as: String?.self)
            return CaseEvent(at: try $0.decode(column: "at", as: String.self), username: publicOnly ? "" : try $0.decode(column: "username", as: String.self),
                             role: publicOnly ? "" : try $0.decode(column: "role", as: String.self), action: action,
                             note: publicOnly ? publicNote ?? publicWording(action, note) : note,
                             isPublic: try $0.decode(column: "public", as: Int.self) == 1)
        }
    }
}
