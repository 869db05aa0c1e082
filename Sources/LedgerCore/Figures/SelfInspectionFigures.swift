import Foundation
import SQLKit

/// The one written definition of when a self-inspection (自查自纠) is due and who owes it, used by rule W16, the
/// dashboard's self-inspection rate and the company's to-do list.
///
/// A quarter's self-inspection is made at the start of the next quarter (Putian §四(二): "在下一季度初开展上一季度的…自查自纠"),
/// within the region's `self_inspection.days` (default 30 days); the company that managed the estate on the quarter's last
/// day owes it (`EstateFigures.filer`). A campaign's self-inspection phase may add a date each year
/// (`self_inspection.campaign_due` as month×100+day: 531 in Dehua and Fuzhou, 720 in Putian), and every campaign
/// covering the estate's region whose phases include a 自查自纠 phase owes a self-inspection filed within that phase.
public enum SelfInspectionFigures {
    /// A campaign's 自查自纠 phase: a self-inspection filed from its first day is due by its last.
    public struct Phase: Sendable, Equatable {
        public let campaign: String
        public let name: String
        public let startsOn: Day
        public let endsOn: Day
        public init(campaign: String, name: String, startsOn: Day, endsOn: Day) {
            self.campaign = campaign
            self.name = name
            self.startsOn = startsOn
            self.endsOn = endsOn
        }
        /// Whether a campaign's phase is its self-inspection phase (by the name the plans give it).
        public static func isSelfInspection(_ name: String) -> Bool { name.contains("自查") }
    }

    /// The last day to file the self-inspection of `period`.
    public static func dueDay(for period: Quarter, days: Int) -> Day { period.next.firstDay.adding(days: max(1, days) - 1) }

    /// Whether an estate's self-inspection of `period` is owed and its due day has passed.
    public static func isDue(_ period: Quarter, contracts: [EstateFigures.Contract], days: Int, today: Day) -> Bool {
        EstateFigures.filer(of: period, contracts: contracts) != nil && dueDay(for: period, days: days) < today
    }

    /// The campaign's due day in `year` from a month×100+day setting (nil: not set, or not a date).
    public static func campaignDueDay(year: Int, monthDay: Int) -> Day? {
        let month = monthDay / 100, day = monthDay % 100
        guard (1...12).contains(month), day >= 1, day <= Day.daysIn(year: year, month: month) else { return nil }
        return Day(year: year, month: month, day: day)
    }

    /// The two due-date settings for every region, read once (the table is small) and resolved by path as
    /// `RegionSettings` does: the deepest region that sets a value wins.
    public struct DueSettings: Sendable {
        var set: [String: [String: Int]] = [:]
        /// The campaigns' 自查自纠 phases with the region path each campaign covers.
        var phases: [(path: String, phase: Phase)] = []

        static let keys = ["self_inspection.days", "self_inspection.campaign_due"]

        public static func load(on db: any SQLDatabase) async throws -> DueSettings {
            var settings = DueSettings()
            for row in try await db.raw("SELECT region_code, key, value FROM region_settings WHERE key IN (\(binds: keys))").all() {
                if let value = Int(try row.decode(column: "value", as: String.self)) {
                    settings.set[try row.decode(column: "key", as: String.self), default: [:]][try row.decode(column: "region_code", as: String.self)] = value
                }
            }
            for row in try await db.raw("""
                SELECT c.name AS campaign, c.region_path, p.name, p.starts_on, p.ends_on FROM campaign_phases p JOIN campaigns c ON c.id = p.campaign_id
                WHERE p.name LIKE '%自查%' ORDER BY p.ends_on, c.id
                """).all() {
                guard let start = Day(try row.decode(column: "starts_on", as: String.self)), let end = Day(try row.decode(column: "ends_on", as: String.self)),
                      Phase.isSelfInspection(try row.decode(column: "name", as: String.self)) else { continue }
                settings.phases.append((try row.decode(column: "region_path", as: String.self),
                                        Phase(campaign: try row.decode(column: "campaign", as: String.self), name: try row.decode(column: "name", as: String.self),
                                              startsOn: start, endsOn: end)))
            }
            return settings
        }

        /// The self-inspection phases of the campaigns whose region contains `path`.
        public func phases(at path: String) -> [Phase] {
            phases.filter { path == $0.path || path.hasPrefix($0.path + "/") }.map(\.phase)
        }

        func value(_ key: String, at path: String) -> Int {
            var value = RegionSettings.setting(key)?.defaultValue ?? 0
            guard let values = set[key] else { return value }
            for code in path.split(separator: "/") { if let v = values[String(code)] { value = v } }
            return value
        }

        public func days(at path: String) -> Int { value("self_inspection.days", at: path) }
        public func campaignDue(at path: String) -> Int { value("self_inspection.campaign_due", at: path) }
    }
}
