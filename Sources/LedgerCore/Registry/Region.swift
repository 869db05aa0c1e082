import Foundation
import SQLKit
/// 行政区划: a node of the province → city → county → street → community hierarchy.
public struct Region: Sendable, Codable, Equatable {
    public enum Level: String, Sendable, Codable, CaseIterable {
        case province, city, county, street, community

        public var title: String {
            switch self {
            case .province: "省"
            case .city: "市"
            case .county: "县（区）"
            case .street: "街道（乡镇）"
            case .community: "社区（村）"
            }
        }

        public var child: Level? {
            switch self {
            case .province: .city
            case .city: .county
            case .county: .street
            case .street: .community
            case .community: nil
            }
        }
    }

    public let code: String
    public let name: String
    public let level: Level
    public let parentCode: String?
    /// Materialised path of codes from the root, e.g. `/350000/350100/350102/`.
    public let path: String

    public init(code: String, name: String, level: Level, parentCode: String?, path: String) {
        self.code = code
        self.name = name
        self.level = level
        self.parentCode = parentCode
        self.path = path
    }

    /// The codes on the path, root first.
    public var ancestry: [String] { path.split(separator: "/").map(String.init) }
}

extension Region {
    /// A row of `RegionDirectory.columns`, read column by column: regions are read on every staff page (filters,
    /// breadcrumbs, scope checks), and a key-decoding strategy converts every column name of every row (issue #16 item 2).
    init(row: any SQLRow) throws {
        guard let level = Level(rawValue: try row.decode(column: "level", as: String.self)) else {
            throw LedgerError.invalid("level", code: "bad_level", "行政区划级别无效")
        }
        self.init(code: try row.decode(column: "code", as: String.self), name: try row.decode(column: "name", as: String.self), level: level,
                  parentCode: try row.decode(column: "parent_code", as: String?.self), path: try row.decode(column: "path", as: String.self))
    }
}

