import Foundation
import Testing
@testable import LedgerCore

/// `Day`'s arithmetic and text, written with integers, against Foundation's Gregorian calendar and formatter.
@Suite struct DayArithmeticTests {
    static func calendarAdding(_ day: Day, _ n: Int) -> Day {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = .gmt
        let date = calendar.date(from: DateComponents(year: day.year, month: day.month, day: day.day))!
        let c = calendar.dateComponents([.year, .month, .day], from: calendar.date(byAdding: .day, value: n, to: date)!)
        return Day(year: c.year!, month: c.month!, day: c.day!)
    }

    @Test func everyDayFrom1899To2201RoundTripsAndPrintsAsTheFormatterDoes() {
        var day = Day(year: 1899, month: 12, day: 31)
        var ordinal = day.ordinal
        #expect(Day(year: 1970, month: 1, day: 1).ordinal == 0 && Day(year: 2000, month: 3, day: 1).ordinal == 11_017)
        while day.year < 2202 {
            let next = day.adding(days: 1)
            #expect(next.ordinal == ordinal + 1 && Day(ordinal: ordinal) == day)
            #expect(day.description == String(format: "%04d-%02d-%02d", day.year, day.month, day.day))
            if (1900...2200).contains(day.year) { #expect(Day(day.description) == day) }  // the years the parser accepts
            if next.ordinal != ordinal + 1 || Day(ordinal: ordinal) != day { break }
            day = next
            ordinal += 1
        }
        #expect(day == Day(year: 2202, month: 1, day: 1))
    }

    @Test func addingAndCountingAgreeWithTheCalendar() {
        var random = SeededRandom(seed: 2_026)
        for _ in 0..<2_000 {
            let start = Day(ordinal: Int.random(in: -25_000...80_000, using: &random))
            let n = Int.random(in: -3_000...3_000, using: &random)
            let moved = start.adding(days: n)
            #expect(moved == Self.calendarAdding(start, n), "\(start) + \(n)")
            #expect(start.days(until: moved) == n)
        }
        #expect(Day(year: 2024, month: 2, day: 28).adding(days: 1) == Day(year: 2024, month: 2, day: 29))
        #expect(Day(year: 2100, month: 2, day: 28).adding(days: 1) == Day(year: 2100, month: 3, day: 1))
        #expect(Day(year: 2025, month: 1, day: 1).adding(days: -1) == Day(year: 2024, month: 12, day: 31))
    }

    @Test func paddingAndTheTextsBuiltOnIt() {
        #expect(Day.padded(7, 2) == "07" && Day.padded(12, 2) == "12" && Day.padded(123, 2) == "123" && Day.padded(0, 4) == "0000")
        #expect(Money(fen: 5).description == "0.05" && Money(fen: -123_405).description == "-1234.05" && Money(fen: 100).description == "1.00")
        #expect(Timestamp.display(stored: "2024-12-31T16:05:00Z") == "2025-01-01 00:05")
        #expect(Timestamp.shanghaiDay(Timestamp.parse("2024-02-28T16:00:00Z")!) == "2024-02-29")
    }
}
