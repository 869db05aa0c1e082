import Foundation
import ZIPFoundation

/// A ledger's layout: the workbook's head rows (title, filler line, header), merges, widths and frozen rows, the CSV
/// header, and one row per record. The same layout writes the CSV and the XLSX, row by row.
public struct LedgerLayout<Item>: Sendable {
    /// The sheet's name, head rows, merges, widths and frozen rows (its `rows` are the head rows only).
    public let sheet: XLSXSheet
    public let headers: [String]
    public let row: @Sendable (Item, Int) -> [XLSXCell]

    public init(sheet: XLSXSheet, headers: [String], row: @escaping @Sendable (Item, Int) -> [XLSXCell]) {
        self.sheet = sheet
        self.headers = headers
        self.row = row
    }

    /// A row's cells as CSV text.
    public static func text(_ cells: [XLSXCell]) -> [String] {
        cells.map {
            switch $0 {
            case .text(let text), .bold(let text): text
            case .integer(let value): String(value)
            case .number(let value): value.isFinite ? String(value) : ""
            case .empty: ""
            }
        }
    }
}

/// Writes a ledger as CSV in chunks of about 64 KiB: `append` returns a chunk to send on (to a response, a file)
/// whenever one has filled, so memory does not grow with the ledger.
public struct CSVStream<Item> {
    let layout: LedgerLayout<Item>
    var buffer: [UInt8]
    var count = 0

    public init(_ layout: LedgerLayout<Item>) {
        self.layout = layout
        buffer = Array("\u{FEFF}".utf8) + Array(CSV.format([layout.headers]).utf8)
    }

    /// Adds a record; returns a full chunk to send, if one has filled.
    public mutating func append(_ item: Item) -> [UInt8]? {
        count += 1
        buffer += Array(CSV.format([LedgerLayout<Item>.text(layout.row(item, count))]).utf8)
        guard buffer.count >= 65_536 else { return nil }
        defer { buffer.removeAll(keepingCapacity: true) }
        return buffer
    }

    /// The last chunk.
    public mutating func finish() -> [UInt8] {
        defer { buffer = [] }
        return buffer
    }
}

/// Writes a one-sheet workbook row by row: the sheet's XML goes to a temporary file as rows arrive, and `finish`
/// zips it (read back in chunks) into a second temporary file, whose URL it returns. Memory does not grow with the
/// number of rows; the caller sends the file and removes it.
public final class XLSXStream<Item> {
    let layout: LedgerLayout<Item>
    let sheetURL: URL
    let sheetFile: FileHandle
    var pending = ""
    var rowNumber: Int
    var count = 0

    public init(_ layout: LedgerLayout<Item>, directory: URL = FileManager.default.temporaryDirectory) throws {
        try XLSXWriter.validate(layout.sheet)
        self.layout = layout
        sheetURL = directory.appendingPathComponent("ledger-\(UUID().uuidString).xml")
        guard FileManager.default.createFile(atPath: sheetURL.path, contents: nil) else { throw CocoaError(.fileWriteUnknown) }
        sheetFile = try FileHandle(forWritingTo: sheetURL)
        pending = XLSXWriter.worksheetHead(layout.sheet, selected: true)
        for (index, row) in layout.sheet.rows.enumerated() {
            pending += XLSXWriter.rowXML(row, number: index + 1, bordered: layout.sheet.bordered(index + 1))
        }
        rowNumber = layout.sheet.rows.count
    }

    deinit {
        try? sheetFile.close()
        try? FileManager.default.removeItem(at: sheetURL)
    }

    public func append(_ item: Item) throws {
        count += 1
        rowNumber += 1
        guard rowNumber <= XLSXWriter.maxRows else { throw XLSXError.tooLarge(sheet: layout.sheet.name) }
        pending += XLSXWriter.rowXML(layout.row(item, count), number: rowNumber, bordered: layout.sheet.bordered(rowNumber))
        if pending.utf8.count >= 65_536 { try flush() }
    }

    private func flush() throws {
        try sheetFile.write(contentsOf: Data(pending.utf8))
        pending = ""
    }

    /// The finished workbook, in a temporary file the caller removes.
    public func finish() throws -> URL {
        pending += XLSXWriter.worksheetTail(layout.sheet)
        try flush()
        try sheetFile.close()
        let url = sheetURL.deletingPathExtension().appendingPathExtension("xlsx")
        let archive = try Archive(url: url, accessMode: .create)
        for part in XLSXWriter.packageParts([layout.sheet]) { try XLSXWriter.add(Data(part.xml.utf8), as: part.path, to: archive) }
        let reader = try FileHandle(forReadingFrom: sheetURL)
        defer { try? reader.close() }
        let size = try reader.seekToEnd()
        try archive.addEntry(with: "xl/worksheets/sheet1.xml", type: .file, uncompressedSize: Int64(size), modificationDate: XLSXWriter.stamp,
                             compressionMethod: .deflate) { position, chunk in
            try reader.seek(toOffset: UInt64(position))
            return try reader.read(upToCount: chunk) ?? Data()
        }
        return url
    }
}
