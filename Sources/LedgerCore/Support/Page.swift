import Foundation
/// One page of a list, with what a pager needs.
public struct Page<Item: Sendable>: Sendable {
    public let items: [Item]
    public let total: Int
    public let page: Int
    public let pageSize: Int

    public init(items: [Item], total: Int, page: Int, pageSize: Int) {
        self.items = items
        self.total = total
        self.page = page
        self.pageSize = pageSize
    }

    public var pageCount: Int { max(1, (total + pageSize - 1) / pageSize) }
    public var hasPrevious: Bool { page > 1 }
    public var hasNext: Bool { page < pageCount }
    public var offset: Int { (page - 1) * pageSize }
}

/// What a list request asks for: a search text, a sort key from a fixed list, and a page.
public struct ListRequest<SortKey: RawRepresentable & Sendable>: Sendable where SortKey.RawValue == String {
    public var search: String
    public var sort: SortKey
    public var descending: Bool
    public var page: Int
    public var pageSize: Int

    public init(search: String = "", sort: SortKey, descending: Bool = false, page: Int = 1, pageSize: Int = 20) {
        self.search = String(search.trimmingCharacters(in: .whitespacesAndNewlines).prefix(100))
        self.sort = sort
        self.descending = descending
        self.page = max(1, min(page, 1_000_000))
        self.pageSize = max(1, min(pageSize, 200))
    }

    /// `%text%` for LIKE, with LIKE's own wildcards escaped (use with `ESCAPE '\'`).
    public var likePattern: String { LikePattern.containing(search) }
}

/// LIKE patterns with LIKE's own wildcards escaped (use with `ESCAPE '\'`).
public enum LikePattern {
    /// `%text%`.
    public static func containing(_ text: String) -> String {
        let escaped = text.replacingOccurrences(of: "\\", with: "\\\\")
            .replacingOccurrences(of: "%", with: "\\%")
            .replacingOccurrences(of: "_", with: "\\_")
        return "%\(escaped)%"
    }
}

extension Optional {
    /// `map` with an asynchronous transform.
    public func asyncMap<T>(_ transform: (Wrapped) async throws -> T) async rethrows -> T? {
        guard let value = self else { return nil }
        return try await transform(value)
    }
}
