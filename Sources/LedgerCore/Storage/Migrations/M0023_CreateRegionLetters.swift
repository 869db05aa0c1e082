import Foundation
import SQLKit

/// 提醒函 and 督办函 from a city or county to a lagging sub-region (Fuzhou §六(三), Putian §五(三)): the facts frozen as
/// issued, the reply deadline, and the sub-region's answer.
struct M0023_CreateRegionLetters: Migration {
    let version = 23
    let name = "0023_create_region_letters"

    func prepare(on db: any SQLDatabase, dialect d: SchemaDialect) async throws {
        try await d.exec(db, """
            CREATE TABLE region_letters (
                \(d.id),
                kind TEXT NOT NULL,
                number TEXT NOT NULL UNIQUE,
                from_code TEXT NOT NULL REFERENCES regions(code),
                from_path \(d.binaryText) NOT NULL,
                to_code TEXT NOT NULL REFERENCES regions(code),
                to_path \(d.binaryText) NOT NULL,
                addressee TEXT NOT NULL,
                issued_on TEXT NOT NULL,
                reply_due TEXT NOT NULL,
                facts TEXT NOT NULL,
                requirements TEXT NOT NULL,
                issued_at TEXT NOT NULL,
                issued_by TEXT NOT NULL,
                reply TEXT,
                replied_at TEXT,
                replied_by TEXT)
            """)
        try await d.exec(db, "CREATE INDEX region_letters_to ON region_letters(to_path)")
        try await d.exec(db, "CREATE INDEX region_letters_from ON region_letters(from_path)")
    }
}
