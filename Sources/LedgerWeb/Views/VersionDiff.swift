import Foundation
import LedgerCore

/// The line-by-line difference between two versions of a quarter's disclosure.
enum VersionDiff {
    struct Change: Sendable {
        let item: String
        let before: String
        let after: String
    }

    static func changes(from old: DisclosureHistory.Entry, to new: DisclosureHistory.Entry) -> [Change] {
        var changes: [Change] = []
        for (kind, label) in [("income", "经营收入"), ("cost", "经营成本"), ("expenditure", "经营支出")] {
            let a = old.lines(kind), b = new.lines(kind)
            for position in 0..<max(a.count, b.count) {
                let before = position < a.count ? describe(a[position]) : "（无）"
                let after = position < b.count ? describe(b[position]) : "（删除）"
                if before != after { changes.append(Change(item: "\(label)第\(position + 1)行", before: before, after: after)) }
            }
        }
        let o = old.version, n = new.version
        let scalar: [(String, String, String)] = [
            ("业主分成", Money(fen: o.ownersShareFen).display, Money(fen: n.ownersShareFen).display),
            ("企业分成", Money(fen: o.companyShareFen).display, Money(fen: n.companyShareFen).display),
            ("结余转存", o.transferFen.map { Money(fen: $0).display } ?? "未转存", n.transferFen.map { Money(fen: $0).display } ?? "未转存"),
            ("转存日期", o.transferDate ?? "", n.transferDate ?? ""),
            ("期初余额", Money(fen: o.openingFen).display, Money(fen: n.openingFen).display),
            ("期末余额", Money(fen: o.closingFen).display, Money(fen: n.closingFen).display),
            ("联系人", "\(o.contactName) \(o.contactPhone)", "\(n.contactName) \(n.contactPhone)"),
            ("公示期", "\(o.displayFrom) 至 \(o.displayUntil)", "\(n.displayFrom) 至 \(n.displayUntil)"),
        ]
        for (item, before, after) in scalar where before != after { changes.append(Change(item: item, before: before, after: after)) }
        return changes
    }

    static func describe(_ line: DisclosureLine) -> String {
        let category = line.category.flatMap(IncomeCategory.init(rawValue:)).map { "［\($0.title)］" } ?? ""
        let decision = line.decision.map { $0.isEmpty ? "" : "（依据：\($0)）" } ?? ""
        return "\(category)\(line.description) \(Money(fen: line.amountFen).display)元\(decision)"
    }
}

struct VersionHistoryPage: Sendable {
    struct Version: Sendable {
        let sheet: DisclosureSheet
        let changes: [VersionDiff.Change]
        let hasChanges: Bool

        init(sheet: DisclosureSheet, changes: [VersionDiff.Change]) {
            (self.sheet, self.changes, hasChanges) = (sheet, changes, !changes.isEmpty)
        }
    }
    let layout: Layout
    let estate: PublicEstate
    let period: String
    let versions: [Version]
}
