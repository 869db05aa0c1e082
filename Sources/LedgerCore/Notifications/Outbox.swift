import Foundation
import SQLKit

/// One message waiting in the outbox for an outside channel (SMS, WeChat template message): what a `Notifier` gets.
public struct OutboxMessage: Sendable, Codable, Equatable {
    public let id: Int64
    /// `default` unless the deployment queues per channel; the notifier decides how to reach the user.
    public let channel: String
    /// The recipient's login name; a provider looks up the phone number or WeChat openid it keeps for that login.
    public let recipient: String
    /// The event kind (`Notifications.Kind`), the natural key of a provider's template.
    public let kind: String
    public let title: String
    public let body: String
    /// The page the message points to (a path on the platform).
    public let link: String
    public let createdAt: String
}

/// Delivers outbox messages to an outside service. A deployment plugs in its SMS gateway or WeChat template-message
/// sender by implementing this and passing it to `serve` (DEVELOPERS.md, "Plugging in an SMS or WeChat provider").
/// Throwing marks the attempt failed; the message is retried on the next pass up to `Outbox.maxAttempts` times.
public protocol Notifier: Sendable {
    func deliver(_ message: OutboxMessage) async throws
}

/// The default notifier: appends each message as one JSON line to a file (by default `data/outbox.jsonl`), for a
/// deployment without a provider yet and for tests; an operator can read or forward the file.
public struct FileNotifier: Notifier {
    public let path: String
    private let lock = NSLock()

    public init(path: String) { self.path = path }

    /// `LEDGER_OUTBOX_FILE`, else `outbox.jsonl` in the data directory.
    public static func configured(dataDirectory: String) -> FileNotifier {
        let env = ProcessInfo.processInfo.environment["LEDGER_OUTBOX_FILE"] ?? ""
        return FileNotifier(path: env.isEmpty ? (dataDirectory as NSString).appendingPathComponent("outbox.jsonl") : env)
    }

    public func deliver(_ message: OutboxMessage) async throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        var line = try encoder.encode(message)
        line.append(0x0A)
        try append(line)
    }

    /// One write at a time, so lines from concurrent deliveries never interleave.
    private func append(_ line: Data) throws {
        lock.lock()
        defer { lock.unlock() }
        let manager = FileManager.default
        let directory = (path as NSString).deletingLastPathComponent
        if !directory.isEmpty { try manager.createDirectory(atPath: directory, withIntermediateDirectories: true) }
        if !manager.fileExists(atPath: path) { _ = manager.createFile(atPath: path, contents: nil, attributes: [.posixPermissions: 0o600]) }
        let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: path))
        defer { try? handle.close() }
        try handle.seekToEnd()
        try handle.write(contentsOf: line)
    }
}

/// The outbox: messages queued by `Notifications.notify` in the event's transaction, delivered later by `drain` (every
/// pass of the daily-job loop, i.e. every ten minutes in `serve`), so a slow or broken provider never holds up an event.
/// Delivery is at least once: a server that stops between delivering and recording sends the message again.
public struct Outbox: Sendable {
    /// After this many failed attempts a message is left as `failed` (an operator can see it and requeue it).
    public static let maxAttempts = 5
    /// A message claimed this long ago and never recorded (its server stopped) is claimed again.
    static let claimTimeout: TimeInterval = 600

    /// What one pass did.
    public struct Summary: Sendable, Equatable {
        public var sent = 0
        public var failed = 0
        public var retrying = 0

        public init(sent: Int = 0, failed: Int = 0, retrying: Int = 0) {
            self.sent = sent
            self.failed = failed
            self.retrying = retrying
        }
    }

    let database: Database
    let clock: any LedgerClock
    let notifier: any Notifier

    public init(database: Database, clock: any LedgerClock, notifier: any Notifier) {
        self.database = database
        self.clock = clock
        self.notifier = notifier
    }

    /// Claims up to `limit` pending messages, delivers them one by one and records each outcome with the attempt count;
    /// one audit entry for the pass. Several servers may drain at once: a claim is a conditional update, so each
    /// message goes to one of them.
    @discardableResult
    public func drain(limit: Int = 200) async throws -> Summary {
        let at = clock.now()
        let now = Timestamp.storage(at), stale = Timestamp.storage(at - Self.claimTimeout)
        let claimed: [OutboxMessage] = try await database.transaction { db in
            let ids = try await db.raw("""
                SELECT id FROM outbox WHERE status = 'pending' OR (status = 'sending' AND claimed_at < \(bind: stale)) ORDER BY id LIMIT \(literal: limit)
                """).all(decodingColumn: "id", as: Int64.self)
            guard !ids.isEmpty else { return [] }
            return try await db.raw("""
                UPDATE outbox SET status = 'sending', claimed_at = \(bind: now)
                WHERE id IN (\(binds: ids)) AND (status = 'pending' OR (status = 'sending' AND claimed_at < \(bind: stale)))
                RETURNING id, channel, recipient, kind, title, body, link, created_at
                """).all(decoding: OutboxMessage.self, keyDecodingStrategy: .convertFromSnakeCase).sorted { $0.id < $1.id }
        }
        guard !claimed.isEmpty else { return Summary() }
        var outcomes: [(Int64, String?)] = []
        for message in claimed {
            do {
                try await notifier.deliver(message)
                outcomes.append((message.id, nil))
            } catch {
                outcomes.append((message.id, String(String(describing: error).prefix(500))))
            }
        }
        let done = Timestamp.storage(clock.now())
        let results = outcomes
        return try await database.transaction { db in
            var summary = Summary()
            for (id, failure) in results {
                if let failure {
                    let attempts = (try await db.raw("SELECT attempts FROM outbox WHERE id = \(bind: id)").first(decodingColumn: "attempts", as: Int.self) ?? 0) + 1
                    let status = attempts >= Self.maxAttempts ? "failed" : "pending"
                    if status == "failed" { summary.failed += 1 } else { summary.retrying += 1 }
                    try await db.raw("""
                        UPDATE outbox SET status = \(bind: status), attempts = \(bind: attempts), last_error = \(bind: failure), claimed_at = NULL WHERE id = \(bind: id)
                        """).run()
                } else {
                    summary.sent += 1
                    try await db.raw("""
                        UPDATE outbox SET status = 'sent', attempts = attempts + 1, sent_at = \(bind: done), last_error = NULL WHERE id = \(bind: id)
                        """).run()
                }
            }
            try await AuditLog.record(on: db, scope: .system, at: at, action: "drain", entity: "outbox", entityId: now, regionPath: nil,
                                      after: ["sent": summary.sent, "failed": summary.failed, "retrying": summary.retrying])
            return summary
        }
    }

    /// Counts per status (for operators and tests).
    public func counts() async throws -> [String: Int] {
        try await database.read { db in
            var result: [String: Int] = [:]
            for row in try await db.raw("SELECT status, COUNT(*) AS n FROM outbox GROUP BY status").all() {
                result[try row.decode(column: "status", as: String.self)] = try row.decode(column: "n", as: Int.self)
            }
            return result
        }
    }
}
