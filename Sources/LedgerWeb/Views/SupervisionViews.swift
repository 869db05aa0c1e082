import Foundation
import LedgerCore

/// A sub-region's standing as a table row.
struct StandingRow: Sendable {
    let code: String
    let name: String
    let due: Int
    let onTime: String
    let overdueProblems: Int
    let overdueTasks: Int
    let lagging: Bool
    let facts: String

    init(_ s: RegionLetters.Standing) {
        code = s.code
        name = s.name
        due = s.due
        onTime = DashboardPage.percent(s.onTimeRate)
        overdueProblems = s.overdueProblems
        overdueTasks = s.overdueTasks
        lagging = s.lagging
        facts = s.facts.joined(separator: "；")
    }
}

/// A letter as a list row.
struct LetterRow: Sendable {
    let id: Int64
    let kind: String
    let number: String
    let from: String
    let to: String
    let issuedOn: String
    let replyDue: String
    let status: String
    let overdue: Bool

    init(_ l: RegionLetters.Letter, today: Day) {
        id = l.id
        kind = l.kind.title
        number = l.number
        from = l.fromName
        to = l.toName
        issuedOn = l.issuedOn
        replyDue = l.replyDue
        status = l.overdue(today: today) ? "逾期未答复" : l.statusTitle
        overdue = l.overdue(today: today)
    }
}

struct SupervisionPage: Sendable {
    let layout: Layout
    let regionCode: String
    let regionName: String
    let quarterTitle: String
    let standings: [StandingRow]
    let hasStandings: Bool
    let canIssue: Bool
    let letters: [LetterRow]
    let hasLetters: Bool
    let pager: Pager
    let month: String

    init(region: Region, standings: [RegionLetters.Standing], letters: Page<RegionLetters.Letter>, today: Day, canIssue: Bool, layout: Layout) {
        self.layout = layout
        regionCode = region.code
        regionName = region.name
        quarterTitle = standings.first?.quarter ?? ""
        self.standings = standings.map(StandingRow.init)
        hasStandings = !standings.isEmpty
        self.canIssue = canIssue
        self.letters = letters.items.map { LetterRow($0, today: today) }
        hasLetters = !letters.items.isEmpty
        pager = Pager(letters, base: "/supervision", query: [("region", region.code)])
        let previous = today.adding(days: -today.day)
        month = String(format: "%04d-%02d", previous.year, previous.month)
    }
}

struct SupervisionLetterFormPage: Sendable {
    let layout: Layout
    let regionName: String
    let kinds: [Option]
    let targets: [Option]
    let standings: [StandingRow]
    let to: Field
    let kind: Field
    let addressee: Field
    let replyDue: Field
    let requirements: Field
    let formError: String?

    init(region: Region, standings: [RegionLetters.Standing], values: [String: String], errors: FieldErrors, layout: Layout) {
        self.layout = layout
        regionName = region.name
        kinds = RegionLetters.Kind.allCases.map { Option(value: $0.rawValue, label: $0.title, selected: $0.rawValue == (values["letterKind"] ?? "reminder")) }
        targets = standings.map { Option(value: $0.code, label: $0.name + ($0.lagging ? "（工作滞后）" : ""), selected: $0.code == values["to"]) }
        self.standings = standings.map(StandingRow.init)
        to = Field("to", values, errors)
        kind = Field("letterKind", values, errors)
        addressee = Field("addressee", values, errors)
        replyDue = Field("replyDue", values, errors)
        requirements = Field("requirements", values, errors)
        formError = errors.items.first { !["to", "letterKind", "addressee", "replyDue", "requirements"].contains($0.field ?? "") }?.message
    }
}

struct SupervisionLetterPage: Sendable {
    let layout: Layout
    let id: Int64
    let kind: String
    let number: String
    let from: String
    let to: String
    let addressee: String
    let issuedOn: String
    let replyDue: String
    let status: String
    let overdue: Bool
    let facts: [String]
    let requirements: String
    let hasRequirements: Bool
    let hasReply: Bool
    let reply: String
    let repliedAt: String
    let canReply: Bool
    let replyField: Field

    init(_ l: RegionLetters.Letter, today: Day, canReply: Bool, values: [String: String], errors: FieldErrors, layout: Layout) {
        self.layout = layout
        id = l.id
        kind = l.kind.title
        number = l.number
        from = l.fromName
        to = l.toName
        addressee = l.addressee
        issuedOn = l.issuedOn
        replyDue = l.replyDue
        let row = LetterRow(l, today: today)
        status = row.status
        overdue = row.overdue
        facts = l.standing.facts
        requirements = l.requirements
        hasRequirements = !l.requirements.isEmpty
        hasReply = l.reply != nil
        reply = l.reply ?? ""
        repliedAt = l.repliedAt.map { Timestamp.display(stored: $0) } ?? ""
        self.canReply = canReply
        replyField = Field("reply", values, errors)
    }
}

/// The letter in the 公文 layout (GB/T 9704): issuing authority, document number, red rule, title, addressee flush left,
/// body, signature and date with the seal's place, and the 版记 (copy and printing line).
struct SupervisionLetterDocument: Sendable {
    let authority: String
    let number: String
    let title: String
    let addressee: String
    let paragraphs: [String]
    let signature: String
    let date: String
    let printedBy: String

    init(_ l: RegionLetters.Letter) {
        authority = "\(l.fromName)住房和城乡建设局"
        number = l.number
        title = "关于\(l.toName)小区公共收益整治工作推进情况的\(l.kind.title)"
        addressee = "\(l.addressee)："
        var body: [String] = []
        let facts = l.standing.facts.joined(separator: "；")
        body.append("根据小区公共收益专项整治工作安排，经平台统计，截至\(Self.chinese(l.issuedOn))，你辖区\(facts)。")
        if l.kind == .supervision {
            body.append("上述情况表明你辖区整治工作推进缓慢，现予督办。请高度重视，逐项落实整改，压实属地责任。逾期仍未整改到位的，将予以通报，并提请约谈相关负责人。")
        } else {
            body.append("请你单位对照上述情况抓紧推进，逐项落实整改。")
        }
        if !l.requirements.isEmpty { body.append(l.requirements) }
        body.append("请于\(Self.chinese(l.replyDue))前通过小区公共收益阳光监管平台书面答复整改落实情况。")
        paragraphs = body
        signature = "\(l.fromName)住房和城乡建设局"
        date = Gongwen.date(l.issuedOn)
        printedBy = "\(l.fromName)住房和城乡建设局　　\(Self.chinese(l.issuedOn))印发"
    }

    /// `2026-12-02` as the 公文 writes a date: 2026年12月2日.
    static func chinese(_ day: String) -> String { Day(day).map(InspectionLedgers.chinese) ?? day }
}

struct SupervisionBulletinDocument: Sendable {
    struct Row: Sendable {
        let rank: String
        let name: String
        let due: Int
        let onTime: String
        let account: String
        let overdueProblems: Int
        let overdueTasks: Int
        let letters: Int
    }
    struct Sent: Sendable { let text: String }

    let title: String
    let authority: String
    let summary: String
    let basis: String
    let rows: [Row]
    let hasRows: Bool
    let sent: [Sent]
    let hasSent: Bool
    let date: String

    init(_ b: MonthlyBulletin.Bulletin) {
        title = "\(b.region.name)小区公共收益专项整治工作月度通报（\(b.monthTitle)）"
        authority = "\(b.region.name)住房和城乡建设局"
        let lagging = b.rows.filter { $0.standing.lagging }.map(\.standing.name)
        summary = "本月通报\(b.rows.count)个下级辖区。公示情况按\(b.quarterTitle)统计；逾期问题和逾期任务截至\(SupervisionLetterDocument.chinese(b.asOf.description))。"
            + (lagging.isEmpty ? "各辖区均无滞后情况。" : "工作滞后的辖区：\(lagging.joined(separator: "、"))。")
        basis = "排名依据：按时公示率从高到低，相同时按专户开设率从高到低；应公示小区不足\(b.minimumSample)个的辖区只列示、不排名。"
        rows = b.rows.map {
            Row(rank: $0.rank.map { "\($0)" } ?? "不排名", name: $0.standing.name, due: $0.standing.due, onTime: DashboardPage.percent($0.standing.onTimeRate),
                account: DashboardPage.percent($0.accountRate), overdueProblems: $0.standing.overdueProblems, overdueTasks: $0.standing.overdueTasks,
                letters: $0.letters)
        }
        hasRows = !b.rows.isEmpty
        sent = b.letters.reversed().map { Sent(text: "\($0.issuedOn)向\($0.toName)发出\($0.kind.title)（\($0.number)），\($0.reply == nil ? "尚未答复" : "已答复")。") }
        hasSent = !b.letters.isEmpty
        date = SupervisionLetterDocument.chinese(b.asOf.description)
    }
}
