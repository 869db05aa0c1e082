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
    /// The day `n` days later (or earlier, for negative `n`), in the proleptic Gregorian calendar.
    public func adding(days n: Int) -> Day { Day(ordinal: ordinal + n) }

    /// Whole days from `self` to `other`.
    public func days(until other: Day) -> Int { other.ordinal - ordinal }

    /// Days since 1970-01-01 (negative before it): integer arithmetic instead of a Foundation `Calendar` per call, which
    /// the dashboard made 50,000 times per count (H. Hinnant, "chrono-compatible low-level date algorithms").
    var ordinal: Int {
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yearOfEra = y - era * 400
        let dayOfYear = (153 * (month + (month > 2 ? -3 : 9)) + 2) / 5 + day - 1
        let dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear
        return era * 146_097 + dayOfEra - 719_468
    }

    /// The day `ordinal` days after 1970-01-01.
    init(ordinal: Int) {
        let z = ordinal + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let dayOfEra = z - era * 146_097
        let yearOfEra = (dayOfEra - dayOfEra / 1_460 + dayOfEra / 36_524 - dayOfEra / 146_096) / 365
        let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
        let mp = (5 * dayOfYear + 2) / 153
        let day = dayOfYear - (153 * mp + 2) / 5 + 1
        let month = mp < 10 ? mp + 3 : mp - 9
        self.init(year: yearOfEra + era * 400 + (month <= 2 ? 1 : 0), month: month, day: day)
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
