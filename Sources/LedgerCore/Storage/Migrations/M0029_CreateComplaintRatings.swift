import Foundation
import SQLKit

/// The complainant's rating of each closure (满意 / 基本满意 / 不满意), one per closure: `round` is the complaint's
/// number of reopenings when it was rated. The estate and region path are kept so the dashboard's 满意率 is scoped in SQL.
struct M0029_CreateComplaintRatings: Migration {
    let version = 29
    let name = "0029_create_complaint_ratings"

    func prepare(on db: any SQLDatabase, dialect d: SchemaDialect) async throws {
        try await d.exec(db, """
            CREATE TABLE complaint_ratings (
                \(d.id),
                complaint_id BIGINT NOT NULL REFERENCES complaints(id),
                round BIGINT NOT NULL,
                rating TEXT NOT NULL,
                comment TEXT,
                closed_at TEXT NOT NULL,
                outcome TEXT,
                rated_at TEXT NOT NULL,
                estate_id BIGINT NOT NULL REFERENCES estates(id),
                region_path \(d.binaryText) NOT NULL,
                UNIQUE (complaint_id, round))
            """)
        try await d.exec(db, "CREATE INDEX complaint_ratings_region ON complaint_ratings(region_path, rated_at)")
    }
}
