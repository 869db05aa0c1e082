import Foundation
import LedgerCore
import LedgerTestSupport
import SQLKit
import Testing

/// The to-do list per role and its scoping, the notifications events create (and who may read them), and the outbox
/// drained into the file notifier (docs/design.md §29).
@Suite struct TodoNotificationTests {
    static let kinds = TestDatabase.available
    static let pdf = Array("%PDF-1.4\n1 0 obj\n<<>>\nendobj\n".utf8)

    static func counts(_ items: [TodoList.Item]) -> [String: Int] {
        Dictionary(uniqueKeysWithValues: items.map { ($0.key, $0.count) })
    }

    static func openWarnings(_ database: Database, company: Int64) async throws -> Int {
        try await database.read { db in
            try await db.raw("SELECT COUNT(*) AS n FROM warnings WHERE company_id = \(bind: company) AND status = 'open'").first(decodingColumn: "n", as: Int.self) ?? 0
        }
    }

    static func inbox(_ database: Database, _ world: World, _ user: User) async throws -> [Notifications.Notification] {
        try await Notifications(database: database, clock: world.clock).inbox(scope: user.scope, page: 1).items
    }

    static func fileComplaint(_ world: World, estate: Estate) async throws -> Int64 {
        let code = try await Complaints(database: world.database, clock: world.clock, filesDirectory: NSTemporaryDirectory())
            .file(ComplaintInput(estateId: estate.id, category: "revenue_undisclosed", content: "停车费收入从未公示，请核查处理"), uploads: [], address: "192.0.2.7")
        return try await world.database.read { db in
            try await db.raw("SELECT id FROM complaints WHERE tracking_code = \(bind: code)").first(decodingColumn: "id", as: Int64.self)!
        }
    }

    // MARK: Tests

    /// A company's list counts its own estate's unfiled quarter, warnings, problems and letters — never county B's.
    @Test(arguments: kinds)
    func aCompanysToDoCountsOnlyItsOwnEstates(kind: TestDatabase.Kind) async throws {
        try await withDatabase(kind) { database in
            // setup
            let world = try await World.build(in: database)
            try await WarningEngine(database: database, clock: world.clock).run(quarters: 1)
            let problems = Problems(database: database, clock: world.clock, filesDirectory: NSTemporaryDirectory())
            _ = try await problems.create(ProblemInput(estateId: world.a.estate.id, category: "revenue_no_account", description: "未设专户"),
                                          scope: world.a.users[.regulator]!.scope)
            for _ in 0..<2 {
                _ = try await problems.create(ProblemInput(estateId: world.b.estate.id, category: "revenue_no_account", description: "未设专户"),
                                              scope: world.b.users[.regulator]!.scope)
            }
            let todo = TodoList(database: database, clock: world.clock)
            // MUT
            let items = try await todo.items(scope: world.a.users[.company]!.scope)
            // validation
            let counts = Self.counts(items)
            let aWarnings = try await Self.openWarnings(database, company: world.a.company.id)
            #expect(aWarnings > 0)
            #expect(counts == ["filings": 1, "questions": 0, "warnings": aWarnings, "problems": 1, "letters": 0])
            let filings = try #require(items.first { $0.key == "filings" })
            #expect(filings.label == "2024年第3季度公示逾期未提交" && filings.urgency == .overdue && filings.link == "/filings?quarter=2024Q3&state=missing")
            #expect(Self.counts(try await todo.items(scope: world.b.users[.company]!.scope))["problems"] == 2)
            // Past the deadline the ladder sends a 提醒函: the company's list and inbox show it.
            world.clock.advance(by: 32 * 86_400)
            #expect(try await Escalation(database: database, clock: world.clock).run() >= 1)
            #expect(Self.counts(try await todo.items(scope: world.a.users[.company]!.scope))["letters"] == 1)
            let letters = try await Self.inbox(database, world, world.a.users[.company]!).filter { $0.kind == "letter_issued" }
            #expect(letters.count == 1 && letters[0].body.contains("整改提醒函") && letters[0].link.hasSuffix("/letters/reminder"))
            #expect(try await Self.inbox(database, world, world.b.users[.company]!).allSatisfy { !$0.body.contains(world.a.estate.name) })
        }
    }

    /// An officer's list: complaints due within three working days, new warnings, rectifications awaiting verification —
    /// each from their own county only.
    @Test(arguments: kinds)
    func anOfficersToDoCountsOnlyTheirDistrict(kind: TestDatabase.Kind) async throws {
        try await withDatabase(kind) { database in
            // setup
            let world = try await World.build(in: database)
            try await WarningEngine(database: database, clock: world.clock).run(quarters: 1)
            _ = try await Self.fileComplaint(world, estate: world.a.estate)
            _ = try await Self.fileComplaint(world, estate: world.b.estate)
            _ = try await Self.fileComplaint(world, estate: world.b.estate)
            let problems = Problems(database: database, clock: world.clock, filesDirectory: NSTemporaryDirectory())
            let problem = try await problems.create(ProblemInput(estateId: world.a.estate.id, category: "revenue_no_account", description: "未设专户"),
                                                    scope: world.a.users[.regulator]!.scope)
            _ = try await problems.act(.rectify, on: problem, note: "已开立专户", uploads: [.init(filename: "a.pdf", bytes: Self.pdf)],
                                       scope: world.a.users[.company]!.scope)
            let todo = TodoList(database: database, clock: world.clock)
            let regulatorA = world.a.users[.regulator]!.scope
            let before = Self.counts(try await todo.items(scope: regulatorA))
            // Fifteen working days to handle: 12 working days later the complaint is due within three.
            world.clock.advance(by: 16 * 86_400)
            // MUT
            let after = Self.counts(try await todo.items(scope: regulatorA))
            // validation
            let aWarnings = try await database.read { db in
                try await db.raw("SELECT COUNT(*) AS n FROM warnings WHERE region_path LIKE \(bind: world.a.county.path + "%") AND status = 'open'")
                    .first(decodingColumn: "n", as: Int.self) ?? 0
            }
            #expect(before["complaints_due"] == 0 && before["complaints_overdue"] == 0)
            #expect(after["complaints_due"] == 1 && after["complaints_overdue"] == 0, "county B's two complaints are not counted: \(after)")
            #expect(after["warnings"] == aWarnings && after["rectifications"] == 1 && after["campaign_reports"] == 0)
            let regulatorB = Self.counts(try await todo.items(scope: world.b.users[.regulator]!.scope))
            #expect(regulatorB["complaints_due"] == 2 && regulatorB["rectifications"] == 0)
            #expect(Self.counts(try await todo.items(scope: world.a.users[.street]!.scope))["rectifications"] == 1)
            #expect(try await todo.items(scope: world.a.users[.committee]!.scope).isEmpty)
            // The submitted rectification reached the officer who opened the problem, in their inbox too.
            let told = try await Self.inbox(database, world, world.a.users[.regulator]!).filter { $0.kind == "rectification_submitted" }
            #expect(told.count == 1 && told[0].link == "/problems/\(problem)" && told[0].body.contains("请核验"))
            #expect(try await Self.inbox(database, world, world.a.users[.street]!).allSatisfy { $0.kind != "rectification_submitted" })
        }
    }

    /// Events notify the responsible users in their own transaction; a user sees and marks only their own.
    @Test(arguments: kinds)
    func eventsNotifyTheResponsibleUsersAndOnlyTheyReadThem(kind: TestDatabase.Kind) async throws {
        try await withDatabase(kind) { database in
            // setup
            let world = try await World.build(in: database)
            let notifications = Notifications(database: database, clock: world.clock)
            // MUT
            let complaint = try await Self.fileComplaint(world, estate: world.a.estate)
            try await WarningEngine(database: database, clock: world.clock).run(quarters: 1)
            // validation
            let street = try await Self.inbox(database, world, world.a.users[.street]!)
            #expect(street.map(\.kind).sorted() == ["complaint_received", "warnings_raised"])
            #expect(street.first { $0.kind == "complaint_received" }?.link == "/complaints/\(complaint)")
            #expect(try await Self.inbox(database, world, world.a.users[.regulator]!).count == 2)
            #expect(try await Self.inbox(database, world, world.b.users[.regulator]!).map(\.kind) == ["warnings_raised"], "B hears of its own warnings only")
            let company = try await Self.inbox(database, world, world.a.users[.company]!)
            #expect(company.map(\.kind) == ["warnings_raised"] && company[0].link == "/warnings?status=open")
            #expect(try await Self.inbox(database, world, world.a.users[.committee]!).isEmpty)
            // Another user's notification is "not found" and stays unread.
            let mine = company[0]
            await #expect(throws: LedgerError.self) { try await notifications.markRead(mine.id, scope: world.b.users[.company]!.scope) }
            #expect(try await notifications.unreadCount(userId: world.a.users[.company]!.id) == 1)
            #expect(try await notifications.markRead(mine.id, scope: world.a.users[.company]!.scope).isRead)
            #expect(try await notifications.unreadCount(userId: world.a.users[.company]!.id) == 0)
            #expect(try await notifications.markAllRead(scope: world.a.users[.street]!.scope) == 2)
            #expect(try await notifications.unreadCount(userId: world.b.users[.regulator]!.id) == 1)
            // Unread first.
            _ = try await Self.fileComplaint(world, estate: world.a.estate)
            let order = try await Self.inbox(database, world, world.a.users[.street]!)
            #expect(order.map(\.isRead) == [false, true, true])
        }
    }

    /// A published quarter's question reaches the company that manages the estate, and no one else.
    @Test(arguments: kinds)
    func anOwnersQuestionNotifiesTheCompany(kind: TestDatabase.Kind) async throws {
        try await withDatabase(kind) { database in
            // setup
            let world = try await World.build(in: database)
            let repository = DisclosureRepository(database: database, clock: world.clock)
            let quarter = Quarter(year: 2024, quarter: 2)!
            _ = try await repository.publish(estateId: world.a.estate.id, quarter: quarter, document: DisclosureSamples.valid(),
                                             reason: nil, scope: world.a.users[.company]!.scope)
            // MUT
            _ = try await OwnerQuestions(database: database, clock: world.clock)
                .ask(estateId: world.a.estate.id, QuestionInput(quarter: "2024Q2", item: "停车费", content: "停车费收入为何比上季度少一半？"), address: "192.0.2.9")
            // validation
            let inbox = try await Self.inbox(database, world, world.a.users[.company]!).filter { $0.kind == "question_asked" }
            #expect(inbox.count == 1 && inbox[0].link == "/estates/\(world.a.estate.id)#questions")
            #expect(try await Self.inbox(database, world, world.b.users[.company]!).allSatisfy { $0.kind != "question_asked" })
            #expect(Self.counts(try await TodoList(database: database, clock: world.clock).items(scope: world.a.users[.company]!.scope))["questions"] == 1)
        }
    }

    /// The outbox drains into the file notifier, one JSON line per message, once; a failing provider is retried and
    /// then left as failed.
    @Test(arguments: kinds)
    func theOutboxDrainsIntoTheFileNotifierOnce(kind: TestDatabase.Kind) async throws {
        try await withDatabase(kind) { database in
            // setup
            let world = try await World.build(in: database)
            _ = try await Self.fileComplaint(world, estate: world.a.estate)
            let path = NSTemporaryDirectory() + "outbox-\(UUID().uuidString)/outbox.jsonl"
            defer { try? FileManager.default.removeItem(atPath: (path as NSString).deletingLastPathComponent) }
            let outbox = Outbox(database: database, clock: world.clock, notifier: FileNotifier(path: path))
            // MUT
            let first = try await outbox.drain()
            let second = try await outbox.drain()
            // validation
            #expect(first == Outbox.Summary(sent: 2, failed: 0, retrying: 0), "county A's regulator and street officer")
            #expect(second == Outbox.Summary())
            let lines = try String(contentsOfFile: path, encoding: .utf8).split(separator: "\n")
            #expect(lines.count == 2)
            let message = try JSONDecoder().decode(OutboxMessage.self, from: Data(lines[0].utf8))
            #expect(message.kind == "complaint_received" && message.recipient == "regulator-a" && message.body.contains(world.a.estate.name))
            #expect(try await outbox.counts() == ["sent": 2])

            struct Down: Notifier {
                struct Unreachable: Error {}
                func deliver(_ message: OutboxMessage) async throws { throw Unreachable() }
            }
            _ = try await Self.fileComplaint(world, estate: world.b.estate)
            let failing = Outbox(database: database, clock: world.clock, notifier: Down())
            for _ in 1..<Outbox.maxAttempts { #expect(try await failing.drain() == Outbox.Summary(sent: 0, failed: 0, retrying: 2)) }
            #expect(try await failing.drain() == Outbox.Summary(sent: 0, failed: 2, retrying: 0))
            #expect(try await failing.drain() == Outbox.Summary())
            #expect(try await outbox.counts() == ["sent": 2, "failed": 2])
        }
    }
}
