import Foundation
import SQLKit

/// Filing disclosures: drafts a company edits, and versions it publishes. A published version is never changed:
/// a correction is the next version, with its reason, appended to the transparency log like the first.
public struct DisclosureRepository: Sendable {
    let database: Database
    let clock: any LedgerClock

    public init(database: Database, clock: any LedgerClock) {
        self.database = database
        self.clock = clock
    }

    /// Saves a draft (complete or not); malformed values are refused with their field paths.
    @discardableResult
    public func saveDraft(estateId: Int64, quarter: Quarter, document: DisclosureDocument, scope: Scope) async throws -> DisclosureContent {
        let content = try DisclosureChecks.parse(document, draft: true)
        let at = clock.now()
        try await database.transaction { db in
            let (estate, _) = try await Self.fileableEstate(estateId, quarter: quarter, scope: scope, at: at, on: db)
            try await Self.storeDraft(estateId: estateId, quarter: quarter, document: document, scope: scope, at: at, on: db)
            try await AuditLog.record(on: db, scope: scope, at: at, action: "save_draft", entity: "disclosure",
                                      entityId: "\(estateId)/\(quarter)", regionPath: estate.regionPath, after: document)
        }
        return content
    }

    /// The estate whose `quarter` the scope may open for filing: one in its scope, or for a company one whose quarter
    /// it owes though it no longer manages it (`EstateFigures.owedFilings`); not found otherwise.
    public func filingEstate(_ estateId: Int64, quarter: Quarter, scope: Scope) async throws -> Estate {
        let at = clock.now()
        let found = try await database.read { db in try await Self.filingEstate(estateId, quarter: quarter, scope: scope, at: at, on: db) }
        guard let found else { throw LedgerError.notFound("小区") }
        return found
    }

    static func filingEstate(_ estateId: Int64, quarter: Quarter, scope: Scope, at: Date, on db: any SQLDatabase) async throws -> Estate? {
        let visible: SQLQueryString = scope.role == .company
            ? "(\(scope.estatePredicate()) OR \(EstateFigures.owedFilings(quarter, scope: scope)))" : scope.estatePredicate()
        return try await db.raw("\(EstateRepository.select(at: at)) WHERE e.id = \(bind: estateId) AND \(visible)")
            .first(decoding: Estate.self, keyDecodingStrategy: .convertFromSnakeCase)
    }

    /// The saved draft of a quarter, if any.
    public func draft(estateId: Int64, quarter: Quarter, scope: Scope) async throws -> DisclosureDocument? {
        let at = clock.now()
        return try await database.read { db in
            guard try await Self.filingEstate(estateId, quarter: quarter, scope: scope, at: at, on: db) != nil else { throw LedgerError.notFound("小区") }
            let text = try await db.raw("""
                SELECT document FROM disclosure_drafts WHERE estate_id = \(bind: estateId) AND year = \(bind: quarter.year)
                AND quarter = \(bind: quarter.quarter)
                """).first(decodingColumn: "document", as: String.self)
            return try text.map { try JSONDecoder().decode(DisclosureDocument.self, from: Data($0.utf8)) }
        }
    }

    /// Publishes `document` (or the saved draft when nil). A correction of a published quarter needs a reason.
    public func publish(estateId: Int64, quarter: Quarter, document: DisclosureDocument?, reason: String?, scope: Scope) async throws -> PublishedVersion {
        let at = clock.now()
        let reasonText = (reason ?? "").trimmingCharacters(in: .whitespacesAndNewlines)
        guard reasonText.count <= 500 else { throw LedgerError.invalid("reason", code: "too_long", "更正原因不能超过500个字符") }
        let version = try await database.transaction { db in
            try await Self.publish(estateId: estateId, quarter: quarter, document: document, reason: reasonText, scope: scope, at: at, on: db)
        }
        await WarningEngine(database: database, clock: clock).afterPublishing([(estateId, quarter)])
        return version
    }

    /// Publishing inside the caller's transaction (shared by the form, the API and CSV import).
    static func publish(estateId: Int64, quarter: Quarter, document: DisclosureDocument?, reason reasonText: String, scope: Scope, at: Date,
                        on db: any SQLDatabase) async throws -> PublishedVersion {
        if db.dialect.name == "postgresql" {
            // Serialise publishers before reading the version number (the log append takes the same lock).
            try await db.raw("SELECT pg_advisory_xact_lock(7432002)").run()
        }
        let (estate, filer) = try await Self.fileableEstate(estateId, quarter: quarter, scope: scope, at: at, on: db)
        let source: DisclosureDocument
        if let document {
            source = document
        } else {
            let text = try await db.raw("""
                SELECT document FROM disclosure_drafts WHERE estate_id = \(bind: estateId) AND year = \(bind: quarter.year)
                AND quarter = \(bind: quarter.quarter)
                """).first(decodingColumn: "document", as: String.self)
            guard let text else { throw LedgerError.invalid("document", code: "no_draft", "该季度没有可发布的草稿") }
            source = try JSONDecoder().decode(DisclosureDocument.self, from: Data(text.utf8))
        }
        let previous = try await db.raw("""
            SELECT MAX(version) AS v FROM disclosure_versions WHERE estate_id = \(bind: estateId) AND year = \(bind: quarter.year)
            AND quarter = \(bind: quarter.quarter)
            """).first(decodingColumn: "v", as: Int?.self) ?? nil
        let content = try await Self.validated(source, regionPath: estate.regionPath, correcting: previous != nil, reason: reasonText, at: at, on: db)
        let published = try await TransparencyLog.append(
            content: content, estate: estate, filer: filer ?? estate.companyId, quarter: quarter, version: (previous ?? 0) + 1,
            reason: previous == nil ? nil : reasonText, publisher: scope.username, at: at, on: db)
        try await db.raw("""
            DELETE FROM disclosure_drafts WHERE estate_id = \(bind: estateId) AND year = \(bind: quarter.year) AND quarter = \(bind: quarter.quarter)
            """).run()
        try await AuditLog.record(on: db, scope: scope, at: at, action: previous == nil ? "publish" : "correct", entity: "disclosure",
                                  entityId: "\(estateId)/\(quarter)/v\(published.version)", regionPath: estate.regionPath,
                                  after: ["leafHash": published.leafHash, "reason": reasonText])
        return published
    }

    static func storeDraft(estateId: Int64, quarter: Quarter, document: DisclosureDocument, scope: Scope, at: Date, on db: any SQLDatabase) async throws {
        let json = String(decoding: try LogEntry.encoder.encode(document), as: UTF8.self)
        // An upsert: two saves of the same draft at once must not collide on the key.
        try await db.raw("""
            INSERT INTO disclosure_drafts (estate_id, year, quarter, document, updated_at, updated_by)
            VALUES (\(bind: estateId), \(bind: quarter.year), \(bind: quarter.quarter), \(bind: json), \(bind: Timestamp.storage(at)),
                    \(bind: scope.username))
            ON CONFLICT (estate_id, year, quarter) DO UPDATE SET document = excluded.document, updated_at = excluded.updated_at,
                updated_by = excluded.updated_by
            """).run()
    }

    /// The estate, if the scope may file its `quarter`: a quarter that has ended, filed by the company that owes it —
    /// the one that managed the estate on the quarter's last day (`EstateFigures.filer`), whether or not it manages
    /// it today — or by the admin for any estate a contract covered that day. Returns the estate and the company that owes the quarter.
    /// Every reason a document cannot be published, at once: its fields, its balances and display period (the region's
    /// minimum), and for a correction the reason and a display period that starts on or after the day it is published —
    /// a correction shown under an expired period would mislead.
    static func validated(_ source: DisclosureDocument, regionPath: String, correcting: Bool, reason: String, at: Date,
                          on db: any SQLDatabase) async throws -> DisclosureContent {
        var errors = FieldErrors()
        var content: DisclosureContent?
        do { content = try DisclosureChecks.parse(source) } catch let found as FieldErrors { errors = found }
        if let parsed = content {
            do {
                try DisclosureChecks.checkPublishable(parsed, sentClosingBalance: source.closingBalance,
                                                      minimumDisplayDays: try await WarningParameters.displayDays(at: regionPath, on: db))
            } catch let found as FieldErrors { errors = FieldErrors(merging: errors, found) }
        }
        if correcting {
            if reason.isEmpty { errors.add("reason", code: "reason_required", "该季度已公示，更正须填写更正原因；原公示保留可查") }
            let today = Day(Timestamp.shanghaiDay(at))!
            if let from = content?.displayFrom ?? Day(source.display?.from ?? ""), from < today {
                errors.add("display.from", code: "correction_display_past",
                           "更正版本须重新公示：公示开始不能早于发布当日（\(today)），并公示满规定天数")
            }
        }
        try errors.throwIfAny()
        return content!
    }

    /// What publishing the saved draft would make public, checked as publishing checks it (every error at once): the new
    /// version as it would read, and the version it corrects (nil for a first publication).
    public struct Preview: Sendable {
        public let entry: DisclosureHistory.Entry
        public let previous: DisclosureHistory.Entry?
    }

    public func preview(estateId: Int64, quarter: Quarter, reason: String?, scope: Scope) async throws -> Preview {
        let at = clock.now()
        let reasonText = (reason ?? "").trimmingCharacters(in: .whitespacesAndNewlines)
        guard reasonText.count <= 500 else { throw LedgerError.invalid("reason", code: "too_long", "更正原因不能超过500个字符") }
        let (content, estate, filer, previous) = try await database.read { db in
            let (estate, filer) = try await Self.fileableEstate(estateId, quarter: quarter, scope: scope, at: at, on: db)
            guard let text = try await db.raw("""
                SELECT document FROM disclosure_drafts WHERE estate_id = \(bind: estateId) AND year = \(bind: quarter.year)
                AND quarter = \(bind: quarter.quarter)
                """).first(decodingColumn: "document", as: String.self) else {
                throw LedgerError.invalid("document", code: "no_draft", "该季度没有可发布的草稿")
            }
            let source = try JSONDecoder().decode(DisclosureDocument.self, from: Data(text.utf8))
            let previous = try await db.raw("""
                SELECT MAX(version) AS v FROM disclosure_versions WHERE estate_id = \(bind: estateId) AND year = \(bind: quarter.year)
                AND quarter = \(bind: quarter.quarter)
                """).first(decodingColumn: "v", as: Int?.self) ?? nil
            let content = try await Self.validated(source, regionPath: estate.regionPath, correcting: previous != nil, reason: reasonText, at: at, on: db)
            return (content, estate, filer, previous)
        }
        let (header, lines) = TransparencyLog.version(content: content, estateId: estate.id, filer: filer ?? estate.companyId, quarter: quarter,
                                                      version: (previous ?? 0) + 1, reason: previous == nil ? nil : reasonText,
                                                      publisher: scope.username, publishedAt: Timestamp.storage(at), leafIndex: 0)
        let before = previous == nil ? nil : try await DisclosureHistory(database: database).entry(estateId: estateId, quarter: quarter)
        return Preview(entry: DisclosureHistory.Entry(version: header, lines: lines), previous: before)
    }

    static func fileableEstate(_ estateId: Int64, quarter: Quarter, scope: Scope, at: Date,
                               on db: any SQLDatabase) async throws -> (Estate, filer: Int64?) {
        guard let estate = try await filingEstate(estateId, quarter: quarter, scope: scope, at: at, on: db) else { throw LedgerError.notFound("小区") }
        try scope.require(.fileDisclosure)
        guard quarter.lastDay.description < Timestamp.shanghaiDay(at) else {
            throw LedgerError.invalid("quarter", code: "future_quarter", "\(quarter.title)尚未结束，不能公示")
        }
        let contracts = try await EstateFigures.contracts(where: "e.id = \(bind: estateId)", on: db)[estateId] ?? []
        let filer = EstateFigures.filer(of: quarter, contracts: contracts)
        if scope.role == .company, filer != scope.companyId {
            throw LedgerError.invalid("quarter", code: "before_contract",
                                      "\(quarter.title)末（\(quarter.lastDay)）本企业未管理该小区，该季度应由当日在管的物业服务企业公示")
        }
        if filer == nil, !contracts.isEmpty {
            throw LedgerError.invalid("quarter", code: "before_contract", "\(quarter.title)末（\(quarter.lastDay)）该小区没有有效的物业服务合同，无需公示")
        }
        return (estate, filer)
    }
}
