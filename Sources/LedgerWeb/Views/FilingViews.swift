import Foundation
import LedgerCore

struct DisclosureImportPage: Sendable {
    let layout: Layout
    let created: Int?
    let errors: [ImportRowError]
    let hasErrors: Bool
    let formError: String?
}

struct VoucherPage: Sendable {
    let layout: Layout
    let estateId: Int64
    let estateName: String
    let sheet: DisclosureSheet
    let lines: [Option]
    let error: String?
}

struct FilingListPage: Sendable {
    struct Row: Sendable { let estateId: Int64; let name: String; let company: String; let state: String; let stateCode: String; let publishedAt: String; let fileHref: String? }
    struct Tab: Sendable { let title: String; let count: Int; let href: String; let current: Bool }
    let layout: Layout
    let period: String
    let dueDate: String
    let previousHref: String
    let nextHref: String
    let tabs: [Tab]
    let rows: [Row]
    let pager: Pager
    let empty: Bool
    let canImport: Bool

    init(layout: Layout, listing: DisclosureCalendar.Listing, states: Set<DisclosureCalendar.State>, canFile: Bool) {
        self.layout = layout
        canImport = canFile
        let q = listing.quarter
        period = q.title
        dueDate = q.dueDate.description
        let stateParam = states.isEmpty ? "all" : states.map(\.rawValue).sorted().joined(separator: ",")
        previousHref = "/filings?quarter=\(q.previous)&state=\(stateParam)"
        nextHref = "/filings?quarter=\(q.next)&state=\(stateParam)"
        let allCount = listing.counts.values.reduce(0, +)
        var tabs = [Tab(title: "全部", count: allCount, href: "/filings?quarter=\(q)&state=all", current: states.isEmpty)]
        for state in DisclosureCalendar.State.allCases where state != .notDue || listing.counts[.notDue] != nil {
            tabs.append(Tab(title: state.title, count: listing.counts[state] ?? 0, href: "/filings?quarter=\(q)&state=\(state.rawValue)",
                            current: states == [state]))
        }
        if states == [.missing, .due] {
            tabs.insert(Tab(title: "未公示", count: (listing.counts[.missing] ?? 0) + (listing.counts[.due] ?? 0), href: "/filings?quarter=\(q)",
                            current: true), at: 1)
        }
        self.tabs = tabs
        rows = listing.page.items.map { row in
            Row(estateId: row.estateId, name: row.estateName, company: row.companyName ?? "",
                state: row.state.title + (row.draftOverdue ? "（已逾期）" : ""), stateCode: row.state.rawValue,
                publishedAt: row.publishedAt.map(Timestamp.display(stored:)) ?? "",
                fileHref: canFile && row.state != .notDue ? "/estates/\(row.estateId)/disclosures/\(q.year)/\(q.quarter)" : nil)
        }
        pager = Pager(listing.page, base: "/filings", query: [("quarter", q.description), ("state", stateParam)])
        empty = rows.isEmpty
    }
}
