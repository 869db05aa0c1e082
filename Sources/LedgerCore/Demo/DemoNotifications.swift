import Foundation
import SQLKit

/// The demo's inbox and to-do list (docs/design.md §29). The rule runs and the ladder of `DemoFollowUp` have already
/// told companies and officers of their warnings and letters; the complaints were loaded in bulk, so the newest open
/// ones are announced to their officers here, and an owner asks the demo company a question about its latest filing.
struct DemoNotifications {
    let database: Database
    let clock: any LedgerClock

    func run() async throws {
        let at = clock.now()
        try await database.transaction { db in
            let rows = try await db.raw("""
                SELECT c.id, c.region_path, c.deadline, e.name FROM complaints c JOIN estates e ON e.id = c.estate_id
                WHERE c.status IN ('received', 'assigned') ORDER BY c.received_at DESC, c.id DESC LIMIT 12
                """).all()
            for row in rows {
                let id = try row.decode(column: "id", as: Int64.self)
                try await Notifications.notify(.officers(coveringPath: try row.decode(column: "region_path", as: String.self)), kind: .complaintReceived,
                                               body: "\(try row.decode(column: "name", as: String.self))收到投诉，办理时限 \(try row.decode(column: "deadline", as: String?.self) ?? "—")",
                                               link: "/complaints/\(id)", at: at, on: db)
            }
            try await AuditLog.record(on: db, scope: .system, at: at, action: "demo_notifications", entity: "notification", entityId: "demo",
                                      regionPath: nil, after: ["complaints": rows.count])
        }
        // An owner questions the demo company's latest published quarter (the company's to-do: 业主存疑待答复).
        let latest = try await database.read { db in
            try await db.raw("""
                SELECT v.estate_id, v.year, v.quarter FROM disclosure_versions v JOIN estates e ON e.id = v.estate_id
                JOIN users u ON u.company_id = e.company_id AND u.role = 'company'
                ORDER BY v.year DESC, v.quarter DESC, v.estate_id LIMIT 1
                """).first()
        }
        guard let latest else { return }
        let quarter = "\(try latest.decode(column: "year", as: Int.self))Q\(try latest.decode(column: "quarter", as: Int.self))"
        _ = try await OwnerQuestions(database: database, clock: clock).ask(
            estateId: try latest.decode(column: "estate_id", as: Int64.self),
            QuestionInput(quarter: quarter, item: "停车费", content: "本季度停车费收入比上季度少了一半，请说明原因并公开停车场收费明细。"),
            address: "198.51.100.20")
    }
}
