import Foundation
import SQLKit

/// The score of a company (信用分): basic information from the registry and its filings, plus the good-credit events (up
/// to 40), minus the bad-credit events — over the events that count on the day, computed from them every time.
extension CreditFile {
    /// The basic-information part (up to 80): registration complete (30: contact, phone and address 10 each), managing
    /// an estate (20), and 30 × the share of its estates' last four quarters that are published.
    public struct Basics: Sendable {
        public let contactFields: Int
        public let estates: Int
        public let dueFilings: Int
        public let filed: Int
    }

    /// The score from the basics and the points of the events that count on the day (`Event.counts(on:)`): the good
    /// ones' sum and the bad ones' sum, both positive.
    static func score(_ basics: Basics, good: Int, bad: Int) -> Score {
        let filing = basics.dueFilings == 0 ? 0 : 30 * min(basics.filed, basics.dueFilings) / basics.dueFilings
        return Score(registration: 10 * basics.contactFields, managing: basics.estates > 0 ? 20 : 0, filing: filing, good: good, bad: bad)
    }

    /// Every company's score as of today, computed from the registry and the events in a handful of queries.
    ///
    /// Kept, per process, while the credit stamp (M0033: moved by the database itself on any write to a company, an
    /// estate's manager, a filing, a credit event or a list decision) and the day are unchanged: a dashboard view
    /// recomputed after a write that touches none of them — a problem, a complaint, a warning — does not score 150
    /// companies again. The stamp is read before the scores, so scores read after a later write are at worst kept under
    /// the older stamp and computed again on the next request.
    public func scores() async throws -> [Int64: Score] {
        let today = Day(Timestamp.shanghaiDay(clock.now()))!
        let stamp = "\(try await database.read { db in try await Self.stamp(on: db) })/\(today)"
        if let kept = database.creditScores.value("scores", stamp: stamp, as: [Int64: Score].self) { return kept }
        let scores = try await database.read { db in try await Self.scores(on: db, today: today) }
        database.creditScores.store("scores", stamp: stamp, scores)
        return scores
    }

    /// The credit stamp (M0033).
    static func stamp(on db: any SQLDatabase) async throws -> Int64 {
        try await db.raw("SELECT n FROM credit_stamp WHERE id = 1").first(decodingColumn: "n", as: Int64.self) ?? 0
    }

    /// The scores of `companies` (nil: every company) on `today`, read on `db` (inside a transaction, too).
    static func scores(on db: any SQLDatabase, today: Day, companies: [Int64]? = nil) async throws -> [Int64: Score] {
        let lastQuarter = Quarter(containing: today).previous
        let first = lastQuarter.previous.previous.previous
        let only: SQLQueryString = companies.map { $0.isEmpty ? "1 = 0" : "c.id IN (\(binds: $0))" } ?? "1 = 1"
        let onlyEvents: SQLQueryString = companies.map { $0.isEmpty ? "1 = 0" : "company_id IN (\(binds: $0))" } ?? "1 = 1"
        var basics: [Int64: (Int, Int, Int)] = [:]
        for row in try await db.raw("""
            SELECT c.id, (CASE WHEN c.contact_name <> '' THEN 1 ELSE 0 END) + (CASE WHEN c.contact_phone <> '' THEN 1 ELSE 0 END)
                   + (CASE WHEN c.address <> '' THEN 1 ELSE 0 END) AS fields,
                   (SELECT COUNT(*) FROM estates e WHERE e.company_id = c.id) AS estates
            FROM companies c WHERE \(only)
            """).all() {
            basics[try row.decode(column: "id", as: Int64.self)] = (try row.decode(column: "fields", as: Int.self), try row.decode(column: "estates", as: Int.self), 0)
        }
        // The (estate, quarter) pairs each company filed in the last four quarters: distinct rows of the covering index
        // disclosure_versions_company (M0032) in its own order, instead of a scan of every version.
        for row in try await db.raw("""
            SELECT company_id, COUNT(*) AS n FROM (
                SELECT DISTINCT company_id, year, quarter, estate_id FROM disclosure_versions
                WHERE company_id IS NOT NULL AND \(onlyEvents) AND (year * 10 + quarter) >= \(bind: first.year * 10 + first.quarter)
                AND (year * 10 + quarter) <= \(bind: lastQuarter.year * 10 + lastQuarter.quarter)) filed
            GROUP BY company_id
            """).all() {
            let id = try row.decode(column: "company_id", as: Int64.self)
            basics[id]?.2 = try row.decode(column: "n", as: Int.self)
        }
        // The events that count today (`Event.counts(on:)`: valid, happened, not expired), summed in SQL: one row per
        // company instead of every event (41,000 at 50,000 estates).
        var points: [Int64: (good: Int, bad: Int)] = [:]
        for row in try await db.raw("""
            SELECT company_id, CAST(SUM(CASE WHEN points > 0 THEN points ELSE 0 END) AS BIGINT) AS good,
                   CAST(SUM(CASE WHEN points < 0 THEN -points ELSE 0 END) AS BIGINT) AS bad
            FROM credit_events WHERE status = 'valid' AND occurred_on <= \(bind: today.description) AND expires_on > \(bind: today.description)
            AND \(onlyEvents) GROUP BY company_id
            """).all() {
            points[try row.decode(column: "company_id", as: Int64.self)] = (Int(try row.decode(column: "good", as: Int64.self)),
                                                                          Int(try row.decode(column: "bad", as: Int64.self)))
        }
        var result: [Int64: Score] = [:]
        for (id, (fields, estates, filed)) in basics {
            result[id] = Self.score(Basics(contactFields: fields, estates: estates, dueFilings: estates * 4, filed: filed),
                                    good: points[id]?.good ?? 0, bad: points[id]?.bad ?? 0)
        }
        return result
    }
}
