import Foundation
import Metrics
import SQLKit

/// Jobs that run once a day inside `serve`. When several servers share one PostgreSQL, the database decides which runs
/// a job: each tries to insert the job's row for the day, and only the one whose insert succeeds runs it.
public struct DailyJobs: Sendable {
    public struct Job: Sendable {
        public let name: String
        /// The hour of the day (Beijing time) from which the job is due.
        public let hour: Int
        public let work: @Sendable (Database, any LedgerClock) async throws -> String

        public init(name: String, hour: Int, work: @escaping @Sendable (Database, any LedgerClock) async throws -> String) {
            self.name = name
            self.hour = hour
            self.work = work
        }
    }

    /// What one pass did with one job.
    public enum Outcome: Sendable, Equatable {
        case notDue, ranElsewhere, ran(String), failed(String)
    }

    /// The platform's daily jobs: the escalation ladder at 01:00, then the warning rules over everything at 02:00
    /// (so that W14 sees today's overdue rectifications), then the credit events those raised; last, at 04:00, the
    /// dashboard counted ahead for the day.
    public static let standard: [Job] = [
        Job(name: "escalation", hour: 1) { database, clock in
            let escalation = Escalation(database: database, clock: clock)
            let letters = try await escalation.run()
            return "发出文书 \(letters) 份，拒不公示直接约谈 \(try await escalation.runUndisclosed()) 家次"
        },
        Job(name: "warnings", hour: 2) { database, clock in
            let summary = try await WarningEngine(database: database, clock: clock).run()
            return "新增 \(summary.opened)，自动关闭 \(summary.closed)，保持 \(summary.unchanged)"
        },
        Job(name: "credit", hour: 2) { database, clock in
            "新增信用记录 \(try await CreditFile(database: database, clock: clock).collect()) 条"
        },
        Job(name: "retention", hour: 3) { database, clock in
            let days = try PersonalDataRetention.configuredDays()
            let erased = try await PersonalDataRetention(database: database, clock: clock, days: days).run()
            return "删除办结超过 \(days) 天的投诉人姓名和电话 \(erased) 件"
        },
        Job(name: "backup", hour: 4) { database, clock in
            guard let schedule = try DatabaseBackup.Schedule.configured() else { return "未设置 LEDGER_BACKUP_DIR，未备份" }
            guard database.kind == .sqlite else { return "PostgreSQL 由 pg_dump 与 WAL 归档备份（见 README），此处不备份" }
            let (path, removed) = try await DatabaseBackup.scheduled(database, schedule: schedule, at: clock.now())
            return "已备份到 \(path)，删除过期备份 \(removed) 份（保留最近 \(schedule.keep) 份）"
        },
        // Last, after every job that writes (each moves the stamps of what it wrote): the dashboard's parts
        // of the quarter it opens on, counted and kept for the day (`dashboard_parts`), so that the day's first view
        // of a province reads them instead of counting every street (a part's stamp holds the date).
        Job(name: "dashboard", hour: 4) { database, clock in
            let dashboard = Dashboard(database: database, clock: clock, cache: DashboardCache())
            let quarter = dashboard.defaultQuarter()
            let tops = try await RegionDirectory(database: database).children(of: nil, scope: .system)
            for top in tops { _ = try await dashboard.view(regionCode: top.code, quarter: quarter, scope: .system) }
            return "预先统计 \(tops.count) 个省级区划\(quarter.title)的监管看板"
        },
    ]

    let database: Database
    let clock: any LedgerClock
    let host: String
    let jobs: [Job]
    /// Where the outbox goes (docs/design.md §29); nil: the outbox is left for another server or a later start.
    let notifier: (any Notifier)?

    public init(database: Database, clock: any LedgerClock, host: String = ProcessInfo.processInfo.hostName + ":\(getpid())",
                jobs: [Job] = DailyJobs.standard, notifier: (any Notifier)? = nil) {
        self.database = database
        self.clock = clock
        self.host = host
        self.jobs = jobs
        self.notifier = notifier
    }

    /// Runs every job that is due today and that no server has claimed yet.
    @discardableResult
    public func runDue(ignoringHour: Bool = false) async -> [String: Outcome] {
        let at = clock.now()
        let day = Timestamp.shanghaiDay(at)
        let hour = Timestamp.shanghaiHour(at)
        var outcomes: [String: Outcome] = [:]
        for job in jobs {
            guard ignoringHour || hour >= job.hour else { outcomes[job.name] = .notDue; continue }
            do {
                guard try await claim(job.name, day: day, at: at) else { outcomes[job.name] = .ranElsewhere; continue }
            } catch {
                outcomes[job.name] = .failed(String(describing: error))
                continue
            }
            let outcome: Outcome
            let started = ContinuousClock.now
            do { outcome = .ran(try await job.work(database, clock)) } catch { outcome = .failed(String(describing: error)) }
            let result: String = switch outcome {
            case .ran: "ran"
            default: "failed"
            }
            Counter(label: "ledger_job_runs", dimensions: [("job", job.name), ("outcome", result)]).increment()
            Metrics.Timer(label: "ledger_job_duration", dimensions: [("job", job.name)]).record(duration: ContinuousClock.now - started)
            let text: String = switch outcome {
            case .ran(let summary): summary
            case .failed(let message): "失败：" + String(message.prefix(500))
            default: ""
            }
            _ = try? await database.transaction { db in
                try await db.raw("""
                    UPDATE job_runs SET finished_at = \(bind: Timestamp.storage(clock.now())), outcome = \(bind: text)
                    WHERE job = \(bind: job.name) AND day = \(bind: day)
                    """).run()
            }
            outcomes[job.name] = outcome
        }
        // Not once a day: the outbox is drained on every pass (every ten minutes in `serve`), so messages go out soon
        // after their event; each message is claimed by one server (`Outbox.drain`).
        if let notifier {
            do {
                let summary = try await Outbox(database: database, clock: clock, notifier: notifier).drain()
                outcomes["outbox"] = .ran("发送 \(summary.sent)，失败 \(summary.failed)，待重试 \(summary.retrying)")
            } catch {
                outcomes["outbox"] = .failed(String(describing: error))
            }
        }
        return outcomes
    }

    /// Inserts the job's row for the day; true when this server's insert was the one that landed.
    func claim(_ job: String, day: String, at: Date) async throws -> Bool {
        try await database.transaction { db in
            let row = try await db.raw("""
                INSERT INTO job_runs (job, day, host, started_at) VALUES (\(bind: job), \(bind: day), \(bind: host), \(bind: Timestamp.storage(at)))
                ON CONFLICT (job, day) DO NOTHING RETURNING host
                """).first()
            if row != nil {
                try await AuditLog.record(on: db, scope: .system, at: at, action: "job_start", entity: "job", entityId: "\(job)/\(day)",
                                          regionPath: nil, after: ["host": host])
            }
            return row != nil
        }
    }

    /// The last runs, newest first (for the operators).
    public func recent(limit: Int = 20) async throws -> [(job: String, day: String, host: String, outcome: String?)] {
        try await database.read { db in
            try await db.raw("SELECT job, day, host, outcome FROM job_runs ORDER BY day DESC, job LIMIT \(bind: limit)").all().map {
                (try $0.decode(column: "job", as: String.self), try $0.decode(column: "day", as: String.self),
                 try $0.decode(column: "host", as: String.self), try $0.decode(column: "outcome", as: String?.self))
            }
        }
    }
}
