import Foundation
import SQLKit

/// Handling deadlines and escalation days set per region: a value set on a region applies beneath it unless a
/// region lower down sets its own; where nothing is set the default applies.
public struct RegionSettings: Sendable {
    public struct Setting: Sendable {
        public let key: String
        public let label: String
        public let unit: String
        public let defaultValue: Int
        public let range: ClosedRange<Int>
    }

    public static let all: [Setting] =
        ComplaintSource.allCases.map { Setting(key: "complaint_days.\($0.rawValue)", label: "\($0.title)办理时限", unit: "个工作日", defaultValue: 15, range: 1...60) }
        + [
            Setting(key: Complaints.ratingDaysKey, label: "办结后投诉人评价期限（期限内评价“不满意”即重新办理）", unit: "天（办结起）",
                    defaultValue: Complaints.reopenDays, range: 1...180),
            Setting(key: "problem_days", label: "问题整改期限（默认）", unit: "天", defaultValue: 30, range: 1...365),
            Setting(key: "ladder.reminder", label: "逾期发提醒函", unit: "天（截止日起）", defaultValue: 0, range: 0...30),
            Setting(key: "ladder.supervision", label: "逾期发督办函", unit: "天", defaultValue: 7, range: 1...90),
            Setting(key: "ladder.interview", label: "逾期约谈", unit: "天", defaultValue: 14, range: 1...180),
            Setting(key: "ladder.undisclosed_interview", label: "逾期未公示预警持续未公示，直接约谈（拒不公示）", unit: "天（预警产生起）",
                    defaultValue: 30, range: 1...365),
            Setting(key: "ranking.min_sample", label: "通报排名最少应公示小区数（不足的只列不排）", unit: "个", defaultValue: 5, range: 1...10_000),
            Setting(key: "self_inspection.days", label: "季度自查自纠提交期限（下一季度开始后）", unit: "天", defaultValue: 30, range: 1...90),
            Setting(key: "self_inspection.campaign_due", label: "专项整治自查自纠截止日（月×100+日，如531即5月31日；0为不设）", unit: "",
                    defaultValue: 0, range: 0...1231),
            Setting(key: "spot_check.ratio.county", label: "县级抽查计划默认比例（每年抽查核实）", unit: "%", defaultValue: 50, range: 1...100),
            Setting(key: "spot_check.ratio.city", label: "市级抽查计划默认比例（每年实地检查）", unit: "%", defaultValue: 15, range: 1...100),
            Setting(key: "demonstration.target", label: "示范小区培育目标（每个县区；设在市级即为各县区的默认值）", unit: "个", defaultValue: 1,
                    range: 0...100),
            Setting(key: "spot_check.ratio.street", label: "街道抽查计划默认比例（检查覆盖）", unit: "%", defaultValue: 100, range: 1...100),
            Setting(key: "policy.plan", label: PolicyPlan.settingLabel, unit: "", defaultValue: 0, range: 0...PolicyPlan.allCases.count),
        ]

    public static func setting(_ key: String) -> Setting? { all.first { $0.key == key } }

    let database: Database
    let clock: any LedgerClock

    public init(database: Database, clock: any LedgerClock) {
        self.database = database
        self.clock = clock
    }

    /// Every setting as it applies at `path`: (setting, value, code of the region that set it, value set on the region itself).
    static func values(at path: String, on db: any SQLDatabase) async throws -> [String: (Int, String?)] {
        let codes = path.split(separator: "/").map(String.init)
        var values = Dictionary(uniqueKeysWithValues: all.map { ($0.key, ($0.defaultValue, String?.none)) })
        guard !codes.isEmpty else { return values }
        let rows = try await db.raw("SELECT region_code, key, value FROM region_settings WHERE region_code IN (\(binds: codes))").all()
        var set: [String: [String: Int]] = [:]
        for row in rows {
            if let value = Int(try row.decode(column: "value", as: String.self)) {
                set[try row.decode(column: "region_code", as: String.self), default: [:]][try row.decode(column: "key", as: String.self)] = value
            }
        }
        for code in codes { for (key, value) in set[code] ?? [:] where values[key] != nil { values[key] = (value, code) } }
        return values
    }

    static func value(_ key: String, at path: String, on db: any SQLDatabase) async throws -> Int {
        try await values(at: path, on: db)[key]?.0 ?? setting(key)?.defaultValue ?? 0
    }

    /// The settings in force for a region the scope covers.
    public func effective(regionCode: String, scope: Scope) async throws -> (Region, [(Setting, Int, String?)]) {
        try await database.read { db in
            let region = try await RegionDirectory.covered(regionCode, scope: scope, on: db)
            let values = try await Self.values(at: region.path, on: db)
            return (region, Self.all.map { ($0, values[$0.key]!.0, values[$0.key]!.1) })
        }
    }

    /// Sets a value for a region (empty: remove it, so the region above applies). Regulators and the admin.
    public func set(regionCode: String, key: String, value text: String, scope: Scope) async throws {
        try scope.require(.setRegionSettings)
        guard let setting = Self.setting(key) else { throw LedgerError.invalid("key", code: "unknown_setting", "没有该项设置") }
        let trimmed = InputReader.halfWidth(text).trimmingCharacters(in: .whitespaces)
        var value: Int?
        if !trimmed.isEmpty {
            guard let number = Int(trimmed) else { throw LedgerError.invalid("value", code: "not_integer", "「\(setting.label)」须为整数") }
            guard setting.range.contains(number) else {
                throw LedgerError.invalid("value", code: "out_of_range",
                                          "「\(setting.label)」须在 \(setting.range.lowerBound)–\(setting.range.upperBound)\(setting.unit) 之间")
            }
            if key == "self_inspection.campaign_due", number != 0, SelfInspectionFigures.campaignDueDay(year: 2024, monthDay: number) == nil {
                throw LedgerError.invalid("value", code: "not_a_date", "「\(setting.label)」须为有效的月日，如531表示5月31日")
            }
            value = number
        }
        let at = clock.now()
        let newValue = value
        try await database.transaction { db in
            let region = try await RegionDirectory.covered(regionCode, scope: scope, on: db)
            let before = try await db.raw("SELECT value FROM region_settings WHERE region_code = \(bind: region.code) AND key = \(bind: key)")
                .first(decodingColumn: "value", as: String.self)
            try await db.raw("DELETE FROM region_settings WHERE region_code = \(bind: region.code) AND key = \(bind: key)").run()
            if let newValue {
                try await db.raw("""
                    INSERT INTO region_settings (region_code, key, value, updated_at, updated_by)
                    VALUES (\(bind: region.code), \(bind: key), \(bind: String(newValue)), \(bind: Timestamp.storage(at)), \(bind: scope.username))
                    """).run()
            }
            try await AuditLog.record(on: db, scope: scope, at: at, action: newValue == nil ? "reset" : "set", entity: "region_setting",
                                      entityId: "\(region.code)/\(key)", regionPath: region.path, before: before, after: newValue.map(String.init))
        }
    }
}

extension Day {
    /// The day `count` working days after this one (Saturdays and Sundays skipped; public holidays are not known here).
    public func addingWorkingDays(_ count: Int) -> Day {
        var day = self, left = count
        while left > 0 {
            day = day.adding(days: 1)
            if !day.isWeekend { left -= 1 }
        }
        return day
    }

    public var isWeekend: Bool {
        // 1970-01-01 was a Thursday.
        let weekday = ((Day("1970-01-01")!.days(until: self) % 7) + 7 + 3) % 7  // 0 = Monday … 6 = Sunday
        return weekday >= 5
    }
}
