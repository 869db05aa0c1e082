import Foundation
import LedgerCore
import Testing

@Suite struct MoneyTests {
    // MARK: Tests

    @Test(arguments: [("1234.50", 123_450), ("0", 0), ("0.5", 50), ("18600", 1_860_000), ("1,234.05", 123_405), ("１２.３４", 1_234),
                      ("9999999999999.99", 999_999_999_999_999)])
    func parsesDecimalStrings(text: String, fen: Int64) throws {
        #expect(try Money.parse(text).get() == Money(fen: fen))
    }

    @Test(arguments: [("1e3", MoneyError.notANumber), ("12.345", .tooManyDecimals), ("-5", .negative), ("abc", .notANumber),
                      ("", .empty), ("  ", .empty), ("1,2,3", .notANumber), ("12.", .notANumber), (".5", .notANumber), ("1.2.3", .notANumber),
                      ("+5", .notANumber), ("0x10", .notANumber), ("12 34", .notANumber), ("99999999999999", .tooLarge), ("NaN", .notANumber)])
    func refusesEverythingElse(text: String, error: MoneyError) {
        #expect(throws: error) { try Money.parse(text).get() }
    }

    @Test func formatsWithTwoDecimals() {
        #expect(Money(fen: 123_450).description == "1234.50")
        #expect(Money(fen: 5).description == "0.05")
        #expect(Money(fen: -5).description == "-0.05")
        #expect(Money(fen: 123_456_789).display == "1,234,567.89")
        #expect(Money(fen: 100).display == "1.00")
    }

    @Test func roundTripsThroughJSONAsAString() throws {
        let encoded = try JSONEncoder().encode([Money(fen: 880_000)])
        #expect(String(decoding: encoded, as: UTF8.self) == #"["8800.00"]"#)
        #expect(try JSONDecoder().decode([Money].self, from: encoded) == [Money(fen: 880_000)])
        #expect(throws: DecodingError.self) { try JSONDecoder().decode([Money].self, from: Data(#"["1e3"]"#.utf8)) }
    }
}
