import Foundation
import SQLKit

/// The report of a cross-inspection group (交叉检查报告): when and by whom, the scope, the estates checked (at least
/// the round's sample), the findings — each becomes a problem in the inspected region (source `cross_inspection`,
/// with the region's rectification period and the escalation ladder) — the overall situation and the recommendations.
extension CrossInspections {
    /// One finding as typed: a blank row (no estate, category or text) is ignored.
    public struct FindingInput: Sendable {
        public var estate: String
        public var category: String
        public var description: String

        public init(estate: String, category: String, description: String) {
            self.estate = estate
            self.category = category
            self.description = description
        }

        var isBlank: Bool { [estate, category, description].allSatisfy { $0.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty } }
    }

    /// What a group submits. `problems(today:sample:eligible:)` is every field error at once.
    public struct ReportInput: Sendable {
        public var inspectedFrom: String
        public var inspectedUntil: String
        /// 检查组成员 (names and units).
        public var team: String
        /// 检查范围和方式.
        public var scope: String
        /// Ids of the estates checked, as submitted.
        public var estates: [String]
        public var findings: [FindingInput]
        /// 总体情况.
        public var summary: String
        /// 意见建议.
        public var recommendations: String

        public init(inspectedFrom: String, inspectedUntil: String, team: String, scope: String, estates: [String], findings: [FindingInput],
                    summary: String, recommendations: String) {
            self.inspectedFrom = inspectedFrom
            self.inspectedUntil = inspectedUntil
            self.team = team
            self.scope = scope
            self.estates = estates
            self.findings = findings
            self.summary = summary
            self.recommendations = recommendations
        }

        /// The checked values, or every field error at once. `eligible`: the inspected region's estates; `sample`: how
        /// many must be checked (the round's sample, or all of them when the region has fewer).
        public func checked(today: Day, sample: Int, eligible: Set<Int64>) throws -> Checked {
            var reader = InputReader()
            let from = reader.day(inspectedFrom, field: "inspectedFrom", label: "检查开始日期")
            let until = reader.day(inspectedUntil, field: "inspectedUntil", label: "检查结束日期")
            if let until, until > today { reader.errors.add("inspectedUntil", code: "future_date", "检查结束日期不能晚于今天") }
            if let from, let until, from > until { reader.errors.add("inspectedUntil", code: "bad_period", "检查结束日期不能早于开始日期") }
            let team = reader.text(self.team, field: "team", label: "检查组成员", max: 500)
            let scopeText = reader.text(scope, field: "scope", label: "检查范围和方式", max: 2_000)
            var ids: [Int64] = []
            var strays = false
            for raw in estates {
                guard let id = Int64(raw.trimmingCharacters(in: .whitespaces)), eligible.contains(id) else { strays = true; continue }
                if !ids.contains(id) { ids.append(id) }
            }
            let required = min(sample, eligible.count)
            if strays {
                reader.errors.add("estates", code: "outside_region", "所选小区须在被检查辖区内")
            } else if ids.count < required {
                reader.errors.add("estates", code: "too_few", "每组至少检查\(required)个小区（已选\(ids.count)个）")
            }
            var findings: [(estate: Int64, category: String, description: String)] = []
            for (index, row) in self.findings.enumerated() where !row.isBlank {
                let estate = Int64(row.estate.trimmingCharacters(in: .whitespaces))
                if estate == nil || !ids.contains(estate!) {
                    reader.errors.add("finding\(index)Estate", code: "not_checked", "发现问题的小区须是本次检查的小区之一")
                }
                if ProblemCategory.named(row.category) == nil { reader.errors.add("finding\(index)Category", code: "unknown_category", "请选择问题类别") }
                let text = reader.text(row.description, field: "finding\(index)Description", label: "问题描述", max: 1_000)
                if let estate { findings.append((estate, row.category, text)) }
            }
            let summary = reader.text(self.summary, field: "summary", label: "总体情况", max: 5_000)
            let recommendations = reader.text(self.recommendations, field: "recommendations", label: "意见建议", max: 5_000)
            try reader.errors.throwIfAny()
            return Checked(from: from!, until: until!, team: team, scope: scopeText, estates: ids.sorted(), findings: findings, summary: summary,
                           recommendations: recommendations)
        }
    }

    /// A report input that passed every check.
    public struct Checked: Sendable {
        public let from: Day
        public let until: Day
        public let team: String
        public let scope: String
        public let estates: [Int64]
        public let findings: [(estate: Int64, category: String, description: String)]
        public let summary: String
        public let recommendations: String
    }

    /// A finding as filed, with the problem it became.
    public struct Finding: Sendable, Codable {
        public let estateId: Int64
        public let estateName: String
        public let category: String
        public let description: String
        public let problemId: Int64
        public let problemStatus: String
    }

    public struct CheckedEstate: Sendable, Codable {
        public let id: Int64
        public let name: String
        public let companyName: String?
        public let regionName: String
    }

    /// A group with its round and, once filed, its report.
    public struct GroupDetail: Sendable {
        public let round: Round
        public let group: Group
        /// The inspected region's estates (for the form).
        public let eligible: [CheckedEstate]
        /// How many estates the report must name.
        public let required: Int
        public let report: Report?
        /// Whether the scope may file the report (the inspecting region's officials, or those above them).
        public let mayFile: Bool
    }

    public struct Report: Sendable {
        public let from: String
        public let until: String
        public let team: String
        public let scope: String
        public let summary: String
        public let recommendations: String
        public let filedAt: String
        public let filedBy: String
        public let estates: [CheckedEstate]
        public let findings: [Finding]
    }

    /// A group the scope may see (its round is visible), with its report.
    public func group(_ id: Int64, scope: Scope) async throws -> GroupDetail {
        try scope.require(.viewInspectionPlans)
        return try await database.read { db in try await Self.detail(id, scope: scope, on: db) }
    }

    static func detail(_ id: Int64, scope: Scope, on db: any SQLDatabase) async throws -> GroupDetail {
        guard let group = try await Self.groups(condition: "g.id = \(bind: id)", on: db).first,
              let round = try await Self.rounds(condition: "x.id = \(bind: group.roundId) AND \(Self.visible(scope))", on: db).first else {
            throw LedgerError.notFound("交叉检查组")
        }
        let eligible = try await db.raw("""
            SELECT e.id, e.name, c.name AS company_name, r.name AS region_name FROM estates e LEFT JOIN companies c ON c.id = e.company_id
            JOIN regions r ON r.code = e.community_code WHERE \(Scope.pathPredicate("e.region_path", group.inspected.path)) ORDER BY e.name, e.id
            """).all().map(Self.checkedEstate)
        var report: Report?
        if group.filed, let row = try await db.raw("""
            SELECT inspected_from, inspected_until, team, scope_text, summary, recommendations, filed_at, filed_by FROM cross_inspection_groups WHERE id = \(bind: id)
            """).first() {
            let estates = try await db.raw("""
                SELECT e.id, e.name, c.name AS company_name, r.name AS region_name FROM cross_inspection_estates ce JOIN estates e ON e.id = ce.estate_id
                LEFT JOIN companies c ON c.id = e.company_id JOIN regions r ON r.code = e.community_code WHERE ce.group_id = \(bind: id) ORDER BY e.name, e.id
                """).all().map(Self.checkedEstate)
            let findings = try await db.raw("""
                SELECT f.estate_id, e.name, f.category, f.description, f.problem_id, p.status FROM cross_inspection_findings f
                JOIN estates e ON e.id = f.estate_id JOIN problems p ON p.id = f.problem_id WHERE f.group_id = \(bind: id) ORDER BY f.id
                """).all().map {
                Finding(estateId: try $0.decode(column: "estate_id", as: Int64.self), estateName: try $0.decode(column: "name", as: String.self),
                        category: try $0.decode(column: "category", as: String.self), description: try $0.decode(column: "description", as: String.self),
                        problemId: try $0.decode(column: "problem_id", as: Int64.self), problemStatus: try $0.decode(column: "status", as: String.self))
            }
            report = Report(from: try row.decode(column: "inspected_from", as: String?.self) ?? "", until: try row.decode(column: "inspected_until", as: String?.self) ?? "",
                            team: try row.decode(column: "team", as: String?.self) ?? "", scope: try row.decode(column: "scope_text", as: String?.self) ?? "",
                            summary: try row.decode(column: "summary", as: String?.self) ?? "",
                            recommendations: try row.decode(column: "recommendations", as: String?.self) ?? "",
                            filedAt: try row.decode(column: "filed_at", as: String?.self) ?? "", filedBy: try row.decode(column: "filed_by", as: String?.self) ?? "",
                            estates: estates, findings: findings)
        }
        return GroupDetail(round: round, group: group, eligible: eligible, required: min(round.sample, eligible.count), report: report,
                           mayFile: !group.filed && scope.can(.createProblem) && scope.covers(regionPath: group.inspecting.path))
    }

    static func checkedEstate(_ row: any SQLRow) throws -> CheckedEstate {
        CheckedEstate(id: try row.decode(column: "id", as: Int64.self), name: try row.decode(column: "name", as: String.self),
                      companyName: try row.decode(column: "company_name", as: String?.self), regionName: try row.decode(column: "region_name", as: String.self))
    }

    /// Files the group's report: the estates checked, and each finding as a problem in the inspected region. Returns
    /// the problems raised. One transaction, audited; a group files once.
    @discardableResult
    public func file(_ id: Int64, _ input: ReportInput, scope: Scope) async throws -> [Int64] {
        try scope.require(.createProblem)
        let at = clock.now()
        let today = Day(Timestamp.shanghaiDay(at))!
        return try await database.transaction { db in
            let detail = try await Self.detail(id, scope: scope, on: db)
            guard scope.covers(regionPath: detail.group.inspecting.path) else { throw LedgerError.forbidden }
            guard !detail.group.filed else { throw LedgerError(.conflict, code: "already_filed", message: "该检查组已报送报告", field: "summary") }
            let checked = try input.checked(today: today, sample: detail.round.sample, eligible: Set(detail.eligible.map(\.id)))
            let claimed = try await db.raw("""
                UPDATE cross_inspection_groups SET status = 'filed', inspected_from = \(bind: checked.from.description),
                    inspected_until = \(bind: checked.until.description), team = \(bind: checked.team), scope_text = \(bind: checked.scope),
                    summary = \(bind: checked.summary), recommendations = \(bind: checked.recommendations), filed_at = \(bind: Timestamp.storage(at)),
                    filed_by = \(bind: scope.username)
                WHERE id = \(bind: id) AND status = 'pending' RETURNING id
                """).first()
            guard claimed != nil else { throw LedgerError(.conflict, code: "already_filed", message: "该检查组已报送报告", field: "summary") }
            for estate in checked.estates {
                try await db.raw("INSERT INTO cross_inspection_estates (group_id, estate_id) VALUES (\(bind: id), \(bind: estate))").run()
            }
            var problems: [Int64] = []
            for finding in checked.findings {
                let problem = try await Problems.insert(
                    ProblemInput(estateId: finding.estate, category: finding.category,
                                 description: "交叉检查发现（\(detail.group.inspecting.name)检查组）：\(finding.description)", source: .crossInspection),
                    sourceId: id, scope: scope, at: at, on: db)
                try await db.raw("""
                    INSERT INTO cross_inspection_findings (group_id, estate_id, category, description, problem_id)
                    VALUES (\(bind: id), \(bind: finding.estate), \(bind: finding.category), \(bind: finding.description), \(bind: problem))
                    """).run()
                problems.append(problem)
            }
            try await AuditLog.record(on: db, scope: scope, at: at, action: "file_report", entity: "cross_inspection_group", entityId: "\(id)",
                                      regionPath: detail.group.inspected.path,
                                      after: ["estates": "\(checked.estates.count)", "problems": problems.map(String.init).joined(separator: ",")])
            // The report counts for the inspecting region (交叉检查报告报送率): its figures are stamped by an entry at its path.
            try await AuditLog.record(on: db, scope: scope, at: at, action: "file_report", entity: "cross_inspection_group", entityId: "\(id)",
                                      regionPath: detail.group.inspecting.path, after: ["inspected": detail.group.inspected.path])
            return problems
        }
    }
}
