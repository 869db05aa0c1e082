import Foundation
import SQLKit

/// 通报曝光: a typical case a regulator publishes about a company, in Panjin's 典型案件 fields (基本情况、违法事实、处罚依据、
/// 处理结果). Public from its publication; it names the company, never a person — text that looks like a phone or an
/// identity-card number is refused.
extension CreditFile {
    public struct PublishedCase: Sendable, Equatable {
        public let id: Int64
        public let companyId: Int64
        public let companyName: String
        public let title: String
        public let situation: String
        public let facts: String
        public let basis: String
        public let outcome: String
        public let publishedOn: String
    }

    /// What a regulator types to publish a case.
    public struct CaseInput: Sendable {
        public var title, situation, facts, basis, outcome, publishedOn: String

        public init(title: String, situation: String, facts: String, basis: String, outcome: String, publishedOn: String) {
            (self.title, self.situation, self.facts, self.basis, self.outcome, self.publishedOn) = (title, situation, facts, basis, outcome, publishedOn)
        }
    }

    /// Publishes a case; every field error at once.
    @discardableResult
    public func publishCase(companyId: Int64, _ input: CaseInput, scope: Scope) async throws -> Int64 {
        try scope.require(.recordEnforcement)
        var reader = InputReader()
        let title = reader.text(input.title, field: "title", label: "案件标题", max: 100)
        let fields = [("situation", "基本情况", input.situation), ("facts", "违法事实", input.facts), ("basis", "处罚依据", input.basis),
                      ("outcome", "处理结果", input.outcome)].map { name, label, value in (name, reader.text(value, field: name, label: label, max: 2000)) }
        let day = reader.day(input.publishedOn, field: "publishedOn", label: "发布日期")
        let at = clock.now()
        if let day, day > Day(Timestamp.shanghaiDay(at))! { reader.errors.add("publishedOn", code: "future_date", "发布日期不能晚于今天") }
        for (name, value) in [("title", title)] + fields where reader.errors.message(for: name) == nil && Self.looksPersonal(value) {
            reader.errors.add(name, code: "personal_data", "通报内容不得包含个人信息（手机号码、身份证号码），请删除后再发布")
        }
        try reader.errors.throwIfAny()
        let text = Dictionary(uniqueKeysWithValues: fields)
        return try await database.transaction { db in
            guard try await Self.companyPath(companyId, scope: scope, on: db) != nil else { throw LedgerError.notFound("物业服务企业") }
            guard let home = scope.regionPath, scope.role.isRegional else { throw LedgerError.forbidden }
            let id = try await db.raw("""
                INSERT INTO credit_cases (company_id, title, situation, facts, basis, outcome, published_on, region_path, created_at, created_by)
                VALUES (\(bind: companyId), \(bind: title), \(bind: text["situation"]!), \(bind: text["facts"]!), \(bind: text["basis"]!),
                        \(bind: text["outcome"]!), \(bind: day!.description), \(bind: home), \(bind: Timestamp.storage(at)), \(bind: scope.username))
                RETURNING id
                """).first(decodingColumn: "id", as: Int64.self)!
            try await AuditLog.record(on: db, scope: scope, at: at, action: "publish_case", entity: "company", entityId: "\(companyId)", regionPath: home,
                                      after: ["case": "\(id)", "title": title])
            return id
        }
    }

    /// An 11-digit mobile number or an 18-character identity-card number.
    static func looksPersonal(_ text: String) -> Bool {
        let digits = InputReader.halfWidth(text)
        var run = "", runs: [String] = []
        for c in digits + " " {
            if c.isASCII && (c.isNumber || ((c == "X" || c == "x") && run.count == 17)) { run.append(c) } else { if !run.isEmpty { runs.append(run) }; run = "" }
        }
        return runs.contains { ($0.count == 11 && $0.hasPrefix("1")) || $0.count == 18 }
    }

    /// Published cases, newest first: all (the public list) or one company's.
    public func cases(companyId: Int64? = nil, limit: Int = 50) async throws -> [PublishedCase] {
        let today = Day(Timestamp.shanghaiDay(clock.now()))!.description
        return try await database.read { db in
            let only: SQLQueryString = companyId.map { "k.company_id = \(bind: $0)" } ?? "1 = 1"
            return try await db.raw("""
                SELECT k.id, k.company_id, c.name, k.title, k.situation, k.facts, k.basis, k.outcome, k.published_on
                FROM credit_cases k JOIN companies c ON c.id = k.company_id
                WHERE \(only) AND k.published_on <= \(bind: today) ORDER BY k.published_on DESC, k.id DESC LIMIT \(bind: max(1, min(limit, 500)))
                """).all().map { row in
                PublishedCase(id: try row.decode(column: "id", as: Int64.self), companyId: try row.decode(column: "company_id", as: Int64.self),
                              companyName: try row.decode(column: "name", as: String.self), title: try row.decode(column: "title", as: String.self),
                              situation: try row.decode(column: "situation", as: String.self), facts: try row.decode(column: "facts", as: String.self),
                              basis: try row.decode(column: "basis", as: String.self), outcome: try row.decode(column: "outcome", as: String.self),
                              publishedOn: try row.decode(column: "published_on", as: String.self))
            }
        }
    }
}
