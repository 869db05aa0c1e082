import Foundation
import SQLKit

/// 业主决议登记簿 (docs/design.md §24): an estate's decisions, read by whoever may see the estate (officials of its region,
/// the company managing it, its committee) and added by its committee and the officials who record (`recordDecision`).
public struct OwnerDecisions: Sendable {
    /// A decision's uploaded document (决议文件).
    public struct Document: Sendable, Equatable {
        public let id: Int64
        public let decisionId: Int64
        public let filename: String
    }

    let database: Database
    let clock: any LedgerClock
    let files: StoredFiles

    public init(database: Database, clock: any LedgerClock, filesDirectory: String) {
        self.database = database
        self.clock = clock
        self.files = StoredFiles(directory: filesDirectory)
    }

    static let select: SQLQueryString = """
        SELECT d.id, d.estate_id, d.region_path, d.kind, d.decided_on, d.subject, d.votes_area_for, d.votes_households_for, d.amount_fen,
               d.valid_from, d.valid_until, d.recorded_at, d.recorded_by
        FROM owner_decisions d
        """

    static func decode(_ row: any SQLRow) throws -> OwnerDecision {
        OwnerDecision(
            id: try row.decode(column: "id", as: Int64.self), estateId: try row.decode(column: "estate_id", as: Int64.self),
            regionPath: try row.decode(column: "region_path", as: String.self),
            kind: OwnerDecision.Kind(rawValue: try row.decode(column: "kind", as: String.self)) ?? .assembly,
            decidedOn: try row.decode(column: "decided_on", as: String.self), subject: try row.decode(column: "subject", as: String.self),
            votesAreaFor: try row.decode(column: "votes_area_for", as: Int64?.self),
            votesHouseholdsFor: try row.decode(column: "votes_households_for", as: Int?.self),
            amountFen: try row.decode(column: "amount_fen", as: Int64?.self), validFrom: try row.decode(column: "valid_from", as: String.self),
            validUntil: try row.decode(column: "valid_until", as: String?.self), recordedAt: try row.decode(column: "recorded_at", as: String.self),
            recordedBy: try row.decode(column: "recorded_by", as: String.self))
    }

    /// The estate (404 outside the scope), its decisions, newest first, and their documents.
    public func register(estateId: Int64, scope: Scope) async throws -> (Estate, [OwnerDecision], [Int64: [Document]]) {
        let at = clock.now()
        return try await database.read { db in
            guard let estate = try await EstateRepository.estate(estateId, scope: scope, at: at, on: db) else { throw LedgerError.notFound("小区") }
            let decisions = try await db.raw("\(Self.select) WHERE d.estate_id = \(bind: estate.id) ORDER BY d.decided_on DESC, d.id DESC")
                .all().map(Self.decode)
            var documents: [Int64: [Document]] = [:]
            for row in try await db.raw("""
                SELECT a.id, a.owner_id, a.filename FROM attachments a JOIN owner_decisions d ON d.id = a.owner_id
                WHERE a.owner_type = 'owner_decision' AND d.estate_id = \(bind: estate.id) ORDER BY a.id
                """).all() {
                let document = Document(id: try row.decode(column: "id", as: Int64.self), decisionId: try row.decode(column: "owner_id", as: Int64.self),
                                        filename: try row.decode(column: "filename", as: String.self))
                documents[document.decisionId, default: []].append(document)
            }
            return (estate, decisions, documents)
        }
    }

    /// Adds a decision to the estate's register: the estate must be in the scope (404), the role must record decisions (403),
    /// and every field error is reported at once. One transaction with its audit entry; the document is stored by its digest.
    @discardableResult
    public func add(_ input: OwnerDecisionInput, estateId: Int64, scope: Scope) async throws -> OwnerDecision {
        let at = clock.now()
        let today = Day(Timestamp.shanghaiDay(at))!
        guard let estate = try await database.read({ db in try await EstateRepository.estate(estateId, scope: scope, at: at, on: db) }) else {
            throw LedgerError.notFound("小区")
        }
        try scope.require(.recordDecision)
        let (checked, errors) = input.check(floorArea: estate.floorArea, households: estate.households, today: today)
        try errors.throwIfAny()
        guard let checked else { throw errors }
        if let document = checked.document, let upload = input.document { try files.write(document, bytes: upload.bytes) }
        let decision = try await database.transaction { db in
            guard try await EstateRepository.estate(estateId, scope: scope, at: at, on: db) != nil else { throw LedgerError.notFound("小区") }
            let id = try await db.raw("""
                INSERT INTO owner_decisions (estate_id, region_path, kind, decided_on, subject, votes_area_for, votes_households_for, amount_fen,
                                             valid_from, valid_until, recorded_at, recorded_by)
                VALUES (\(bind: estate.id), \(bind: estate.regionPath), \(bind: checked.kind.rawValue), \(bind: checked.decidedOn.description),
                        \(bind: checked.subject), \(bind: checked.votesArea), \(bind: checked.votesHouseholds), \(bind: checked.amount?.fen),
                        \(bind: checked.validFrom.description), \(bind: checked.validUntil?.description), \(bind: Timestamp.storage(at)),
                        \(bind: scope.username))
                RETURNING id
                """).first(decodingColumn: "id", as: Int64.self)!
            if let document = checked.document {
                try await Complaints.attach(document, owner: "owner_decision", id: id, by: scope.username, at: at, on: db)
            }
            let decision = try await db.raw("\(Self.select) WHERE d.id = \(bind: id)").first().map(Self.decode)!
            try await AuditLog.record(on: db, scope: scope, at: at, action: "record", entity: "owner_decision", entityId: decision.reference,
                                      regionPath: estate.regionPath, after: decision)
            return decision
        }
        // The estate's quarters from the decision's start are judged again at once (a W07 it covers closes), as after a publication.
        await WarningEngine(database: database, clock: clock).afterPublishing([(estate.id, Quarter(containing: checked.validFrom))])
        return decision
    }

    /// A decision's document and its bytes, for whoever may see the estate.
    public func document(estateId: Int64, fileId: Int64, scope: Scope) async throws -> (filename: String, contentType: String, data: Data) {
        let at = clock.now()
        let row = try await database.read { db in
            guard try await EstateRepository.estate(estateId, scope: scope, at: at, on: db) != nil else { throw LedgerError.notFound("决议文件") }
            return try await db.raw("""
                SELECT a.filename, a.content_type, a.sha256 FROM attachments a JOIN owner_decisions d ON d.id = a.owner_id
                WHERE a.owner_type = 'owner_decision' AND a.id = \(bind: fileId) AND d.estate_id = \(bind: estateId)
                """).first()
        }
        guard let row, let data = files.read(sha256: try row.decode(column: "sha256", as: String.self),
                                              contentType: try row.decode(column: "content_type", as: String.self)) else {
            throw LedgerError.notFound("决议文件")
        }
        return (try row.decode(column: "filename", as: String.self), try row.decode(column: "content_type", as: String.self), data)
    }

    /// What the public estate page says of the decisions its published expenditures cite: kind, subject and period, by id.
    /// Public like the disclosures that cite them (owners read their own decisions); never the votes' recorder or the document.
    public func citedTitles(estateId: Int64) async throws -> [Int64: String] {
        try await database.read { db in
            try await db.raw("\(Self.select) WHERE d.estate_id = \(bind: estateId)").all().map(Self.decode)
        }.reduce(into: [:]) { titles, d in titles[d.id] = "\(d.kind.title)：\(d.subject)，有效期 \(d.period)" }
    }

    /// The estate's decisions in force during `quarter`, oldest first: what a filing of that quarter may cite (the filing page
    /// lists them; its caller has already checked that the user may file the estate).
    public func inForce(estateId: Int64, during quarter: Quarter) async throws -> [OwnerDecision] {
        try await database.read { db in
            try await db.raw("""
                \(Self.select) WHERE d.estate_id = \(bind: estateId) AND d.valid_from <= \(bind: quarter.lastDay.description)
                AND (d.valid_until IS NULL OR d.valid_until >= \(bind: quarter.firstDay.description)) ORDER BY d.id
                """).all().map(Self.decode)
        }
    }

    /// The decisions of the estates `estateIds` (for rule W07), keyed by estate then id.
    static func byEstate(where predicate: SQLQueryString, on db: any SQLDatabase) async throws -> [Int64: [Int64: OwnerDecision]] {
        // The full warning run reads every county's registers (240,000 decisions at 50,000 estates): the columns that
        // hold no free text are read packed (`PackedColumns`), the subject and the recorder as they are.
        let packed = PackedColumns.expression([
            "d.id", "d.estate_id", "d.region_path", "d.kind", "d.decided_on", "d.votes_area_for", "d.votes_households_for", "d.amount_fen",
            "d.valid_from", "d.valid_until", "d.recorded_at",
        ])
        return try await db.fold("""
            SELECT \(packed) AS packed, d.subject, d.recorded_by FROM owner_decisions d WHERE \(predicate)
            """, into: [Int64: [Int64: OwnerDecision]]()) { result, row in
            let d = PackedColumns(try row.decode(column: "packed", as: String.self))
            let decision = OwnerDecision(
                id: try d.int64(0), estateId: try d.int64(1), regionPath: try d.string(2), kind: OwnerDecision.Kind(rawValue: try d.string(3)) ?? .assembly,
                decidedOn: try d.string(4), subject: try row.decode(column: "subject", as: String.self), votesAreaFor: try d.optionalInt64(5),
                votesHouseholdsFor: try d.optionalInt64(6).map(Int.init), amountFen: try d.optionalInt64(7), validFrom: try d.string(8),
                validUntil: try d.optionalString(9), recordedAt: try d.string(10), recordedBy: try row.decode(column: "recorded_by", as: String.self))
            result[decision.estateId, default: [:]][decision.id] = decision
        }
    }
}
