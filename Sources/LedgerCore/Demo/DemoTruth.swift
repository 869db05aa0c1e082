import Foundation

/// One irregularity the demo planted on purpose: what the warning engine should find (`ledger demo --truth FILE.json`).
public struct DemoTruth: Sendable, Codable, Equatable, Hashable {
    public let rule: String
    public let estateId: Int64
    public let year: Int
    public let quarter: Int
    /// What was planted, in words, for a person reading the file.
    public let planted: String
}
