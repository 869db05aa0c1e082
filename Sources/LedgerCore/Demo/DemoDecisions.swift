import Foundation
import SQLKit

/// Each managed estate's decision register (docs/design.md §24): the 业主大会's distribution-ratio decision, a yearly
/// spending plan per year of the demo's quarters (which its expenditures cite), and the 管理规约's small-repairs
/// authorisation. Derived from the plan alone (no random draws), so the rest of the demo is unchanged by it.
struct DemoDecisions {
    struct Row {
        let id: Int64
        let estateId: Int64
        let regionPath: String
        let kind: OwnerDecision.Kind
        let decidedOn: String
        let subject: String
        let votesArea: Int64?
        let votesHouseholds: Int?
        let amountFen: Int64?
        let validFrom: String
        let validUntil: String?
    }

    /// Each year's spending plan authorises this much (50,000 yuan), above what a year of demo expenditures reaches.
    static let yearlyAmountFen: Int64 = 5_000_000

    private(set) var rows: [Row] = []
    /// The spending decision an estate's expenditures of a year cite, and the decision that agreed its ratio.
    private(set) var spending: [Int64: [Int: Int64]] = [:]
    private(set) var ratio: [Int64: Int64] = [:]

    init(plan: DemoPlan, quarters: [Quarter]) {
        let years = Array(Set(quarters.map(\.year))).sorted()
        guard let first = years.first else { return }
        var next: Int64 = 1
        for estate in plan.estates where estate.companyId != nil {
            func add(_ kind: OwnerDecision.Kind, _ decidedOn: String, _ subject: String, amount: Int64?, from: String, until: String?) -> Int64 {
                let voted = kind == .assembly
                rows.append(Row(id: next, estateId: estate.id, regionPath: estate.community.path, kind: kind, decidedOn: decidedOn, subject: subject,
                                votesArea: voted ? Int64(estate.floorArea) * 68 / 100 : nil, votesHouseholds: voted ? estate.households * 66 / 100 : nil,
                                amountFen: amount, validFrom: from, validUntil: until))
                next += 1
                return next - 1
            }
            ratio[estate.id] = add(.assembly, "\(first - 1)-11-18", "公共收益分配方案（业主分成\(percentText(basisPoints: estate.ownersShareBp))）",
                                   amount: nil, from: "\(first - 1)-12-01", until: nil)
            _ = add(.covenant, "\(first - 1)-11-18", "管理规约第十二条：单笔3000元以下的共用设施小额维修", amount: 300_000, from: "\(first - 1)-12-01", until: nil)
            // An estate whose committee is an owners' committee has the plan adopted by the assembly; a management committee decides it itself.
            let kind: OwnerDecision.Kind = estate.committee?.kind == Committee.Kind.management.rawValue ? .committee : .assembly
            for year in years {
                spending[estate.id, default: [:]][year] = add(kind, "\(year - 1)-12-20", "\(year)年度公共收益使用计划（共用设施维修改造）",
                                                             amount: Self.yearlyAmountFen, from: "\(year)-01-01", until: "\(year)-12-31")
            }
        }
    }

    /// Whether an estate's surplus goes to the 维修资金专户 rather than the dedicated account (one estate in ten).
    static func transfersToMaintenanceFund(_ estateId: Int64) -> Bool { estateId % 10 == 3 }

    func insert(on db: any SQLDatabase, at now: String) async throws {
        var insert = BulkInsert(table: "owner_decisions", columns: [
            "id", "estate_id", "region_path", "kind", "decided_on", "subject", "votes_area_for", "votes_households_for", "amount_fen",
            "valid_from", "valid_until", "recorded_at", "recorded_by",
        ])
        for r in rows {
            try await insert.add([r.id, r.estateId, r.regionPath, r.kind.rawValue, r.decidedOn, r.subject, r.votesArea, r.votesHouseholds,
                                  r.amountFen, r.validFrom, r.validUntil, now, "demo"], on: db)
        }
        try await insert.flush(on: db)
        try await BulkInsert.resetSequence(table: "owner_decisions", on: db)
    }
}
