import Foundation

/// The one filter of every case list and ledger export: status, source, category (a parent includes its children),
/// sub-region, company, estate, overdue, the opening date range and a free-text search; page and page size.
public struct CaseFilter: Sendable, Equatable {
    public var status = ""
    public var source = ""
    public var category = ""
    public var regionCode = ""
    public var companyId: Int64?
    public var estateId: Int64?
    public var overdue = false
    /// Open cases due from today up to this day (the to-do list's "due within 3 working days", docs/design.md §29).
    public var dueBy: Day?
    public var from: Day?
    public var until: Day?
    public var search = ""
    /// A column of the kind's `CaseTable.sorts` (empty: the list's own order), and whether to reverse it.
    public var sort = ""
    public var descending = false
    public var page = 1
    public var pageSize = 30

    public init() {}

    /// The filter as query items (empty ones left out, page not included): for pager links and export links.
    /// `filterItems` leaves the order out too (for the column headers, which set it).
    public var filterItems: [(String, String)] { queryItems.filter { $0.0 != "sort" && $0.0 != "desc" } }

    public var queryItems: [(String, String)] {
        [("status", status), ("source", source), ("category", category), ("region", regionCode),
         ("company", companyId.map(String.init) ?? ""), ("estate", estateId.map(String.init) ?? ""), ("overdue", overdue ? "1" : ""),
         ("due", dueBy?.description ?? ""),
         ("from", from?.description ?? ""), ("until", until?.description ?? ""), ("q", search),
         ("sort", sort), ("desc", descending && !sort.isEmpty ? "1" : "")]
            .filter { !$0.1.isEmpty }
    }
}
