import Foundation
import SQLKit

/// Eight quarters of disclosures for every managed estate, realistic in amounts and seasonality, with faults
/// planted for each warning rule of docs/design.md §7.2, and the truth of what was planted.
struct DemoDisclosures {
    /// What goes wrong in one estate-quarter (at most one planted fault per estate, in the last four quarters,
    /// so that the history a rule compares against is clean).
    enum Fault: CaseIterable {
        case missing, late, zero, lowShare, transferShort, transferLate, noDecision, dropCategory, suddenDrop, padCost, lateDisplay, correction
    }

    struct Profile {
        let rate: Double              // yuan of income per household per quarter
        let shares: [(IncomeCategory, Double)]
        let costRatio: Double
        var opening: Int64
    }

    let plan: DemoPlan
    let quarters: [Quarter]
    let today: Day
    /// The registers the expenditures cite (`D{id}`); a planted W07 fault cites nothing.
    let decisions: DemoDecisions

    /// Builds every version in memory (cheap: a few tens of thousands of small values), in publishing order.
    func build(random: inout SeededRandom) -> (versions: [(PublishedVersion, [DisclosureLine])], truth: [DemoTruth]) {
        var versions: [(PublishedVersion, [DisclosureLine])] = []
        var truth: [DemoTruth] = []
        let contacts = Dictionary(uniqueKeysWithValues: plan.companies.map { ($0.id, ($0.contact, $0.phone)) })
        for estate in plan.estates {
            guard let companyId = estate.companyId else { continue }
            let lowIncome = random.chance(0.012)
            var profile = Self.profile(estate, lowIncome: lowIncome, random: &random)
            let contractStart = estate.contracts.last?.start ?? "0000"
            // The demo files only the current company's quarters: a quarter an earlier company owed (it managed the
            // estate on the quarter's last day, EstateFigures.filer) stays unfiled, and is that company's W01.
            let contracts = estate.contracts.map { EstateFigures.Contract(companyId: $0.company, start: $0.start, end: $0.end) }
            for quarter in quarters where quarter.lastDay.description < contractStart && EstateFigures.isPastDue(quarter, today: today)
                && EstateFigures.filer(of: quarter, contracts: contracts) != nil {
                truth.append(DemoTruth(rule: "W01", estateId: estate.id, year: quarter.year, quarter: quarter.quarter, planted: "季度末在管的原物业企业未公示"))
            }
            let firstFiled = quarters.firstIndex { $0.lastDay.description >= contractStart } ?? quarters.count
            var fault: (Fault, Int)? = !lowIncome && random.chance(0.14)
                ? (Fault.allCases.randomElement(using: &random)!, quarters.count - 1 - Int.random(in: 0...3, using: &random)) : nil
            // Faults go only where four clean quarters precede them, so the trend rules have a history to compare against.
            if let planned = fault, planned.1 - 4 < firstFiled { fault = nil }
            for (t, quarter) in quarters.enumerated() where quarter.lastDay.description >= contractStart {
                let planted = fault?.1 == t ? fault?.0 : nil
                func mark(_ rule: String, _ words: String) {
                    truth.append(DemoTruth(rule: rule, estateId: estate.id, year: quarter.year, quarter: quarter.quarter, planted: words))
                }
                if lowIncome { mark("W11", "户均收益持续偏低") }
                if planted == .missing { mark("W01", "逾期未公示"); continue }
                let season = [0.92, 1.0, 1.03, 1.06][quarter.quarter - 1] * pow(1.01, Double(t)) * Double.random(in: 0.96...1.04, using: &random)
                var income = Double(estate.households) * profile.rate * season
                var shares = profile.shares
                switch planted {
                case .zero: income = 0; mark("W03", "零收益"); mark("W09", "零收益即收入骤降"); mark("W11", "零收益即户均偏低")
                    if profile.shares.count > 0 { mark("W08", "零收益即收入项目消失") }
                case .suddenDrop: income *= 0.4; mark("W09", "收入骤降至约四成")
                case .dropCategory:
                    if let drop = shares.dropFirst().max(by: { $0.1 < $1.1 }), drop.1 < 0.45 {
                        shares.removeAll { $0.0 == drop.0 }
                        income *= 1 - drop.1
                        mark("W08", "\(drop.0.title)收入消失")
                    }
                default: break
                }
                let content = Self.content(income: income, shares: shares, profile: profile, estate: estate, quarter: quarter, fault: planted,
                                           contact: contacts[companyId] ?? ("王经理", "0591-87000000"),
                                           decision: decisions.spending[estate.id]?[quarter.year].map(OwnerDecision.reference) ?? "",
                                           ratioDecision: decisions.ratio[estate.id].map(OwnerDecision.reference) ?? "", random: &random)
                switch planted {
                case .lowShare: mark("W04", "业主分成低于约定比例")
                case .transferShort: mark("W05", "结余转存不足")
                case .transferLate: mark("W05", "结余转存逾期")
                case .noDecision: mark("W07", "支出未注明业主决议")
                case .padCost: mark("W10", "成本占收入八成以上")
                case .lateDisplay: mark("W02", "公示开始晚于截止日期")
                case .late: mark("W01", "逾期公示"); mark("W02", "逾期公示即公示开始晚")
                case .correction: mark("W12", "已公示数据被更正")
                default: break
                }
                let due = quarter.dueDate
                let publishDay = planted == .late ? content.displayFrom! : (content.displayFrom! < due ? content.displayFrom! : due)
                versions.append(Self.version(estate: estate, companyId: companyId, quarter: quarter, number: 1, content: content,
                                             publishedAt: "\(publishDay)T02:\(String(format: "%02d", Int.random(in: 0...59, using: &random))):00Z", reason: nil))
                var closing = content.closingBalance ?? .zero
                if planted == .correction {
                    var fixed = content
                    let extra = Money(fen: 50_000)
                    fixed.income[0] = .init(category: fixed.income[0].category, description: fixed.income[0].description, amount: fixed.income[0].amount + extra)
                    let owners = Money(fen: fixed.surplus.fen * Int64(estate.ownersShareBp) / 10_000)
                    fixed.ownersShare = owners
                    fixed.companyShare = fixed.surplus - owners
                    fixed.transferAmount = owners
                    versions.append(Self.version(estate: estate, companyId: companyId, quarter: quarter, number: 2, content: fixed,
                                                 publishedAt: "\(publishDay.adding(days: 12))T03:00:00Z", reason: "漏记一笔临时停车费500元，予以更正"))
                    closing = fixed.closingBalance ?? closing
                }
                profile.opening = closing.fen
            }
        }
        versions.sort { ($0.0.publishedAt, $0.0.estateId, $0.0.version) < ($1.0.publishedAt, $1.0.estateId, $1.0.version) }
        return (versions, truth)
    }

    static func profile(_ estate: DemoPlan.PlannedEstate, lowIncome: Bool, random: inout SeededRandom) -> Profile {
        var shares: [(IncomeCategory, Double)] = [(.parking, Double.random(in: 3...6, using: &random))]
        let optional: [(IncomeCategory, Double, Double)] = [
            (.advertisingElevator, estate.households >= 200 ? 0.8 : 0.1, 1.5), (.advertisingOther, 0.3, 0.6), (.venueRental, 0.25, 0.8),
            (.telecom, 0.3, 0.7), (.locker, 0.5, 0.4), (.evCharging, 0.4, 0.6),
        ]
        for (category, chance, weight) in optional where random.chance(chance) {
            shares.append((category, weight * Double.random(in: 0.7...1.3, using: &random)))
        }
        let total = shares.reduce(0) { $0 + $1.1 }
        return Profile(rate: lowIncome ? Double.random(in: 2...3.5, using: &random) : Double.random(in: 18...40, using: &random),
                       shares: shares.map { ($0.0, $0.1 / total) }, costRatio: Double.random(in: 0.2...0.45, using: &random),
                       opening: Int64.random(in: 1_000_000...20_000_000, using: &random))
    }

    static let lineNames: [IncomeCategory: String] = [
        .parking: "地面及地下公共车位停车费", .advertisingElevator: "电梯轿厢广告位租金", .advertisingOther: "道闸及宣传栏广告",
        .venueRental: "架空层及会所场地租赁", .telecom: "通信基站场地使用费", .locker: "智能快递柜场地费", .evCharging: "充电桩场地分成",
    ]

    static func content(income: Double, shares: [(IncomeCategory, Double)], profile: Profile, estate: DemoPlan.PlannedEstate, quarter: Quarter,
                        fault: Fault?, contact: (String, String), decision: String = "", ratioDecision: String = "",
                        random: inout SeededRandom) -> DisclosureContent {
        var c = DisclosureContent()
        if income > 0 {
            for (category, share) in shares {
                c.income.append(.init(category: category, description: lineNames[category] ?? category.title, amount: Money(fen: Int64(income * share * 100))))
            }
        }
        let incomeFen = c.incomeTotal.fen
        let ratio = fault == .padCost ? Double.random(in: 0.8...0.9, using: &random) : profile.costRatio
        let costFen = Int64(Double(incomeFen) * ratio)
        if costFen > 0 {
            let staff = costFen * 6 / 10, utilities = costFen * 3 / 10
            c.costs = [.init(description: "管理人员工资", amount: Money(fen: staff)), .init(description: "水电及设施维护", amount: Money(fen: utilities)),
                       .init(description: "税费", amount: Money(fen: costFen - staff - utilities))]
        }
        let surplus = max(0, c.surplus.fen)
        let bp = fault == .lowShare ? estate.ownersShareBp - 2_000 : estate.ownersShareBp
        let owners = surplus * Int64(bp) / 10_000
        c.ownersShare = Money(fen: owners)
        c.ratioDecision = ratioDecision
        c.companyShare = Money(fen: surplus - owners)
        c.openingBalance = Money(fen: profile.opening)
        if random.chance(0.25) || fault == .noDecision {
            let amount = min(profile.opening + owners, Int64.random(in: 100_000...800_000, using: &random))
            c.expenditures = [.init(description: ["更换单元门禁", "维修小区道路", "增设监控探头", "绿化补植"].randomElement(using: &random)!,
                                    amount: Money(fen: amount),
                                    decision: fault == .noDecision ? "" : decision)]
        }
        let end = quarter.lastDay
        if owners > 0 {
            c.transferAmount = Money(fen: fault == .transferShort ? owners / 2 : owners)
            c.transferDate = fault == .transferLate ? end.adding(days: 45) : end.adding(days: Int.random(in: 5...20, using: &random))
            c.transferTarget = DemoDecisions.transfersToMaintenanceFund(estate.id) ? .maintenanceFund : .dedicated
        }
        c.contactName = contact.0
        c.contactPhone = contact.1
        // A late filing is also displayed late: the notice goes up the day it is published, after the deadline.
        let from = fault == .lateDisplay ? quarter.dueDate.adding(days: 5)
            : fault == .late ? quarter.dueDate.adding(days: Int.random(in: 5...30, using: &random))
            : end.adding(days: Int.random(in: 5...25, using: &random))
        c.displayFrom = from
        c.displayUntil = from.adding(days: Int.random(in: 31...40, using: &random))
        return c
    }

    static func version(estate: DemoPlan.PlannedEstate, companyId: Int64, quarter: Quarter, number: Int, content c: DisclosureContent,
                        publishedAt: String, reason: String?) -> (PublishedVersion, [DisclosureLine]) {
        var lines: [DisclosureLine] = []
        for (i, l) in c.income.enumerated() {
            lines.append(.init(versionId: 0, kind: "income", position: i, category: l.category.rawValue, description: l.description, amountFen: l.amount.fen, decision: nil))
        }
        for (i, l) in c.costs.enumerated() {
            lines.append(.init(versionId: 0, kind: "cost", position: i, category: nil, description: l.description, amountFen: l.amount.fen, decision: nil))
        }
        for (i, l) in c.expenditures.enumerated() {
            lines.append(.init(versionId: 0, kind: "expenditure", position: i, category: nil, description: l.description, amountFen: l.amount.fen, decision: l.decision))
        }
        let header = PublishedVersion(
            id: 0, estateId: estate.id, year: quarter.year, quarter: quarter.quarter, version: number, companyId: companyId,
            incomeFen: c.incomeTotal.fen, costFen: c.costTotal.fen, ownersShareFen: (c.ownersShare ?? .zero).fen,
            companyShareFen: (c.companyShare ?? .zero).fen, expenditureFen: c.expenditureTotal.fen, transferFen: c.transferAmount?.fen,
            transferDate: c.transferDate?.description, openingFen: (c.openingBalance ?? .zero).fen, closingFen: (c.closingBalance ?? .zero).fen,
            contactName: c.contactName, contactPhone: c.contactPhone, displayFrom: c.displayFrom!.description, displayUntil: c.displayUntil!.description,
            reason: reason, publishedAt: publishedAt, publishedBy: "company", leafIndex: 0, leafHash: "",
            transferTarget: c.transferAmount == nil || c.transferTarget == .dedicated ? nil : c.transferTarget.rawValue,
            ratioDecision: c.ratioDecision.isEmpty ? nil : c.ratioDecision)
        return (header, lines)
    }
}
