import Foundation
import LedgerCore

/// Reads a workbook back with Python's openpyxl (what Excel users' tools read), for tests of the XLSX exports.
/// Fails with a clear message, never skips, when python3 or openpyxl is missing (`make deps` installs them).
public enum Openpyxl {
    /// Per sheet: each cell as `[type, text]` (type int, float or str), merged ranges, bold cells, the frozen-pane
    /// cell and custom column widths.
    public struct Report: Decodable, Sendable {
        public let sheets: [String]
        public let cells: [String: [String: [String]]]
        public let merges: [String: [String]]
        public let bold: [String: [String]]
        public let frozen: [String: String]
        public let widths: [String: [String: Double]]
        /// Per sheet: how it prints.
        public let print: [String: PrintSetup]

        public struct PrintSetup: Decodable, Sendable {
            public let orientation: String?
            public let paperSize: Int?
            public let fitToPage: Bool
            public let fitToWidth: Int?
            public let fitToHeight: Int?
            /// `3:3` — the rows repeated on every page.
            public let titleRows: String?
            /// Cells with a thin border all round.
            public let bordered: [String]
            /// Rows after which a page ends.
            public let breaks: [Int]
        }

        /// The text of a cell, whatever its type.
        public func text(_ sheet: String, _ cell: String) -> String? { cells[sheet]?[cell]?.last }
    }

    public struct Failure: Error, CustomStringConvertible {
        public let description: String
    }

    static let script = """
        import json, sys
        import openpyxl
        wb = openpyxl.load_workbook(sys.argv[1])
        out = {"sheets": wb.sheetnames, "cells": {}, "merges": {}, "bold": {}, "frozen": {}, "widths": {}, "print": {}}
        for ws in wb.worksheets:
            cells, bold, bordered = {}, [], []
            for row in ws.iter_rows():
                for c in row:
                    b = c.border
                    if all(s is not None and s.style == "thin" for s in (b.left, b.right, b.top, b.bottom)):
                        bordered.append(c.coordinate)
                    if c.value is None:
                        continue
                    kind = {int: "int", float: "float", str: "str"}.get(type(c.value), type(c.value).__name__)
                    cells[c.coordinate] = [kind, repr(c.value) if kind == "float" else str(c.value)]
                    if c.font is not None and c.font.b:
                        bold.append(c.coordinate)
            out["cells"][ws.title] = cells
            out["bold"][ws.title] = bold
            out["merges"][ws.title] = sorted(str(r) for r in ws.merged_cells.ranges)
            out["frozen"][ws.title] = ws.freeze_panes or ""
            out["widths"][ws.title] = {k: d.width for k, d in ws.column_dimensions.items() if d.customWidth}
            ps = ws.page_setup
            def num(v):
                return None if v is None else int(v)
            out["print"][ws.title] = {
                "orientation": ps.orientation, "paperSize": num(ps.paperSize),
                "fitToPage": bool(ws.sheet_properties.pageSetUpPr is not None and ws.sheet_properties.pageSetUpPr.fitToPage),
                "fitToWidth": num(ps.fitToWidth), "fitToHeight": num(ps.fitToHeight),
                "titleRows": ws.print_title_rows, "bordered": bordered, "breaks": [b.id for b in ws.row_breaks.brk]}
        json.dump(out, sys.stdout)
        """

    public static func read(_ data: Data) async throws -> Report {
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("openpyxl-\(UUID().uuidString).xlsx")
        try data.write(to: file)
        defer { try? FileManager.default.removeItem(at: file) }
        return try await read(file)
    }

    public static func read(_ file: URL) async throws -> Report {
        let run = try await ChildProcess.run("/usr/bin/env", ["python3", "-c", script, file.path])
        guard run.status == 0 else {
            throw Failure(description: "python3 with openpyxl is needed to check the workbook (pip install openpyxl); "
                          + "exit status \(run.status): \(String(decoding: run.errors, as: UTF8.self))")
        }
        return try JSONDecoder().decode(Report.self, from: run.output)
    }
}
