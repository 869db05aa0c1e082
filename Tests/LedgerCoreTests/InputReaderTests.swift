import LedgerCore
import Testing

@Suite struct InputReaderTests {
    // MARK: Tests

    @Test func readsFullWidthDigits() {
        var reader = InputReader(["households": "１２０"])
        #expect(reader.integer("households", label: "户数", range: 1...1000) == 120)
        #expect(reader.errors.isEmpty)
    }

    @Test(arguments: ["abc", "1e3", "12.5", "-", "99999999999999999999"])
    func refusesNonIntegers(text: String) {
        var reader = InputReader(["households": text])
        _ = reader.integer("households", label: "户数", range: 1...1000)
        #expect(reader.errors.message(for: "households") == "户数必须是整数")
    }

    @Test func refusesOutOfRangeAndMissing() {
        var reader = InputReader(["a": "0"])
        _ = reader.integer("a", label: "户数", range: 1...10)
        _ = reader.integer("b", label: "面积", range: 1...10)
        #expect(reader.errors.message(for: "a") == "户数应在1至10之间")
        #expect(reader.errors.message(for: "b") == "请填写面积")
    }

    @Test(arguments: [("70", 7_000), ("70.5", 7_050), ("0", 0), ("100", 10_000), ("33.33", 3_333), ("７０％", 7_000)])
    func parsesPercentages(text: String, basisPoints: Int) {
        var reader = InputReader(["share": text])
        #expect(reader.percentBasisPoints("share", label: "比例") == basisPoints)
        #expect(reader.errors.isEmpty)
    }

    @Test(arguments: ["150", "100.01", "-5", "12.345", "abc", "1e2", ".5"])
    func refusesBadPercentages(text: String) {
        var reader = InputReader(["share": text])
        _ = reader.percentBasisPoints("share", label: "比例")
        #expect(reader.errors.message(for: "share") != nil)
    }

    @Test func keepsLongTextsIntactAndRefusesOverLong() {
        let exact = String(repeating: "😀", count: 100)
        var reader = InputReader(["name": " \(exact) ", "long": String(repeating: "字", count: 101)])
        #expect(reader.text("name", label: "名称", max: 100) == exact)
        _ = reader.text("long", label: "名称", max: 100)
        #expect(reader.errors.message(for: "long") == "名称不能超过100个字符（当前101个）")
    }

    @Test func datesIncludeLeapDays() {
        #expect(Day("2024-02-29") != nil)
        #expect(Day("2023-02-29") == nil)
        #expect(Day("2024-13-01") == nil)
        #expect(Day("2024-1-01") == nil)
        #expect(Day("2025-12-31")! < Day("2026-01-01")!)
    }

    @Test func percentTextIsCompact() {
        #expect(percentText(basisPoints: 7_000) == "70%")
        #expect(percentText(basisPoints: 7_050) == "70.5%")
        #expect(percentText(basisPoints: 3_333) == "33.33%")
    }
}

@Suite struct MaskTests {
    /// At most 3 leading and 2 trailing characters, never more than 40% of them.
    @Test(arguments: [
        ("13800138000", "13*******00"),
        ("87654321", "87*****1"),
        ("123456789", "12******9"),
        ("6222000011112222", "622***********22"),
        ("6222020200012345678", "622**************78"),
        ("1234", "1***"),
        ("12", "**"),
    ])
    func numbersShowAtMostFortyPercent(number: String, masked: String) {
        let result = Mask.number(number)
        #expect(result == masked)
        #expect(result.count == number.count)
        let shown = result.filter { $0 != "*" }.count
        #expect(shown * 5 <= number.count * 2 && shown <= 5)
    }
}
