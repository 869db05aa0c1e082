import Foundation
import ZIPFoundation

// A minimal Office Open XML (.xlsx) writer: inline strings, numbers, a bold header style,
// merged cells, column widths, frozen header rows and the page setup a ledger is printed with
// (A4 landscape, one page wide, thin borders on the table, its header repeated on every page).
// The package is zipped in memory with ZIPFoundation; nothing else is third-party.

/// One cell of an `XLSXSheet`.
public enum XLSXCell: Sendable, Equatable {
    /// Plain text, stored as an inline string (so never read as a formula).
    case text(String)
    /// Bold, centred, wrapped text, meant for header rows.
    case bold(String)
    /// A decimal number; NaN and infinities are written as an empty cell.
    case number(Double)
    /// A whole number, written digit for digit.
    case integer(Int64)
    /// No cell at all.
    case empty
}

/// One worksheet: its rows from the top, merged ranges, column widths and frozen header rows.
public struct XLSXSheet: Sendable {
    /// 1–31 characters, none of `[ ] : * ? / \`, not starting or ending with `'`.
    public var name: String
    public var rows: [[XLSXCell]]
    /// Ranges such as `"A1:A2"` or `"B1:D1"`; they must not overlap.
    public var merges: [String]
    /// Widths in characters, from column A on; a non-positive width leaves that column at its default.
    public var columnWidths: [Double]
    /// Number of top rows kept in view while scrolling (0 = none).
    public var frozenRows: Int
    /// The first row of the table (1-based): from it on every cell is drawn with thin borders and wrapped; the rows
    /// above (title, 单位／填报人／填报时间) are not. nil: no borders.
    public var tableFrom: Int?
    /// Rows printed again at the top of every page (the table's header), 1-based.
    public var printTitles: ClosedRange<Int>?
    /// Rows after which a new page starts (to keep a block of a report whole), 1-based.
    public var pageBreaksAfter: [Int]

    public init(name: String, rows: [[XLSXCell]] = [], merges: [String] = [], columnWidths: [Double] = [], frozenRows: Int = 0,
                tableFrom: Int? = nil, printTitles: ClosedRange<Int>? = nil, pageBreaksAfter: [Int] = []) {
        self.name = name
        self.rows = rows
        self.merges = merges
        self.columnWidths = columnWidths
        self.frozenRows = frozenRows
        self.tableFrom = tableFrom
        self.printTitles = printTitles
        self.pageBreaksAfter = pageBreaksAfter
    }

    /// Whether row `number` (1-based) belongs to the bordered table.
    func bordered(_ number: Int) -> Bool { tableFrom.map { number >= $0 } ?? false }
}

/// Why a workbook cannot be written.
public enum XLSXError: Error, Sendable, Equatable {
    case noSheets
    case invalidSheetName(String)
    case duplicateSheetName(String)
    /// Not a range like `A1:B2`, or it overlaps another merged range of the same sheet.
    case invalidMerge(sheet: String, range: String)
    /// More rows or columns than a worksheet holds, or a text longer than 32 767 characters.
    case tooLarge(sheet: String)
}

public enum XLSXWriter {
    static let maxRows = 1_048_576
    static let maxColumns = 16_384

    /// The bytes of an .xlsx workbook holding `sheets` in order.
    public static func data(_ sheets: [XLSXSheet]) throws -> Data {
        guard !sheets.isEmpty else { throw XLSXError.noSheets }
        var seen = Set<String>()
        for sheet in sheets {
            try validate(sheet)
            guard seen.insert(sheet.name.lowercased()).inserted else { throw XLSXError.duplicateSheetName(sheet.name) }
        }
        var parts = packageParts(sheets)
        for (index, sheet) in sheets.enumerated() {
            parts.append(("xl/worksheets/sheet\(index + 1).xml", worksheet(sheet, selected: index == 0)))
        }
        let archive = try Archive(accessMode: .create)
        for part in parts { try add(Data(part.xml.utf8), as: part.path, to: archive) }
        guard let data = archive.data else { throw MemoryFileError.invalidMemoryFile }
        return data
    }

    /// Every part of the package but the worksheets.
    static func packageParts(_ sheets: [XLSXSheet]) -> [(path: String, xml: String)] {
        [("[Content_Types].xml", contentTypes(sheetCount: sheets.count)),
         ("_rels/.rels", rootRelationships),
         ("xl/workbook.xml", workbook(sheets)),
         ("xl/_rels/workbook.xml.rels", workbookRelationships(sheetCount: sheets.count)),
         ("xl/styles.xml", styles)]
    }

    /// A fixed timestamp keeps the output byte-for-byte reproducible.
    static let stamp = Date(timeIntervalSince1970: 946_684_800)

    static func add(_ bytes: Data, as path: String, to archive: Archive) throws {
        try archive.addEntry(with: path, type: .file, uncompressedSize: Int64(bytes.count), modificationDate: stamp, compressionMethod: .deflate) { position, size in
            let start = Int(position)
            return bytes.subdata(in: start..<min(start + size, bytes.count))
        }
    }

    /// Column letters for a 1-based column number: 1 → A, 26 → Z, 27 → AA.
    static func columnLetters(_ column: Int) -> String {
        var number = max(column, 1)
        var letters: [Character] = []
        while number > 0 {
            let remainder = (number - 1) % 26
            letters.append(Character(UnicodeScalar(UInt8(65 + remainder))))
            number = (number - 1) / 26
        }
        return String(letters.reversed())
    }

    /// A cell reference such as `B3`, both indices 1-based.
    static func reference(row: Int, column: Int) -> String { columnLetters(column) + String(row) }

    /// Text made safe for XML element or attribute content: `& < > "` escaped, characters XML 1.0
    /// forbids dropped, CR kept as a character reference, and a literal `_xHHHH_` protected from
    /// being decoded by spreadsheet programs.
    static func escape(_ text: String) -> String {
        var out = ""
        out.reserveCapacity(text.utf8.count)
        let scalars = Array(text.unicodeScalars)
        for (index, scalar) in scalars.enumerated() {
            switch scalar {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "\r": out += "&#13;"
            case "\t", "\n": out.unicodeScalars.append(scalar)
            case "_" where isEscapeSequence(scalars, at: index): out += "_x005F_"
            default:
                let value = scalar.value
                if value >= 0x20 && value != 0xFFFE && value != 0xFFFF { out.unicodeScalars.append(scalar) }
            }
        }
        return out
    }

    /// Whether `_xHHHH_` starts at `index`.
    private static func isEscapeSequence(_ scalars: [Unicode.Scalar], at index: Int) -> Bool {
        guard index + 6 < scalars.count, scalars[index + 1] == "x", scalars[index + 6] == "_" else { return false }
        return scalars[(index + 2)...(index + 5)].allSatisfy { $0.properties.isASCIIHexDigit }
    }

    /// Row and column bounds of a range like `B1:D1`, or nil if it is not one.
    static func bounds(of range: String) -> (top: Int, left: Int, bottom: Int, right: Int)? {
        let ends = range.split(separator: ":", omittingEmptySubsequences: false)
        guard ends.count == 2, let start = cell(ends[0]), let end = cell(ends[1]),
            start.row <= end.row, start.column <= end.column, start != end
        else { return nil }
        return (start.row, start.column, end.row, end.column)
    }

    private static func cell(_ text: Substring) -> (row: Int, column: Int)? {
        let letters = text.prefix { $0.isASCII && $0.isUppercase }
        let digits = text.dropFirst(letters.count)
        guard (1...3).contains(letters.count), !digits.isEmpty, !digits.hasPrefix("0"),
            digits.allSatisfy({ $0.isASCII && $0.isNumber }), let row = Int(digits), row <= maxRows
        else { return nil }
        let column = letters.unicodeScalars.reduce(0) { $0 * 26 + Int($1.value) - 64 }
        return column <= maxColumns ? (row, column) : nil
    }

    static func validate(_ sheet: XLSXSheet) throws {
        let name = sheet.name
        guard (1...31).contains(name.utf16.count), !name.hasPrefix("'"), !name.hasSuffix("'"),
            !name.unicodeScalars.contains(where: { "[]:*?/\\".unicodeScalars.contains($0) || $0.value < 0x20 })
        else { throw XLSXError.invalidSheetName(name) }
        guard sheet.rows.count <= maxRows, sheet.rows.allSatisfy({ $0.count <= maxColumns }),
            sheet.rows.allSatisfy({ $0.allSatisfy { text(of: $0).utf16.count <= 32_767 } })
        else { throw XLSXError.tooLarge(sheet: name) }
        var taken: [(top: Int, left: Int, bottom: Int, right: Int)] = []
        for range in sheet.merges {
            guard let box = bounds(of: range),
                !taken.contains(where: { box.left <= $0.right && $0.left <= box.right && box.top <= $0.bottom && $0.top <= box.bottom })
            else { throw XLSXError.invalidMerge(sheet: name, range: range) }
            taken.append(box)
        }
    }

    private static func text(of cell: XLSXCell) -> String {
        switch cell {
        case .text(let text), .bold(let text): text
        case .number, .integer, .empty: ""
        }
    }

    // MARK: Parts

    private static let header = "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n"
    private static let mainNamespace = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
    private static let relNamespace = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"

    private static func contentTypes(sheetCount: Int) -> String {
        let sheets = (1...sheetCount).map {
            "<Override PartName=\"/xl/worksheets/sheet\($0).xml\" ContentType=\"application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml\"/>"
        }
        return header + "<Types xmlns=\"http://schemas.openxmlformats.org/package/2006/content-types\">"
            + "<Default Extension=\"rels\" ContentType=\"application/vnd.openxmlformats-package.relationships+xml\"/>"
            + "<Default Extension=\"xml\" ContentType=\"application/xml\"/>"
            + "<Override PartName=\"/xl/workbook.xml\" ContentType=\"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml\"/>"
            + "<Override PartName=\"/xl/styles.xml\" ContentType=\"application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml\"/>"
            + sheets.joined() + "</Types>"
    }

    private static let rootRelationships = header
        + "<Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\">"
        + "<Relationship Id=\"rId1\" Type=\"\(relNamespace)/officeDocument\" Target=\"xl/workbook.xml\"/></Relationships>"

    private static func workbook(_ sheets: [XLSXSheet]) -> String {
        let entries = sheets.enumerated().map { index, sheet in
            "<sheet name=\"\(escape(sheet.name))\" sheetId=\"\(index + 1)\" r:id=\"rId\(index + 1)\"/>"
        }
        // 打印标题: the header rows repeated on every printed page.
        let titles = sheets.enumerated().compactMap { index, sheet in
            sheet.printTitles.map {
                "<definedName name=\"_xlnm.Print_Titles\" localSheetId=\"\(index)\">'\(escape(sheet.name.replacingOccurrences(of: "'", with: "''")))'!$\($0.lowerBound):$\($0.upperBound)</definedName>"
            }
        }
        return header + "<workbook xmlns=\"\(mainNamespace)\" xmlns:r=\"\(relNamespace)\">"
            + "<bookViews><workbookView activeTab=\"0\"/></bookViews><sheets>" + entries.joined() + "</sheets>"
            + (titles.isEmpty ? "" : "<definedNames>" + titles.joined() + "</definedNames>") + "</workbook>"
    }

    private static func workbookRelationships(sheetCount: Int) -> String {
        let sheets = (1...sheetCount).map {
            "<Relationship Id=\"rId\($0)\" Type=\"\(relNamespace)/worksheet\" Target=\"worksheets/sheet\($0).xml\"/>"
        }
        return header + "<Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\">" + sheets.joined()
            + "<Relationship Id=\"rId\(sheetCount + 1)\" Type=\"\(relNamespace)/styles\" Target=\"styles.xml\"/></Relationships>"
    }

    /// Four cell formats: 0 = normal, 1 = bold, centred and wrapped; 2 and 3 the same inside the table (thin borders;
    /// text wrapped and top-aligned).
    private static let styles = header + "<styleSheet xmlns=\"\(mainNamespace)\">"
        + "<fonts count=\"2\"><font><sz val=\"11\"/><name val=\"Calibri\"/><family val=\"2\"/></font>"
        + "<font><b/><sz val=\"11\"/><name val=\"Calibri\"/><family val=\"2\"/></font></fonts>"
        + "<fills count=\"2\"><fill><patternFill patternType=\"none\"/></fill><fill><patternFill patternType=\"gray125\"/></fill></fills>"
        + "<borders count=\"2\"><border><left/><right/><top/><bottom/><diagonal/></border>"
        + "<border><left style=\"thin\"><color auto=\"1\"/></left><right style=\"thin\"><color auto=\"1\"/></right>"
        + "<top style=\"thin\"><color auto=\"1\"/></top><bottom style=\"thin\"><color auto=\"1\"/></bottom><diagonal/></border></borders>"
        + "<cellStyleXfs count=\"1\"><xf numFmtId=\"0\" fontId=\"0\" fillId=\"0\" borderId=\"0\"/></cellStyleXfs>"
        + "<cellXfs count=\"4\"><xf numFmtId=\"0\" fontId=\"0\" fillId=\"0\" borderId=\"0\" xfId=\"0\"/>"
        + "<xf numFmtId=\"0\" fontId=\"1\" fillId=\"0\" borderId=\"0\" xfId=\"0\" applyFont=\"1\" applyAlignment=\"1\">"
        + "<alignment horizontal=\"center\" vertical=\"center\" wrapText=\"1\"/></xf>"
        + "<xf numFmtId=\"0\" fontId=\"0\" fillId=\"0\" borderId=\"1\" xfId=\"0\" applyBorder=\"1\" applyAlignment=\"1\">"
        + "<alignment vertical=\"top\" wrapText=\"1\"/></xf>"
        + "<xf numFmtId=\"0\" fontId=\"1\" fillId=\"0\" borderId=\"1\" xfId=\"0\" applyFont=\"1\" applyBorder=\"1\" applyAlignment=\"1\">"
        + "<alignment horizontal=\"center\" vertical=\"center\" wrapText=\"1\"/></xf></cellXfs>"
        + "<cellStyles count=\"1\"><cellStyle name=\"Normal\" xfId=\"0\" builtinId=\"0\"/></cellStyles></styleSheet>"

    private static func worksheet(_ sheet: XLSXSheet, selected: Bool) -> String {
        var xml = worksheetHead(sheet, selected: selected)
        for (rowIndex, row) in sheet.rows.enumerated() { xml += rowXML(row, number: rowIndex + 1, bordered: sheet.bordered(rowIndex + 1)) }
        return xml + worksheetTail(sheet)
    }

    /// The worksheet up to and including `<sheetData>`: views, frozen rows and column widths.
    static func worksheetHead(_ sheet: XLSXSheet, selected: Bool) -> String {
        var xml = header + "<worksheet xmlns=\"\(mainNamespace)\" xmlns:r=\"\(relNamespace)\">"
        xml += "<sheetPr><pageSetUpPr fitToPage=\"1\"/></sheetPr>"
        xml += "<sheetViews><sheetView workbookViewId=\"0\"" + (selected ? " tabSelected=\"1\">" : ">")
        let frozen = min(max(sheet.frozenRows, 0), maxRows - 1)
        if frozen > 0 {
            let topLeft = reference(row: frozen + 1, column: 1)
            xml += "<pane ySplit=\"\(frozen)\" topLeftCell=\"\(topLeft)\" activePane=\"bottomLeft\" state=\"frozen\"/>"
            xml += "<selection pane=\"bottomLeft\" activeCell=\"\(topLeft)\" sqref=\"\(topLeft)\"/>"
        }
        xml += "</sheetView></sheetViews>"
        let widths = sheet.columnWidths.prefix(maxColumns).enumerated().filter { $0.element.isFinite && $0.element > 0 }
        if !widths.isEmpty {
            xml += "<cols>"
            for (index, width) in widths {
                xml += "<col min=\"\(index + 1)\" max=\"\(index + 1)\" width=\"\(min(width, 255))\" customWidth=\"1\"/>"
            }
            xml += "</cols>"
        }
        return xml + "<sheetData>"
    }

    /// One `<row>`, `number` 1-based; `bordered`: a row of the table (every cell, even an empty one, gets its border).
    static func rowXML(_ row: [XLSXCell], number: Int, bordered: Bool = false) -> String {
        var xml = "<row r=\"\(number)\">"
        for (columnIndex, cell) in row.enumerated() {
            xml += cellXML(cell, reference: reference(row: number, column: columnIndex + 1), bordered: bordered)
        }
        return xml + "</row>"
    }

    /// From `</sheetData>` to the end: the merged ranges and the print setup — A4 landscape, fitted to one page wide
    /// (as many pages tall as it takes), centred, page breaks where the sheet asks for them.
    static func worksheetTail(_ sheet: XLSXSheet) -> String {
        var xml = "</sheetData>"
        if !sheet.merges.isEmpty {
            xml += "<mergeCells count=\"\(sheet.merges.count)\">"
            xml += sheet.merges.map { "<mergeCell ref=\"\($0)\"/>" }.joined()
            xml += "</mergeCells>"
        }
        xml += "<printOptions horizontalCentered=\"1\"/>"
        xml += "<pageMargins left=\"0.4\" right=\"0.4\" top=\"0.6\" bottom=\"0.6\" header=\"0.3\" footer=\"0.3\"/>"
        xml += "<pageSetup paperSize=\"9\" orientation=\"landscape\" fitToWidth=\"1\" fitToHeight=\"0\"/>"
        xml += "<headerFooter><oddFooter>&amp;C第 &amp;P 页，共 &amp;N 页</oddFooter></headerFooter>"
        let breaks = sheet.pageBreaksAfter.filter { $0 > 0 && $0 < maxRows }
        if !breaks.isEmpty {
            xml += "<rowBreaks count=\"\(breaks.count)\" manualBreakCount=\"\(breaks.count)\">"
            xml += breaks.map { "<brk id=\"\($0)\" max=\"16383\" man=\"1\"/>" }.joined()
            xml += "</rowBreaks>"
        }
        return xml + "</worksheet>"
    }

    private static func cellXML(_ cell: XLSXCell, reference: String, bordered: Bool) -> String {
        let plain = bordered ? " s=\"2\"" : "", bold = bordered ? " s=\"3\"" : " s=\"1\""
        switch cell {
        case .text(let text):
            return "<c r=\"\(reference)\"\(plain) t=\"inlineStr\"><is><t xml:space=\"preserve\">\(escape(text))</t></is></c>"
        case .bold(let text):
            return "<c r=\"\(reference)\"\(bold) t=\"inlineStr\"><is><t xml:space=\"preserve\">\(escape(text))</t></is></c>"
        case .integer(let value):
            return "<c r=\"\(reference)\"\(plain)><v>\(value)</v></c>"
        case .number(let value) where value.isFinite:
            // Swift's description is the shortest text that reads back as the same Double.
            return "<c r=\"\(reference)\"\(plain)><v>\(value)</v></c>"
        case .number, .empty:
            return bordered ? "<c r=\"\(reference)\"\(plain)/>" : ""
        }
    }
}
