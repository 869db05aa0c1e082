import Foundation
@testable import LedgerCore
import LedgerTestSupport
import Testing

@Suite struct XLSXWriterTests {
    // MARK: Round trip through openpyxl

    @Test func openpyxlReadsCellsMergesAndSheets() async throws {
        // setup
        let survey = XLSXSheet(
            name: "排查汇总",
            rows: [
                [.bold("序号"), .bold("排查情况"), .empty, .empty],
                [.empty, .bold("小区数"), .bold("企业数"), .bold("问题数")],
                [.integer(1), .text("东湖花园 & <北区> \"一期\""), .integer(12), .integer(0)],
                [.integer(2), .empty, .integer(1_234_567_890_123), .integer(-7)],
                [.integer(3), .text("第一行\n第二行\t制表"), .number(0.1), .number(.nan)],
            ],
            merges: ["A1:A2", "B1:D1"],
            columnWidths: [8, 30, 12, 12],
            frozenRows: 2
        )
        let notes = XLSXSheet(name: "说明", rows: [[.text("数据截至2025年"), .number(2.5)]])
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("xlsx-test-\(UUID().uuidString).xlsx")
        defer { try? FileManager.default.removeItem(at: file) }
        // MUT
        try XLSXWriter.data([survey, notes]).write(to: file)
        // validation
        let report = try await Openpyxl.read(file)
        #expect(report.sheets == ["排查汇总", "说明"])
        #expect(report.merges["排查汇总"] == ["A1:A2", "B1:D1"])
        #expect(report.merges["说明"] == [])
        #expect(report.cells["排查汇总"] == [
            "A1": ["str", "序号"], "B1": ["str", "排查情况"],
            "B2": ["str", "小区数"], "C2": ["str", "企业数"], "D2": ["str", "问题数"],
            "A3": ["int", "1"], "B3": ["str", "东湖花园 & <北区> \"一期\""], "C3": ["int", "12"], "D3": ["int", "0"],
            "A4": ["int", "2"], "C4": ["int", "1234567890123"], "D4": ["int", "-7"],
            "A5": ["int", "3"], "B5": ["str", "第一行\n第二行\t制表"], "C5": ["float", "0.1"],
        ])
        #expect(report.cells["说明"] == ["A1": ["str", "数据截至2025年"], "B1": ["float", "2.5"]])
        #expect(report.bold["排查汇总"] == ["A1", "B1", "B2", "C2", "D2"])
        #expect(report.frozen["排查汇总"] == "A3")
        #expect(report.frozen["说明"] == "")
        #expect(report.widths["排查汇总"]?["B"] == 30)
    }

    /// A ledger prints like the original: A4 landscape, one page wide, the header repeated on every page, thin borders
    /// on the table (also on its empty cells) and none on the title lines above it.
    @Test func aLedgerCarriesItsPageSetup() async throws {
        let layout = ComplaintLedger.layout(unit: "鼓楼区", filledOn: Day("2024-11-19")!)
        let stream = try XLSXStream(layout)
        let url = try stream.finish()
        defer { try? FileManager.default.removeItem(at: url) }
        let report = try await Openpyxl.read(url)
        let sheet = "投诉举报受理台账"
        let setup = try #require(report.print[sheet])
        #expect(setup.orientation == "landscape" && setup.paperSize == 9)
        #expect(setup.fitToPage && setup.fitToWidth == 1 && setup.fitToHeight == 0)
        #expect(setup.titleRows == "$3:$3" || setup.titleRows == "3:3", "\(String(describing: setup.titleRows))")
        #expect(setup.bordered.contains("A3") && setup.bordered.contains("K3") && !setup.bordered.contains("A1") && !setup.bordered.contains("A2"))
        #expect(report.text(sheet, "A2")?.hasPrefix("单位（盖章）：鼓楼区") == true)

        // A report of blocks breaks its pages between the blocks.
        let blocks = XLSXSheet(name: "汇总", rows: [[.bold("标题")], [.text("期间")], [.bold("甲")], [.integer(1), .empty], [], [.bold("乙")], [.integer(2)]],
                               tableFrom: 3, pageBreaksAfter: [4])
        let book = try await Openpyxl.read(try XLSXWriter.data([blocks]))
        let printed = try #require(book.print["汇总"])
        #expect(printed.breaks == [4] && printed.titleRows == nil)
        #expect(printed.bordered.contains("B4"), "an empty cell of the table is bordered too")
        #expect(!printed.bordered.contains("A1") && !printed.bordered.contains("A5"))
    }

    // MARK: Helpers and validation

    @Test func columnLetters() {
        #expect(XLSXWriter.columnLetters(1) == "A")
        #expect(XLSXWriter.columnLetters(26) == "Z")
        #expect(XLSXWriter.columnLetters(27) == "AA")
        #expect(XLSXWriter.columnLetters(52) == "AZ")
        #expect(XLSXWriter.columnLetters(53) == "BA")
        #expect(XLSXWriter.columnLetters(16_384) == "XFD")
        #expect(XLSXWriter.reference(row: 3, column: 28) == "AB3")
    }

    @Test func escapesXMLAndDropsInvalidCharacters() {
        #expect(XLSXWriter.escape("a&b<c>\"d\"") == "a&amp;b&lt;c&gt;&quot;d&quot;")
        #expect(XLSXWriter.escape("x\u{01}y\u{0B}z\u{FFFE}") == "xyz")
        #expect(XLSXWriter.escape("1\r\n2\t3") == "1&#13;\n2\t3")
        #expect(XLSXWriter.escape("_x0041_ and _xyz_") == "_x005F_x0041_ and _xyz_")
    }

    @Test func rejectsBadSheetNamesAndMerges() {
        #expect(throws: XLSXError.noSheets) { try XLSXWriter.data([]) }
        #expect(throws: XLSXError.invalidSheetName("a/b")) { try XLSXWriter.data([XLSXSheet(name: "a/b")]) }
        #expect(throws: XLSXError.invalidSheetName("")) { try XLSXWriter.data([XLSXSheet(name: "")]) }
        #expect(throws: XLSXError.invalidSheetName(String(repeating: "表", count: 32))) {
            try XLSXWriter.data([XLSXSheet(name: String(repeating: "表", count: 32))])
        }
        #expect(throws: XLSXError.duplicateSheetName("Sheet")) {
            try XLSXWriter.data([XLSXSheet(name: "sheet"), XLSXSheet(name: "Sheet")])
        }
        #expect(throws: XLSXError.invalidMerge(sheet: "s", range: "B1:C2")) {
            try XLSXWriter.data([XLSXSheet(name: "s", merges: ["A1:B1", "B1:C2"])])
        }
        #expect(throws: XLSXError.invalidMerge(sheet: "s", range: "B2:A1")) {
            try XLSXWriter.data([XLSXSheet(name: "s", merges: ["B2:A1"])])
        }
        #expect(XLSXWriter.bounds(of: "AA10:AB12")! == (10, 27, 12, 28))
        #expect(XLSXWriter.bounds(of: "a1:b2") == nil)
        #expect(XLSXWriter.bounds(of: "A1:A1") == nil)
    }
}
