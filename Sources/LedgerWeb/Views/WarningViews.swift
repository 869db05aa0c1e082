import Foundation
import LedgerCore

/// Names shown for a warning's severity.
enum SeverityText {
    static func title(_ severity: String) -> String {
        switch severity {
        case "high": "高"
        case "medium": "中"
        default: "低"
        }
    }
}

/// One warning as a list row.
struct WarningRow: Sendable {
    let id: Int64
    let rule: String
    let ruleName: String
    let severity: String
    let severityTitle: String
    let status: String
    let statusTitle: String
    let estateId: Int64
    let estateName: String
    let companyId: Int64?
    let companyName: String
    let quarter: String
    let detail: String
    let openedAt: String
    let isOpen: Bool

    init(_ w: WarningInbox.Warning) {
        isOpen = w.status == .open
        id = w.id
        rule = w.rule
        ruleName = WarningRules.rule(w.rule)?.name ?? w.rule
        severity = w.severity
        severityTitle = SeverityText.title(w.severity)
        status = w.status.rawValue
        statusTitle = w.status.title
        estateId = w.estateId
        estateName = w.estateName
        companyId = w.companyId
        companyName = w.companyName ?? "—"
        quarter = w.quarter.description
        detail = w.detail
        openedAt = Timestamp.display(stored: w.openedAt)
    }
}

struct WarningListPage: Sendable {
    let layout: Layout
    let rules: [Option]
    let severities: [Option]
    let statuses: [Option]
    let regions: [Option]
    let quarters: [Option]
    let company: String
    let estate: String
    let showRegions: Bool
    let canConfigure: Bool
    let rows: [WarningRow]
    let pager: Pager
    let empty: Bool
    /// The column headers, each a link that orders the list by it (again: reversed), keeping the filter.
    let columns: [SortLink]
    let sort: String
    let desc: String
    let exportHref: String
    /// The list as it is (filter, order, page), where the batch form comes back to.
    let listHref: String
    /// Whether the user may sign for warnings (the batch form's tick boxes and button).
    let canAcknowledge: Bool
    let acknowledged: String?

    init(layout: Layout, filter: WarningInbox.Filter, page: Page<WarningInbox.Warning>, subRegions: [Region], recentQuarters: [Quarter],
         canConfigure: Bool, canAcknowledge: Bool = false, acknowledged: String? = nil) {
        self.layout = layout
        rules = [Option(value: "", label: "全部规则", selected: filter.rule.isEmpty)]
            + WarningRules.all.map { Option(value: $0.code, label: "\($0.code) \($0.name)", selected: $0.code == filter.rule) }
        severities = [("", "全部等级"), ("high", "高"), ("medium", "中"), ("low", "低")]
            .map { Option(value: $0.0, label: $0.1, selected: $0.0 == filter.severity) }
        statuses = ([("active", "未办结（待处理、已签收）"), ("all", "全部状态")] + WarningInbox.Status.allCases.map { ($0.rawValue, $0.title) })
            .map { Option(value: $0.0, label: $0.1, selected: $0.0 == filter.status) }
        regions = Option.regions(subRegions, selected: filter.regionCode)
        quarters = [Option(value: "", label: "全部季度", selected: filter.quarter == nil)]
            + recentQuarters.map { Option(value: $0.description, label: $0.title, selected: $0 == filter.quarter) }
        company = filter.companyId.map(String.init) ?? ""
        estate = filter.estateId.map(String.init) ?? ""
        showRegions = !subRegions.isEmpty
        self.canConfigure = canConfigure
        rows = page.items.map(WarningRow.init)
        let query: [(String, String)] = [("rule", filter.rule), ("severity", filter.severity), ("status", filter.status),
                                         ("region", filter.regionCode), ("quarter", filter.quarter?.description ?? ""),
                                         ("company", company), ("estate", estate)]
        sort = filter.sort.rawValue
        desc = filter.descending ? "1" : ""
        let ordered = query + [("sort", filter.sort == .severity && !filter.descending ? "" : sort), ("desc", desc)]
        pager = Pager(page, base: "/warnings", query: ordered)
        empty = rows.isEmpty
        func href(_ items: [(String, String)]) -> String {
            items.filter { !$0.1.isEmpty }.map { "\($0.0)=\($0.1.urlQueryEncoded)" }.joined(separator: "&")
        }
        columns = SortLink.make([(.rule, "规则"), (.severity, "等级"), (.estate, "小区"), (.company, "物业企业"), (.quarter, "季度"), (nil, "原因"),
                                 (nil, "状态"), (.opened, "生成时间")] as [(WarningInbox.Sort?, String)],
                                current: filter.sort, descending: filter.descending, base: "/warnings", query: query)
        exportHref = "/warnings/export?" + href(ordered)
        listHref = "/warnings?" + href(ordered + [("page", page.page > 1 ? "\(page.page)" : "")])
        self.canAcknowledge = canAcknowledge && rows.contains { $0.status == "open" }
        self.acknowledged = acknowledged
    }
}

struct WarningDetailPage: Sendable {
    struct EventRow: Sendable {
        let at: String, username: String, role: String, action: String, from: String, to: String, note: String
    }

    struct ActionForm: Sendable {
        let action: String
        let title: String
        let noteLabel: String
        let noteRequired: Bool
        let confirm: String?
        let note: String
        let error: String?
    }

    let layout: Layout
    let warning: WarningRow
    let ruleClause: String
    let regionNames: String
    let closedReason: String?
    let disclosureHref: String
    let events: [EventRow]
    let hasEvents: Bool
    let actions: [ActionForm]
    let hasActions: Bool
    let formError: String?

    init(layout: Layout, warning: WarningInbox.Warning, events: [WarningInbox.Event], regionNames: String, plan: PolicyPlan?, role: Role,
         errors: FieldErrors, values: [String: String]) {
        self.layout = layout
        self.warning = WarningRow(warning)
        ruleClause = WarningRules.rule(warning.rule)?.citations.basis(for: plan) ?? ""
        self.regionNames = regionNames
        closedReason = warning.closedReason
        disclosureHref = role == .company
            ? "/estates/\(warning.estateId)/disclosures/\(warning.quarter.year)/\(warning.quarter.quarter)"
            : "/public/estates/\(warning.estateId)/history/\(warning.quarter.year)/\(warning.quarter.quarter)"
        self.events = events.map {
            EventRow(at: Timestamp.display(stored: $0.at), username: $0.username, role: Role(rawValue: $0.role)?.title ?? "系统",
                     action: WarningInbox.Action(rawValue: $0.action)?.title ?? "自动关闭",
                     from: WarningInbox.Status(rawValue: $0.fromStatus)?.title ?? $0.fromStatus,
                     to: WarningInbox.Status(rawValue: $0.toStatus)?.title ?? $0.toStatus, note: $0.note)
        }
        hasEvents = !events.isEmpty
        let submitted = values["action"]
        actions = WarningInbox.Action.allCases.filter { $0.permitted(for: role) && $0.next(from: warning.status) != nil }.map { action in
            let mine = submitted == action.rawValue
            return ActionForm(action: action.rawValue, title: action.title, noteLabel: action.noteLabel, noteRequired: action != .acknowledge,
                              confirm: action == .dismiss ? "确认此预警为误报并排除" : action == .escalate ? "确认转为问题进入整改台账" : nil,
                              note: mine ? values["note"] ?? "" : "", error: mine ? errors.message(for: "note") : nil)
        }
        hasActions = !actions.isEmpty
        formError = errors.items.first { $0.field != "note" }?.message
    }
}

struct WarningParameterPage: Sendable {
    struct Row: Sendable {
        let rule: String
        let ruleName: String
        let clause: String
        let name: String
        let label: String
        let unit: String
        let defaultValue: String
        let value: String
        let setBy: String
        let own: String
        let range: String
        let error: String?
    }

    let layout: Layout
    let regionCode: String
    let regionName: String
    let regions: [Option]
    let rows: [Row]
    let fixedRules: [Option]

    init(layout: Layout, region: Region, plan: PolicyPlan?, effective: [WarningParameters.Effective], regionNames: [String: String], choices: [Region],
         errors: FieldErrors, submitted: [String: String]) {
        self.layout = layout
        regionCode = region.code
        regionName = region.name
        regions = choices.map { Option(value: $0.code, label: "\($0.name)（\($0.level.title)）", selected: $0.code == region.code) }
        rows = effective.map { e in
            let mine = submitted["rule"] == e.rule.code && submitted["name"] == e.parameter.name
            return Row(rule: e.rule.code, ruleName: e.rule.name, clause: e.rule.citations.basis(for: plan), name: e.parameter.name, label: e.parameter.label,
                       unit: e.parameter.unit, defaultValue: e.parameter.format(e.parameter.defaultValue), value: e.parameter.format(e.value),
                       setBy: e.setBy.map { regionNames[$0] ?? $0 } ?? "默认值",
                       own: mine ? submitted["value"] ?? "" : e.ownValue.map(e.parameter.format) ?? "",
                       range: "\(e.parameter.format(e.parameter.range.lowerBound))–\(e.parameter.format(e.parameter.range.upperBound))",
                       error: mine ? errors.items.first?.message : nil)
        }
        let configurable = Set(effective.map(\.rule.code))
        fixedRules = WarningRules.all.filter { !configurable.contains($0.code) }
            .map { Option(value: $0.code, label: "\($0.label)：\($0.citations.basis(for: plan))", selected: false) }
    }
}
