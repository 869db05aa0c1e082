import Foundation
import SQLKit

/// What the public portal reads without a login (docs/design.md §13): the estate search, the districts to filter by,
/// and the disclosures most recently published. Estates and published disclosures are public by design.
public struct PublicPortal: Sendable {
    /// The shortest search text answered: one character matches half a city.
    public static let minimumSearchLength = 2
    public static let tooShort = LedgerError.invalid("q", code: "too_short", "请输入至少两个字")

    /// One published version in the "latest disclosures" list.
    public struct Published: Sendable, Codable, Equatable {
        public let estateId: Int64
        public let estateName: String
        public let year: Int
        public let quarter: Int
        public let version: Int
        public let publishedAt: String
        public var period: Quarter? { Quarter(year: year, quarter: quarter) }
    }

    let database: Database
    let clock: any LedgerClock

    public init(database: Database, clock: any LedgerClock) {
        self.database = database
        self.clock = clock
    }

    /// Estates whose name or address contains `text` (trimmed; at least two characters), optionally inside one district,
    /// by name, a page at a time. An empty text with a district lists the district's estates.
    public func search(_ text: String, district: String? = nil, page: Int = 1, pageSize: Int = 20) async throws -> Page<Estate> {
        let search = text.trimmingCharacters(in: .whitespacesAndNewlines)
        let districtCode = district?.trimmingCharacters(in: .whitespacesAndNewlines).nilIfEmpty
        if search.count < Self.minimumSearchLength && !(search.isEmpty && districtCode != nil) { throw Self.tooShort }
        var path: String?
        if let districtCode {
            let region = try await database.read { db in
                try await db.raw("SELECT path FROM regions WHERE code = \(bind: districtCode) AND level = \(bind: Region.Level.county.rawValue)")
                    .first(decodingColumn: "path", as: String.self)
            }
            guard let region else { throw LedgerError.invalid("district", code: "unknown_district", "所选区县不存在") }
            path = region
        }
        let request = ListRequest<EstateRepository.SortKey>(search: search, sort: .name, page: max(1, min(page, 100_000)),
                                                            pageSize: max(1, min(pageSize, 100)))
        return try await EstateRepository(database: database, clock: clock).estates(scope: .system, under: path, request: request)
    }

    /// The districts (县（区）) to filter the search by, in path order.
    public func districts() async throws -> [Region] {
        try await RegionDirectory(database: database).regions(level: .county, scope: .system)
    }

    /// Published versions, newest publication first (the transparency log's order), a page at a time.
    public func latestPublished(page: Int = 1, pageSize: Int = 10) async throws -> Page<Published> {
        let size = max(1, min(pageSize, 100)), number = max(1, min(page, 100_000))
        return try await database.read { db in
            let total = try await db.raw("SELECT COUNT(*) AS n FROM disclosure_versions").first(decodingColumn: "n", as: Int.self) ?? 0
            let items = try await db.raw("""
                SELECT v.estate_id, e.name AS estate_name, v.year, v.quarter, v.version, v.published_at
                FROM disclosure_versions v JOIN estates e ON e.id = v.estate_id
                ORDER BY v.leaf_index DESC LIMIT \(literal: size) OFFSET \(literal: (number - 1) * size)
                """).all(decoding: Published.self, keyDecodingStrategy: .convertFromSnakeCase)
            return Page(items: items, total: total, page: number, pageSize: size)
        }
    }
}

extension String {
    fileprivate var nilIfEmpty: String? { isEmpty ? nil : self }
}
