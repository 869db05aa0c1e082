import Foundation
import SQLKit

/// 检查记录: an official records a visit to an estate against the checklist; each 不符合 (with its note) becomes a problem
/// for the company, with the region's rectification period, and enters the escalation ladder.
public struct InspectionRecords: Sendable {
    /// One answer on the checklist.
    public struct Answer: Sendable, Codable, Equatable {
        public let result: ChecklistResult
        public let note: String
        /// Photos uploaded with the answer (attachment ids, owner `inspection_record`).
        public var photos: [Int64]?
        public init(_ result: ChecklistResult, note: String = "", photos: [Int64]? = nil) {
            self.result = result
            self.note = note
            self.photos = photos
        }
    }

    /// A visit as recorded.
    public struct VisitInput: Sendable {
        public var estateId: Int64
        /// The spot-check plan the estate was drawn in (nil: a visit outside a plan).
        public var planId: Int64?
        /// As typed (`2024-11-18`); not in the future.
        public var inspectedOn: String
        /// Every checklist item's answer, by item code.
        public var answers: [String: Answer]
        /// Photos per item code (JPEG or PNG, at most 3 per item); on a 不符合 they also become the problem's evidence.
        public var photos: [String: [Complaints.Upload]]
        /// A 行风监督员 from the register who came along (any visit may have one; never drawn).
        public var supervisorId: Int64?

        public init(estateId: Int64, planId: Int64? = nil, inspectedOn: String, answers: [String: Answer], photos: [String: [Complaints.Upload]] = [:],
                    supervisorId: Int64? = nil) {
            self.supervisorId = supervisorId
            self.estateId = estateId
            self.planId = planId
            self.inspectedOn = inspectedOn
            self.answers = answers
            self.photos = photos
        }

        /// Every field error at once: the date, an answer for each item of `checklist`, a note for each 不符合.
        public func problems(today: Day, checklist: ChecklistVersion = .builtIn) -> FieldErrors {
            var reader = InputReader()
            if let day = reader.day(inspectedOn, field: "inspectedOn", label: "检查日期"), day > today {
                reader.errors.add("inspectedOn", code: "future_date", "检查日期不能晚于今天")
            }
            for item in checklist.items {
                guard let answer = answers[item.code] else {
                    reader.errors.add(item.code, code: "required", "请填写「\(item.title)」的检查结果")
                    continue
                }
                if answer.result == .fails {
                    _ = reader.text(answer.note, field: item.code, label: "不符合的具体情况", max: 500)
                }
            }
            for code in answers.keys where checklist.item(code) == nil {
                reader.errors.add(code, code: "unknown_item", "检查清单中没有该项")
            }
            for (code, files) in photos where !files.isEmpty {
                if files.count > 3 { reader.errors.add("photo.\(code)", code: "too_many_files", "每项最多上传3张照片") }
                for file in files {
                    do {
                        let checked = try StoredFiles.check(filename: file.filename, bytes: file.bytes, label: "现场照片", field: "photo.\(code)")
                        if checked.contentType == "application/pdf" { reader.errors.add("photo.\(code)", code: "unsupported_type", "现场照片只能是 JPEG 或 PNG 图片") }
                    } catch let error as LedgerError {
                        reader.errors.add(error)
                    } catch {
                        reader.errors.add("photo.\(code)", code: "unreadable", "照片无法读取")
                    }
                }
            }
            return reader.errors
        }
    }

    let database: Database
    let clock: any LedgerClock
    /// Where photos are kept; nil: a visit with photos is refused.
    let files: StoredFiles?

    public init(database: Database, clock: any LedgerClock, filesDirectory: String? = nil) {
        self.database = database
        self.clock = clock
        self.files = filesDirectory.map(StoredFiles.init(directory:))
    }

    /// Records the visit and raises a problem for each 不符合; returns the record's id and the problems raised.
    @discardableResult
    public func record(_ input: VisitInput, scope: Scope) async throws -> (id: Int64, problems: [Int64]) {
        try scope.require(.createProblem)
        let at = clock.now()
        let today = Day(Timestamp.shanghaiDay(at))!
        // The checklist in force for the estate's region (an estate out of scope is refused below, inside the transaction).
        let inForce = try await database.read { db in
            try await EstateRepository.estate(input.estateId, scope: scope, at: at, on: db).asyncMap { try await Checklists.current(regionPath: $0.regionPath, on: db) }
        }
        try input.problems(today: today, checklist: inForce ?? .builtIn).throwIfAny()
        return try await database.transaction { db in
            guard let estate = try await EstateRepository.estate(input.estateId, scope: scope, at: at, on: db) else {
                throw LedgerError.invalid("estate", code: "not_found", "小区不存在或不在您的管辖范围内")
            }
            let checklist = try await Checklists.current(regionPath: estate.regionPath, on: db)
            guard checklist.version == (inForce ?? .builtIn).version else {
                throw LedgerError(.conflict, code: "checklist_changed", message: "检查清单刚刚修订，请按新版清单重新填写", field: "inspectedOn")
            }
            if let plan = input.planId {
                let drawn = try await db.raw("""
                    SELECT p.drawn_at FROM inspection_plan_estates pe JOIN inspection_plans p ON p.id = pe.plan_id
                    WHERE pe.plan_id = \(bind: plan) AND pe.estate_id = \(bind: input.estateId) AND \(InspectionPlans.visible(scope))
                    """).first(decodingColumn: "drawn_at", as: String?.self)
                guard let drawnAt = drawn ?? nil else { throw LedgerError.invalid("planId", code: "not_drawn", "该小区不在此抽查计划的抽取结果中") }
                // A visit of a plan happens after its draw: the estate was not known to be sampled before.
                let drawnOn = Timestamp.shanghaiDay(Timestamp.parse(drawnAt) ?? at)
                if let day = Day(InputReader.halfWidth(input.inspectedOn.trimmingCharacters(in: .whitespaces))), day.description < drawnOn {
                    throw LedgerError.invalid("inspectedOn", code: "before_draw", "检查日期不能早于抽查计划的抽取日期（\(drawnOn)）")
                }
            }
            if let supervisor = input.supervisorId {
                let codes = estate.regionPath.split(separator: "/").map(String.init)
                let found = try await db.raw("""
                    SELECT 1 AS n FROM inspectors WHERE id = \(bind: supervisor) AND kind = 'supervisor' AND active = 1 AND region_code IN (\(binds: codes))
                    """).first()
                guard found != nil else { throw LedgerError.invalid("supervisor", code: "not_found", "所选行风监督员不在名录中或已停用") }
            }
            let failed = checklist.items.filter { input.answers[$0.code]?.result == .fails }
            let photos = try input.photos.mapValues { files in
                try files.map { (checked: try StoredFiles.check(filename: $0.filename, bytes: $0.bytes, label: "现场照片", field: "photos"), bytes: $0.bytes) }
            }.filter { !$0.value.isEmpty }
            if !photos.isEmpty {
                guard let store = files else { throw LedgerError.invalid("photos", code: "no_storage", "未配置照片存储目录，无法上传现场照片") }
                for file in photos.values.flatMap({ $0 }) { try store.write(file.checked, bytes: file.bytes) }
            }
            let id = try await db.raw("""
                INSERT INTO inspection_records (plan_id, estate_id, company_id, region_path, inspected_on, checklist_version, answers, failed,
                                                recorded_at, recorded_by, supervisor_id)
                VALUES (\(bind: input.planId), \(bind: input.estateId), \(bind: estate.companyId), \(bind: estate.regionPath),
                        \(bind: Day(InputReader.halfWidth(input.inspectedOn.trimmingCharacters(in: .whitespaces)))!.description), \(bind: checklist.version),
                        \(bind: try InspectionPlans.json(input.answers)), \(bind: failed.count), \(bind: Timestamp.storage(at)), \(bind: scope.username),
                        \(bind: input.supervisorId))
                RETURNING id
                """).first(decodingColumn: "id", as: Int64.self)!
            var answers = input.answers
            for (code, files) in photos.sorted(by: { $0.key < $1.key }) {
                var ids: [Int64] = []
                for file in files {
                    try await Complaints.attach(file.checked, owner: "inspection_record", id: id, by: scope.username, at: at, on: db)
                    ids.append(try await db.raw("""
                        SELECT MAX(id) AS id FROM attachments WHERE owner_type = 'inspection_record' AND owner_id = \(bind: id)
                        """).first(decodingColumn: "id", as: Int64.self)!)
                }
                answers[code]?.photos = ids
            }
            if !photos.isEmpty {
                try await db.raw("UPDATE inspection_records SET answers = \(bind: try InspectionPlans.json(answers)) WHERE id = \(bind: id)").run()
            }
            var problems: [Int64] = []
            for item in failed {
                let note = input.answers[item.code]!.note.trimmingCharacters(in: .whitespacesAndNewlines)
                let problem = try await Problems.insert(
                    ProblemInput(estateId: input.estateId, category: item.category, description: "检查发现（\(item.title)）：\(note)", source: .inspection),
                    sourceId: id, scope: scope, at: at, on: db)
                // The item's photos are the problem's evidence too.
                for file in photos[item.code] ?? [] {
                    try await Complaints.attach(file.checked, owner: "problem", id: problem, by: scope.username, at: at, on: db)
                }
                problems.append(problem)
            }
            try await AuditLog.record(on: db, scope: scope, at: at, action: "record", entity: "inspection_record", entityId: "\(id)",
                                      regionPath: estate.regionPath, after: ["estate": "\(input.estateId)", "failed": "\(failed.count)"])
            return (id, problems)
        }
    }

    /// The 行风监督员 who may join a visit to an estate the scope covers (registered in its region or above); empty for
    /// an estate out of scope.
    public func supervisors(forEstate id: Int64, scope: Scope) async throws -> [(id: Int64, name: String, organisation: String)] {
        try await database.read { db in
            guard let estate = try await EstateRepository.estate(id, scope: scope, at: clock.now(), on: db) else { return [] }
            return try await Inspectors.supervisors(for: estate.regionPath, on: db)
        }
    }

    /// **Verified by spot check** (抽查核实): distinct estates under `path` with an inspection record dated within the
    /// year up to `until`, per estate id — the numerator of the annual 抽查核实率.
    static func verifiedEstates(under path: String, year: Int, until: Day, on db: any SQLDatabase) async throws -> [(estate: Int64, path: String)] {
        try await verifiedEstates(in: .under(path), year: year, until: until, on: db)
    }

    static func verifiedEstates(in rows: PathSelection, year: Int, until: Day, on db: any SQLDatabase) async throws -> [(estate: Int64, path: String)] {
        try await db.raw("""
            SELECT DISTINCT estate_id, region_path FROM inspection_records WHERE \(rows.predicate("region_path"))
            AND inspected_on >= \(bind: Day(year: year, month: 1, day: 1).description) AND inspected_on <= \(bind: until.description)
            """).all().map { (try $0.decode(column: "estate_id", as: Int64.self), try $0.decode(column: "region_path", as: String.self)) }
    }

    /// The annual 抽查核实率 under a region, as the dashboard's `spotCheck` counts it (`verifiedEstates` ÷ registered
    /// estates); nil when there are no estates ("—", nothing is due).
    public static func annualRate(under path: String, year: Int, until: Day, on database: Database) async throws -> (verified: Int, estates: Int, rate: Double?) {
        try await database.read { db in
            let verified = try await verifiedEstates(under: path, year: year, until: until, on: db).count
            let estates = try await db.raw("SELECT COUNT(*) AS n FROM estates WHERE \(Scope.pathPredicate("region_path", path))")
                .first(decodingColumn: "n", as: Int.self) ?? 0
            return (verified, estates, estates == 0 ? nil : Double(verified) / Double(estates))
        }
    }
}
