import Foundation
import LedgerCore

/// The register page of one estate: its decisions, newest first, and the add form with every error beside its field.
struct DecisionRegisterPage: Sendable {
    struct Row: Sendable {
        let reference: String
        let kind: String
        let decidedOn: String
        let subject: String
        let votes: String
        let amount: String
        let period: String
        let documents: [Doc]
        let recordedBy: String
    }
    struct Doc: Sendable { let href: String; let filename: String }

    let layout: Layout
    let estateId: Int64
    let estateName: String
    let households: Int
    let floorArea: Int
    let rows: [Row]
    let empty: Bool
    let canRecord: Bool
    let kinds: [Option]
    let kindError: String?
    let decidedOn: Field, subject: Field, votesArea: Field, votesHouseholds: Field, amount: Field, validFrom: Field, validUntil: Field
    let documentError: String?
    let formError: String?
    let hasErrors: Bool

    init(estate: Estate, decisions: [OwnerDecision], documents: [Int64: [OwnerDecisions.Document]], values: [String: String], errors: FieldErrors,
         canRecord: Bool, layout: Layout) {
        self.layout = layout
        estateId = estate.id
        estateName = estate.name
        households = estate.households
        floorArea = estate.floorArea
        rows = decisions.map { d in
            var votes: [String] = []
            if let area = d.votesAreaFor {
                votes.append("面积 \(area) / \(estate.floorArea) 平方米" + (estate.floorArea > 0 ? "（\(percentText(basisPoints: Int(area * 10_000 / Int64(estate.floorArea))))）" : ""))
            }
            if let homes = d.votesHouseholdsFor {
                votes.append("户数 \(homes) / \(estate.households) 户" + (estate.households > 0 ? "（\(percentText(basisPoints: homes * 10_000 / estate.households))）" : ""))
            }
            let amount = d.amountFen.map { Money(fen: $0).display + " 元" + (d.kind.capsEachItem ? "（单笔限额）" : "（有效期内累计）") }
                ?? (d.kind.capsEachItem ? "单笔不限额" : "不限金额")
            return Row(reference: d.reference, kind: d.kind.title, decidedOn: d.decidedOn, subject: d.subject,
                       votes: votes.isEmpty ? "—" : votes.joined(separator: "；"), amount: amount, period: d.period,
                       documents: (documents[d.id] ?? []).map { Doc(href: "/estates/\(estate.id)/decisions/files/\($0.id)", filename: $0.filename) },
                       recordedBy: d.recordedBy)
        }
        empty = decisions.isEmpty
        self.canRecord = canRecord
        let chosen = values["decisionKind"] ?? ""
        kinds = [Option(value: "", label: "请选择", selected: chosen.isEmpty)]
            + OwnerDecision.Kind.allCases.map { Option(value: $0.rawValue, label: $0.title, selected: $0.rawValue == chosen) }
        kindError = errors.message(for: "decisionKind")
        decidedOn = Field("decisionDate", values, errors)
        subject = Field("subject", values, errors)
        votesArea = Field("votesArea", values, errors)
        votesHouseholds = Field("votesHouseholds", values, errors)
        amount = Field("amount", values, errors)
        validFrom = Field("validFrom", values, errors)
        validUntil = Field("validUntil", values, errors)
        documentError = errors.message(for: "document")
        let placed: Set<String> = ["decisionKind", "decisionDate", "subject", "votesArea", "votesHouseholds", "amount", "validFrom", "validUntil", "document"]
        formError = errors.items.first { !placed.contains($0.field ?? "") }?.message
        hasErrors = !errors.isEmpty
    }
}
