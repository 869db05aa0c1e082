import Foundation
import LedgerCore

/// One row of the inbox.
struct NotificationRow: Sendable {
    let id: Int64
    let kindTitle: String
    let body: String
    let link: String
    let createdAt: String
    let isRead: Bool
    let isUnread: Bool

    init(_ notification: Notifications.Notification) {
        id = notification.id
        kindTitle = notification.title
        body = notification.body
        link = notification.link
        createdAt = Timestamp.display(stored: notification.createdAt)
        isRead = notification.isRead
        isUnread = !notification.isRead
    }
}

/// The inbox page (`/notifications`).
struct NotificationPage: Sendable {
    let layout: Layout
    let rows: [NotificationRow]
    let hasRows: Bool
    let unread: Int
    let hasUnread: Bool
    let pager: Pager
    let error: String?

    init(layout: Layout, inbox: Page<Notifications.Notification>, unread: Int, error: String?) {
        self.layout = layout
        rows = inbox.items.map(NotificationRow.init)
        hasRows = !inbox.items.isEmpty
        self.unread = unread
        hasUnread = unread > 0
        pager = Pager(inbox, base: "/notifications", query: [])
        self.error = error
    }
}

/// One line of the to-do list on the staff home.
struct TodoRow: Sendable {
    let key: String
    let label: String
    let count: Int
    let link: String
    let urgencyClass: String
    let urgency: String
    let hasUrgency: Bool
    let note: String?

    init(_ item: TodoList.Item) {
        key = item.key.replacingOccurrences(of: "_", with: "-")
        label = item.label
        count = item.count
        link = item.link
        urgencyClass = item.urgency.rawValue.replacingOccurrences(of: "_", with: "-")
        urgency = item.urgency.title
        hasUrgency = !item.urgency.title.isEmpty
        note = item.note
    }
}
