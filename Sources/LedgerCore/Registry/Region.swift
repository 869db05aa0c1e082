import Foundation
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
