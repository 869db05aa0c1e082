import Foundation
import SQLKit

/// The rule table as a region sees and edits it (信用评价标准): every rule's points, validity, repair terms and switch,
/// inherited from the regions above unless set here; each change audited, each refused value explained beside its field.
extension CreditRules {
    /// A rule as it applies in a region, and where that comes from.
    public struct Effective: Sendable {
        public let rule: CreditRule
        /// The region code whose setting applies; nil for the default.
        public let setBy: String?
    }

    /// What a regulator types into one row of the table.
    public struct RuleInput: Sendable {
        public var points: String
        public var months: String
        public var repairAllowed: Bool
        public var repairAfterMonths: String
        public var enabled: Bool

        public init(points: String, months: String, repairAllowed: Bool, repairAfterMonths: String, enabled: Bool) {
            (self.points, self.months, self.repairAllowed, self.repairAfterMonths, self.enabled) = (points, months, repairAllowed, repairAfterMonths, enabled)
        }

        /// Every field error at once (keys `points`, `months`, `repairAfterMonths`).
        func validated(for rule: CreditRule) throws -> Setting {
            var reader = InputReader()
            let points = reader.integer(points, field: "points", label: "分值", range: -100...100)
            let months = reader.integer(months, field: "months", label: "有效期（月）", range: 1...60)
            let after = reader.integer(repairAfterMonths.isEmpty ? "0" : repairAfterMonths, field: "repairAfterMonths", label: "修复等待期（月）", range: 0...60)
            if reader.errors.message(for: "points") == nil, points == 0 || (points > 0) != rule.isGood {
                reader.errors.add("points", code: "wrong_sign", rule.isGood ? "守信激励的分值须为正数" : "失信行为的分值须为负数（扣分）")
            }
            if repairAllowed, rule.isGood {
                reader.errors.add("repairAfterMonths", code: "repair_good", "守信激励记录不适用信用修复")
            } else if repairAllowed, reader.errors.message(for: "months") == nil, reader.errors.message(for: "repairAfterMonths") == nil, after >= months {
                reader.errors.add("repairAfterMonths", code: "repair_after_validity", "修复等待期须短于有效期（\(months)个月）")
            }
            try reader.errors.throwIfAny()
            return Setting(points: points, months: months, repairAllowed: repairAllowed, repairAfterMonths: after, enabled: enabled)
        }
    }

    /// The table as it applies in a region of the scope's jurisdiction.
    public static func effective(regionCode: String, scope: Scope, database: Database) async throws -> (Region, [Effective]) {
        try scope.require(.viewCredit)
        return try await database.read { db in
            let region = try await RegionDirectory.covered(regionCode, scope: scope, on: db)
            let settings = try await settings(on: db)
            return (region, defaults.map { rule in
                let (applied, origin) = resolveWithOrigin(rule, path: region.path, settings: settings)
                return Effective(rule: applied, setBy: origin)
            })
        }
    }

    /// Sets every term of a rule for a region and those beneath it.
    public static func set(regionCode: String, rule code: String, _ input: RuleInput, scope: Scope, database: Database, clock: any LedgerClock) async throws {
        try scope.require(.setWarningParameters)
        guard let rule = rule(code) else { throw LedgerError.invalid("rule", code: "unknown_rule", "没有编号为「\(code.prefix(20))」的信用规则") }
        let setting = try input.validated(for: rule)
        let at = clock.now()
        try await database.transaction { db in
            let region = try await RegionDirectory.covered(regionCode, scope: scope, on: db)
            let before = resolve(rule, path: region.path, settings: try await settings(on: db))
            try await db.raw("DELETE FROM credit_rule_settings WHERE region_code = \(bind: region.code) AND rule = \(bind: rule.code)").run()
            try await db.raw("""
                INSERT INTO credit_rule_settings (region_code, rule, points, validity_months, repair_allowed, repair_after_months, enabled, updated_at, updated_by)
                VALUES (\(bind: region.code), \(bind: rule.code), \(bind: setting.points), \(bind: setting.months), \(bind: setting.repairAllowed == true ? 1 : 0),
                        \(bind: setting.repairAfterMonths ?? 0), \(bind: setting.enabled == false ? 0 : 1), \(bind: Timestamp.storage(at)), \(bind: scope.username))
                """).run()
            try await AuditLog.record(on: db, scope: scope, at: at, action: "set", entity: "credit_rule", entityId: rule.code, regionPath: region.path,
                                      before: Self.describe(before),
                                      after: ["points": "\(setting.points)", "months": "\(setting.months)", "repairAllowed": "\(setting.repairAllowed == true)",
                                              "repairAfterMonths": "\(setting.repairAfterMonths ?? 0)", "enabled": "\(setting.enabled != false)"])
        }
    }

    static func describe(_ rule: CreditRule) -> [String: String] {
        ["points": "\(rule.points)", "months": "\(rule.validityMonths)", "repairAllowed": "\(rule.repairAllowed)",
         "repairAfterMonths": "\(rule.repairAfterMonths)", "enabled": "\(rule.enabled)"]
    }

    /// The rule as it applies to a region path, read inside a transaction.
    static func applied(_ code: String, path: String, on db: any SQLDatabase) async throws -> CreditRule? {
        guard let rule = rule(code) else { return nil }
        return resolve(rule, path: path, settings: try await settings(on: db))
    }
}
