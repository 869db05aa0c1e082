import Foundation

/// 业主决议: one entry of an estate's decision register — a decision of the 业主大会 or the 业委会, or a standing
/// authorisation of the 管理规约 (docs/design.md §24). Cited from a disclosure's expenditure by its reference `D{id}`.
public struct OwnerDecision: Sendable, Codable, Equatable {
    /// Who decided, and what an amount means for it.
    public enum Kind: String, Sendable, Codable, CaseIterable {
        /// 业主大会决议: `amountFen` is the total authorised over the period (cumulative).
        case assembly
        /// 业委会决定 (within what the 业主大会 delegated to it): cumulative like the assembly's.
        case committee
        /// 管理规约授权: a standing authorisation; `amountFen` is a cap per expenditure item, none = no cap.
        case covenant

        public var title: String {
            switch self {
            case .assembly: "业主大会决议"
            case .committee: "业委会决定"
            case .covenant: "管理规约授权"
            }
        }

        /// Whether the amount is a cap per item (true) or a total over the period (false).
        public var capsEachItem: Bool { self == .covenant }
    }

    public let id: Int64
    public let estateId: Int64
    public let regionPath: String
    public let kind: Kind
    public let decidedOn: String
    public let subject: String
    /// 同意的专有部分面积 (m²) and 同意的户数, where the decision was voted.
    public let votesAreaFor: Int64?
    public let votesHouseholdsFor: Int?
    /// Fen; nil = no amount limit.
    public let amountFen: Int64?
    public let validFrom: String
    /// Inclusive; nil = open-ended.
    public let validUntil: String?
    public let recordedAt: String
    public let recordedBy: String

    public init(id: Int64, estateId: Int64, regionPath: String, kind: Kind, decidedOn: String, subject: String, votesAreaFor: Int64?,
                votesHouseholdsFor: Int?, amountFen: Int64?, validFrom: String, validUntil: String?, recordedAt: String, recordedBy: String) {
        (self.id, self.estateId, self.regionPath, self.kind, self.decidedOn, self.subject) = (id, estateId, regionPath, kind, decidedOn, subject)
        (self.votesAreaFor, self.votesHouseholdsFor, self.amountFen) = (votesAreaFor, votesHouseholdsFor, amountFen)
        (self.validFrom, self.validUntil, self.recordedAt, self.recordedBy) = (validFrom, validUntil, recordedAt, recordedBy)
    }

    /// How an expenditure cites it (`D12`).
    public var reference: String { Self.reference(id) }

    public static func reference(_ id: Int64) -> String { "D\(id)" }

    /// The register id an expenditure's `decision` text cites: `D12` (also `d12`, full-width `Ｄ１２`), alone or followed
    /// by a space and free words (`D12 2024年第2次业主大会决议`). Anything else cites no register decision.
    public static func citedId(_ text: String) -> Int64? {
        let folded = InputReader.halfWidth(text.trimmingCharacters(in: .whitespacesAndNewlines))
        guard let first = folded.first, first == "D" || first == "d" else { return nil }
        let digits = folded.dropFirst().prefix { $0.isASCII && $0.isNumber }
        guard !digits.isEmpty, digits.count <= 15 else { return nil }
        let rest = folded.dropFirst(1 + digits.count)
        guard rest.isEmpty || rest.first!.isWhitespace else { return nil }
        return Int64(digits)
    }

    /// Whether the validity period overlaps `quarter` (a quarter's spending is covered if the decision was in force in it).
    public func inForce(during quarter: Quarter) -> Bool {
        validFrom <= quarter.lastDay.description && (validUntil.map { $0 >= quarter.firstDay.description } ?? true)
    }

    public var period: String { "\(validFrom) 至 \(validUntil ?? "长期")" }
}
