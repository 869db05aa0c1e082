import Foundation

/// Times are stored as UTC ISO-8601 text (sortable on both databases) and shown in Asia/Shanghai.
public enum Timestamp {
    public static let shanghai = TimeZone(identifier: "Asia/Shanghai")!

    /// `2026-11-25T23:36:37Z`
    public static func storage(_ date: Date) -> String {
        date.formatted(Date.ISO8601FormatStyle(timeZone: .gmt))
    }

    public static func parse(_ text: String) -> Date? {
        try? Date(text, strategy: Date.ISO8601FormatStyle(timeZone: .gmt))
    }

    /// `2026-11-26 07:36` in Asia/Shanghai.
    public static func display(_ date: Date) -> String {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = shanghai
        let c = calendar.dateComponents([.year, .month, .day, .hour, .minute], from: date)
        return "\(Day(year: c.year!, month: c.month!, day: c.day!)) \(Day.padded(c.hour!, 2)):\(Day.padded(c.minute!, 2))"
    }

    public static func display(stored text: String) -> String {
        parse(text).map(display) ?? text
    }

    /// The calendar date in Asia/Shanghai, as `YYYY-MM-DD`.
    public static func shanghaiDay(_ date: Date) -> String {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = shanghai
        let c = calendar.dateComponents([.year, .month, .day], from: date)
        return Day(year: c.year!, month: c.month!, day: c.day!).description
    }

    /// The stored form of midnight Beijing time at the start of `day` (16:00 UTC the day before).
    public static func startOfShanghaiDay(_ day: Day) -> String {
        "\(day.adding(days: -1))T16:00:00Z"
    }

    /// The hour of the day (0–23) in Beijing time.
    public static func shanghaiHour(_ date: Date) -> Int {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = shanghai
        return calendar.component(.hour, from: date)
    }
}

/// A calendar date without time (`YYYY-MM-DD`), validated.
public struct Day: Sendable, Hashable, Comparable, CustomStringConvertible {
    public let year: Int, month: Int, day: Int

    public init?(_ text: String) {
        let parts = text.split(separator: "-", omittingEmptySubsequences: false)
        guard parts.count == 3, parts[0].count == 4, parts[1].count == 2, parts[2].count == 2,
            let y = Int(parts[0]), let m = Int(parts[1]), let d = Int(parts[2]),
            (1900...2200).contains(y), (1...12).contains(m), d >= 1, d <= Day.daysIn(year: y, month: m)
        else { return nil }
        (year, month, day) = (y, m, d)
    }

    public init(year: Int, month: Int, day: Int) {
        (self.year, self.month, self.day) = (year, month, day)
    }

    public static func daysIn(year: Int, month: Int) -> Int {
        switch month {
        case 2: (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 ? 29 : 28
        case 4, 6, 9, 11: 30
        default: 31
        }
    }

    /// `2024-09-30`. Not `String(format:)`, which goes through Foundation's formatter: a count compares contract dates
    /// by this text several times per estate.
    public var description: String { "\(Self.padded(year, 4))-\(Self.padded(month, 2))-\(Self.padded(day, 2))" }

    /// A non-negative number with leading zeros up to `width` digits (`%0Nd`).
    public static func padded(_ value: Int, _ width: Int) -> String {
        let text = String(value)
        return text.utf8.count >= width ? text : String(repeating: "0", count: width - text.utf8.count) + text
    }

    public static func < (a: Day, b: Day) -> Bool { (a.year, a.month, a.day) < (b.year, b.month, b.day) }
}
