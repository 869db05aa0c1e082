import Foundation
import Hummingbird
import LedgerCore

/// Shared pieces of the ledger exports: period parameters and the two file responses.
enum LedgerQuery {
    /// Every row of a paged list, page by page, up to 20,000 (a ledger export).
    static func all<Item>(_ fetch: (Int) async throws -> Page<Item>) async throws -> [Item] {
        var rows: [Item] = []
        var number = 1
        while true {
            let page = try await fetch(number)
            rows += page.items
            guard page.hasNext, rows.count < 20_000 else { return rows }
            number += 1
        }
    }

    static func day(_ value: Substring?, field: String) throws -> Day? {
        guard let value, !value.isEmpty else { return nil }
        guard let day = Day(String(value)) else { throw LedgerError.invalid(field, code: "bad_date", "日期格式应为 2024-07-01") }
        return day
    }

    static func csv(_ text: String, filename: String) -> Response {
        Response(status: .ok, headers: [.contentType: "text/csv; charset=utf-8", .contentDisposition: "attachment; filename=\"\(filename)\""],
                 body: .init(byteBuffer: ByteBuffer(string: "\u{FEFF}" + text)))
    }

    static func xlsx(_ data: Data, filename: String) -> Response {
        Response(status: .ok, headers: [.contentType: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                                        .contentDisposition: "attachment; filename=\"\(filename)\""],
                 body: .init(byteBuffer: ByteBuffer(bytes: data)))
    }
}
