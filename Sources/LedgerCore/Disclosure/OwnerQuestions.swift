import Crypto
import Foundation
import SQLKit

/// 存疑: an owner questions an item of a published disclosure; the company answers; the answer is public.
public struct OwnerQuestions: Sendable {
    public struct Question: Sendable, Codable, Equatable {
        public let id: Int64
        public let estateId: Int64
        public let year: Int
        public let quarter: Int
        public let item: String
        public let content: String
        public let askedAt: String
        public let answer: String?
        public let answeredAt: String?
    }

    /// At most this many questions per address per hour (no login, so the address is what can be limited).
    public static let hourlyLimit = 10

    let database: Database
    let clock: any LedgerClock

    public init(database: Database, clock: any LedgerClock) {
        self.database = database
        self.clock = clock
    }

    static let select: SQLQueryString = "SELECT id, estate_id, year, quarter, item, content, asked_at, answer, answered_at FROM disclosure_questions"

    /// Records a question about a published quarter (anyone may ask; no personal data is kept, the address only hashed).
    public func ask(estateId: Int64, _ command: QuestionInput, address: String) async throws -> Question {
        let input = try command.validated()
        let (quarter, item, content) = (input.quarter, input.item, input.content)
        let at = clock.now()
        return try await database.transaction { db in
            let addressHash = try await InstallationSecrets.addressHash(address, purpose: "question", on: db)
            let recent = try await db.raw("""
                SELECT COUNT(*) AS n FROM disclosure_questions WHERE address_hash = \(bind: addressHash)
                AND asked_at > \(bind: Timestamp.storage(at - 3600))
                """).first(decodingColumn: "n", as: Int.self) ?? 0
            guard recent < Self.hourlyLimit else {
                throw LedgerError(.locked, code: "rate_limited", message: "提交过于频繁，请一小时后再试")
            }
            let published = try await db.raw("""
                SELECT e.region_path, e.name, e.company_id FROM disclosure_versions v JOIN estates e ON e.id = v.estate_id
                WHERE v.estate_id = \(bind: estateId) AND v.year = \(bind: quarter.year) AND v.quarter = \(bind: quarter.quarter) LIMIT 1
                """).first()
            guard let published, let regionPath = try? published.decode(column: "region_path", as: String.self) else { throw LedgerError.invalid("quarter", code: "not_published", "该季度尚未公示，无法提出存疑") }
            let id = try await db.raw("""
                INSERT INTO disclosure_questions (estate_id, year, quarter, item, content, asked_at, address_hash)
                VALUES (\(bind: estateId), \(bind: quarter.year), \(bind: quarter.quarter), \(bind: item), \(bind: content),
                        \(bind: Timestamp.storage(at)), \(bind: addressHash))
                RETURNING id
                """).first(decodingColumn: "id", as: Int64.self)!
            let question = try await db.raw("\(Self.select) WHERE id = \(bind: id)").first(decoding: Question.self, keyDecodingStrategy: .convertFromSnakeCase)!
            let owner = Scope(userId: nil, username: "owner", role: .auditor, regionPath: nil, companyId: nil, estateId: nil)
            try await AuditLog.record(on: db, scope: owner, at: at, action: "ask", entity: "disclosure_question", entityId: "\(id)",
                                      regionPath: regionPath, after: question, role: "anonymous")
            // The company that manages the estate is to answer it (§29).
            if let company = try published.decode(column: "company_id", as: Int64?.self) {
                try await Notifications.notify(.company(company), kind: .questionAsked,
                                               body: "\(try published.decode(column: "name", as: String.self))\(quarter.title)公示的「\(item)」有业主存疑，请答复",
                                               link: "/estates/\(estateId)#questions", at: at, on: db)
            }
            return question
        }
    }

    /// The company that manages the estate answers; the answer is then public and cannot be rewritten.
    public func answer(questionId: Int64, _ command: AnswerInput, scope: Scope) async throws -> Question {
        let answer = try command.validated()
        try scope.require(.answerQuestions)
        let at = clock.now()
        return try await database.transaction { db in
            guard let before = try await db.raw("""
                \(Self.select) WHERE id = \(bind: questionId)
                AND estate_id IN (SELECT e.id FROM estates e WHERE \(scope.estatePredicate()))
                """).first(decoding: Question.self, keyDecodingStrategy: .convertFromSnakeCase) else { throw LedgerError.notFound("存疑") }
            guard before.answer == nil else {
                throw LedgerError(.conflict, code: "already_answered", message: "该存疑已答复，答复公开后不能修改", field: "answer")
            }
            try await db.raw("""
                UPDATE disclosure_questions SET answer = \(bind: answer), answered_at = \(bind: Timestamp.storage(at)), answered_by = \(bind: scope.username)
                WHERE id = \(bind: questionId)
                """).run()
            let after = try await db.raw("\(Self.select) WHERE id = \(bind: questionId)").first(decoding: Question.self, keyDecodingStrategy: .convertFromSnakeCase)!
            let regionPath = try await db.raw("SELECT region_path FROM estates WHERE id = \(bind: before.estateId)")
                .first(decodingColumn: "region_path", as: String.self)
            try await AuditLog.record(on: db, scope: scope, at: at, action: "answer", entity: "disclosure_question", entityId: "\(questionId)",
                                      regionPath: regionPath, before: before, after: after)
            return after
        }
    }

    /// Answered questions of an estate, for the public page.
    public func answered(estateId: Int64) async throws -> [Question] {
        try await database.read { db in
            try await db.raw("\(Self.select) WHERE estate_id = \(bind: estateId) AND answer IS NOT NULL ORDER BY year DESC, quarter DESC, id")
                .all(decoding: Question.self, keyDecodingStrategy: .convertFromSnakeCase)
        }
    }

    /// Every question of an estate in scope (the company's page shows the open ones first).
    public func all(estateId: Int64, scope: Scope) async throws -> [Question] {
        try await database.read { db in
            guard try await EstateRepository.isVisible(estateId, scope: scope, on: db) else { throw LedgerError.notFound("小区") }
            return try await db.raw("\(Self.select) WHERE estate_id = \(bind: estateId) ORDER BY (answer IS NULL) DESC, id DESC")
                .all(decoding: Question.self, keyDecodingStrategy: .convertFromSnakeCase)
        }
    }
}
