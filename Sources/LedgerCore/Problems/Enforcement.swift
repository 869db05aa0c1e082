import Foundation
import SQLKit

/// 执法措施 recorded against a company: 责令整改, 约谈, 通报曝光, 信用扣分 (scored later by the credit capability), 行政处罚, 移交, 清退.
public struct Enforcement: Sendable {
    public struct Action: Sendable, Codable {
        public let id: Int64
        public let companyId: Int64
        public let companyName: String
        public let estateId: Int64?
        public let problemId: Int64?
        public let kind: EnforcementKind
        public let decidedOn: String
        public let basis: String
        public let documentNumber: String
        public let note: String
        public let createdBy: String

        public var kindTitle: String { kind.title }
    }

    let database: Database
    let clock: any LedgerClock

    public init(database: Database, clock: any LedgerClock) {
        self.database = database
        self.clock = clock
    }

    /// Records an action (regulators and the admin), optionally tied to one of the company's problems.
    @discardableResult
    public func record(companyId: Int64, _ command: EnforcementInput, scope: Scope) async throws -> Int64 {
        try scope.require(.recordEnforcement)
        let input = try command.validated(today: Day(Timestamp.shanghaiDay(clock.now()))!)
        let (kind, day, basis, number, note, problemId) = (input.kind, input.decidedOn, input.basis, input.documentNumber, input.note, input.problemId)
        let at = clock.now()
        return try await database.transaction { db in
            guard let company = try await db.raw("SELECT c.id, c.region_path FROM companies c WHERE c.id = \(bind: companyId) AND \(scope.companyPredicate())")
                .first() else { throw LedgerError.notFound("物业企业") }
            var path = try company.decode(column: "region_path", as: String.self)
            var estateId: Int64?
            if let problemId {
                guard let problem = try await Problems.find(problemId, scope: scope, on: db), problem.companyId == companyId else {
                    throw LedgerError.invalid("problem", code: "not_found", "关联问题不存在、不在您的管辖范围内或不属于该企业")
                }
                path = problem.regionPath
                estateId = problem.estateId
            }
            if !scope.covers(regionPath: path) && scope.role != .admin, let own = scope.regionPath { path = own }
            let id = try await db.raw("""
                INSERT INTO enforcement_actions (company_id, estate_id, problem_id, region_path, kind, decided_on, basis, document_number, note,
                                                 created_at, created_by)
                VALUES (\(bind: companyId), \(bind: estateId), \(bind: problemId), \(bind: path), \(bind: kind.rawValue), \(bind: day.description),
                        \(bind: basis), \(bind: number), \(bind: note), \(bind: Timestamp.storage(at)), \(bind: scope.username))
                RETURNING id
                """).first(decodingColumn: "id", as: Int64.self)!
            if let problemId {
                try await Problems.event(problemId, at: at, scope: scope, action: "enforce", note: "\(kind.title)（\(number)）：\(basis)", on: db)
            }
            try await AuditLog.record(on: db, scope: scope, at: at, action: "enforce", entity: "company", entityId: "\(companyId)", regionPath: path,
                                      after: ["kind": kind.rawValue, "number": number, "decidedOn": day.description])
            return id
        }
    }

    /// A company's actions as the scope may see them (officials: those decided in their region).
    public func actions(companyId: Int64, scope: Scope) async throws -> [Action] {
        try await database.read { db in
            let visible: SQLQueryString = scope.role == .admin || scope.role == .company ? "1 = 1" : Scope.pathPredicate("a.region_path", scope.regionPath)
            guard try await db.raw("SELECT c.id FROM companies c WHERE c.id = \(bind: companyId) AND \(scope.companyPredicate())").first() != nil else {
                throw LedgerError.notFound("物业企业")
            }
            return try await Self.actions(on: db, condition: "a.company_id = \(bind: companyId) AND \(visible)")
        }
    }

    static func actions(on db: any SQLDatabase, condition: SQLQueryString) async throws -> [Action] {
        try await db.raw("""
            SELECT a.id, a.company_id, c.name AS company_name, a.estate_id, a.problem_id, a.kind, a.decided_on, a.basis, a.document_number, a.note,
                   a.created_by
            FROM enforcement_actions a JOIN companies c ON c.id = a.company_id WHERE \(condition) ORDER BY a.decided_on DESC, a.id DESC
            """).all(decoding: Action.self, keyDecodingStrategy: .convertFromSnakeCase)
    }
}
