import Foundation
import Hummingbird
import LedgerCore

/// Helpers for list queries and ledger downloads.
enum LedgerQuery {
    static func day(_ value: Substring?, field: String) throws -> Day? {
        guard let value, !value.isEmpty else { return nil }
        guard let day = Day(String(value)) else { throw LedgerError.invalid(field, code: "bad_date", "日期格式应为 2024-07-01") }
        return day
    }

    /// The case filter from a list's or an export's query: the same parameters for every kind of case.
    static func caseFilter(_ query: Parameters) throws -> CaseFilter {
        var filter = CaseFilter()
        filter.status = String((query["status"] ?? "").prefix(16))
        filter.source = String((query["source"] ?? "").prefix(16))
        filter.category = String((query["category"] ?? "").prefix(40))
        filter.regionCode = String((query["region"] ?? "").prefix(20))
        filter.companyId = try RegistryAPI.positive(query["company"], field: "company").map(Int64.init)
        filter.estateId = try RegistryAPI.positive(query["estate"], field: "estate").map(Int64.init)
        filter.overdue = query["overdue"] == "1"
        filter.dueBy = try day(query["due"], field: "due")
        filter.from = try day(query["from"], field: "from")
        filter.until = try day(query["until"], field: "until")
        filter.search = String((query["q"] ?? "").prefix(50))
        filter.sort = String((query["sort"] ?? "").prefix(20))
        filter.descending = query["desc"] == "1"
        filter.page = try RegistryAPI.positive(query["page"], field: "page") ?? 1
        return filter
    }

    static func csv(_ text: String, filename: String) -> Response {
        Response(status: .ok, headers: headers(contentType: "text/csv; charset=utf-8", filename: filename),
                 body: .init(byteBuffer: ByteBuffer(string: "\u{FEFF}" + text)))
    }

    static func xlsx(_ data: Data, filename: String) -> Response {
        Response(status: .ok, headers: headers(contentType: xlsxType, filename: filename), body: .init(byteBuffer: ByteBuffer(bytes: data)))
    }

    static let xlsxType = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

    /// A ledger as CSV, streamed: `rows` hands each record to the writer as it is read, so neither the rows nor the
    /// text are ever held whole. `rows` must have checked its filter already (an error after the first byte cannot
    /// become an error page).
    static func csvStream<Item>(_ layout: LedgerLayout<Item>, filename: String,
                                rows: @escaping @Sendable (_ each: (Item) async throws -> Void) async throws -> Void) -> Response {
        Response(status: .ok, headers: headers(contentType: "text/csv; charset=utf-8", filename: filename), body: ResponseBody { writer in
            var stream = CSVStream(layout)
            try await rows { item in
                if let chunk = stream.append(item) { try await writer.write(ByteBuffer(bytes: chunk)) }
            }
            try await writer.write(ByteBuffer(bytes: stream.finish()))
            try await writer.finish(nil)
        })
    }

    /// A ledger as XLSX: written row by row to a temporary file (`XLSXStream`), then sent in chunks and removed.
    static func xlsxStream<Item>(_ layout: LedgerLayout<Item>, filename: String,
                                 rows: (_ each: (Item) async throws -> Void) async throws -> Void) async throws -> Response {
        let stream = try XLSXStream(layout)
        try await rows { try stream.append($0) }
        let url = try stream.finish()
        let size = (try? FileManager.default.attributesOfItem(atPath: url.path)[.size] as? Int) ?? nil
        return Response(status: .ok, headers: headers(contentType: xlsxType, filename: filename), body: ResponseBody(contentLength: size) { writer in
            defer { try? FileManager.default.removeItem(at: url) }
            let file = try FileHandle(forReadingFrom: url)
            defer { try? file.close() }
            while let data = try file.read(upToCount: 65_536), !data.isEmpty {
                try await writer.write(ByteBuffer(bytes: data))
            }
            try await writer.finish(nil)
        })
    }

    /// `attachment` with the name in UTF-8 (RFC 6266 `filename*`) and an ASCII fallback.
    static func headers(contentType: String, filename: String) -> HTTPFields {
        let ascii = String(filename.unicodeScalars.map { $0.isASCII && $0 != "\"" && $0.value >= 0x20 ? Character($0) : "_" })
        return [.contentType: contentType,
                .contentDisposition: "attachment; filename=\"\(ascii)\"; filename*=UTF-8''\(filename.urlQueryEncoded)"]
    }
}

