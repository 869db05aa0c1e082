import Foundation
import LedgerCore

/// The list of cross-inspection rounds.
struct CrossRoundsPage: Sendable {
    struct Row: Sendable {
        let id: Int64
        let title: String
        let region: String
        let status: String
        let participants: String
        let filed: String
    }
    let layout: Layout
    let rows: [Row]
    let empty: Bool
    let canPublish: Bool
    let pager: Pager

    init(_ page: Page<CrossInspections.Round>, scope: Scope, context: AppRequestContext) {
        layout = Layout(title: "交叉检查", context: context, section: "/inspections/cross")
        rows = page.items.map {
            Row(id: $0.id, title: $0.title, region: $0.regionName, status: $0.status.title, participants: $0.participants.map(\.name).joined(separator: "、"),
                filed: $0.status == .drawn ? "\($0.groups.filter(\.filed).count) / \($0.groups.count)" : "—")
        }
        empty = page.items.isEmpty
        canPublish = scope.can(.planSpotChecks)
        pager = Pager(page, base: "/inspections/cross", query: [])
    }
}

/// The form that publishes a round.
struct CrossRoundFormPage: Sendable {
    let layout: Layout
    let regionCode: String
    let regionName: String
    let year: Field
    let quarter: Field
    let sample: Field
    let seedSource: Field
    let participants: [Option]
    let participantsError: String?
    let noChildren: Bool
    let formError: String?

    init(region: Region, children: [Region], values: [String: String], chosen: [String]?, errors: FieldErrors, context: AppRequestContext) {
        layout = Layout(title: "组织交叉检查", context: context, section: "/inspections/cross")
        regionCode = region.code
        regionName = region.name
        year = Field("year", values, errors)
        quarter = Field("quarter", values, errors)
        sample = Field("sample", values, errors)
        seedSource = Field("seedSource", values, errors)
        participants = children.map { Option(value: $0.code, label: $0.name, selected: chosen?.contains($0.code) ?? true) }
        participantsError = errors.message(for: "participants")
        noChildren = children.count < 2
        let known: Set<String> = ["year", "quarter", "sample", "seedSource", "participants"]
        formError = errors.items.first { !known.contains($0.field ?? "") }?.message
    }
}

/// One round: what was published, the draw form, the groups.
struct CrossRoundPage: Sendable {
    struct GroupRow: Sendable {
        let id: Int64
        let inspecting: String
        let inspected: String
        let status: String
        let filed: Bool
    }
    let layout: Layout
    let id: Int64
    let title: String
    let region: String
    let status: String
    let sample: Int
    let participants: String
    let participantCodes: String
    let participantsHash: String
    let method: String
    let seedSource: String
    let seed: String?
    let publishedAt: String
    let drawnAt: String?
    let canDraw: Bool
    let seedField: Field
    let groups: [GroupRow]
    let drawn: Bool

    init(_ round: CrossInspections.Round, scope: Scope, values: [String: String], errors: FieldErrors, context: AppRequestContext) {
        layout = Layout(title: round.title, context: context, section: "/inspections/cross")
        id = round.id
        title = "\(round.regionName)\(round.title)"
        region = round.regionName
        status = round.status.title
        sample = round.sample
        participants = round.participants.map { "\($0.name)（\($0.code)）" }.joined(separator: "、")
        participantCodes = CrossInspectionDraw.sortedCodes(round.participants.map(\.code)).joined(separator: " ")
        participantsHash = round.participantsHash
        method = round.method
        seedSource = round.seedSource
        seed = round.seed
        publishedAt = Timestamp.display(stored: round.publishedAt)
        drawnAt = round.drawnAt.map(Timestamp.display(stored:))
        canDraw = round.status == .published && scope.can(.planSpotChecks) && scope.covers(regionPath: round.regionPath)
        var seedErrors = FieldErrors()
        for error in errors.items { seedErrors.add("seed", code: error.code, error.message) }
        seedField = Field("seed", values, seedErrors)
        groups = round.groups.map {
            GroupRow(id: $0.id, inspecting: $0.inspecting.name, inspected: $0.inspected.name, status: $0.filed ? "已报送报告" : "待报送", filed: $0.filed)
        }
        drawn = round.status == .drawn
    }
}

/// A group: its report, or the form to file it.
struct CrossGroupPage: Sendable {
    /// How many finding rows the form offers (blank rows are ignored).
    static let findingRows = 6

    struct EstateChoice: Sendable { let id: Int64; let label: String; let checked: Bool }
    struct FindingRow: Sendable {
        let index: Int
        let number: Int
        let estates: [Option]
        let categories: [CategoryGroup]
        let description: String
        let estateError: String?
        let categoryError: String?
        let descriptionError: String?
    }
    struct FiledFinding: Sendable { let estate: String; let category: String; let description: String; let problemId: Int64; let status: String }
    let layout: Layout
    let id: Int64
    let roundId: Int64
    let title: String
    let inspecting: String
    let inspected: String
    let required: Int
    let mayFile: Bool
    let pending: Bool
    let estates: [EstateChoice]
    let estatesError: String?
    let noEstates: Bool
    let inspectedFrom: Field
    let inspectedUntil: Field
    let team: Field
    let scope: Field
    let summary: Field
    let recommendations: Field
    let findings: [FindingRow]
    let formError: String?
    // The filed report.
    let report: Bool
    let period: String
    let reportTeam: String
    let reportScope: String
    let reportSummary: String
    let reportRecommendations: String
    let filedAt: String
    let filedBy: String
    let checked: [String]
    let filedFindings: [FiledFinding]
    let noFindings: Bool

    init(_ detail: CrossInspections.GroupDetail, form: FormData, errors: FieldErrors, context: AppRequestContext) {
        let values = form.fields
        layout = Layout(title: "交叉检查组", context: context, section: "/inspections/cross")
        id = detail.group.id
        roundId = detail.round.id
        title = "\(detail.round.regionName)\(detail.round.title)：\(detail.group.inspecting.name) → \(detail.group.inspected.name)"
        inspecting = detail.group.inspecting.name
        inspected = detail.group.inspected.name
        required = detail.required
        mayFile = detail.mayFile
        pending = !detail.group.filed
        let chosen = Set(form.lists["estates"] ?? [])
        estates = detail.eligible.map {
            EstateChoice(id: $0.id, label: "\($0.name)（\($0.regionName)\($0.companyName.map { "，\($0)" } ?? "")）", checked: chosen.contains("\($0.id)"))
        }
        estatesError = errors.message(for: "estates")
        noEstates = detail.eligible.isEmpty
        inspectedFrom = Field("inspectedFrom", values, errors)
        inspectedUntil = Field("inspectedUntil", values, errors)
        team = Field("team", values, errors)
        scope = Field("scope", values, errors)
        summary = Field("summary", values, errors)
        recommendations = Field("recommendations", values, errors)
        findings = (0..<Self.findingRows).map { index in
            let estate = values["finding\(index)Estate"] ?? ""
            return FindingRow(index: index, number: index + 1,
                              estates: detail.eligible.map { Option(value: "\($0.id)", label: $0.name, selected: "\($0.id)" == estate) },
                              categories: CategoryGroup.all(selected: values["finding\(index)Category"] ?? ""),
                              description: values["finding\(index)Description"] ?? "",
                              estateError: errors.message(for: "finding\(index)Estate"), categoryError: errors.message(for: "finding\(index)Category"),
                              descriptionError: errors.message(for: "finding\(index)Description"))
        }
        let known: Set<String> = ["estates", "inspectedFrom", "inspectedUntil", "team", "scope", "summary", "recommendations"]
        formError = errors.items.first { !known.contains($0.field ?? "") && !($0.field ?? "").hasPrefix("finding") }?.message
        let filed = detail.report
        report = filed != nil
        period = filed.map { $0.from == $0.until ? $0.from : "\($0.from) 至 \($0.until)" } ?? ""
        reportTeam = filed?.team ?? ""
        reportScope = filed?.scope ?? ""
        reportSummary = filed?.summary ?? ""
        reportRecommendations = filed?.recommendations ?? ""
        filedAt = filed.map { Timestamp.display(stored: $0.filedAt) } ?? ""
        filedBy = filed?.filedBy ?? ""
        checked = filed?.estates.map { "\($0.name)（\($0.regionName)\($0.companyName.map { "，\($0)" } ?? "")）" } ?? []
        filedFindings = filed?.findings.map {
            FiledFinding(estate: $0.estateName, category: ProblemCategory.named($0.category)?.title ?? $0.category, description: $0.description,
                         problemId: $0.problemId, status: Problems.Status(rawValue: $0.problemStatus)?.title ?? $0.problemStatus)
        } ?? []
        noFindings = filed?.findings.isEmpty ?? true
    }
}

/// The report as a 公文: title, 主送, body in numbered parts, the issuing unit and the date written 2026年12月2日.
struct CrossReportDocument: Sendable {
    struct Line: Sendable { let text: String }
    let title: String
    let addressee: String
    let opening: String
    let estates: [Line]
    let findings: [Line]
    let noFindings: Bool
    let summary: [Line]
    let recommendations: [Line]
    let issuer: String
    let issuedOn: String

    init(_ detail: CrossInspections.GroupDetail, report: CrossInspections.Report) {
        let round = detail.round, group = detail.group
        title = "\(group.inspecting.name)交叉检查组关于\(group.inspected.name)\(round.year)年第\(round.quarter)季度物业小区公共收益专项整治交叉检查情况的报告"
        addressee = "\(round.regionName)物业管理主管部门："
        let from = Day(report.from).map(InspectionLedgers.chinese) ?? report.from, until = Day(report.until).map(InspectionLedgers.chinese) ?? report.until
        let when = from == until ? from : "\(from)至\(until)"
        opening = "根据\(round.regionName)\(round.title)安排（参加辖区经公开随机种子“\(round.seed ?? "")”抽取配对），\(group.inspecting.name)交叉检查组于\(when)"
            + "对\(group.inspected.name)物业小区公共收益专项整治工作开展交叉检查。检查组成员：\(report.team)。检查范围和方式：\(report.scope)"
        estates = report.estates.enumerated().map { Line(text: "\($0.offset + 1). \($0.element.name)（\($0.element.regionName)\($0.element.companyName.map { "，\($0)" } ?? "")）") }
        findings = report.findings.enumerated().map {
            Line(text: "\($0.offset + 1). \($0.element.estateName)：\(ProblemCategory.named($0.element.category)?.title ?? $0.element.category)。"
                 + "\($0.element.description)（已立案问题 #\($0.element.problemId)，交\(group.inspected.name)督促整改）")
        }
        noFindings = report.findings.isEmpty
        summary = Self.paragraphs(report.summary)
        recommendations = Self.paragraphs(report.recommendations)
        issuer = "\(group.inspecting.name)交叉检查组"
        issuedOn = Timestamp.parse(report.filedAt).flatMap { Day(Timestamp.shanghaiDay($0)) }.map(InspectionLedgers.chinese) ?? ""
    }

    static func paragraphs(_ text: String) -> [Line] {
        text.split(whereSeparator: \.isNewline).map { Line(text: $0.trimmingCharacters(in: .whitespaces)) }.filter { !$0.text.isEmpty }
    }
}
