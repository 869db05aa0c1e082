import SQLKit

/// Several columns read as one text column, for the few queries that read hundreds of thousands of rows (the full
/// warning run). Decoding a column through SQLKit costs more than the column's value: on PostgreSQL, PostgresKit's
/// per-column decoding (a Codable round trip with a coding path) was 43 % of a full run (`perf`). Packed, a row is one
/// decode and a split. Values are joined with `|` and a NULL is written as U+0001, so only columns whose values cannot
/// hold either — numbers, dates, timestamps and codes — may be packed.
struct PackedColumns: Sendable {
    static let separator: Character = "|"
    static let null = "\u{1}"

    /// The SQL expression for `columns`, in order (both databases: `||`, `CAST … AS TEXT`, a bound NULL marker).
    static func expression(_ columns: [SQLQueryString]) -> SQLQueryString {
        var sql: SQLQueryString = ""
        for (index, column) in columns.enumerated() {
            if index > 0 { sql = "\(sql) || '|' || " }
            sql = "\(sql)COALESCE(CAST(\(column) AS TEXT), \(bind: null))"
        }
        return sql
    }

    let values: [Substring]

    init(_ text: String) { values = text.split(separator: Self.separator, omittingEmptySubsequences: false) }

    func string(_ index: Int) throws -> String {
        guard let value = try optionalString(index) else { throw PackedColumnsError.null(index) }
        return value
    }

    func optionalString(_ index: Int) throws -> String? {
        guard index < values.count else { throw PackedColumnsError.missing(index) }
        return values[index] == Self.null ? nil : String(values[index])
    }

    func int64(_ index: Int) throws -> Int64 {
        guard let value = try optionalInt64(index) else { throw PackedColumnsError.null(index) }
        return value
    }

    func optionalInt64(_ index: Int) throws -> Int64? {
        guard let text = try optionalString(index) else { return nil }
        guard let value = Int64(text) else { throw PackedColumnsError.notANumber(index, text) }
        return value
    }

    func int(_ index: Int) throws -> Int { Int(try int64(index)) }
}

enum PackedColumnsError: Error, CustomStringConvertible {
    case missing(Int), null(Int), notANumber(Int, String)

    var description: String {
        switch self {
        case .missing(let index): "packed row: no column \(index)"
        case .null(let index): "packed row: column \(index) is NULL"
        case .notANumber(let index, let text): "packed row: column \(index) is not a number: \(text)"
        }
    }
}
