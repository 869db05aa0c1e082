import Foundation
import SQLKit

/// PIPL: complainants' names and phones are kept only as long as the case needs them. A set time after a complaint is
/// closed (default three years, `LEDGER_PII_RETENTION_DAYS`), the daily job erases them — the values are removed, not
/// masked — and keeps the ledger row; one audit entry counts what was erased.
public struct PersonalDataRetention: Sendable {
    public static let defaultDays = 3 * 365

    let database: Database
    let clock: any LedgerClock
    let days: Int

    public init(database: Database, clock: any LedgerClock, days: Int = PersonalDataRetention.defaultDays) {
        self.database = database
        self.clock = clock
        self.days = days
    }

    /// The retention period from the environment, or the default; a value that is not a positive number is refused.
    public static func configuredDays(_ environment: [String: String] = ProcessInfo.processInfo.environment) throws -> Int {
        guard let text = environment["LEDGER_PII_RETENTION_DAYS"], !text.isEmpty else { return defaultDays }
        guard let days = Int(text), days > 0 else {
            throw LedgerError(.invalid, code: "bad_retention", message: "LEDGER_PII_RETENTION_DAYS 应为正整数（天），当前为“\(text)”")
        }
        return days
    }

    /// Erases what is past its time; returns how many complaints were erased.
    @discardableResult
    public func run() async throws -> Int {
        let now = clock.now()
        let cutoff = Timestamp.storage(now - Double(days) * 86_400)
        return try await database.transaction { [days] db in
            let ids = try await db.raw("""
                SELECT id FROM complaints WHERE status = 'closed' AND closed_at < \(bind: cutoff) AND personal_erased_at IS NULL
                AND (complainant_name IS NOT NULL OR complainant_phone IS NOT NULL)
                """).all(decodingColumn: "id", as: Int64.self)
            // Petition signers of audits closed or exempted before the cutoff: name, phone, building and room go; the
            // household key (a digest) stays so the count the decision rested on can still be shown.
            let petitions = try await db.raw("""
                SELECT id FROM audits WHERE origin = 'petition' AND status IN ('closed', 'exempted')
                AND COALESCE(closed_at, decided_at) < \(bind: cutoff)
                """).all(decodingColumn: "id", as: Int64.self)
            for chunk in stride(from: 0, to: petitions.count, by: 500).map({ Array(petitions[$0..<min($0 + 500, petitions.count)]) }) {
                try await db.raw("""
                    UPDATE audit_signatures SET name_masked = NULL, phone_masked = NULL, building = NULL, room = NULL,
                    personal_erased_at = \(bind: Timestamp.storage(now)) WHERE audit_id IN (\(binds: chunk)) AND personal_erased_at IS NULL
                    """).run()
            }
            guard !ids.isEmpty else { return 0 }
            for chunk in stride(from: 0, to: ids.count, by: 500).map({ Array(ids[$0..<min($0 + 500, ids.count)]) }) {
                try await db.raw("""
                    UPDATE complaints SET complainant_name = NULL, complainant_phone = NULL, personal_erased_at = \(bind: Timestamp.storage(now))
                    WHERE id IN (\(binds: chunk))
                    """).run()
            }
            try await AuditLog.record(on: db, scope: .system, at: now, action: "erase_personal_data", entity: "complaint", entityId: "",
                                      regionPath: nil, after: ["complaints": "\(ids.count)", "retentionDays": "\(days)", "closedBefore": cutoff])
            return ids.count
        }
    }
}
