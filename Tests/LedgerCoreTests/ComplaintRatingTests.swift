import Foundation
import LedgerCore
import LedgerTestSupport
import SQLKit
import Testing

/// 办结答复 and the complainant's rating (docs/design.md §28): closing needs a public reply, each closure is rated once,
/// 不满意 reopens within the window and not after, and the dashboard's 满意率 counts the ratings of its jurisdiction only.
@Suite struct ComplaintRatingTests {
    static let kinds = TestDatabase.available

    static func desk(_ world: World) -> Complaints {
        Complaints(database: world.database, clock: world.clock, filesDirectory: NSTemporaryDirectory() + "ledger-test-files")
    }

    /// A complaint about `side`'s estate, filed, assigned to its street and closed as fixed with a reply: (id, tracking code).
    static func closed(_ world: World, _ side: World.Side, address: String) async throws -> (Int64, String) {
        let desk = desk(world)
        let code = try await desk.file(ComplaintInput(estateId: side.estate.id, category: "revenue_undisclosed", content: "小区停车费收入一直没有公示，请核查。"),
                                       uploads: [], address: address)
        let id = try await ComplaintTests.id(world.database, code: code)
        let street = side.users[.street]!.scope
        try await desk.act(.assign, on: id, ComplaintStep(), scope: street)
        try await desk.act(.close, on: id, ComplaintStep(note: "现场核查，已补充公示", outcome: .fixed, reply: "物业公司已在公示栏补充公示停车费收支，请您监督。"),
                           scope: street)
        return (id, code)
    }

    static func count(_ database: Database, _ table: String, action: String? = nil) async throws -> Int {
        try await database.read { db in
            if let action {
                return try await db.raw("SELECT COUNT(*) AS n FROM \(ident: table) WHERE action = \(bind: action)").first(decodingColumn: "n", as: Int.self) ?? -1
            }
            return try await db.raw("SELECT COUNT(*) AS n FROM \(ident: table)").first(decodingColumn: "n", as: Int.self) ?? -1
        }
    }

    // MARK: Tests

    @Test(arguments: kinds)
    func closingIsRefusedWithoutAReplyToTheComplainant(kind: TestDatabase.Kind) async throws {
        try await withDatabase(kind) { database in
            // setup
            let world = try await World.build(in: database)
            let desk = Self.desk(world)
            let street = world.a.users[.street]!.scope
            let code = try await desk.file(ComplaintTests.fields(world), uploads: [], address: "203.0.113.30")
            let id = try await ComplaintTests.id(database, code: code)
            try await desk.act(.assign, on: id, ComplaintStep(), scope: street)
            let before = try await ComplaintTests.counts(database)
            // MUT: nothing filled in, then everything but the reply (blank counts as missing)
            let empty = await #expect(throws: FieldErrors.self) { try await desk.act(.close, on: id, ComplaintStep(), scope: street) }
            let noReply = await #expect(throws: FieldErrors.self) {
                try await desk.act(.close, on: id, ComplaintStep(note: "已补充公示", outcome: .fixed, reply: "  \n "), scope: street)
            }
            // validation: every field error at once, in Chinese, and nothing written
            #expect(Set(empty?.items.compactMap(\.field) ?? []) == ["note", "outcome", "reply"])
            #expect(noReply?.items.map(\.field) == ["reply"] && noReply?.items.first?.code == "required")
            #expect(noReply?.message(for: "reply") == "办结前须填写给投诉人的答复（投诉人在查询页可以看到）")
            #expect(try await ComplaintTests.counts(database) == before)
            // With the reply it closes, and the reply is what the complainant reads on the tracking page.
            let closed = try await desk.act(.close, on: id, ComplaintStep(note: "已补充公示", outcome: .fixed, reply: "已责令物业公司补充公示，请您监督。"),
                                            scope: street)
            #expect(closed.status == .closed && closed.reply == "已责令物业公司补充公示，请您监督。" && closed.repliedAt == closed.closedAt)
            let tracking = try await desk.track(code: code)
            #expect(tracking.reply == "已责令物业公司补充公示，请您监督。" && tracking.publicEvents.contains { $0.note == tracking.reply })
            #expect(tracking.canRate && tracking.rating == nil && tracking.rateUntil == "2025-01-18")
        }
    }

    @Test(arguments: kinds)
    func eachClosureIsRatedOnceOnly(kind: TestDatabase.Kind) async throws {
        try await withDatabase(kind) { database in
            // setup
            let world = try await World.build(in: database)
            let desk = Self.desk(world)
            let open = try await desk.file(ComplaintTests.fields(world), uploads: [], address: "203.0.113.31")
            let (id, code) = try await Self.closed(world, world.a, address: "203.0.113.32")
            let audits = try await Self.count(database, "audit_log")
            // MUT + validation: refusals write nothing
            await #expect(throws: FieldErrors.self, "a rating must be chosen") { try await desk.rate(code: code, rating: nil, comment: "") }
            await #expect(throws: LedgerError(.conflict, code: "not_closed", message: "该投诉尚未办结，办结后才能评价", field: "rating")) {
                try await desk.rate(code: open, rating: .satisfied, comment: "")
            }
            await #expect(throws: LedgerError.self) { try await desk.rate(code: "TS2345678923", rating: .satisfied, comment: "") }
            #expect(try await Self.count(database, "complaint_ratings") == 0)
            #expect(try await Self.count(database, "audit_log") == audits)
            let result = try await desk.rate(code: code.lowercased(), rating: .basicallySatisfied, comment: "基本解决")
            #expect(result.reopenedUntil == nil)
            let again = await #expect(throws: LedgerError.self) { try await desk.rate(code: code, rating: .dissatisfied, comment: "改主意了") }
            #expect(again?.code == "already_rated")
            // One rating, one audit entry at the complaint's region path, the complaint still closed, the rating on the page.
            #expect(try await Self.count(database, "complaint_ratings") == 1)
            let (complaint, events) = try await desk.complaint(id, scope: world.a.users[.street]!.scope)
            #expect(complaint.status == .closed && events.last?.action == "rate" && events.last?.note == "投诉人评价：基本满意：基本解决")
            let audit = try await database.read { db in
                try await db.raw("SELECT region_path FROM audit_log WHERE action = 'rate' AND entity = 'complaint'").all(decodingColumn: "region_path", as: String.self)
            }
            #expect(audit == [world.a.estate.regionPath])
            let tracking = try await desk.track(code: code)
            #expect(tracking.rating?.rating == .basicallySatisfied && tracking.rating?.comment == "基本解决" && !tracking.canRate && !tracking.ratingExpired)
        }
    }

    @Test(arguments: kinds)
    func dissatisfiedReopensWithinTheWindowAndNotAfter(kind: TestDatabase.Kind) async throws {
        try await withDatabase(kind) { database in
            // setup
            let world = try await World.build(in: database)
            let desk = Self.desk(world)
            let street = world.a.users[.street]!.scope
            let (id, code) = try await Self.closed(world, world.a, address: "203.0.113.33")
            world.clock.advance(by: 10 * 86_400)
            // MUT: 不满意 ten days after closing
            let result = try await desk.rate(code: code, rating: .dissatisfied, comment: "")
            // validation: back to 办理中 with the same handler and a new deadline (15 working days from 29 November 2024),
            // the handler's inbox shows it, the tracking page says so and offers no rating while it is open
            #expect(result.reopenedUntil == "2024-12-20")
            let (reopened, events) = try await desk.complaint(id, scope: street)
            #expect(reopened.status == .assigned && reopened.handler == street.username && reopened.deadline == "2024-12-20")
            #expect(reopened.reopenedCount == 1 && reopened.outcome == nil && reopened.closedAt == nil)
            #expect(events.suffix(2).map(\.action) == ["rate", "reopen"])
            var filter = CaseFilter()
            filter.status = "assigned"
            #expect(try await desk.list(scope: street, filter: filter).items.contains { $0.id == id })
            var tracking = try await desk.track(code: code)
            #expect(tracking.status == .assigned && !tracking.canRate && tracking.rating == nil)
            #expect(try await Self.count(database, "audit_log", action: "rate") == 1)
            // Closed again: the new closure may be rated afresh — but not after the window (60 days by default).
            try await desk.act(.close, on: id, ComplaintStep(note: "再次核查", outcome: .fixed, reply: "已补充电梯广告收入并重新公示。"), scope: street)
            world.clock.advance(by: 60 * 86_400 + 60)
            let late = await #expect(throws: LedgerError.self) { try await desk.rate(code: code, rating: .dissatisfied, comment: "仍不满意") }
            #expect(late?.code == "rating_expired" && late?.message == "办结已超过60天，评价已截止；如问题仍然存在，请重新投诉")
            tracking = try await desk.track(code: code)
            #expect(!tracking.canRate && tracking.ratingExpired && tracking.status == .closed)
            #expect(try await Self.count(database, "complaint_ratings") == 1)
            // A region may shorten the window: 15 days in county A refuses a rating 16 days after closing.
            let (_, other) = try await Self.closed(world, world.a, address: "203.0.113.34")
            try await RegionSettings(database: database, clock: world.clock).set(regionCode: world.a.county.code, key: Complaints.ratingDaysKey, value: "15",
                                                                                  scope: .system)
            world.clock.advance(by: 16 * 86_400)
            let shortened = await #expect(throws: LedgerError.self) { try await desk.rate(code: other, rating: .dissatisfied, comment: "") }
            #expect(shortened?.code == "rating_expired")
        }
    }

    @Test(arguments: kinds)
    func satisfactionRateIsComputedAndScoped(kind: TestDatabase.Kind) async throws {
        try await withDatabase(kind) { database in
            // setup: in Q3 2024, three ratings in county A (满意, 基本满意, 不满意) and one 不满意 in county B
            let world = try await World.build(in: database)
            let now = world.clock.now()
            world.clock.set(Timestamp.parse("2024-08-01T02:00:00Z")!)
            let desk = Self.desk(world)
            for (index, rating) in [ComplaintRating.satisfied, .basicallySatisfied, .dissatisfied].enumerated() {
                let (_, code) = try await Self.closed(world, world.a, address: "203.0.113.\(40 + index)")
                try await desk.rate(code: code, rating: rating, comment: "")
            }
            let (_, inB) = try await Self.closed(world, world.b, address: "203.0.113.50")
            try await desk.rate(code: inB, rating: .dissatisfied, comment: "")
            world.clock.set(now)
            let dashboard = Dashboard(database: database, clock: world.clock)
            let q3 = Quarter(year: 2024, quarter: 3)!
            // MUT
            let countyA = try await dashboard.view(regionCode: world.a.county.code, quarter: q3, scope: world.a.users[.regulator]!.scope)
            let city = try await dashboard.view(regionCode: "350100", quarter: q3, scope: .system)
            let q2 = try await dashboard.view(regionCode: world.a.county.code, quarter: Quarter(year: 2024, quarter: 2)!, scope: world.a.users[.regulator]!.scope)
            // validation: (满意 + 基本满意) ÷ 已评价, the county's own ratings only; nothing rated is "—" (nil), never 0
            let kpi = try #require(countyA.kpis.first { $0.key == "satisfaction" })
            #expect(kpi.numerator == 2 && kpi.denominator == 3 && kpi.value == 2.0 / 3.0 && kpi.title == "投诉人满意率")
            #expect(kpi.note.contains("（满意＋基本满意）÷ 已评价"))
            #expect(city.figures.complaintsRated == 4 && city.figures.satisfactionRate == 0.5)
            #expect(city.units.first { $0.code == world.b.county.code }?.figures.satisfactionRate == 0)
            #expect(q2.figures.complaintsRated == 0 && q2.kpis.first { $0.key == "satisfaction" }?.value == nil)
            await #expect(throws: LedgerError.notFound("行政区划")) {
                try await dashboard.view(regionCode: world.b.county.code, quarter: q3, scope: world.a.users[.regulator]!.scope)
            }
        }
    }
}
