import Foundation

/// One published version of a quarter's disclosure: who published it, when and why, and its place in the log.
public struct PublishedVersion: Sendable, Codable, Equatable {
    public let id: Int64
    public let estateId: Int64
    public let year: Int
    public let quarter: Int
    public let version: Int
    public let companyId: Int64?
    public let incomeFen: Int64
    public let costFen: Int64
    public let ownersShareFen: Int64
    public let companyShareFen: Int64
    public let expenditureFen: Int64
    public let transferFen: Int64?
    public let transferDate: String?
    public let openingFen: Int64
    public let closingFen: Int64
    public let contactName: String
    public let contactPhone: String
    public let displayFrom: String
    public let displayUntil: String
    public let reason: String?
    public let publishedAt: String
    public let publishedBy: String
    public let leafIndex: Int
    public let leafHash: String
    /// `maintenance_fund`, or nil for the dedicated account (every version published before targets existed).
    public var transferTarget: String? = nil
    /// The register decision cited for the distribution ratio, if any.
    public var ratioDecision: String? = nil

    public var period: Quarter { Quarter(year: year, quarter: quarter)! }
}

/// One income, cost or expenditure line of a published version, as stored.
public struct DisclosureLine: Sendable, Codable, Equatable {
    public let versionId: Int64
    public let kind: String
    public let position: Int
    public let category: String?
    public let description: String
    public let amountFen: Int64
    public let decision: String?
}

/// The canonical log entry of a version (see DEVELOPERS.md, "Transparency log"): JSON with sorted keys, no
/// insignificant whitespace, UTF-8 unescaped, amounts as two-decimal strings, dates as `YYYY-MM-DD`.
public struct LogEntry: Codable, Sendable, Equatable {
    public let estateId: Int64
    public let year: Int
    public let quarter: Int
    public let version: Int
    public let publishedAt: String
    public let reason: String
    public let disclosure: DisclosureDocument

    static let encoder: JSONEncoder = {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return encoder
    }()

    public var canonicalJSON: Data { try! Self.encoder.encode(self) }
    public var leafHash: Data { Merkle.leafHash(canonicalJSON) }

    /// Rebuilds the entry from stored rows, so that `ledger verify` checks the figures the application reads.
    public init(version v: PublishedVersion, lines: [DisclosureLine]) {
        estateId = v.estateId
        year = v.year
        quarter = v.quarter
        version = v.version
        publishedAt = v.publishedAt
        reason = v.reason ?? ""
        let sorted = lines.sorted { ($0.kind, $0.position) < ($1.kind, $1.position) }
        func amount(_ fen: Int64) -> String { Money(fen: fen).description }
        disclosure = DisclosureDocument(
            income: sorted.filter { $0.kind == "income" }.map { .init(category: $0.category ?? "", description: $0.description, amount: amount($0.amountFen)) },
            costs: sorted.filter { $0.kind == "cost" }.map { .init(description: $0.description, amount: amount($0.amountFen)) },
            distribution: .init(ownersShare: amount(v.ownersShareFen), companyShare: amount(v.companyShareFen),
                                decision: (v.ratioDecision ?? "").isEmpty ? nil : v.ratioDecision),
            expenditures: sorted.filter { $0.kind == "expenditure" }
                .map { .init(description: $0.description, amount: amount($0.amountFen), decision: $0.decision ?? "") },
            transfer: v.transferFen.map { .init(amount: amount($0), date: v.transferDate ?? "", target: v.transferTarget) },
            openingBalance: amount(v.openingFen), closingBalance: amount(v.closingFen),
            contact: .init(name: v.contactName, phone: v.contactPhone),
            display: .init(from: v.displayFrom, until: v.displayUntil))
    }
}
