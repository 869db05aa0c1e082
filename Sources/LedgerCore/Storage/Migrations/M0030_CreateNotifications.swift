import Foundation
import SQLKit

/// The in-app inbox (`notifications`: one row per recipient and event) and the outbox of messages for outside channels
/// (`outbox`: SMS, WeChat template messages; drained by `Outbox.drain` through a `Notifier`). docs/design.md §29.
struct M0030_CreateNotifications: Migration {
    let version = 30
    let name = "0030_create_notifications"

    func prepare(on db: any SQLDatabase, dialect d: SchemaDialect) async throws {
        try await d.exec(db, """
            CREATE TABLE notifications (
                \(d.id),
                user_id BIGINT NOT NULL REFERENCES users(id),
                kind TEXT NOT NULL,
                title TEXT NOT NULL,
                body TEXT NOT NULL,
                link TEXT NOT NULL,
                created_at TEXT NOT NULL,
                read_at TEXT)
            """)
        try await d.exec(db, "CREATE INDEX notifications_inbox ON notifications(user_id, read_at, id)")
        try await d.exec(db, """
            CREATE TABLE outbox (
                \(d.id),
                notification_id BIGINT REFERENCES notifications(id),
                user_id BIGINT NOT NULL REFERENCES users(id),
                channel TEXT NOT NULL,
                recipient TEXT NOT NULL,
                kind TEXT NOT NULL,
                title TEXT NOT NULL,
                body TEXT NOT NULL,
                link TEXT NOT NULL,
                status TEXT NOT NULL,
                attempts BIGINT NOT NULL DEFAULT 0,
                last_error TEXT,
                created_at TEXT NOT NULL,
                claimed_at TEXT,
                sent_at TEXT)
            """)
        try await d.exec(db, "CREATE INDEX outbox_pending ON outbox(status, id)")
    }
}
