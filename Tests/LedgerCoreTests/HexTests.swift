import Foundation
import Testing
@testable import LedgerCore

@Suite struct HexTests {
    @Test func encodesAsFoundationsFormatterDoesAndDecodesBack() {
        var generator = SeededRandom(seed: 16)
        for length in [0, 1, 2, 15, 32, 33] {
            let bytes = (0..<length).map { _ in UInt8.random(in: 0...255, using: &generator) }
            let reference = bytes.map { String(format: "%02x", $0) }.joined()
            #expect(Hex.encode(bytes) == reference)
            #expect(Data(bytes).hex == reference)
            #expect(Hex.decode(reference) == bytes)
            #expect(Hex.decode(reference.uppercased()) == bytes)
        }
        #expect(Hex.encode([0x00, 0x0f, 0xf0, 0xff]) == "000ff0ff")
    }

    @Test func refusesWhatIsNotHex() {
        #expect(Hex.decode("abc") == nil)             // odd length
        #expect(Hex.decode("zz") == nil)
        #expect(Hex.decode("０１") == nil)             // full-width digits
        #expect(Hex.decode("0 ") == nil)
        #expect(Data(hex: "g0") == nil)
        #expect(Data(hex: "") == Data())
    }

    @Test func randomTokensHaveTheAskedLengthAndDiffer() {
        let first = Hex.random(bytes: 32), second = Hex.random(bytes: 32)
        #expect(first.count == 64 && second.count == 64)
        #expect(first != second)
        #expect(Hex.decode(first)?.count == 32)
    }
}
