import Foundation
import SQLKit

/// The demo's campaigns: in every district the Fuzhou plan's 点题整治 with its four phases in the current year and the
/// 30 tasks of 附件3; most periods already reported done, some still outstanding (they show as overdue on the dashboard).
struct DemoCampaigns {
    let year: Int
    let today: Day

    func insert(on db: any SQLDatabase, random: inout SeededRandom) async throws {
        let counties = try await db.raw("SELECT code, name, path FROM regions WHERE level = 'county' ORDER BY code").all()
        let phases = [("05-01", "05-10"), ("05-11", "05-31"), ("06-01", "08-31"), ("09-01", "10-31")]
        var reports = BulkInsert(table: "task_reports", columns: ["task_id", "period", "status", "note", "reported_at", "reported_by"])
        for county in counties {
            let code = try county.decode(column: "code", as: String.self), path = try county.decode(column: "path", as: String.self)
            let name = try county.decode(column: "name", as: String.self)
            let plan = try Campaigns.NewCampaign(name: "\(year)年\(name)物业小区公共收益“点题整治”", region: code,
                                                 phaseDates: phases.map { ("\(year)-\($0)", "\(year)-\($1)") }).validated()
            let campaign = try await Campaigns.insert(plan, regionCode: code, regionPath: path, by: "\(name)住建局", at: Date(), on: db)
            for (position, row) in FuzhouTaskList.rows.enumerated() {
                let monthly = row.schedule == .monthly
                let task = try await Campaigns.insert(
                    try Campaigns.NewTask(content: row.content, responsible: row.responsible, schedule: row.schedule,
                                          dueOn: monthly ? "" : "\(year)-\(row.due)", day: monthly ? row.due : "", dueText: row.dueText).validated(),
                    campaignId: campaign, position: position + 1, on: db)
                let periods: [(String, Day)] = monthly
                    ? (5...10).map { (String(format: "%04d-%02d", year, $0), Day(year: year, month: $0, day: Int(row.due) ?? 20)) }
                    : [("once", Day("\(year)-\(row.due)")!)]
                for (period, due) in periods where due < today && random.chance(0.9) {
                    try await reports.add([task, period, Campaigns.Progress.done.rawValue, "已按要求完成", "\(due.adding(days: -2))T08:00:00Z", "\(name)住建局"], on: db)
                }
            }
        }
        try await reports.flush(on: db)
    }
}
