import Foundation
import SQLKit

// What the spot-check pages read: a plan with the names behind its ids, a visit with its answers and photos, and the
// public side of both (双随机一公开) — results without inspectors' personal details.

extension InspectionPlans {
    /// An inspector as shown: officials see the name, the public sees the number and the organisation only.
    public struct InspectorRef: Sendable {
        public let id: Int64
        public let name: String
        public let organisation: String
    }

    /// An estate in a plan: drawn (or forced), with its inspectors and the visit recorded for it in this plan, if any.
    public struct PlanEstate: Sendable {
        public let id: Int64
        public let name: String
        public let regionName: String
        public let companyName: String?
        public let forced: Bool
        public let inspectors: [InspectorRef]
        public let recordId: Int64?
        public let inspectedOn: String?
        public let failed: Int?
    }

    public struct PlanDetail: Sendable {
        public let plan: Plan
        /// Drawn estates (empty before the draw), ascending by id.
        public let drawn: [PlanEstate]
        /// The confirmed forced inclusions, with names (before and after the draw).
        public let forcedEstates: [PlanEstate]
        public let poolSize: Int
    }

    /// A plan of the scope's region or below, with names.
    public func detail(_ id: Int64, scope: Scope) async throws -> PlanDetail {
        try scope.require(.viewInspectionPlans)
        return try await database.read { db in
            guard let plan = try await Self.plans(condition: "p.id = \(bind: id) AND \(Self.visible(scope))", on: db).first else {
                throw LedgerError.notFound("抽查计划")
            }
            return try await Self.detail(plan, on: db)
        }
    }

    /// A plan as the public sees it (双随机一公开): public from its publication — the hash and the announced seed source
    /// are the commitment, made before the seed exists — and with its result once drawn.
    public func publicDetail(_ id: Int64) async throws -> PlanDetail {
        try await database.read { db in
            guard let plan = try await Self.plans(condition: "p.id = \(bind: id)", on: db).first else {
                throw LedgerError.notFound("抽查计划")
            }
            return try await Self.detail(plan, on: db)
        }
    }

    /// The exact text whose SHA-256 the plan published (`SpotCheckDraw.eligibleText`), for anyone to check and redraw;
    /// public from the plan's publication.
    public func publicEligibleText(_ id: Int64) async throws -> String {
        try await database.read { db in
            guard let stored = try await Self.stored(id, scope: .system, on: db) else { throw LedgerError.notFound("抽查计划") }
            return SpotCheckDraw.eligibleText(estates: stored.estates, pool: stored.pool)
        }
    }

    static func detail(_ plan: Plan, on db: any SQLDatabase) async throws -> PlanDetail {
        let ids = Array(Set(plan.estates + plan.forced)).sorted()
        var names: [Int64: (String, String, String?)] = [:]
        if !ids.isEmpty {
            for row in try await db.raw("""
                SELECT e.id, e.name, r.name AS region_name, c.name AS company_name FROM estates e JOIN regions r ON r.code = e.community_code
                LEFT JOIN companies c ON c.id = e.company_id WHERE e.id IN (\(binds: ids))
                """).all() {
                names[try row.decode(column: "id", as: Int64.self)] = (try row.decode(column: "name", as: String.self),
                                                                       try row.decode(column: "region_name", as: String.self),
                                                                       try row.decode(column: "company_name", as: String?.self))
            }
        }
        let people = Set(plan.inspectors.values.flatMap { $0 })
        var inspectors: [Int64: InspectorRef] = [:]
        if !people.isEmpty {
            for row in try await db.raw("SELECT id, name, organisation FROM inspectors WHERE id IN (\(binds: Array(people).sorted()))").all() {
                let ref = InspectorRef(id: try row.decode(column: "id", as: Int64.self), name: try row.decode(column: "name", as: String.self),
                                       organisation: try row.decode(column: "organisation", as: String.self))
                inspectors[ref.id] = ref
            }
        }
        var visits: [Int64: (Int64, String, Int)] = [:]
        for row in try await db.raw("""
            SELECT id, estate_id, inspected_on, failed FROM inspection_records WHERE plan_id = \(bind: plan.id) ORDER BY id
            """).all() {
            visits[try row.decode(column: "estate_id", as: Int64.self)] = (try row.decode(column: "id", as: Int64.self),
                                                                          try row.decode(column: "inspected_on", as: String.self),
                                                                          try row.decode(column: "failed", as: Int.self))
        }
        let forced = Set(plan.forced)
        func estate(_ id: Int64) -> PlanEstate {
            let name = names[id], visit = visits[id]
            return PlanEstate(id: id, name: name?.0 ?? "小区 \(id)", regionName: name?.1 ?? "", companyName: name?.2, forced: forced.contains(id),
                              inspectors: (plan.inspectors[id] ?? []).compactMap { inspectors[$0] }, recordId: visit?.0, inspectedOn: visit?.1,
                              failed: visit?.2)
        }
        let pool = try await db.raw("SELECT pool FROM inspection_plans WHERE id = \(bind: plan.id)").first(decodingColumn: "pool", as: String.self) ?? "[]"
        return PlanDetail(plan: plan, drawn: plan.estates.map(estate), forcedEstates: plan.forced.sorted().map(estate),
                          poolSize: (try? JSONDecoder().decode([SpotCheckDraw.Inspector].self, from: Data(pool.utf8)).count) ?? 0)
    }

    /// The estates proposed as forced inclusions, with names and why each is proposed.
    public struct Proposal: Sendable {
        public let id: Int64
        public let name: String
        public let reasons: [String]
    }

    public func proposals(regionCode: String, year: Int, quarter: Int?, scope: Scope) async throws -> [Proposal] {
        let (from, until) = Self.period(year: year, quarter: quarter)
        return try await database.read { db in
            let region = try await RegionDirectory.covered(regionCode, scope: scope, on: db)
            let inRegion = Scope.pathPredicate("region_path", region.path)
            var reasons: [Int64: [String]] = [:]
            for row in try await db.raw("""
                SELECT estate_id, '存在未处置的零收益预警' AS reason FROM warnings WHERE rule = 'W03' AND status IN ('open', 'acknowledged') AND \(inRegion)
                UNION SELECT estate_id, '期内收到投诉举报' AS reason FROM complaints WHERE \(inRegion) AND received_at >= \(bind: Timestamp.startOfShanghaiDay(from))
                    AND received_at < \(bind: Timestamp.startOfShanghaiDay(until))
                UNION SELECT estate_id, '上级交办' AS reason FROM complaints WHERE \(inRegion) AND source = 'superior'
                    AND received_at < \(bind: Timestamp.startOfShanghaiDay(until)) AND (status <> 'closed' OR received_at >= \(bind: Timestamp.startOfShanghaiDay(from)))
                """).all() {
                reasons[try row.decode(column: "estate_id", as: Int64.self), default: []].append(try row.decode(column: "reason", as: String.self))
            }
            guard !reasons.isEmpty else { return [] }
            let ids = reasons.keys.sorted()
            var names: [Int64: String] = [:]
            for row in try await db.raw("SELECT id, name FROM estates WHERE id IN (\(binds: ids))").all() {
                names[try row.decode(column: "id", as: Int64.self)] = try row.decode(column: "name", as: String.self)
            }
            return ids.map { Proposal(id: $0, name: names[$0] ?? "小区 \($0)", reasons: (reasons[$0] ?? []).sorted()) }
        }
    }
}

extension InspectionRecords {
    /// A photo uploaded with a checklist answer.
    public struct Photo: Sendable {
        public let id: Int64
        public let filename: String
        public let size: Int
    }

    public struct AnsweredItem: Sendable {
        public let item: ChecklistItem
        public let result: ChecklistResult
        public let note: String
        public let photos: [Photo]
    }

    public struct Visit: Sendable {
        public let id: Int64
        public let planId: Int64?
        public let estateId: Int64
        public let estateName: String
        public let companyName: String?
        public let inspectedOn: String
        public let recordedAt: String
        public let recordedBy: String
        /// The 行风监督员 who came along (name and organisation), if any.
        public let supervisor: String?
        public let items: [AnsweredItem]
        /// Problems raised by the visit: id, category, status.
        public let problems: [(id: Int64, description: String, status: Problems.Status, deadline: String)]
    }

    /// A visit of the scope's region or below.
    public func visit(_ id: Int64, scope: Scope) async throws -> Visit {
        try scope.require(.viewInspectionPlans)
        return try await database.read { db in
            guard let row = try await db.raw("""
                SELECT r.id, r.plan_id, r.estate_id, e.name AS estate_name, c.name AS company_name, r.inspected_on, r.recorded_at, r.recorded_by, r.answers,
                       r.checklist_version, s.name AS supervisor_name, s.organisation AS supervisor_organisation
                FROM inspection_records r JOIN estates e ON e.id = r.estate_id LEFT JOIN companies c ON c.id = r.company_id
                LEFT JOIN inspectors s ON s.id = r.supervisor_id
                WHERE r.id = \(bind: id) AND \(scope.officialPredicate("r.region_path"))
                """).first() else { throw LedgerError.notFound("检查记录") }
            let answers = try JSONDecoder().decode([String: Answer].self, from: Data(try row.decode(column: "answers", as: String.self).utf8))
            var photos: [Int64: Photo] = [:]
            for file in try await db.raw("""
                SELECT id, filename, size FROM attachments WHERE owner_type = 'inspection_record' AND owner_id = \(bind: id) ORDER BY id
                """).all() {
                let photo = Photo(id: try file.decode(column: "id", as: Int64.self), filename: try file.decode(column: "filename", as: String.self),
                                  size: try file.decode(column: "size", as: Int.self))
                photos[photo.id] = photo
            }
            // The list the visit answered, whichever version is in force today.
            let checklist = try await Checklists.version(try row.decode(column: "checklist_version", as: Int.self), on: db) ?? .builtIn
            let items = checklist.items.compactMap { item in
                answers[item.code].map { AnsweredItem(item: item, result: $0.result, note: $0.note, photos: ($0.photos ?? []).compactMap { photos[$0] }) }
            }
            let problems = try await db.raw("""
                SELECT id, description, status, deadline FROM problems WHERE source = 'inspection' AND source_id = \(bind: id) ORDER BY id
                """).all().map {
                (id: try $0.decode(column: "id", as: Int64.self), description: try $0.decode(column: "description", as: String.self),
                 status: Problems.Status(rawValue: try $0.decode(column: "status", as: String.self)) ?? .open,
                 deadline: try $0.decode(column: "deadline", as: String.self))
            }
            return Visit(id: id, planId: try row.decode(column: "plan_id", as: Int64?.self), estateId: try row.decode(column: "estate_id", as: Int64.self),
                         estateName: try row.decode(column: "estate_name", as: String.self), companyName: try row.decode(column: "company_name", as: String?.self),
                         inspectedOn: try row.decode(column: "inspected_on", as: String.self), recordedAt: try row.decode(column: "recorded_at", as: String.self),
                         recordedBy: try row.decode(column: "recorded_by", as: String.self),
                         supervisor: try row.decode(column: "supervisor_name", as: String?.self).map {
                             "\($0)（\(try row.decode(column: "supervisor_organisation", as: String?.self) ?? "")）"
                         },
                         items: items, problems: problems)
        }
    }

    /// A photo of a visit the scope may see, with its bytes.
    public func photo(_ fileId: Int64, recordId: Int64, scope: Scope) async throws -> (contentType: String, filename: String, data: Data) {
        _ = try await visit(recordId, scope: scope)
        let found = try await database.read { db in
            try await db.raw("""
                SELECT filename, content_type, sha256 FROM attachments WHERE id = \(bind: fileId) AND owner_type = 'inspection_record' AND owner_id = \(bind: recordId)
                """).first()
        }
        guard let found, let files,
              let data = files.read(sha256: try found.decode(column: "sha256", as: String.self), contentType: try found.decode(column: "content_type", as: String.self))
        else { throw LedgerError.notFound("现场照片") }
        return (try found.decode(column: "content_type", as: String.self), try found.decode(column: "filename", as: String.self), data)
    }

    /// A visit's result as the public sees it on the estate page (双随机一公开): no inspector, no photo, no note beyond
    /// the item and the rectification state of the problem it raised.
    public struct PublicResult: Sendable {
        public let inspectedOn: String
        public let planId: Int64?
        public let planTitle: String
        public let conforms: Int
        public let fails: Int
        public let notApplicable: Int
        public let findings: [(title: String, status: Problems.Status, deadline: String)]
    }

    public func publicResults(estateId: Int64, limit: Int = 8) async throws -> [PublicResult] {
        try await database.read { db in
            let rows = try await db.raw("""
                SELECT r.id, r.plan_id, r.inspected_on, r.answers, r.checklist_version, p.year, p.quarter, g.name AS region_name
                FROM inspection_records r LEFT JOIN inspection_plans p ON p.id = r.plan_id LEFT JOIN regions g ON g.code = p.region_code
                WHERE r.estate_id = \(bind: estateId) ORDER BY r.inspected_on DESC, r.id DESC LIMIT \(bind: limit)
                """).all()
            guard !rows.isEmpty else { return [] }
            let ids = try rows.map { try $0.decode(column: "id", as: Int64.self) }
            var raised: [Int64: [(String, Problems.Status, String)]] = [:]
            for row in try await db.raw("""
                SELECT source_id, category, status, deadline FROM problems WHERE source = 'inspection' AND source_id IN (\(binds: ids)) ORDER BY id
                """).all() {
                raised[try row.decode(column: "source_id", as: Int64.self), default: []].append(
                    (try row.decode(column: "category", as: String.self), Problems.Status(rawValue: try row.decode(column: "status", as: String.self)) ?? .open,
                     try row.decode(column: "deadline", as: String.self)))
            }
            var lists: [Int: ChecklistVersion] = [:]
            for version in Set(try rows.map { try $0.decode(column: "checklist_version", as: Int.self) }) {
                lists[version] = try await Checklists.version(version, on: db) ?? .builtIn
            }
            return try rows.map { row in
                let id = try row.decode(column: "id", as: Int64.self)
                let checklist = lists[try row.decode(column: "checklist_version", as: Int.self)] ?? .builtIn
                let answers = try JSONDecoder().decode([String: Answer].self, from: Data(try row.decode(column: "answers", as: String.self).utf8))
                let planId = try row.decode(column: "plan_id", as: Int64?.self)
                var title = "日常检查"
                if planId != nil, let year = try row.decode(column: "year", as: Int?.self) {
                    let quarter = try row.decode(column: "quarter", as: Int?.self)
                    title = "\(try row.decode(column: "region_name", as: String?.self) ?? "")\(year)年\(quarter.map { "第\($0)季度" } ?? "度")双随机抽查"
                }
                let failedItems = checklist.items.filter { answers[$0.code]?.result == .fails }
                let problems = raised[id] ?? []
                let findings = failedItems.enumerated().map { index, item in
                    (title: item.title, status: index < problems.count ? problems[index].1 : .open, deadline: index < problems.count ? problems[index].2 : "")
                }
                return PublicResult(inspectedOn: try row.decode(column: "inspected_on", as: String.self), planId: planId, planTitle: title,
                                    conforms: answers.values.filter { $0.result == .conforms }.count, fails: failedItems.count,
                                    notApplicable: answers.values.filter { $0.result == .notApplicable }.count, findings: findings)
            }
        }
    }
}
