import Foundation
import SQLKit

/// Multi-row INSERTs in batches, for loading generated or imported data quickly inside one transaction.
struct BulkInsert {
    let table: String
    let columns: [String]
    let batchSize: Int
    private var rows: [[any Encodable & Sendable]] = []

    init(table: String, columns: [String], batchSize: Int = 400) {
        self.table = table
        self.columns = columns
        self.batchSize = batchSize
    }

    mutating func add(_ row: [any Encodable & Sendable], on db: any SQLDatabase) async throws {
        rows.append(row)
        if rows.count >= batchSize { try await flush(on: db) }
    }

    mutating func flush(on db: any SQLDatabase) async throws {
        guard !rows.isEmpty else { return }
        var insert = db.insert(into: table).columns(columns)
        for row in rows { insert = insert.values(row) }
        try await insert.run()
        rows.removeAll(keepingCapacity: true)
    }

    /// After rows were inserted with explicit ids, PostgreSQL's sequence must move past them.
    static func resetSequence(table: String, on db: any SQLDatabase) async throws {
        guard db.dialect.name == "postgresql" else { return }
        try await db.raw("""
            SELECT setval(pg_get_serial_sequence(\(bind: table), 'id'), COALESCE((SELECT MAX(id) FROM \(ident: table)), 0) + 1, false)
            """).run()
    }
}
