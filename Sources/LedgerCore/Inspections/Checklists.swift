import Foundation
import SQLKit

/// One version of a checklist (一单): the built-in version 1, or a version a region made by editing. Version numbers are
/// unique across regions, so a record that keeps its number keeps exactly the items it was answered against.
public struct ChecklistVersion: Sendable, Equatable {
    public let version: Int
    /// The region that made it (nil: the built-in list).
    public let regionCode: String?
    public let regionPath: String?
    public let items: [ChecklistItem]
    public let note: String
    public let createdAt: String?
    public let createdBy: String?

    public static let builtIn = ChecklistVersion(version: Checklist.version, regionCode: nil, regionPath: nil, items: Checklist.items,
                                                 note: "内置检查清单（据各地工作方案原文）", createdAt: nil, createdBy: nil)

    public func item(_ code: String) -> ChecklistItem? { items.first { $0.code == code } }
}

/// The checklist in force for a region: its own latest version, else the nearest ancestor's, else the built-in one.
/// Editing makes a new version; old versions stay readable.
public struct Checklists: Sendable {
    let database: Database
    let clock: any LedgerClock

    public init(database: Database, clock: any LedgerClock) {
        self.database = database
        self.clock = clock
    }

    static func decode(_ row: any SQLRow) throws -> ChecklistVersion {
        let items = try JSONDecoder().decode([ChecklistItem].self, from: Data(try row.decode(column: "items", as: String.self).utf8))
        return ChecklistVersion(version: try row.decode(column: "version", as: Int.self), regionCode: try row.decode(column: "region_code", as: String.self),
                                regionPath: try row.decode(column: "region_path", as: String.self), items: items,
                                note: try row.decode(column: "note", as: String.self), createdAt: try row.decode(column: "created_at", as: String.self),
                                createdBy: try row.decode(column: "created_by", as: String.self))
    }

    /// The checklist in force at a materialised region path (an estate's `region_path`).
    public static func current(regionPath path: String, on db: any SQLDatabase) async throws -> ChecklistVersion {
        let codes = path.split(separator: "/").map(String.init)
        guard !codes.isEmpty else { return .builtIn }
        let rows = try await db.raw("""
            SELECT version, region_code, region_path, items, note, created_at, created_by FROM checklist_versions
            WHERE region_code IN (\(binds: codes)) ORDER BY version
            """).all()
        // The deepest region with a checklist wins; within it the latest version.
        var best: (depth: Int, row: any SQLRow)?
        for row in rows {
            let depth = codes.firstIndex(of: try row.decode(column: "region_code", as: String.self)) ?? -1
            if best == nil || depth >= best!.depth { best = (depth, row) }
        }
        return try best.map { try decode($0.row) } ?? .builtIn
    }

    /// A version by its number (1: the built-in list).
    public static func version(_ number: Int, on db: any SQLDatabase) async throws -> ChecklistVersion? {
        if number == Checklist.version { return .builtIn }
        return try await db.raw("""
            SELECT version, region_code, region_path, items, note, created_at, created_by FROM checklist_versions WHERE version = \(bind: number)
            """).first().map(decode)
    }

    /// The checklist in force for an estate the scope can see (what a visit or a self-inspection answers).
    public func checklist(forEstate estateId: Int64, scope: Scope) async throws -> ChecklistVersion {
        try await database.read { db in
            guard let estate = try await EstateRepository.estate(estateId, scope: scope, at: clock.now(), on: db) else {
                throw LedgerError.notFound("小区")
            }
            return try await Self.current(regionPath: estate.regionPath, on: db)
        }
    }

    /// The checklist in force for a region path (no scope: the checklist is public, like the rules of a spot check).
    public func checklist(regionPath: String) async throws -> ChecklistVersion {
        try await database.read { db in try await Self.current(regionPath: regionPath, on: db) }
    }

    /// A region the scope covers: the checklist in force there and the versions the region itself made (newest first).
    public func history(regionCode: String, scope: Scope) async throws -> (region: Region, inForce: ChecklistVersion, own: [ChecklistVersion]) {
        try await database.read { db in
            let region = try await RegionDirectory.covered(regionCode, scope: scope, on: db)
            let own = try await db.raw("""
                SELECT version, region_code, region_path, items, note, created_at, created_by FROM checklist_versions
                WHERE region_code = \(bind: region.code) ORDER BY version DESC
                """).all().map(Self.decode)
            return (region, try await Self.current(regionPath: region.path, on: db), own)
        }
    }

    /// Saves the edited list as the region's new version (regulators of the region or above, and the admin).
    @discardableResult
    public func save(regionCode: String, _ input: ChecklistInput, scope: Scope) async throws -> ChecklistVersion {
        try scope.require(.editChecklist)
        try input.problems().throwIfAny()
        let items = input.cleanItems
        let json = try InspectionPlans.json(items)
        let note = input.note.trimmingCharacters(in: .whitespacesAndNewlines)
        let at = clock.now()
        return try await database.transaction { db in
            let region = try await RegionDirectory.covered(regionCode, scope: scope, on: db)
            if db.dialect.name == "postgresql" { try await db.raw("SELECT pg_advisory_xact_lock(7432018)").run() }
            let before = try await Self.current(regionPath: region.path, on: db)
            let last = try await db.raw("SELECT MAX(version) AS v FROM checklist_versions").first(decodingColumn: "v", as: Int?.self) ?? nil
            let number = max(last ?? Checklist.version, Checklist.version) + 1
            try await db.raw("""
                INSERT INTO checklist_versions (version, region_code, region_path, items, note, created_at, created_by)
                VALUES (\(bind: number), \(bind: region.code), \(bind: region.path), \(bind: json), \(bind: note), \(bind: Timestamp.storage(at)),
                        \(bind: scope.username))
                """).run()
            try await AuditLog.record(on: db, scope: scope, at: at, action: "create", entity: "checklist_version", entityId: "\(number)",
                                      regionPath: region.path, before: ["version": "\(before.version)", "items": "\(before.items.count)"],
                                      after: ["version": "\(number)", "items": "\(items.count)", "note": note])
            return ChecklistVersion(version: number, regionCode: region.code, regionPath: region.path, items: items, note: note,
                                    createdAt: Timestamp.storage(at), createdBy: scope.username)
        }
    }
}

/// An edited checklist as the form sends it: rows of (code, title, clause, category), blank rows ignored, and why.
public struct ChecklistInput: Sendable {
    public struct Row: Sendable {
        public var code: String
        public var title: String
        public var clause: String
        public var category: String

        public init(code: String, title: String, clause: String, category: String) {
            self.code = code
            self.title = title
            self.clause = clause
            self.category = category
        }

        var isBlank: Bool { [code, title, clause, category].allSatisfy { $0.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty } }
    }

    public var rows: [Row]
    /// 修订说明: why the list changed.
    public var note: String

    public init(rows: [Row], note: String) {
        self.rows = rows
        self.note = note
    }

    /// Builds the input from a form's `code.N`, `title.N`, `clause.N`, `category.N` fields.
    public init(form: [String: String]) {
        let count = form.keys.compactMap { key -> Int? in key.hasPrefix("code.") ? Int(key.dropFirst(5)) : nil }.max().map { $0 + 1 } ?? 0
        rows = (0..<min(count, 100)).map { n in
            Row(code: form["code.\(n)"] ?? "", title: form["title.\(n)"] ?? "", clause: form["clause.\(n)"] ?? "", category: form["category.\(n)"] ?? "")
        }
        note = form["note"] ?? ""
    }

    var cleanItems: [ChecklistItem] {
        rows.filter { !$0.isBlank }.map {
            ChecklistItem(code: $0.code.trimmingCharacters(in: .whitespaces), title: $0.title.trimmingCharacters(in: .whitespacesAndNewlines),
                          clause: $0.clause.trimmingCharacters(in: .whitespacesAndNewlines), category: $0.category.trimmingCharacters(in: .whitespaces))
        }
    }

    /// Every field error at once, each beside its row's field (`title.3`).
    public func problems() -> FieldErrors {
        var reader = InputReader()
        _ = reader.text(note, field: "note", label: "修订说明", max: 200)
        var seen: Set<String> = []
        var count = 0
        for (n, row) in rows.enumerated() where !row.isBlank {
            count += 1
            let code = reader.text(row.code, field: "code.\(n)", label: "第\(n + 1)项的编码", max: 40)
            if !code.isEmpty {
                if code.unicodeScalars.contains(where: { !("a"..."z").contains($0) && !("0"..."9").contains($0) && $0 != "_" }) {
                    reader.errors.add("code.\(n)", code: "invalid_code", "第\(n + 1)项的编码只能用小写英文字母、数字和下划线")
                } else if !seen.insert(code).inserted {
                    reader.errors.add("code.\(n)", code: "duplicate_code", "第\(n + 1)项的编码「\(code)」与前面的项目重复")
                }
            }
            _ = reader.text(row.title, field: "title.\(n)", label: "第\(n + 1)项的检查内容", max: 200)
            _ = reader.text(row.clause, field: "clause.\(n)", label: "第\(n + 1)项的政策依据", max: 200)
            let category = row.category.trimmingCharacters(in: .whitespaces)
            if category.isEmpty {
                reader.errors.add("category.\(n)", code: "required", "请选择第\(n + 1)项不符合时形成的问题类别")
            } else if ProblemCategory.named(category) == nil {
                reader.errors.add("category.\(n)", code: "unknown_category", "第\(n + 1)项的问题类别不存在")
            }
        }
        if count == 0 { reader.errors.add("items", code: "required", "检查清单至少要有一项") }
        return reader.errors
    }
}
