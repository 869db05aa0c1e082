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
        let due = try await database.read { db in
            try await db.raw("""
                SELECT p.id FROM problems p WHERE p.status = 'open' AND p.deadline <= \(bind: today.description) AND p.escalation_level < 3
                ORDER BY p.id
                """).all(decodingColumn: "id", as: Int64.self)
        }
        var issued = 0
        for id in due {
            issued += try await database.transaction { db in try await Self.escalate(id, today: today, at: at, on: db) }
        }
        return issued
    }

    static func escalate(_ id: Int64, today: Day, at: Date, on db: any SQLDatabase) async throws -> Int {
        guard let problem = try await Problems.find(id, scope: .system, on: db), problem.status == .open, let deadline = Day(problem.deadline) else { return 0 }
        let settings = try await RegionSettings.values(at: problem.regionPath, on: db)
        let overdue = deadline.days(until: today)
        let thresholds = steps.map { settings["ladder.\($0)"]?.0 ?? 0 }
        var level = problem.escalationLevel, issued = 0
        let names = try await RegionDirectory.names(onPath: problem.regionPath, on: db)
        let county = names.first { $0.level == .county }?.name ?? names.last?.name ?? ""
        while level < steps.count && overdue >= thresholds[level] {
            let kind = steps[level]
            let prefix = "\(county)物业\(numberPrefixes[kind]!)〔\(today.year)〕"
            let count = try await db.raw("""
                SELECT COUNT(*) AS n FROM letters WHERE kind = \(bind: kind) AND number LIKE \(bind: prefix + "%")
                """).first(decodingColumn: "n", as: Int.self) ?? 0
            let number = "\(prefix)\(count + 1)号"
            let facts: [String: String] = [
                "company": problem.companyName ?? problem.responsible, "estate": problem.estateName, "category": problem.categoryTitle,
                "description": problem.description, "deadline": problem.deadline, "overdueDays": "\(overdue)", "issuer": "\(county)物业主管部门",
                "region": names.map(\.name).joined(separator: ""), "problemId": "\(problem.id)", "createdAt": Timestamp.display(stored: problem.createdAt),
                "nextStep": level + 1 < steps.count ? "逾期\(thresholds[level + 1])天仍未整改的，将\(letterTitles[steps[level + 1]]!.replacingOccurrences(of: "通知书", with: ""))" : "仍不整改的，将依法予以通报曝光、信用扣分直至行政处罚",
            ]
            let json = String(decoding: try JSONEncoder.sorted.encode(facts), as: UTF8.self)
            try await db.raw("""
                INSERT INTO letters (problem_id, kind, number, issued_on, facts, created_at)
                VALUES (\(bind: id), \(bind: kind), \(bind: number), \(bind: today.description), \(bind: json), \(bind: Timestamp.storage(at)))
                """).run()
            level += 1
            issued += 1
            try await Problems.event(id, at: at, scope: .system, action: "escalate",
                                     note: "逾期 \(overdue) 天，发出\(letterTitles[kind]!)（\(number)）", on: db)
            try await AuditLog.record(on: db, scope: .system, at: at, action: "escalate", entity: "problem", entityId: "\(id)",
                                      regionPath: problem.regionPath, after: ["letter": kind, "number": number])
        }
        if issued > 0 {
            try await db.raw("UPDATE problems SET escalation_level = \(bind: level), updated_at = \(bind: Timestamp.storage(at)) WHERE id = \(bind: id)").run()
        }
        return issued
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
