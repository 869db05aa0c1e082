import Foundation
import SQLKit

/// One answer of a self-inspection: 符合 / 不符合 / 不适用; a 不符合 carries its 整改措施, 整改时限 and 责任人.
public struct SelfInspectionAnswer: Sendable, Codable, Equatable {
    public var result: ChecklistResult
    /// 存在问题 (optional).
    public var note: String
    /// 整改措施.
    public var measure: String
    /// 整改时限, `YYYY-MM-DD`.
    public var deadline: String
    /// 责任人.
    public var responsible: String

    public init(_ result: ChecklistResult, note: String = "", measure: String = "", deadline: String = "", responsible: String = "") {
        self.result = result
        self.note = note
        self.measure = measure
        self.deadline = deadline
        self.responsible = responsible
    }
}

/// 自查自纠: a company's self-inspection of one estate for one quarter (filed at the start of the next, Putian §四(二)),
/// optionally for a campaign's self-inspection phase; an official may record it as false (弄虚作假).
public struct SelfInspection: Sendable {
    public let id: Int64
    public let estateId: Int64
    public let estateName: String
    public let companyId: Int64
    public let companyName: String
    public let regionPath: String
    public let period: Quarter
    public let campaignId: Int64?
    public let campaignPhase: String?
    public let checklistVersion: Int
    public let answers: [String: SelfInspectionAnswer]
    public let conforms: Int
    public let fails: Int
    public let notApplicable: Int
    public let filedAt: String
    public let filedBy: String
    public let falseAt: String?
    public let falseBy: String?
    public let falseNote: String?
    public let falseProblemId: Int64?

    public var isFalse: Bool { falseAt != nil }
}

/// Self-inspections: filing (company), the scoped list and detail, the finding that one was false, the public section of
/// the estate page and the credit events it feeds.
public struct SelfInspections: Sendable {
    /// What the officials' list filters on.
    public struct Filter: Sendable {
        /// A sub-region code ("" = the whole jurisdiction).
        public var region: String
        public var period: Quarter?
        /// "" all, "fails" with a 不符合, "false" recorded as false.
        public var status: String
        public var page: Int

        public init(region: String = "", period: Quarter? = nil, status: String = "", page: Int = 1) {
            self.region = region
            self.period = period
            self.status = status
            self.page = max(1, min(page, 100_000))
        }
    }

    /// An estate the company must self-inspect for a quarter, and by when.
    public struct Due: Sendable {
        public let estateId: Int64
        public let estateName: String
        public let period: Quarter
        public let dueOn: Day
        public let overdue: Bool
    }

    /// What the public estate page shows of one self-inspection (no personal details beyond the company's name).
    public struct PublicResult: Sendable {
        public struct Item: Sendable {
            public let title: String
            public let measure: String
            public let deadline: String
        }
        public let period: Quarter
        public let filedOn: String
        public let companyName: String
        public let conforms: Int
        public let fails: Int
        public let notApplicable: Int
        public let failed: [Item]
        public let recordedFalse: Bool
    }

    /// A self-inspection found false, as a credit event source (双公示).
    public struct FalseFinding: Sendable, Codable {
        public let selfInspectionId: Int64
        public let companyId: Int64
        public let estateId: Int64
        public let period: String
        public let recordedAt: String
        public let note: String
        public let problemId: Int64?
    }

    let database: Database
    let clock: any LedgerClock
    let files: StoredFiles

    public init(database: Database, clock: any LedgerClock, filesDirectory: String) {
        self.database = database
        self.clock = clock
        self.files = StoredFiles(directory: filesDirectory)
    }

    static let select: SQLQueryString = """
        SELECT s.id, s.estate_id, e.name AS estate_name, s.company_id, c.name AS company_name, s.region_path, s.year, s.quarter, s.campaign_id,
               s.campaign_phase, s.checklist_version, s.answers, s.conforms, s.fails, s.not_applicable, s.filed_at, s.filed_by, s.false_at, s.false_by,
               s.false_note, s.false_problem_id
        FROM self_inspections s JOIN estates e ON e.id = s.estate_id JOIN companies c ON c.id = s.company_id
        """

    static func decode(_ row: any SQLRow) throws -> SelfInspection {
        let answers = try JSONDecoder().decode([String: SelfInspectionAnswer].self, from: Data(try row.decode(column: "answers", as: String.self).utf8))
        return SelfInspection(
            id: try row.decode(column: "id", as: Int64.self), estateId: try row.decode(column: "estate_id", as: Int64.self),
            estateName: try row.decode(column: "estate_name", as: String.self), companyId: try row.decode(column: "company_id", as: Int64.self),
            companyName: try row.decode(column: "company_name", as: String.self), regionPath: try row.decode(column: "region_path", as: String.self),
            period: Quarter(year: try row.decode(column: "year", as: Int.self), quarter: try row.decode(column: "quarter", as: Int.self))!,
            campaignId: try row.decode(column: "campaign_id", as: Int64?.self), campaignPhase: try row.decode(column: "campaign_phase", as: String?.self),
            checklistVersion: try row.decode(column: "checklist_version", as: Int.self), answers: answers,
            conforms: try row.decode(column: "conforms", as: Int.self), fails: try row.decode(column: "fails", as: Int.self),
            notApplicable: try row.decode(column: "not_applicable", as: Int.self), filedAt: try row.decode(column: "filed_at", as: String.self),
            filedBy: try row.decode(column: "filed_by", as: String.self), falseAt: try row.decode(column: "false_at", as: String?.self),
            falseBy: try row.decode(column: "false_by", as: String?.self), falseNote: try row.decode(column: "false_note", as: String?.self),
            falseProblemId: try row.decode(column: "false_problem_id", as: Int64?.self))
    }

    /// Who sees which self-inspections: a company its own filings, a committee its estate's, officials their region's.
    static func visible(_ scope: Scope) -> SQLQueryString {
        switch scope.role {
        case .admin: "1 = 1"
        case .company: scope.companyId.map { "s.company_id = \(bind: $0)" } ?? "1 = 0"
        case .committee: scope.estateId.map { "s.estate_id = \(bind: $0)" } ?? "1 = 0"
        case .auditor: "1 = 0"
        default: Scope.pathPredicate("s.region_path", scope.regionPath)
        }
    }

    // MARK: Reading

    /// The scoped list, newest period first.
    public func list(scope: Scope, filter: Filter, pageSize: Int = 20) async throws -> Page<SelfInspection> {
        try scope.require(.viewSelfInspections)
        return try await database.read { db in
            var condition: SQLQueryString = Self.visible(scope)
            if !filter.region.isEmpty {
                let region = try await RegionDirectory.covered(filter.region, scope: scope, on: db)
                condition = "\(condition) AND \(Scope.pathPredicate("s.region_path", region.path))"
            }
            if let period = filter.period { condition = "\(condition) AND s.year = \(bind: period.year) AND s.quarter = \(bind: period.quarter)" }
            switch filter.status {
            case "fails": condition = "\(condition) AND s.fails > 0"
            case "false": condition = "\(condition) AND s.false_at IS NOT NULL"
            default: break
            }
            let total = try await db.raw("SELECT COUNT(*) AS n FROM self_inspections s WHERE \(condition)").first(decodingColumn: "n", as: Int.self) ?? 0
            let items = try await db.raw("""
                \(Self.select) WHERE \(condition) ORDER BY s.year DESC, s.quarter DESC, s.id DESC
                LIMIT \(bind: pageSize) OFFSET \(bind: (filter.page - 1) * pageSize)
                """).all().map(Self.decode)
            return Page(items: items, total: total, page: filter.page, pageSize: pageSize)
        }
    }

    /// One self-inspection the scope may see, with the checklist version it answered and its photos.
    public func detail(_ id: Int64, scope: Scope) async throws -> (inspection: SelfInspection, checklist: ChecklistVersion, photos: [Problems.Attachment]) {
        try scope.require(.viewSelfInspections)
        return try await database.read { db in
            guard let row = try await db.raw("\(Self.select) WHERE s.id = \(bind: id) AND \(Self.visible(scope))").first() else {
                throw LedgerError.notFound("自查自纠记录")
            }
            let inspection = try Self.decode(row)
            let checklist = try await Checklists.version(inspection.checklistVersion, on: db) ?? .builtIn
            let photos = try await db.raw("""
                SELECT id, filename, content_type, size, uploaded_at, uploaded_by FROM attachments
                WHERE owner_type = 'self_inspection' AND owner_id = \(bind: id) ORDER BY id
                """).all(decoding: Problems.Attachment.self, keyDecodingStrategy: .convertFromSnakeCase)
            return (inspection, checklist, photos)
        }
    }

    /// A photo of a self-inspection the scope may see.
    public func photo(_ id: Int64, file: Int64, scope: Scope) async throws -> (filename: String, contentType: String, data: Data) {
        try scope.require(.viewSelfInspections)
        let row = try await database.read { db in
            try await db.raw("""
                SELECT a.filename, a.content_type, a.sha256 FROM attachments a JOIN self_inspections s ON s.id = a.owner_id
                WHERE a.owner_type = 'self_inspection' AND a.id = \(bind: file) AND s.id = \(bind: id) AND \(Self.visible(scope))
                """).first()
        }
        guard let row, let data = files.read(sha256: try row.decode(column: "sha256", as: String.self),
                                              contentType: try row.decode(column: "content_type", as: String.self)) else {
            throw LedgerError.notFound("照片")
        }
        return (try row.decode(column: "filename", as: String.self), try row.decode(column: "content_type", as: String.self), data)
    }

    /// The estates a company manages now with the quarter whose self-inspection is open to filing (the last ended one),
    /// unfiled, and when it is due.
    public func due(scope: Scope) async throws -> [Due] {
        guard scope.role == .company, let company = scope.companyId else { return [] }
        let today = Day(Timestamp.shanghaiDay(clock.now()))!
        let period = Quarter(containing: today).previous
        return try await database.read { db in
            let settings = try await SelfInspectionFigures.DueSettings.load(on: db)
            return try await db.raw("""
                SELECT e.id, e.name, e.region_path FROM estates e WHERE e.company_id = \(bind: company)
                AND NOT EXISTS (SELECT 1 FROM self_inspections s WHERE s.estate_id = e.id AND s.year = \(bind: period.year) AND s.quarter = \(bind: period.quarter))
                ORDER BY e.name, e.id LIMIT 500
                """).all().map { row in
                let dueOn = SelfInspectionFigures.dueDay(for: period, days: settings.days(at: try row.decode(column: "region_path", as: String.self)))
                return Due(estateId: try row.decode(column: "id", as: Int64.self), estateName: try row.decode(column: "name", as: String.self),
                           period: period, dueOn: dueOn, overdue: dueOn < today)
            }
        }
    }

    /// The estate's filed self-inspections for the public page, newest first (at most `limit`).
    public func publicResults(estateId: Int64, limit: Int = 8) async throws -> [PublicResult] {
        try await database.read { db in
            var results: [PublicResult] = []
            for row in try await db.raw("\(Self.select) WHERE s.estate_id = \(bind: estateId) ORDER BY s.year DESC, s.quarter DESC LIMIT \(bind: limit)").all() {
                let inspection = try Self.decode(row)
                let checklist = try await Checklists.version(inspection.checklistVersion, on: db) ?? .builtIn
                let failed = checklist.items.compactMap { item -> PublicResult.Item? in
                    guard let answer = inspection.answers[item.code], answer.result == .fails else { return nil }
                    return .init(title: item.title, measure: answer.measure, deadline: answer.deadline)
                }
                results.append(PublicResult(period: inspection.period, filedOn: Timestamp.shanghaiDay(Timestamp.parse(inspection.filedAt) ?? .distantPast),
                                            companyName: inspection.companyName, conforms: inspection.conforms, fails: inspection.fails,
                                            notApplicable: inspection.notApplicable, failed: failed, recordedFalse: inspection.isFalse))
            }
            return results
        }
    }

    /// Self-inspections recorded as false since a day, in the scope: the credit-event source (`false_at`, `false_note`).
    public func falseFindings(since: Day, scope: Scope) async throws -> [FalseFinding] {
        try scope.require(.viewSelfInspections)
        return try await database.read { db in
            try await db.raw("""
                SELECT s.id, s.company_id, s.estate_id, s.year, s.quarter, s.false_at, s.false_note, s.false_problem_id FROM self_inspections s
                WHERE \(Self.visible(scope)) AND s.false_at IS NOT NULL AND s.false_at >= \(bind: Timestamp.startOfShanghaiDay(since))
                ORDER BY s.false_at, s.id
                """).all().map { row in
                FalseFinding(selfInspectionId: try row.decode(column: "id", as: Int64.self), companyId: try row.decode(column: "company_id", as: Int64.self),
                             estateId: try row.decode(column: "estate_id", as: Int64.self),
                             period: "\(try row.decode(column: "year", as: Int.self))Q\(try row.decode(column: "quarter", as: Int.self))",
                             recordedAt: try row.decode(column: "false_at", as: String.self), note: try row.decode(column: "false_note", as: String?.self) ?? "",
                             problemId: try row.decode(column: "false_problem_id", as: Int64?.self))
            }
        }
    }

    /// Estates under `path` with a filed self-inspection of `period` (the numerator of the dashboard's 自查自纠率).
    static func filedEstates(in rows: PathSelection, period: Quarter, on db: any SQLDatabase) async throws -> Set<Int64> {
        Set(try await db.raw("""
            SELECT s.estate_id FROM self_inspections s WHERE \(rows.predicate("s.region_path"))
            AND s.year = \(bind: period.year) AND s.quarter = \(bind: period.quarter)
            """).all(decodingColumn: "estate_id", as: Int64.self))
    }
}
