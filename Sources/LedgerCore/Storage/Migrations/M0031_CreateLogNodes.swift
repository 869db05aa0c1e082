import Foundation
import SQLKit

/// The Merkle tree's complete subtrees (`LogNodes`), so that a proof reads O(log n) rows instead of every leaf;
/// filled here from the leaves already in the log, in leaf order, and by each append afterwards.
struct M0031_CreateLogNodes: Migration {
    let version = 31
    let name = "0031_create_log_nodes"

    func prepare(on db: any SQLDatabase, dialect d: SchemaDialect) async throws {
        try await d.exec(db, """
            CREATE TABLE log_nodes (
                level BIGINT NOT NULL,
                idx BIGINT NOT NULL,
                hash TEXT NOT NULL,
                PRIMARY KEY (level, idx))
            """)
        let leaves = try await db.raw("SELECT leaf_hash FROM disclosure_versions WHERE leaf_index >= 0 ORDER BY leaf_index")
            .all(decodingColumn: "leaf_hash", as: String.self)
        var frontier = LogFrontier()
        var rows = BulkInsert(table: "log_nodes", columns: ["level", "idx", "hash"])
        for hex in leaves {
            guard let leaf = Data(hex: hex) else { throw StorageError.migrationFailed("log_nodes", underlying: "corrupt leaf hash") }
            for node in frontier.append(leaf) { try await rows.add([node.level, node.index, node.hash.hex], on: db) }
        }
        try await rows.flush(on: db)
    }
}
