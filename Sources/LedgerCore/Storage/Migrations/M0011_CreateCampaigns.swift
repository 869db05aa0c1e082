import Foundation
import SQLKit

/// Campaigns (专项整治) with their phases, task lists (工作内容, 责任单位, 完成时间) and the progress reported per period.
struct M0011_CreateCampaigns: Migration {
    let version = 11
    let name = "0011_create_campaigns"

    func prepare(on db: any SQLDatabase, dialect d: SchemaDialect) async throws {
        try await d.exec(db, """
            CREATE TABLE campaigns (
                \(d.id),
                region_code TEXT NOT NULL REFERENCES regions(code),
                region_path \(d.binaryText) NOT NULL,
                name TEXT NOT NULL,
                created_at TEXT NOT NULL,
                created_by TEXT NOT NULL)
            """)
        try await d.exec(db, "CREATE INDEX campaigns_region ON campaigns(region_path)")
        try await d.exec(db, """
            CREATE TABLE campaign_phases (
                \(d.id),
                campaign_id BIGINT NOT NULL REFERENCES campaigns(id),
                position BIGINT NOT NULL,
                name TEXT NOT NULL,
                starts_on TEXT NOT NULL,
                ends_on TEXT NOT NULL)
            """)
        try await d.exec(db, """
            CREATE TABLE campaign_tasks (
                \(d.id),
                campaign_id BIGINT NOT NULL REFERENCES campaigns(id),
                position BIGINT NOT NULL,
                content TEXT NOT NULL,
                responsible TEXT NOT NULL,
                schedule TEXT NOT NULL,
                due_on TEXT,
                day BIGINT,
                due_text TEXT NOT NULL)
            """)
        try await d.exec(db, "CREATE INDEX campaign_tasks_campaign ON campaign_tasks(campaign_id, position)")
        try await d.exec(db, """
            CREATE TABLE task_reports (
                \(d.id),
                task_id BIGINT NOT NULL REFERENCES campaign_tasks(id),
                period TEXT NOT NULL,
                status TEXT NOT NULL,
                note TEXT NOT NULL,
                reported_at TEXT NOT NULL,
                reported_by TEXT NOT NULL,
                UNIQUE (task_id, period))
            """)
    }
}
