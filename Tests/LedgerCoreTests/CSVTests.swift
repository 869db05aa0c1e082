import LedgerCore
import Testing

@Suite struct CSVTests {
    // MARK: Tests

    @Test func parsesQuotesCommasNewlinesAndBOM() {
        // setup
        let text = "\u{FEFF}a,b,c\r\n\"x, y\",\"say \"\"hi\"\"\",\"two\nlines\"\r\n\r\nlast,,\n"
        // MUT
        let records = CSV.parse(text)
        // validation
        #expect(records.count == 3)
        #expect(records[0].fields == ["a", "b", "c"])
        #expect(records[1].fields == ["x, y", "say \"hi\"", "two\nlines"])
        #expect(records[2].line == 5)
        #expect(records[2].fields == ["last", "", ""])
    }

    @Test func neutralisesFormulaCells() {
        #expect(CSV.safeCell("=SUM(A1)") == "'=SUM(A1)")
        #expect(CSV.safeCell("@cmd") == "'@cmd")
        #expect(CSV.safeCell("-5") == "'-5")
        #expect(CSV.safeCell("东湖花园") == "东湖花园")
    }
}
