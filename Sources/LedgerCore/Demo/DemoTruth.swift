import Foundation

/// One irregularity the demo planted on purpose: what the warning engine should find (`ledger demo --truth FILE.json`).
/// A quarter is owed in the truth exactly as the engine owes it (`EstateFigures.filer`): by the company that managed the
/// estate on the quarter's last day, so a company replaced after a quarter ended still owes that quarter.
public struct DemoTruth: Sendable, Codable, Equatable, Hashable {
    public let rule: String
    public let estateId: Int64
    public let year: Int
    public let quarter: Int
    /// What was planted, in words, for a person reading the file.
    public let planted: String
}
