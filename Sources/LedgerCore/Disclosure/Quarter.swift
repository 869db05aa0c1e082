import Foundation

/// A calendar quarter (季度), the period one disclosure covers.
public struct Quarter: Sendable, Hashable, Comparable, Codable, CustomStringConvertible {
    public let year: Int
    public let quarter: Int

    public init?(year: Int, quarter: Int) {
        guard (2000...2100).contains(year), (1...4).contains(quarter) else { return nil }
        self.year = year
        self.quarter = quarter
    }

    /// Parses `2024Q3` (the form the pages and the API use).
    public init?(text: String) {
        let parts = text.uppercased().split(separator: "Q")
        guard parts.count == 2, text.count <= 8, let year = Int(parts[0]), let quarter = Int(parts[1]) else { return nil }
        self.init(year: year, quarter: quarter)
    }

    /// The quarter a day falls in.
    public init(containing day: Day) {
        year = day.year
        quarter = (day.month - 1) / 3 + 1
    }

    public var firstDay: Day { Day(year: year, month: quarter * 3 - 2, day: 1) }
    public var lastDay: Day { Day(year: year, month: quarter * 3, day: Day.daysIn(year: year, month: quarter * 3)) }

    /// The filing deadline: the last day of the first month of the next quarter (Q1 → 30 April, Q4 → 31 January).
    public var dueDate: Day {
        let next = self.next
        let month = next.quarter * 3 - 2
        return Day(year: next.year, month: month, day: Day.daysIn(year: next.year, month: month))
    }

    /// Stepping never fails, even past the years a user may type (2100 Q4 has a due date in 2101).
    public var next: Quarter { quarter == 4 ? Quarter(unchecked: year + 1, 1) : Quarter(unchecked: year, quarter + 1) }
    public var previous: Quarter { quarter == 1 ? Quarter(unchecked: year - 1, 4) : Quarter(unchecked: year, quarter - 1) }

    private init(unchecked year: Int, _ quarter: Int) {
        self.year = year
        self.quarter = quarter
    }

    /// `2024年第3季度`
    public var title: String { "\(year)年第\(quarter)季度" }
    public var description: String { "\(year)Q\(quarter)" }

    public static func < (a: Quarter, b: Quarter) -> Bool { (a.year, a.quarter) < (b.year, b.quarter) }
}

extension Day {
    /// The day `n` days later (or earlier, for negative `n`).
    public func adding(days n: Int) -> Day {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = .gmt
        let date = calendar.date(from: DateComponents(year: year, month: month, day: day))!
        let moved = calendar.date(byAdding: .day, value: n, to: date)!
        let c = calendar.dateComponents([.year, .month, .day], from: moved)
        return Day(year: c.year!, month: c.month!, day: c.day!)
    }

    /// Whole days from `self` to `other`.
    public func days(until other: Day) -> Int {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = .gmt
        let a = calendar.date(from: DateComponents(year: year, month: month, day: day))!
        let b = calendar.date(from: DateComponents(year: other.year, month: other.month, day: other.day))!
        return calendar.dateComponents([.day], from: a, to: b).day!
    }
}

extension Day: Codable {
    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        guard let day = Day(try container.decode(String.self)) else {
            throw DecodingError.dataCorruptedError(in: container, debugDescription: "not a date")
        }
        self = day
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(description)
    }
}
