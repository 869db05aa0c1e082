import Foundation
import SQLKit

/// 月度通报 (Fuzhou §六(三), Putian §五(三)): once a month a city or county ranks its sub-regions — the dashboard's
/// ranking of the last quarter ended by the month's end (on-time disclosure first, then the dedicated account; a
/// sub-region owing fewer disclosures than the minimum sample is listed, not ranked) — with the problems and campaign
/// tasks each had overdue at the month's end and the 提醒函/督办函 it was sent that month. Printable.
public struct MonthlyBulletin: Sendable {
    public struct Row: Sendable, Equatable {
        public let rank: Int?
        public let standing: RegionLetters.Standing
        public let accountRate: Double?
        public let letters: Int
    }

    public struct Bulletin: Sendable {
        public let region: Region
        /// `YYYY-MM`.
        public let month: String
        public let monthTitle: String
        /// The day the overdue counts are taken (the month's last day, or yesterday for the month under way).
        public let asOf: Day
        public let quarterTitle: String
        public let minimumSample: Int
        /// Ranked first (by rank), then the unranked by name.
        public let rows: [Row]
        public let letters: [RegionLetters.Letter]
    }

    let database: Database
    let clock: any LedgerClock

    public init(database: Database, clock: any LedgerClock) {
        self.database = database
        self.clock = clock
    }

    /// The first day of a `YYYY-MM` month, or a field error.
    public static func month(_ text: String?, today: Day) throws -> Day {
        guard let text = text?.trimmingCharacters(in: .whitespaces), !text.isEmpty else {
            return Day(year: today.year, month: today.month, day: 1)
        }
        let parts = text.split(separator: "-")
        guard parts.count == 2, let year = Int(parts[0]), let month = Int(parts[1]), (2000...2100).contains(year), (1...12).contains(month) else {
            throw LedgerError.invalid("month", code: "bad_month", "月份应为“年-月”，如 2024-11")
        }
        let first = Day(year: year, month: month, day: 1)
        guard first <= today else { throw LedgerError.invalid("month", code: "future_month", "\(year)年\(month)月尚未开始，不能通报") }
        return first
    }

    public func bulletin(regionCode: String, month: String?, scope: Scope) async throws -> Bulletin {
        try scope.require(.viewDashboard)
        let today = Day(Timestamp.shanghaiDay(clock.now()))!
        let first = try Self.month(month, today: today)
        let last = Day(year: first.year, month: first.month, day: Day.daysIn(year: first.year, month: first.month))
        let asOf = min(last, today.adding(days: -1))
        // The last quarter ended by then (the dashboard has no figures for a quarter under way).
        let quarter = Quarter(containing: asOf.adding(days: 1)).previous
        let dashboard = Dashboard(database: database, clock: clock)
        let region = try await database.read { db in try await RegionDirectory.covered(regionCode, scope: scope, on: db) }
        let view = try await dashboard.view(regionCode: region.code, quarter: quarter, scope: scope)
        let units = view.units.first?.kind == "estate" ? [] : view.units
        return try await database.read { db in
            let standings = try await RegionLetters.standings(of: units.map { ($0.code, $0.name, $0.figures.due, $0.figures.onTime) }, under: region,
                                                              quarter: quarter, today: asOf.adding(days: 1), on: db)
            let letters = try await RegionLetters.issued(under: region.path, from: first, until: last, on: db)
            var sent: [String: Int] = [:]
            for letter in letters { sent[letter.toCode, default: 0] += 1 }
            let rows = zip(units, standings).map { unit, standing in
                Row(rank: unit.rank, standing: standing, accountRate: unit.figures.accountRate, letters: sent[unit.code] ?? 0)
            }.sorted { a, b in
                switch (a.rank, b.rank) {
                case let (x?, y?): x < y
                case (.some, nil): true
                case (nil, .some): false
                case (nil, nil): a.standing.name < b.standing.name
                }
            }
            return Bulletin(region: region, month: String(format: "%04d-%02d", first.year, first.month), monthTitle: "\(first.year)年\(first.month)月",
                            asOf: asOf, quarterTitle: quarter.title, minimumSample: view.minimumSample, rows: rows,
                            letters: letters.filter { $0.fromCode == region.code })
        }
    }
}
