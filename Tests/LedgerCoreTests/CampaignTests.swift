import Foundation
import LedgerCore
import LedgerTestSupport
import SQLKit
import Testing

/// Campaigns: phases, tasks due on a date or monthly, reports per period, overdue periods on the dashboard.
@Suite struct CampaignTests {
    @Test(arguments: TestDatabase.available)
    func tasksAreReportedPerPeriodAndOverdueOnesFlagged(kind: TestDatabase.Kind) async throws {
        try await withDatabase(kind) { database in
            let world = try await World.build(in: database)  // today: 19 November 2024
            let campaigns = Campaigns(database: database, clock: world.clock)
            let regulator = world.a.users[.regulator]!.scope
            let campaign = Campaigns.NewCampaign(name: "物业小区公共收益点题整治", region: world.a.county.code, phaseDates: [
                ("2024-05-01", "2024-05-10"), ("2024-05-11", "2024-05-31"), ("2024-06-01", "2024-08-31"), ("2024-09-01", "2024-10-31"),
            ])
            var backwards = campaign
            backwards.phases[2].until = "2024-05-01"
            await #expect(throws: FieldErrors.self) { try await campaigns.create(backwards, scope: regulator) }
            var foreign = campaign
            foreign.region = world.b.county.code
            await #expect(throws: LedgerError.notFound("行政区划")) { try await campaigns.create(foreign, scope: regulator) }
            await #expect(throws: LedgerError.forbidden) { try await campaigns.create(campaign, scope: world.a.users[.street]!.scope) }
            let id = try await campaigns.create(campaign, scope: regulator)
            let once = try await campaigns.addTask(campaignId: id, Campaigns.NewTask(content: "制定配套整治工作方案", responsible: "区住建局", schedule: .date,
                                                                                     dueOn: "2024-05-15"), scope: regulator)
            let monthly = try await campaigns.addTask(campaignId: id, Campaigns.NewTask(content: "按月报送双台账", responsible: "区住建局", schedule: .monthly,
                                                                                        day: "20"), scope: regulator)
            await #expect(throws: FieldErrors.self) {
                try await campaigns.addTask(campaignId: id, Campaigns.NewTask(content: "x", responsible: "y", schedule: .monthly, day: "31"), scope: regulator)
            }
            // Monthly periods run May to October (the phases' span); all are past.
            let (_, tasks) = try await campaigns.campaign(id, scope: regulator)
            #expect(tasks.first { $0.id == monthly }?.periods.map(\.period) == ["2024-05", "2024-06", "2024-07", "2024-08", "2024-09", "2024-10"])
            #expect(tasks.first { $0.id == once }?.dueText == "5月15日前")
            // The district's units report (here its cooperating department); a street reads the list but does not report for the district.
            await #expect(throws: LedgerError.forbidden) {
                try await campaigns.report(taskId: once, period: "once", status: .done, note: "x", scope: world.a.users[.street]!.scope)
            }
            let street = world.a.users[.department]!.scope
            try await campaigns.report(taskId: once, period: "once", status: .done, note: "方案已印发", scope: street)
            for month in 5...9 { try await campaigns.report(taskId: monthly, period: String(format: "2024-%02d", month), status: .done, note: "已报送", scope: street) }
            try await campaigns.report(taskId: monthly, period: "2024-10", status: .inProgress, note: "正在汇总", scope: street)
            await #expect(throws: LedgerError.self) { try await campaigns.report(taskId: monthly, period: "2024-12", status: .done, note: "x", scope: street) }
            await #expect(throws: LedgerError.notFound("任务")) {
                try await campaigns.report(taskId: monthly, period: "2024-10", status: .done, note: "x", scope: world.b.users[.department]!.scope)
            }
            // October is past its day without completion: overdue, and the dashboard of the county says so.
            let view = try await Dashboard(database: database, clock: world.clock)
                .view(regionCode: world.a.county.code, quarter: Quarter(year: 2024, quarter: 3)!, scope: regulator)
            #expect(view.overdueTasks.map(\.period) == ["2024年10月"] && view.overdueTasks.first?.content == "按月报送双台账")
            let audits = try await database.read { db in
                try await db.raw("SELECT COUNT(*) AS n FROM audit_log WHERE entity IN ('campaign', 'campaign_task')").first(decodingColumn: "n", as: Int.self)
            }
            #expect(audits == 1 + 2 + 7)
        }
    }

    /// Phases as each plan names and counts them; a weekly brief (Wen County: every Thursday) due week by week.
    @Test(arguments: TestDatabase.available)
    func phasesAreTheCampaignsOwnAndWeeklyTasksAreDueEachWeek(kind: TestDatabase.Kind) async throws {
        try await withDatabase(kind) { database in
            let world = try await World.build(in: database)  // today: Tuesday 19 November 2024
            let campaigns = Campaigns(database: database, clock: world.clock)
            let regulator = world.a.users[.regulator]!.scope
            let panjin = Campaigns.phaseLayouts.first { $0.key == "panjin" }!.names
            #expect(panjin.count == 5 && panjin.last == "监督问责")
            #expect(Campaigns.phaseLayouts.first { $0.key == "fuzhou" }!.names[2] == "交叉督导阶段")
            var phases = panjin.enumerated().map { index, name in
                Campaigns.PhaseDates(name: name, from: "2024-0\(index + 5)-01", until: "2024-0\(index + 5)-28")
            }
            phases[4].until = "2024-12-31"
            phases.append(.init(name: "", from: "", until: ""))  // a row left empty is no phase
            let id = try await campaigns.create(.init(name: "物业行业领域专项整治", region: world.a.county.code, phases: phases), scope: regulator)
            let (campaign, _) = try await campaigns.campaign(id, scope: regulator)
            #expect(campaign.phases.map(\.name) == panjin)

            // Every error at once: a dated phase without a name, a named one without dates; and no phase at all.
            let broken = Campaigns.NewCampaign(name: "", region: world.a.county.code, phases: [
                .init(name: "", from: "2024-05-01", until: "2024-05-10"), .init(name: "自查自纠", from: "", until: ""),
            ])
            let errors = try #require(await #expect(throws: FieldErrors.self) { try await campaigns.create(broken, scope: regulator) })
            #expect(Set(errors.items.compactMap(\.field)) == ["name", "phase0Name", "phase1From", "phase1Until"])
            let empty = Campaigns.NewCampaign(name: "无阶段", region: world.a.county.code, phases: [.init(name: "", from: "", until: "")])
            let none = try #require(await #expect(throws: FieldErrors.self) { try await campaigns.create(empty, scope: regulator) })
            #expect(none.items.map(\.field) == ["phases"])

            // Weekly on Thursday: from the week of 1 May (Wed) to today's week; each due on its Thursday; this week's not yet due.
            let weekly = try await campaigns.addTask(campaignId: id, .init(content: "报送专项整治工作简报", responsible: "各街道办事处", schedule: .weekly,
                                                                           day: "4", dueText: "每周四9点前"), scope: regulator)
            await #expect(throws: FieldErrors.self) {
                try await campaigns.addTask(campaignId: id, .init(content: "x", responsible: "y", schedule: .weekly, day: "8"), scope: regulator)
            }
            let plain = try await campaigns.addTask(campaignId: id, .init(content: "周报", responsible: "区住建局", schedule: .weekly, day: "5"), scope: regulator)
            let (_, tasks) = try await campaigns.campaign(id, scope: regulator)
            let periods = try #require(tasks.first { $0.id == weekly }?.periods)
            #expect(periods.first?.period == "W2024-04-29" && periods.first?.due.description == "2024-05-02")
            #expect(periods.last?.period == "W2024-11-18" && periods.last?.due.description == "2024-11-21" && periods.last?.overdue == false)
            #expect(periods.count == 30 && periods.dropLast().allSatisfy(\.overdue))
            #expect(periods.first?.title == "4月29日—5月5日当周")
            #expect(tasks.first { $0.id == weekly }?.dueText == "每周四9点前" && tasks.first { $0.id == plain }?.dueText == "每周五前")
            try await campaigns.report(taskId: weekly, period: "W2024-11-11", status: .done, note: "简报已报送", scope: world.a.users[.department]!.scope)
            let (_, after) = try await campaigns.campaign(id, scope: regulator)
            #expect(after.first { $0.id == weekly }?.overdue.count == 28)
        }
    }
}
