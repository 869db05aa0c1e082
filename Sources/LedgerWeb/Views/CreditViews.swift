import Foundation
import LedgerCore

/// `/public/credit`: the red and black lists.
struct PublicCreditPage: Sendable {
    struct Row: Sendable { let id: Int64; let name: String; let grade: String; let reason: String; let since: String; let until: String }
    let layout: Layout
    let red: [Row]
    let black: [Row]
    let noRed: Bool
    let noBlack: Bool
    let rules: [RuleRow]
    var cases: [PublicCaseRow] = []
    var hasCases = false

    struct RuleRow: Sendable { let code: String; let title: String; let points: String; let months: Int; let basis: String }

    static func rows(_ listed: [CreditFile.Listed]) -> [Row] {
        listed.map { Row(id: $0.companyId, name: $0.name, grade: $0.grade.title, reason: $0.reason, since: $0.since, until: $0.until ?? "—") }
    }

    static func rules() -> [RuleRow] {
        CreditRules.defaults.map { RuleRow(code: $0.code, title: $0.title, points: $0.points > 0 ? "+\($0.points)" : "\($0.points)",
                                           months: $0.validityMonths, basis: $0.basis) }
    }
}

/// `/public/companies/{id}`: a company's grade, the arithmetic behind it and its valid events.
struct PublicCompanyPage: Sendable {
    struct EventRow: Sendable { let date: String; let title: String; let points: String; let basis: String; let document: String; let until: String; let bad: Bool }
    let layout: Layout
    let name: String
    let grade: String
    let total: Int
    let registration: Int
    let managing: Int
    let filing: Int
    let basic: Int
    let good: Int
    let goodCounted: Int
    let bad: Int
    let lists: String
    let listed: Bool
    let black: Bool
    let events: [EventRow]
    let noEvents: Bool
    let settled: [SettledRow]
    let hasSettled: Bool
    var cases: [PublicCaseRow] = []
    var hasCases = false

    struct SettledRow: Sendable { let date: String; let title: String; let points: String; let state: String }

    init(layout: Layout, profile: CreditFile.PublicProfile) {
        self.layout = layout
        let s = profile.score
        name = profile.name
        grade = profile.lists.contains(.black) ? "黑名单" : s.grade.title
        total = s.total
        (registration, managing, filing, basic) = (s.registration, s.managing, s.filing, s.basic)
        (good, goodCounted, bad) = (s.good, min(s.good, CreditFile.Score.goodCap), s.bad)
        lists = profile.lists.map(\.title).joined(separator: "、")
        listed = !profile.lists.isEmpty
        black = profile.lists.contains(.black)
        events = profile.valid.map { e in
            EventRow(date: e.occurredOn, title: CreditRules.rule(e.rule)?.title ?? e.rule, points: e.points > 0 ? "+\(e.points)" : "\(e.points)",
                     basis: e.basis, document: e.documentNumber, until: e.expiresOn, bad: e.points < 0)
        }
        noEvents = events.isEmpty
        settled = profile.settled.map { e in
            SettledRow(date: e.occurredOn, title: CreditRules.rule(e.rule)?.title ?? e.rule, points: e.points > 0 ? "+\(e.points)" : "\(e.points)",
                       state: e.status == .repaired ? "已信用修复，不计分" : "已撤销，不计分")
        }
        hasSettled = !settled.isEmpty
    }
}

/// A published 通报曝光 case on the public pages (Panjin's 典型案件 fields; companies only, never a person).
struct PublicCaseRow: Sendable {
    let companyId: Int64; let company: String; let title: String; let situation: String; let facts: String; let basis: String; let outcome: String
    let publishedOn: String

    init(_ c: CreditFile.PublishedCase) {
        (companyId, company, title, situation, facts) = (c.companyId, c.companyName, c.title, c.situation, c.facts)
        (basis, outcome, publishedOn) = (c.basis, c.outcome, c.publishedOn)
    }
}
