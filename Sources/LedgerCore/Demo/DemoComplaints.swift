import Foundation
import SQLKit

/// The demo's complaints over its eight quarters, from every source: most closed (some fixed, some without a fix),
/// some reopened by the complainant, some transferred, some still open and overdue; and a few estates that draw
/// repeated complaints in the last three months (rule W13).
struct DemoComplaints {
    let plan: DemoPlan
    let start: Day
    let today: Day

    static let sources: [(ComplaintSource, Int)] = [(.online, 35), (.hotline, 30), (.phone, 10), (.visit, 8), (.letter, 5), (.petition, 5),
                                                    (.superior, 4), (.media, 3)]
    static let categories: [(String, Int)] = [
        ("revenue_undisclosed", 18), ("revenue_ratio", 8), ("revenue_not_transferred", 5), ("revenue_unauthorized_use", 6), ("revenue_no_account", 4),
        ("common_area_business", 10), ("service_contract", 14), ("information_duty", 6), ("security_duty", 5), ("common_space_occupied", 8),
        ("service_room_use", 4), ("committee_failure", 4), ("old_elevator", 5), ("refuse_to_exit", 2), ("handover_duty", 2),
    ]
    static let contents: [String: [String]] = [
        "revenue_undisclosed": ["小区地面停车费收入从未公示，业主不知道钱去了哪里。", "电梯广告收入公示栏里看不到，物业说在系统里但找不到。"],
        "revenue_ratio": ["公共收益业主分成比例明显低于合同约定的七成。", "物业把停车收益大部分算作管理成本，业主分成很少。"],
        "revenue_not_transferred": ["业主分成一直没有转入公共收益专户。"],
        "revenue_unauthorized_use": ["物业未经业主大会同意用公共收益支付了绿化改造费用。"],
        "revenue_no_account": ["小区没有设立公共收益专户，收益混在物业公司账上。"],
        "common_area_business": ["物业把小区广场出租给商家搞促销，收入去向不明。", "物业在楼道里摆放广告牌收费。"],
        "service_contract": ["保洁不到位，垃圾两天没人清运。", "门岗经常无人值守，外来车辆随意进出。"],
        "information_duty": ["物业服务收费标准没有在小区公示。"],
        "security_duty": ["监控设备坏了半年没有维修。"],
        "common_space_occupied": ["架空层被封闭改成仓库出租。", "避难层被堆放杂物占用。"],
        "service_room_use": ["物业服务用房被改成商铺出租。"],
        "committee_failure": ["业委会任期届满两年没有换届。"],
        "old_elevator": ["电梯使用二十年经常故障，维修资金申请一直没有进展。"],
        "refuse_to_exit": ["合同到期业主大会已选聘新物业，原物业拒不退出。"],
        "handover_duty": ["原物业撤出时未移交业主名册和图纸资料。"],
    ]
    static let surnames = ["陈", "林", "黄", "张", "李", "王", "吴", "刘", "郑", "杨"]

    struct Row {
        var code: String, source: ComplaintSource, ref: String?, estate: DemoPlan.PlannedEstate, category: String, content: String
        var name: String?, phone: String?, received: Date, deadline: Day, status: String, outcome: String?, closed: Date?, reply: String?
        var reopened: Int, transferredTo: String?, decision: String?
        var events: [(Date, String, String, String, Bool)] = []  // at, username, action, note, public
        var ratings: [Rated] = []
    }

    /// A complainant's rating of one closure (docs/design.md §28).
    struct Rated {
        let round: Int, rating: ComplaintRating, comment: String?, closedAt: Date, outcome: String, ratedAt: Date
    }

    /// A number in 0..<100 drawn from the tracking code, not from the demo's random stream: ratings leave every other
    /// figure of a seed as it was.
    static func dice(_ code: String, _ salt: UInt64) -> Int {
        var hash: UInt64 = 14_695_981_039_346_656_037 &+ salt
        for byte in code.utf8 { hash = (hash ^ UInt64(byte)) &* 1_099_511_628_211 }
        return Int(hash % 100)
    }

    func build(random: inout SeededRandom) -> (rows: [Row], truth: [DemoTruth]) {
        let managed = plan.estates.filter { $0.companyId != nil }
        guard !managed.isEmpty else { return ([], []) }
        let span = start.days(until: today)
        var rows: [Row] = []
        let count = max(12, plan.estates.count * 3 / 10)
        for _ in 0..<count {
            let day = start.adding(days: Int.random(in: 0..<max(1, span), using: &random))
            rows.append(make(managed.randomElement(using: &random)!, day: day, random: &random))
        }
        // Repeated complaints: a few estates draw three or four in the last eighty days.
        let clusters = max(3, managed.count / 120)
        var clustered: Set<Int64> = []
        for _ in 0..<clusters {
            let estate = managed.randomElement(using: &random)!
            clustered.insert(estate.id)
            for _ in 0..<Int.random(in: 3...4, using: &random) {
                rows.append(make(estate, day: today.adding(days: -Int.random(in: 1...80, using: &random)), random: &random, category: "revenue_undisclosed"))
            }
        }
        rows.sort { $0.received < $1.received }
        // W13 looks at the last 90 days: the planted clusters, and any estate that reached three by chance.
        let since = today.adding(days: -90).description
        var recent: [Int64: Int] = [:]
        for row in rows where Timestamp.shanghaiDay(row.received) >= since { recent[row.estate.id, default: 0] += 1 }
        let current = Quarter(containing: today).previous
        let truth = recent.filter { $0.value >= 3 }.keys.sorted().map {
            DemoTruth(rule: "W13", estateId: $0, year: current.year, quarter: current.quarter,
                      planted: clustered.contains($0) ? "近90天集中投诉" : "近90天投诉自然达到3件")
        }
        return (rows, truth)
    }

    func make(_ estate: DemoPlan.PlannedEstate, day: Day, random: inout SeededRandom, category fixed: String? = nil) -> Row {
        let source = random.weighted(Self.sources)
        let category = fixed ?? random.weighted(Self.categories)
        let hour = Double(Int.random(in: 1...10, using: &random)) * 3600 + Double(Int.random(in: 0...3599, using: &random))
        let received = Timestamp.parse("\(day.adding(days: -1))T16:00:00Z")! + hour
        let deadline = day.addingWorkingDays(15)
        let alphabet = Array("23456789ABCDEFGHJKMNPQRSTUVWXYZ")
        let code = "TS" + String((0..<10).map { _ in alphabet.randomElement(using: &random)! })
        let named = random.chance(0.6)
        var row = Row(code: code, source: source, ref: source == .online ? nil : "\(source.rawValue.uppercased())-\(day.year)-\(Int.random(in: 10_000...99_999, using: &random))",
                      estate: estate, category: category, content: Self.contents[category]!.randomElement(using: &random)!,
                      name: named ? Self.surnames.randomElement(using: &random)! + ["先生", "女士", "伟", "芳", "强", "敏"].randomElement(using: &random)! : nil,
                      phone: named ? "13\(Int.random(in: 100_000_000...999_999_999, using: &random))" : nil, received: received, deadline: deadline,
                      status: "received", outcome: nil, closed: nil, reply: nil, reopened: 0, transferredTo: nil, decision: nil)
        let receiver = source == .online ? "网上投诉" : "street"
        row.events.append((received, receiver, "receive", "已受理（\(source.title)），办理时限 \(deadline)", true))
        let age = day.days(until: today)
        let handler = "street"
        if age >= 2 && (age > 25 || random.chance(0.7)) {
            row.status = "assigned"
            row.events.append((received + 86_400, handler, "assign", "分派至属地街道，办理时限 \(deadline)", true))
        }
        if row.status == "assigned" && random.chance(0.06) {
            let to = random.chance(0.5) ? "oversight" : "department"
            row.transferredTo = to
            row.events.append((received + 3 * 86_400, handler, "transfer", "移交\(to == "oversight" ? "纪委监委" : "协同部门")：线索涉及公共收益去向", true))
            if age > 30 {
                row.decision = to == "oversight" ? "已转有关部门核查" : "已责令限期改正"
                row.events.append((received + 10 * 86_400, to == "oversight" ? "jiwei" : "dept", "decide", "处理意见：\(row.decision!)", false))
            } else {
                row.status = "transferred"
            }
        }
        if row.status == "assigned" && age > 25 && random.chance(0.92) {
            let closedAt = received + Double(Int.random(in: 4...20, using: &random)) * 86_400
            let outcome = row.transferredTo != nil ? "transferred" : random.weighted([("fixed", 60), ("unsubstantiated", 20), ("not_responsible", 8), ("duplicate", 7)])
            row.reply = outcome == "fixed" ? "经核查情况属实，已责令物业服务企业整改到位。" : "经核查，反映情况与事实不符，已向您说明。"
            row.events.append((closedAt - 3_600, handler, "reply", row.reply!, true))
            row.events.append((closedAt, handler, "close", "办结（\(ComplaintOutcome(rawValue: outcome)!.title)）：已现场核查并答复", true))
            row.status = "closed"
            row.outcome = outcome
            row.closed = closedAt
            if random.chance(0.06) && age > 40 {
                row.reopened = 1
                let again = closedAt + 5 * 86_400
                row.ratings.append(Rated(round: 0, rating: .dissatisfied, comment: "问题仍未解决", closedAt: closedAt, outcome: outcome, ratedAt: again))
                row.events.append((again, "complainant", "rate", "投诉人评价：不满意：问题仍未解决", true))
                row.events.append((again, "complainant", "reopen", "投诉人不满意，重新办理：问题仍未解决", true))
                row.reply = "经再次核查，物业服务企业已整改到位，请您监督。"
                row.events.append((again + 6 * 86_400 - 3_600, handler, "reply", row.reply!, true))
                row.events.append((again + 6 * 86_400, handler, "close", "办结（已解决）：再次核查，已整改到位", true))
                row.outcome = "fixed"
                row.closed = again + 6 * 86_400
            }
            rate(&row)
        }
        return row
    }

    /// About two in three closures are rated within three days: mostly 满意 or 基本满意 after a fix, more 不满意 after a
    /// closure without one. A 不满意 on the last closure within the window reopens it (back to 办理中 with a new deadline).
    func rate(_ row: inout Row) {
        guard let closed = row.closed, let outcome = row.outcome, Self.dice(row.code, 1) < 65 else { return }
        let ratedAt = closed + Double(1 + Self.dice(row.code, 2) % 3) * 86_400
        guard Timestamp.shanghaiDay(ratedAt) < today.description else { return }
        let roll = Self.dice(row.code, 3)
        let rating: ComplaintRating = outcome == "fixed" ? (roll < 70 ? .satisfied : roll < 92 ? .basicallySatisfied : .dissatisfied)
            : (roll < 35 ? .satisfied : roll < 70 ? .basicallySatisfied : .dissatisfied)
        let comment: String? = rating == .dissatisfied ? "答复没有说明整改的具体时间" : rating == .satisfied && roll % 2 == 0 ? "处理及时，谢谢" : nil
        row.ratings.append(Rated(round: row.reopened, rating: rating, comment: comment, closedAt: closed, outcome: outcome, ratedAt: ratedAt))
        row.events.append((ratedAt, "complainant", "rate", "投诉人评价：\(rating.title)" + (comment.map { "：\($0)" } ?? ""), true))
        guard rating == .dissatisfied else { return }
        let deadline = Day(Timestamp.shanghaiDay(ratedAt))!.addingWorkingDays(15)
        row.events.append((ratedAt, "complainant", "reopen", "投诉人不满意，重新办理：\(comment!)。新的办理时限 \(deadline)", true))
        row.reopened += 1
        row.deadline = deadline
        let again = ratedAt + 8 * 86_400
        if Timestamp.shanghaiDay(again + 86_400) < today.description {
            // Handled again and closed within the new deadline; the second closure is left unrated.
            row.reply = "已督促物业服务企业明确整改时间并完成整改，请您监督。"
            row.events.append((again - 3_600, "street", "reply", row.reply!, true))
            row.events.append((again, "street", "close", "办结（已解决）：再次核查，已整改到位", true))
            row.outcome = "fixed"
            row.closed = again
        } else {
            // Rated in the last days: still being handled again.
            row.status = "assigned"
            row.outcome = nil
            row.closed = nil
        }
    }

    func insert(_ rows: [Row], on db: any SQLDatabase) async throws {
        var complaints = BulkInsert(table: "complaints", columns: [
            "id", "tracking_code", "source", "source_ref", "estate_id", "company_id", "region_path", "category", "content", "complainant_name",
            "complainant_phone", "received_at", "received_by", "handling_region", "handler", "deadline", "status", "outcome", "closed_at",
            "closure_note", "reply", "replied_at", "reopened_count", "transferred_to", "transfer_decision", "updated_at",
        ], batchSize: 200)
        var events = BulkInsert(table: "complaint_events", columns: ["complaint_id", "at", "username", "role", "action", "note", "public"])
        var ratings = BulkInsert(table: "complaint_ratings", columns: [
            "complaint_id", "round", "rating", "comment", "closed_at", "outcome", "rated_at", "estate_id", "region_path",
        ])
        for (index, row) in rows.enumerated() {
            let id = Int64(index + 1)
            let street = row.estate.community.path.split(separator: "/").dropFirst(3).first.map(String.init)
            let handler = row.status == "received" ? nil : "street"
            try await complaints.add([
                id, row.code, row.source.rawValue, row.ref, row.estate.id, row.estate.companyId, row.estate.community.path, row.category, row.content,
                row.name, row.phone, Timestamp.storage(row.received), row.source == .online ? "网上投诉" : "street", street, handler,
                row.deadline.description, row.status, row.outcome, row.closed.map(Timestamp.storage), row.closed == nil ? nil : "已现场核查并答复",
                row.reply, row.events.last(where: { $0.2 == "reply" }).map { Timestamp.storage($0.0) }, row.reopened, row.transferredTo, row.decision,
                Timestamp.storage(row.events.last!.0),
            ], on: db)
        }
        try await complaints.flush(on: db)
        for (index, row) in rows.enumerated() {
            for (at, user, action, note, isPublic) in row.events {
                let role = user == "网上投诉" || user == "complainant" ? "anonymous" : user == "jiwei" ? "oversight" : user == "dept" ? "department" : "street"
                try await events.add([Int64(index + 1), Timestamp.storage(at), user, role, action, note, isPublic ? 1 : 0], on: db)
            }
        }
        try await events.flush(on: db)
        for (index, row) in rows.enumerated() {
            for r in row.ratings {
                try await ratings.add([Int64(index + 1), r.round, r.rating.rawValue, r.comment, Timestamp.storage(r.closedAt), r.outcome,
                                       Timestamp.storage(r.ratedAt), row.estate.id, row.estate.community.path], on: db)
            }
        }
        try await ratings.flush(on: db)
        try await BulkInsert.resetSequence(table: "complaints", on: db)
    }
}
