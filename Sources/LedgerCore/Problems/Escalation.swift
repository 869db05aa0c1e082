import Foundation
import SQLKit

/// The ladder of docs/policy.md §9 for problems past their deadline: 提醒函 at the deadline, 督办函 after 7 days, 约谈 after 14
/// (days set per region). Each step is a letter with the facts filled in, recorded once, with an event and an audit entry.
public struct Escalation: Sendable {
    public static let steps = ["reminder", "supervision", "interview"]
    public static let letterTitles = ["reminder": "整改提醒函", "supervision": "督办函", "interview": "约谈通知书"]
    static let numberPrefixes = ["reminder": "提醒", "supervision": "督办", "interview": "约谈"]

    let database: Database
    let clock: any LedgerClock

    public init(database: Database, clock: any LedgerClock) {
        self.database = database
        self.clock = clock
    }

    /// Walks every open problem past its deadline up the ladder; returns how many letters were issued.
    @discardableResult
    public func run() async throws -> Int {
        let at = clock.now()
        let today = Day(Timestamp.shanghaiDay(at))!
        var issued = 0
        for id in try await overdue(on: today) {
            issued += try await database.transaction { db in try await Self.escalate(id, today: today, at: at, on: db) }
        }
        return issued
    }

    /// Open problems whose deadline has come by `day` and whose ladder is not at its end, by id.
    func overdue(on day: Day) async throws -> [Int64] {
        try await database.read { db in
            try await db.raw("""
                SELECT p.id FROM problems p WHERE p.status = 'open' AND p.deadline <= \(bind: day.description) AND p.escalation_level < 3
                ORDER BY p.id
                """).all(decodingColumn: "id", as: Int64.self)
        }
    }

    /// Issues the problem's next letter if it is due today: one step per run at most, so a problem found late climbs
    /// one rung a day and a 督办函 never goes out with the 约谈通知书 it announces. Returns 1 when a letter went out.
    static func escalate(_ id: Int64, today: Day, at: Date, on db: any SQLDatabase) async throws -> Int {
        guard let problem = try await Problems.find(id, scope: .system, on: db), problem.status == .open, let deadline = Day(problem.deadline),
              problem.escalationLevel < steps.count else { return 0 }
        let settings = try await RegionSettings.values(at: problem.regionPath, on: db)
        let thresholds = steps.map { settings["ladder.\($0)"]?.0 ?? 0 }
        let level = problem.escalationLevel
        let last = try await lastLetter(id, on: db)
        guard nextDue(deadline: deadline, level: level, thresholds: thresholds, lastIssued: last) <= today else { return 0 }
        let overdue = deadline.days(until: today)
        let names = try await RegionDirectory.names(onPath: problem.regionPath, on: db)
        let county = names.first { $0.level == .county }?.name ?? names.last?.name ?? ""
        let kind = steps[level]
        let facts: [String: String] = [
            "company": problem.companyName ?? problem.responsible, "estate": problem.estateName, "category": problem.categoryTitle,
            "description": problem.description, "deadline": problem.deadline, "overdueDays": "\(overdue)", "issuer": authority(county),
            "region": names.map(\.name).joined(separator: ""), "problemId": "\(problem.id)", "createdAt": Timestamp.display(stored: problem.createdAt),
            "nextStep": level + 1 < steps.count ? "逾期\(thresholds[level + 1])天仍未整改的，将\(letterTitles[steps[level + 1]]!.replacingOccurrences(of: "通知书", with: ""))" : "仍不整改的，将依法予以通报曝光、信用扣分直至行政处罚",
        ]
        let number = try await Self.issue(kind, problem: problem, county: county, facts: facts, today: today, at: at, on: db)
        try await Problems.event(id, at: at, scope: .system, action: "escalate",
                                 note: "逾期 \(overdue) 天，发出\(letterTitles[kind]!)（\(number)）", on: db)
        try await db.raw("UPDATE problems SET escalation_level = \(bind: level + 1), updated_at = \(bind: Timestamp.storage(at)) WHERE id = \(bind: id)").run()
        return 1
    }

    /// The day a problem's letter of `level` falls due: its threshold past the deadline, and not before the gap between
    /// its threshold and the previous step's has passed since the previous letter (at least one day).
    static func nextDue(deadline: Day, level: Int, thresholds: [Int], lastIssued: Day?) -> Day {
        let day = deadline.adding(days: thresholds[level])
        guard level > 0, let last = lastIssued else { return day }
        return max(day, last.adding(days: max(1, thresholds[level] - thresholds[level - 1])))
    }

    /// The day the problem's latest letter went out, if any.
    static func lastLetter(_ id: Int64, on db: any SQLDatabase) async throws -> Day? {
        let text = try await db.raw("SELECT MAX(issued_on) AS d FROM letters WHERE problem_id = \(bind: id)").first(decodingColumn: "d", as: String?.self)
        return (text ?? nil).flatMap(Day.init)
    }

    /// The issuing authority printed on a county's letters (发文机关).
    static func authority(_ county: String) -> String { "\(county)住房和城乡建设局" }

    /// Walks every open overdue problem up the ladder as the daily job would have since its deadline, each letter dated
    /// on its own day (09:00 Beijing) up to `end`: how the demo's history is written. Returns how many letters went out.
    @discardableResult
    public func replay(until end: Day) async throws -> Int {
        var issued = 0
        for id in try await overdue(on: end) {
            while true {
                let next = try await database.read { db -> Day? in
                    guard let problem = try await Problems.find(id, scope: .system, on: db), problem.status == .open,
                          problem.escalationLevel < Self.steps.count, let deadline = Day(problem.deadline) else { return nil }
                    let settings = try await RegionSettings.values(at: problem.regionPath, on: db)
                    let last = try await Self.lastLetter(id, on: db)
                    return Self.nextDue(deadline: deadline, level: problem.escalationLevel,
                                        thresholds: Self.steps.map { settings["ladder.\($0)"]?.0 ?? 0 }, lastIssued: last)
                }
                guard let day = next, day <= end, let at = Timestamp.parse("\(day)T01:00:00Z") else { break }
                let one = try await database.transaction { db in try await Self.escalate(id, today: day, at: at, on: db) }
                guard one > 0 else { break }
                issued += one
            }
        }
        return issued
    }

    /// Records one letter of a problem (its number running per county, kind and year) and audits it; returns the number.
    static func issue(_ kind: String, problem: Problems.Problem, county: String, facts: [String: String], today: Day, at: Date,
                      on db: any SQLDatabase) async throws -> String {
        let prefix = "\(county)物业\(numberPrefixes[kind]!)〔\(today.year)〕"
        let count = try await db.raw("""
            SELECT COUNT(*) AS n FROM letters WHERE kind = \(bind: kind) AND number LIKE \(bind: prefix + "%")
            """).first(decodingColumn: "n", as: Int.self) ?? 0
        let number = "\(prefix)\(count + 1)号"
        let json = String(decoding: try JSONEncoder.sorted.encode(facts), as: UTF8.self)
        try await db.raw("""
            INSERT INTO letters (problem_id, kind, number, issued_on, facts, created_at)
            VALUES (\(bind: problem.id), \(bind: kind), \(bind: number), \(bind: today.description), \(bind: json), \(bind: Timestamp.storage(at)))
            """).run()
        try await AuditLog.record(on: db, scope: .system, at: at, action: "escalate", entity: "problem", entityId: "\(problem.id)",
                                  regionPath: problem.regionPath, after: ["letter": kind, "number": number])
        // The company receives the letter in its inbox (§29).
        if let company = problem.companyId {
            try await Notifications.notify(.company(company), kind: .letterIssued,
                                           body: "\(problem.estateName)：收到\(letterTitles[kind]!)（\(number)），问题「\(problem.categoryTitle)」请尽快整改",
                                           link: "/problems/\(problem.id)/letters/\(kind)", at: at, on: db)
        }
        return number
    }

    /// 拒不公示 (Dehua 附件1 #23, Putian 附件 #22): a W01 still open (not disclosed) longer than the region's
    /// `ladder.undisclosed_interview` days becomes a problem and its company gets a 约谈通知书 directly, without waiting
    /// for a rectification deadline to pass; returns how many were called.
    @discardableResult
    public func runUndisclosed() async throws -> Int {
        let at = clock.now()
        let today = Day(Timestamp.shanghaiDay(at))!
        let candidates = try await database.read { db in
            try await db.raw("""
                SELECT id, region_path, opened_at FROM warnings WHERE rule = 'W01' AND status IN ('open', 'acknowledged') AND problem_id IS NULL
                AND company_id IS NOT NULL ORDER BY id
                """).all().map {
                (id: try $0.decode(column: "id", as: Int64.self), path: try $0.decode(column: "region_path", as: String.self),
                 opened: Day(Timestamp.shanghaiDay(Timestamp.parse(try $0.decode(column: "opened_at", as: String.self)) ?? at))!)
            }
        }
        var days: [String: Int] = [:], called = 0
        for candidate in candidates {
            if days[candidate.path] == nil {
                days[candidate.path] = try await database.read { try await RegionSettings.value("ladder.undisclosed_interview", at: candidate.path, on: $0) }
            }
            let open = candidate.opened.days(until: today)
            guard open >= days[candidate.path]! else { continue }
            called += try await database.transaction { db in
                let (warning, raised) = try await WarningInbox.act(.escalate, on: candidate.id, note: "逾期未公示预警持续\(open)天仍未公示，直接约谈",
                                                                   scope: .system, at: at, on: db)
                guard let id = raised, let problem = try await Problems.find(id, scope: .system, on: db) else { return 0 }
                let names = try await RegionDirectory.names(onPath: problem.regionPath, on: db)
                let county = names.first { $0.level == .county }?.name ?? names.last?.name ?? ""
                let facts: [String: String] = [
                    "company": problem.companyName ?? problem.responsible, "estate": problem.estateName, "category": problem.categoryTitle,
                    "description": problem.description, "issuer": Self.authority(county), "region": names.map(\.name).joined(separator: ""),
                    "problemId": "\(problem.id)", "createdAt": Timestamp.display(stored: problem.createdAt), "deadline": problem.deadline,
                    "overdueDays": "\(open)", "undisclosed": warning.quarter.title,
                ]
                let number = try await Self.issue("interview", problem: problem, county: county, facts: facts, today: today, at: at, on: db)
                try await db.raw("UPDATE problems SET escalation_level = 3, updated_at = \(bind: Timestamp.storage(at)) WHERE id = \(bind: id)").run()
                try await Problems.event(id, at: at, scope: .system, action: "escalate",
                                         note: "\(warning.quarter.title)逾期未公示\(open)天，直接发出约谈通知书（\(number)）", on: db)
                return 1
            }
        }
        return called
    }

    /// One letter of a problem the scope may see, for the printable page.
    public func letter(problemId: Int64, kind: String, scope: Scope) async throws -> (Problems.Problem, Problems.Letter) {
        try await database.read { db in
            guard let problem = try await Problems.find(problemId, scope: scope, on: db),
                  let letter = try await Problems.letters(problemId, on: db).first(where: { $0.kind == kind }) else {
                throw LedgerError.notFound("文书")
            }
            return (problem, letter)
        }
    }
}

extension JSONEncoder {
    static var sorted: JSONEncoder {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return encoder
    }
}
