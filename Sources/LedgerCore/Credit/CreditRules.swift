import Foundation
import SQLKit

/// Where a credit rule's events come from.
public enum CreditSource: String, Sendable, Codable, CaseIterable {
    /// An enforcement action of the rule's kind (`enforcement_actions`).
    case enforcement
    /// A problem left unrectified past its deadline until the 督办函 (escalation level 2 or more).
    case overdueProblem = "overdue_problem"
    /// A W01 (not disclosed) warning left open longer than the region's days.
    case undisclosed
    /// A complaint closed as substantiated and fixed (查实).
    case complaint
    /// A self-inspection an official found false (弄虚作假).
    case falseSelfInspection = "false_self_inspection"
    /// Recorded by hand by a regulator, with a document number.
    case manual

    public var title: String {
        switch self {
        case .enforcement: "执法措施"
        case .overdueProblem: "问题逾期未整改"
        case .undisclosed: "逾期未公示"
        case .complaint: "投诉查实"
        case .falseSelfInspection: "自查弄虚作假"
        case .manual: "人工记录"
        }
    }
}

/// One rule of the credit table: what it is, its points (negative for 失信, positive for 守信), how long an event
/// counts, the clause it rests on, and what raises it.
public struct CreditRule: Sendable, Equatable {
    public let code: String
    public let title: String
    public let points: Int
    public let validityMonths: Int
    public let basis: String
    public let source: CreditSource
    /// For `.enforcement`: the kind of action (`EnforcementKind` raw value).
    public let enforcementKind: String?
    /// 信用修复: whether a company may apply to have an event of this rule repaired, and how many months after it happened.
    public var repairAllowed: Bool = true
    public var repairAfterMonths: Int = 3
    /// A region may switch a rule off: its sources then raise nothing there and it cannot be recorded by hand.
    public var enabled: Bool = true

    public var isGood: Bool { points > 0 }
    /// May a regulator record it by hand on the credit page (manual rules, and the enforcement sanctions by document).
    public var recordable: Bool { source == .manual || source == .enforcement }
}

/// The default credit table (信用评价标准) and each region's settings of it. The plans name the sanctions but not the
/// points; these defaults follow the schemes regulators already run (Shandong's and Yantai's 物业服务企业信用信息管理办法)
/// and every region may change points and validity for itself and the regions beneath it.
public enum CreditRules {
    public static let defaults: [CreditRule] = [
        .init(code: "C01", title: "被约谈", points: -5, validityMonths: 12, basis: "德化方案附件1第23项；莆田方案附件第22项；福州方案附件3第27项",
              source: .enforcement, enforcementKind: EnforcementKind.interview.rawValue),
        .init(code: "C02", title: "被通报曝光", points: -5, validityMonths: 12, basis: "德化方案附件1第23项；莆田方案附件第22项；福州方案附件3第27项",
              source: .enforcement, enforcementKind: EnforcementKind.publicNotice.rawValue),
        .init(code: "C03", title: "被记信用扣分", points: -5, validityMonths: 12, basis: "莆田方案附件第22项；福州方案附件3第27项",
              source: .enforcement, enforcementKind: EnforcementKind.creditDeduction.rawValue),
        .init(code: "C04", title: "受到行政处罚", points: -10, validityMonths: 24, basis: "《物业管理条例》；盘锦方案六（五）",
              source: .enforcement, enforcementKind: EnforcementKind.penalty.rawValue, repairAfterMonths: 6),
        .init(code: "C05", title: "被清退出物业服务项目", points: -20, validityMonths: 24, basis: "盘锦方案六（五）；温县方案三（二）",
              source: .enforcement, enforcementKind: EnforcementKind.expel.rawValue, repairAllowed: false),
        .init(code: "C06", title: "被责令限期整改", points: -2, validityMonths: 12, basis: "盘锦方案四（三）",
              source: .enforcement, enforcementKind: EnforcementKind.orderRectify.rawValue),
        .init(code: "C07", title: "问题逾期未整改（已发督办函）", points: -3, validityMonths: 12, basis: "福州方案附件3第27项；德化方案附件1第23项",
              source: .overdueProblem, enforcementKind: nil),
        .init(code: "C08", title: "拒不公示公共收益（逾期未公示超过规定天数）", points: -5, validityMonths: 12, basis: "莆田方案二（一）；德化方案附件1第23项",
              source: .undisclosed, enforcementKind: nil),
        .init(code: "C09", title: "投诉举报经查属实", points: -1, validityMonths: 12, basis: "福州方案四（四）",
              source: .complaint, enforcementKind: nil),
        .init(code: "C11", title: "自查自纠弄虚作假", points: -10, validityMonths: 24, basis: "德化方案附件1第23项；莆田方案附件第22项；福州方案附件3第27项",
              source: .falseSelfInspection, enforcementKind: nil, repairAllowed: false),
        .init(code: "C10", title: "其他失信行为（按文书记录）", points: -3, validityMonths: 12, basis: "按记录文书", source: .manual, enforcementKind: nil),
        .init(code: "G01", title: "获评示范小区或受到表彰", points: 5, validityMonths: 24, basis: "福州方案四（六）；德化方案三", source: .manual, enforcementKind: nil,
              repairAllowed: false),
        .init(code: "G02", title: "其他守信激励（按文书记录）", points: 3, validityMonths: 12, basis: "按记录文书", source: .manual, enforcementKind: nil,
              repairAllowed: false),
    ]

    public static func rule(_ code: String) -> CreditRule? { defaults.first { $0.code == code } }

    /// The days a W01 may stay open before it counts against the company (C08).
    public static let undisclosedDays = 30

    /// One region's setting of a rule; nil fields are inherited from above.
    struct Setting: Sendable {
        var points: Int
        var months: Int
        var repairAllowed: Bool?
        var repairAfterMonths: Int?
        var enabled: Bool?
    }

    /// region code → rule → setting.
    typealias Settings = [String: [String: Setting]]

    static func settings(on db: any SQLDatabase) async throws -> Settings {
        var settings: Settings = [:]
        for row in try await db.raw("""
            SELECT region_code, rule, points, validity_months, repair_allowed, repair_after_months, enabled FROM credit_rule_settings
            """).all() {
            settings[try row.decode(column: "region_code", as: String.self), default: [:]][try row.decode(column: "rule", as: String.self)] =
                Setting(points: try row.decode(column: "points", as: Int.self), months: try row.decode(column: "validity_months", as: Int.self),
                        repairAllowed: try row.decode(column: "repair_allowed", as: Int?.self).map { $0 != 0 },
                        repairAfterMonths: try row.decode(column: "repair_after_months", as: Int?.self),
                        enabled: try row.decode(column: "enabled", as: Int?.self).map { $0 != 0 })
        }
        return settings
    }

    /// The rule as it applies under a region path: the default, overlaid from the root down.
    static func resolve(_ rule: CreditRule, path: String, settings: Settings) -> CreditRule {
        resolveWithOrigin(rule, path: path, settings: settings).rule
    }

    /// The rule under a path and the region code whose setting decided it (nil: the default).
    static func resolveWithOrigin(_ rule: CreditRule, path: String, settings: Settings) -> (rule: CreditRule, setBy: String?) {
        var applied = rule
        var origin: String?
        for code in path.split(separator: "/") {
            guard let set = settings[String(code)]?[rule.code] else { continue }
            origin = String(code)
            applied = CreditRule(code: rule.code, title: rule.title, points: set.points, validityMonths: set.months, basis: rule.basis, source: rule.source,
                                 enforcementKind: rule.enforcementKind, repairAllowed: set.repairAllowed ?? applied.repairAllowed,
                                 repairAfterMonths: set.repairAfterMonths ?? applied.repairAfterMonths, enabled: set.enabled ?? applied.enabled)
        }
        return (applied, origin)
    }

    /// Sets a rule's points and validity for a region and those beneath it; every refusal explained.
    public static func set(regionCode: String, rule code: String, points text: String, months monthsText: String, scope: Scope,
                           database: Database, clock: any LedgerClock) async throws {
        try scope.require(.setWarningParameters)
        guard let rule = rule(code) else { throw LedgerError.invalid("rule", code: "unknown_rule", "没有编号为「\(code.prefix(20))」的信用规则") }
        var reader = InputReader()
        let points = reader.integer(text, field: "points", label: "分值", range: -100...100)
        let months = reader.integer(monthsText, field: "months", label: "有效期（月）", range: 1...60)
        if points == 0 || (points > 0) != rule.isGood {
            reader.errors.add("points", code: "wrong_sign", rule.isGood ? "守信激励的分值须为正数" : "失信行为的分值须为负数（扣分）")
        }
        try reader.errors.throwIfAny()
        let at = clock.now()
        try await database.transaction { db in
            let region = try await RegionDirectory.covered(regionCode, scope: scope, on: db)
            try await db.raw("DELETE FROM credit_rule_settings WHERE region_code = \(bind: region.code) AND rule = \(bind: rule.code)").run()
            try await db.raw("""
                INSERT INTO credit_rule_settings (region_code, rule, points, validity_months, updated_at, updated_by)
                VALUES (\(bind: region.code), \(bind: rule.code), \(bind: points), \(bind: months), \(bind: Timestamp.storage(at)), \(bind: scope.username))
                """).run()
            try await AuditLog.record(on: db, scope: scope, at: at, action: "set", entity: "credit_rule", entityId: rule.code, regionPath: region.path,
                                      after: ["points": "\(points)", "months": "\(months)"])
        }
    }
}
