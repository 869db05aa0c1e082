import Foundation

/// Rule W07's judgement (docs/design.md §24): which expenditures of an estate's published quarters no register decision
/// covers — none cited, a reference that is not one of the estate's decisions, a decision not in force in the quarter,
/// or an amount above what it authorised (per item for a 管理规约 cap, cumulative over the quarters seen for the others).
public enum DecisionCoverage {
    /// One expenditure line as published.
    public struct Spending: Sendable {
        public let amountFen: Int64
        public let decision: String
        public init(amountFen: Int64, decision: String) {
            self.amountFen = amountFen
            self.decision = decision
        }
    }

    /// For each quarter (its latest version's expenditures), the reasons its uncovered expenditures are uncovered.
    /// `decisions`: the estate's own register; quarters are taken in order so cumulative amounts add up over time.
    public static func uncovered(_ quarters: [Quarter: [Spending]], decisions: [Int64: OwnerDecision]) -> [Quarter: [String]] {
        var used: [Int64: Int64] = [:]
        var result: [Quarter: [String]] = [:]
        for quarter in quarters.keys.sorted() {
            for (index, spending) in quarters[quarter]!.enumerated() {
                let line = "第\(index + 1)笔支出（\(Money(fen: spending.amountFen))元）"
                let cited = spending.decision.trimmingCharacters(in: .whitespacesAndNewlines)
                guard !cited.isEmpty else { result[quarter, default: []].append("\(line)未引用业主决议"); continue }
                guard let id = OwnerDecision.citedId(cited) else {
                    result[quarter, default: []].append("\(line)的决议依据“\(cited.prefix(40))”不是决议登记簿中的编号"); continue
                }
                guard let decision = decisions[id] else {
                    result[quarter, default: []].append("\(line)引用的 D\(id) 不是本小区登记的决议"); continue
                }
                guard decision.inForce(during: quarter) else {
                    result[quarter, default: []].append("\(line)引用的 D\(id) 有效期为 \(decision.period)，不覆盖\(quarter.title)"); continue
                }
                guard let cap = decision.amountFen else { continue }
                if decision.kind.capsEachItem {
                    if spending.amountFen > cap {
                        result[quarter, default: []].append("\(line)超过 D\(id)（\(decision.kind.title)）单笔限额 \(Money(fen: cap)) 元")
                    }
                } else {
                    let total = used[id, default: 0] + spending.amountFen
                    used[id] = total
                    if total > cap {
                        result[quarter, default: []].append("\(line)使 D\(id) 累计支出 \(Money(fen: total)) 元，超过授权金额 \(Money(fen: cap)) 元")
                    }
                }
            }
        }
        return result
    }
}
