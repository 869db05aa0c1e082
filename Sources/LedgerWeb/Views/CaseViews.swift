import Foundation
import LedgerCore

/// One cell of a case list: text, or a link; a long text cut short; a warning badge; a second line.
struct CaseCell: Sendable {
    let text: String
    var href: String? = nil
    var detail = false
    var warn: String? = nil
    var sub: String? = nil

    /// A long text cut to 60 characters for a list.
    static func detail(_ text: String) -> CaseCell {
        CaseCell(text: text.count > 60 ? String(text.prefix(60)) + "…" : text, detail: true)
    }
}

/// A button above a case list.
struct CaseButton: Sendable {
    let href: String
    let label: String
    let secondary: Bool
}

/// What a kind of case shows in its list page: its words, its columns and a row's cells. The page itself — filters,
/// export links, table, pager, empty state — is the one `case-list` partial.
struct CaseListing<Kind: CaseKind>: Sendable {
    let path: String
    let title: String
    let searchPlaceholder: String
    let dateLabel: String
    let exportLabel: String
    let emptyText: String
    let tableId: String
    let columns: [String]
    /// The columns the list may be ordered by: column title → the kind's sort key (`CaseTable.sorts`).
    var sortKeys: [String: String] = [:]
    let cells: @Sendable (Kind.Item, Day) -> [CaseCell]
}

/// A case list's sort key as `SortLink` wants it.
struct CaseSortKey: RawRepresentable, Equatable, Sendable {
    let rawValue: String
}

/// The list page of any kind of case.
struct CaseListPage: Sendable {
    struct Row: Sendable { let cells: [CaseCell] }
    let layout: Layout
    let heading: String
    let path: String
    let buttons: [CaseButton]
    let search: String
    let searchPlaceholder: String
    let statuses: [Option]
    let sources: [Option]
    let categories: [CategoryGroup]
    let regions: [Option]
    let showRegions: Bool
    let overdue: Bool
    let from: String
    let until: String
    let dateLabel: String
    let exportLabel: String
    let exportQuery: String
    let emptyText: String
    let tableId: String
    let columns: [SortLink]
    let rows: [Row]
    let pager: Pager
    let empty: Bool

    init<Kind: CaseKind>(_ listing: CaseListing<Kind>, page: Page<Kind.Item>, filter: CaseFilter, buttons: [CaseButton], subRegions: [Region],
                         viewer: Layout.Viewer, today: Day) {
        layout = Layout(title: listing.title, viewer: viewer, section: listing.path)
        heading = listing.title
        path = listing.path
        self.buttons = buttons
        search = filter.search
        searchPlaceholder = listing.searchPlaceholder
        statuses = [Option(value: "", label: "全部状态", selected: filter.status.isEmpty)]
            + Kind.Status.allCases.map { Option(value: $0.rawValue, label: $0.title, selected: $0.rawValue == filter.status) }
        sources = [Option(value: "", label: "全部来源", selected: filter.source.isEmpty)]
            + Kind.Source.allCases.map { Option(value: $0.rawValue, label: $0.title, selected: $0.rawValue == filter.source) }
        categories = CategoryGroup.all(selected: filter.category)
        regions = Option.regions(subRegions, selected: filter.regionCode)
        showRegions = !subRegions.isEmpty
        overdue = filter.overdue
        from = filter.from?.description ?? ""
        until = filter.until?.description ?? ""
        dateLabel = listing.dateLabel
        exportLabel = listing.exportLabel
        exportQuery = filter.queryItems.map { "\($0.0)=\($0.1.urlQueryEncoded)" }.joined(separator: "&")
        emptyText = listing.emptyText
        tableId = listing.tableId
        columns = SortLink.make(listing.columns.map { (listing.sortKeys[$0].map(CaseSortKey.init), $0) },
                                current: CaseSortKey(rawValue: filter.sort), descending: filter.descending, base: listing.path, query: filter.filterItems)
        rows = page.items.map { Row(cells: listing.cells($0, today)) }
        pager = Pager(page, base: listing.path, query: filter.queryItems)
        empty = page.items.isEmpty
    }
}
