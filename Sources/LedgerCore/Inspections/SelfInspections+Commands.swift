import Foundation
import SQLKit

/// A self-inspection as a company submits it: the estate, the quarter, an optional campaign phase, every checklist item
/// answered, and photos (JPEG or PNG).
public struct SelfInspectionInput: Sendable {
    public var estateId: Int64?
    /// `2024Q3` (also `2024-3`); a quarter that has ended.
    public var period: String
    /// A campaign phase's id ("" = none).
    public var phase: String
    public var answers: [String: SelfInspectionAnswer]
    public var photos: [Complaints.Upload]

    public init(estateId: Int64?, period: String, phase: String = "", answers: [String: SelfInspectionAnswer], photos: [Complaints.Upload] = []) {
        self.estateId = estateId
        self.period = period
        self.phase = phase
        self.answers = answers
        self.photos = photos
    }

    /// From a form: `estate`, `period`, `phase`, and per item `result.CODE`, `note.CODE`, `measure.CODE`, `deadline.CODE`, `responsible.CODE`.
    public init(form: [String: String], photos: [Complaints.Upload] = []) {
        estateId = form["estate"].flatMap { Int64(InputReader.halfWidth($0).trimmingCharacters(in: .whitespaces)) }
        period = form["period"] ?? ""
        phase = form["phase"] ?? ""
        var answers: [String: SelfInspectionAnswer] = [:]
        for (key, value) in form where key.hasPrefix("result.") {
            let code = String(key.dropFirst(7))
            guard let result = ChecklistResult(rawValue: value) else { continue }
            answers[code] = SelfInspectionAnswer(result, note: form["note.\(code)"] ?? "", measure: form["measure.\(code)"] ?? "",
                                                 deadline: form["deadline.\(code)"] ?? "", responsible: form["responsible.\(code)"] ?? "")
        }
        self.answers = answers
        self.photos = photos
    }

    /// The quarter typed, if it reads as one.
    public var quarter: Quarter? {
        let text = InputReader.halfWidth(period).trimmingCharacters(in: .whitespaces).uppercased().replacingOccurrences(of: "-", with: "Q")
        return Quarter(text: text)
    }

    /// Every field error at once: the estate, the quarter, an answer for each item, and for each 不符合 its 整改措施,
    /// 整改时限 (a date, not before today) and 责任人; photos JPEG or PNG, at most 3.
    public func problems(checklist: ChecklistVersion, today: Day) -> FieldErrors {
        var reader = InputReader()
        if estateId == nil { reader.errors.add("estate", code: "required", "请选择小区") }
        if period.trimmingCharacters(in: .whitespaces).isEmpty {
            reader.errors.add("period", code: "required", "请选择自查季度")
        } else if let quarter {
            if quarter >= Quarter(containing: today) { reader.errors.add("period", code: "not_ended", "只能填报已结束季度的自查自纠（下一季度初自查上一季度）") }
        } else {
            reader.errors.add("period", code: "invalid_quarter", "自查季度格式应为 2024Q3")
        }
        for item in checklist.items {
            guard let answer = answers[item.code] else {
                reader.errors.add("result.\(item.code)", code: "required", "请填写「\(item.title)」的自查结果")
                continue
            }
            _ = reader.text(answer.note, field: "note.\(item.code)", label: "存在问题", required: false, max: 500)
            guard answer.result == .fails else { continue }
            _ = reader.text(answer.measure, field: "measure.\(item.code)", label: "「\(item.title)」的整改措施", max: 500)
            if let deadline = reader.day(answer.deadline, field: "deadline.\(item.code)", label: "「\(item.title)」的整改时限"), deadline < today {
                reader.errors.add("deadline.\(item.code)", code: "past_date", "「\(item.title)」的整改时限不能早于今天")
            }
            _ = reader.text(answer.responsible, field: "responsible.\(item.code)", label: "「\(item.title)」的责任人", max: 50)
        }
        for code in answers.keys.sorted() where checklist.item(code) == nil {
            reader.errors.add("result.\(code)", code: "unknown_item", "检查清单中没有该项")
        }
        if photos.count > 3 { reader.errors.add("photos", code: "too_many_files", "最多上传3张照片") }
        for photo in photos {
            do {
                let checked = try StoredFiles.check(filename: photo.filename, bytes: photo.bytes, label: "照片", field: "photos")
                if checked.contentType == "application/pdf" {
                    reader.errors.add("photos", code: "unsupported_type", "照片只能是 JPEG 或 PNG 文件")
                }
            } catch let error as LedgerError {
                reader.errors.add(error)
            } catch {
                reader.errors.add("photos", code: "unsupported_type", "照片无法识别")
            }
        }
        return reader.errors
    }
}

extension SelfInspections {
    /// Files a self-inspection for an estate the company manages now, against the checklist in force for the estate's
    /// region (whose version it keeps). One per estate and quarter.
    @discardableResult
    public func file(_ input: SelfInspectionInput, scope: Scope) async throws -> Int64 {
        try scope.require(.fileSelfInspection)
        let at = clock.now()
        let today = Day(Timestamp.shanghaiDay(at))!
        // Validate against the checklist of the estate's region (an estate out of scope: the estate error, with the rest).
        let estate = try await database.read { db in
            try await input.estateId.asyncMap { try await EstateRepository.estate($0, scope: scope, at: at, on: db) } ?? nil
        }
        let checklist = try await estate.asyncMap { try await Checklists(database: database, clock: clock).checklist(regionPath: $0.regionPath) } ?? .builtIn
        var errors = input.problems(checklist: checklist, today: today)
        if input.estateId != nil && (estate == nil || estate?.companyId != scope.companyId || scope.companyId == nil) {
            errors.add("estate", code: "not_found", "小区不存在或不由本企业管理")
        }
        try errors.throwIfAny()
        guard let estate, let company = estate.companyId, let period = input.quarter else { throw LedgerError.notFound("小区") }
        let checkedPhotos = try input.photos.map { try StoredFiles.check(filename: $0.filename, bytes: $0.bytes, label: "照片", field: "photos") }
        var clean: [String: SelfInspectionAnswer] = [:]
        for item in checklist.items {
            let answer = input.answers[item.code]!
            let trim = { (s: String) in s.trimmingCharacters(in: .whitespacesAndNewlines) }
            clean[item.code] = answer.result == .fails
                ? SelfInspectionAnswer(.fails, note: trim(answer.note), measure: trim(answer.measure),
                                       deadline: Day(InputReader.halfWidth(trim(answer.deadline)))?.description ?? trim(answer.deadline),
                                       responsible: trim(answer.responsible))
                : SelfInspectionAnswer(answer.result, note: trim(answer.note))
        }
        let counts = ChecklistResult.allCases.map { result in clean.values.filter { $0.result == result }.count }
        let json = try InspectionPlans.json(clean)
        for (photo, checked) in zip(input.photos, checkedPhotos) { try files.write(checked, bytes: photo.bytes) }
        let id = try await database.transaction { db in
            var campaignId: Int64?, phaseName: String?
            let phaseText = input.phase.trimmingCharacters(in: .whitespaces)
            if !phaseText.isEmpty {
                let codes = estate.regionPath.split(separator: "/").map(String.init)
                guard let phaseId = Int64(phaseText), let row = try await db.raw("""
                    SELECT p.campaign_id, p.name FROM campaign_phases p JOIN campaigns c ON c.id = p.campaign_id
                    WHERE p.id = \(bind: phaseId) AND c.region_code IN (\(binds: codes))
                    """).first() else {
                    throw LedgerError.invalid("phase", code: "not_found", "专项整治阶段不存在或不适用于该小区")
                }
                campaignId = try row.decode(column: "campaign_id", as: Int64.self)
                phaseName = try row.decode(column: "name", as: String.self)
            }
            let exists = try await db.raw("""
                SELECT id FROM self_inspections WHERE estate_id = \(bind: estate.id) AND year = \(bind: period.year) AND quarter = \(bind: period.quarter)
                """).first()
            guard exists == nil else { throw LedgerError(.conflict, code: "already_filed", message: "该小区\(period.title)的自查自纠已经提交", field: "period") }
            let id = try await db.raw("""
                INSERT INTO self_inspections (estate_id, company_id, region_path, year, quarter, campaign_id, campaign_phase, checklist_version, answers,
                                              conforms, fails, not_applicable, filed_at, filed_by)
                VALUES (\(bind: estate.id), \(bind: company), \(bind: estate.regionPath), \(bind: period.year), \(bind: period.quarter), \(bind: campaignId),
                        \(bind: phaseName), \(bind: checklist.version), \(bind: json), \(bind: counts[0]), \(bind: counts[1]), \(bind: counts[2]),
                        \(bind: Timestamp.storage(at)), \(bind: scope.username))
                RETURNING id
                """).first(decodingColumn: "id", as: Int64.self)!
            for checked in checkedPhotos {
                try await Complaints.attach(checked, owner: "self_inspection", id: id, by: scope.username, at: at, on: db)
            }
            try await AuditLog.record(on: db, scope: scope, at: at, action: "file", entity: "self_inspection", entityId: "\(id)", regionPath: estate.regionPath,
                                      after: ["estate": "\(estate.id)", "period": period.description, "checklist": "\(checklist.version)",
                                              "fails": "\(counts[1])", "photos": "\(checkedPhotos.count)"])
            return id
        }
        // The estate's warnings from that quarter on are looked at again at once (W16 closes), as after a publication.
        await WarningEngine(database: database, clock: clock).afterPublishing([(estate.id, period)])
        return id
    }

    /// Records that a self-inspection was false (弄虚作假): a problem for the company (source `self_inspection_false`) and
    /// a dated finding that credit events read (`falseFindings`). Once per self-inspection.
    @discardableResult
    public func recordFalse(_ id: Int64, note text: String, scope: Scope) async throws -> Int64 {
        try scope.require(.judgeSelfInspection)
        var reader = InputReader()
        let note = reader.text(text, field: "note", label: "核查情况", max: 500)
        try reader.errors.throwIfAny()
        let at = clock.now()
        return try await database.transaction { db in
            guard let row = try await db.raw("\(Self.select) WHERE s.id = \(bind: id) AND \(Self.visible(scope))").first() else {
                throw LedgerError.notFound("自查自纠记录")
            }
            let inspection = try Self.decode(row)
            guard !inspection.isFalse else { throw LedgerError(.conflict, code: "already_false", message: "该自查自纠已被认定为弄虚作假", field: "note") }
            let problem = try await Problems.insert(
                ProblemInput(estateId: inspection.estateId, category: "information_duty",
                             description: "自查自纠弄虚作假（\(inspection.period.title)）：\(note)", severity: .high, source: .selfInspectionFalse),
                sourceId: id, scope: scope, at: at, on: db)
            try await db.raw("""
                UPDATE self_inspections SET false_at = \(bind: Timestamp.storage(at)), false_by = \(bind: scope.username), false_note = \(bind: note),
                       false_problem_id = \(bind: problem) WHERE id = \(bind: id)
                """).run()
            try await AuditLog.record(on: db, scope: scope, at: at, action: "record_false", entity: "self_inspection", entityId: "\(id)",
                                      regionPath: inspection.regionPath, after: ["note": note, "problem": "\(problem)"])
            return problem
        }
    }

    /// The campaign phases an estate's self-inspection may be tied to: phases of campaigns of its region or above.
    public func phases(estateId: Int64, scope: Scope) async throws -> [(id: Int64, title: String)] {
        try await database.read { db in
            guard let estate = try await EstateRepository.estate(estateId, scope: scope, at: clock.now(), on: db) else { return [] }
            let codes = estate.regionPath.split(separator: "/").map(String.init)
            return try await db.raw("""
                SELECT p.id, p.name, c.name AS campaign FROM campaign_phases p JOIN campaigns c ON c.id = p.campaign_id
                WHERE c.region_code IN (\(binds: codes)) ORDER BY c.id DESC, p.position LIMIT 50
                """).all().map {
                (try $0.decode(column: "id", as: Int64.self), "\(try $0.decode(column: "campaign", as: String.self)) · \(try $0.decode(column: "name", as: String.self))")
            }
        }
    }
}
