import Foundation
import SQLKit

/// Rule parameters set per region. A value set on a region applies to everything beneath it unless a region lower
/// down sets its own; where nothing is set the rule's default applies. Changes apply from the next run.
public struct WarningParameters: Sendable {
    /// region code → rule → parameter → value.
    public typealias Overrides = [String: [String: [String: Double]]]

    /// One parameter as a region sees it: the value in force and where it comes from.
    public struct Effective: Sendable {
        public let rule: any WarningRule
        public let parameter: RuleParameter
        public let value: Double
        /// The region whose setting is in force (nil: the default).
        public let setBy: String?
        /// The value set on this very region, if any.
        public let ownValue: Double?
    }

    let database: Database
    let clock: any LedgerClock

    public init(database: Database, clock: any LedgerClock) {
        self.database = database
        self.clock = clock
    }

    static func load(on db: any SQLDatabase) async throws -> Overrides {
        var overrides: Overrides = [:]
        for row in try await db.raw("SELECT region_code, rule, name, value FROM warning_parameters").all() {
            guard let value = Double(try row.decode(column: "value", as: String.self)) else { continue }
            overrides[try row.decode(column: "region_code", as: String.self), default: [:]][try row.decode(column: "rule", as: String.self), default: [:]][
                try row.decode(column: "name", as: String.self)] = value
        }
        return overrides
    }

    /// The parameters of `rule` in force for a materialised path: defaults, overlaid from the root down.
    static func resolve(_ rule: any WarningRule, path: String, overrides: Overrides) -> [String: Double] {
        var values = rule.defaults
        guard !overrides.isEmpty else { return values }
        for code in path.split(separator: "/") {
            if let set = overrides[String(code)]?[rule.code] { values.merge(set) { _, new in new } }
        }
        return values
    }

    /// The minimum display period in force at `path`: W02's `days`, which publishing enforces too (one setting).
    static func displayDays(at path: String, on db: any SQLDatabase) async throws -> Int {
        let codes = path.split(separator: "/").map(String.init)
        var days = W02DisplayPeriod().defaults["days"] ?? Double(DisclosureChecks.minimumDisplayDays)
        guard !codes.isEmpty else { return Int(days) }
        var set: [String: Double] = [:]
        for row in try await db.raw("""
            SELECT region_code, value FROM warning_parameters WHERE rule = 'W02' AND name = 'days' AND region_code IN (\(binds: codes))
            """).all() {
            set[try row.decode(column: "region_code", as: String.self)] = Double(try row.decode(column: "value", as: String.self))
        }
        for code in codes { if let value = set[code] { days = value } }
        return Int(days)
    }

    /// Every rule's parameters as they apply to one region, for the parameter page.
    public func effective(regionCode: String, scope: Scope) async throws -> (Region, [Effective]) {
        try await database.read { db in
            let region = try await RegionDirectory.covered(regionCode, scope: scope, on: db)
            let overrides = try await Self.load(on: db)
            let codes = region.path.split(separator: "/").map(String.init)
            var result: [Effective] = []
            for rule in WarningRules.all {
                for parameter in rule.parameters {
                    var value = parameter.defaultValue, setBy: String?
                    for code in codes {
                        if let set = overrides[code]?[rule.code]?[parameter.name] { value = set; setBy = code }
                    }
                    result.append(Effective(rule: rule, parameter: parameter, value: value, setBy: setBy,
                                            ownValue: overrides[region.code]?[rule.code]?[parameter.name]))
                }
            }
            return (region, result)
        }
    }

    /// Sets (or, with an empty value, removes) one parameter for a region. Only a regulator of the region or above, or the admin.
    public func set(regionCode: String, rule code: String, name: String, value text: String, scope: Scope) async throws {
        try scope.require(.setWarningParameters)
        guard let rule = WarningRules.rule(code) else {
            throw LedgerError.invalid("rule", code: "unknown_rule", "没有编号为「\(code.prefix(20))」的预警规则")
        }
        guard let parameter = rule.parameters.first(where: { $0.name == name }) else {
            throw LedgerError.invalid("name", code: "unknown_parameter", "规则 \(rule.code) 没有参数「\(name.prefix(20))」")
        }
        let trimmed = InputReader.halfWidth(text).trimmingCharacters(in: .whitespaces)
        var value: Double?
        if !trimmed.isEmpty {
            guard let number = Double(trimmed), number.isFinite else {
                throw LedgerError.invalid("value", code: "not_number", "「\(parameter.label)」须为数字")
            }
            guard parameter.range.contains(number) else {
                throw LedgerError.invalid("value", code: "out_of_range",
                                          "「\(parameter.label)」须在 \(parameter.format(parameter.range.lowerBound))–\(parameter.format(parameter.range.upperBound))\(parameter.unit) 之间")
            }
            guard !parameter.integral || number.rounded() == number else {
                throw LedgerError.invalid("value", code: "not_integer", "「\(parameter.label)」须为整数")
            }
            value = number
        }
        let at = clock.now()
        let newValue = value
        try await database.transaction { db in
            let value = newValue
            let region = try await RegionDirectory.covered(regionCode, scope: scope, on: db)
            let before = try await db.raw("""
                SELECT value FROM warning_parameters WHERE region_code = \(bind: region.code) AND rule = \(bind: rule.code) AND name = \(bind: name)
                """).first(decodingColumn: "value", as: String.self)
            try await db.raw("""
                DELETE FROM warning_parameters WHERE region_code = \(bind: region.code) AND rule = \(bind: rule.code) AND name = \(bind: name)
                """).run()
            if let value {
                try await db.raw("""
                    INSERT INTO warning_parameters (region_code, rule, name, value, updated_at, updated_by)
                    VALUES (\(bind: region.code), \(bind: rule.code), \(bind: name), \(bind: parameter.format(value)),
                            \(bind: Timestamp.storage(at)), \(bind: scope.username))
                    """).run()
            }
            try await AuditLog.record(on: db, scope: scope, at: at, action: value == nil ? "reset" : "set", entity: "warning_parameter",
                                      entityId: "\(region.code)/\(rule.code)/\(name)", regionPath: region.path,
                                      before: before, after: value.map(parameter.format))
        }
    }
}
