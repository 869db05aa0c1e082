import Foundation
import SQLKit

/// Generates the demo registry deterministically from a seed: Fujian → Fuzhou → the 13 districts → streets →
/// communities, property companies with valid codes, estates, contracts, committees, accounts and one login per role.
///
/// Later capabilities (disclosures, complaints, inspections) extend the demo by adding their own stages after `registry`.
public struct DemoGenerator: Sendable {
    public struct Options: Sendable {
        public var seed: UInt64 = 20_240_701
        public var estateCount = 2_000
        public var companyCount = 150
        /// bcrypt cost for the demo logins; the demo uses the production cost.
        public var bcryptCost: UInt8 = 12
        /// Quarters of disclosures to generate, ending with the last quarter that has ended (0 for a registry only).
        public var disclosureQuarters = 8
        /// Complaints, the warning run, problems and the escalation ladder after loading (the benchmark's bare registry skips them).
        public var followUp = true
        /// Where uploaded files go (the demo's audit report); the server's files directory.
        public var filesDirectory = NSTemporaryDirectory() + "ledger-files"
        public init() {}
    }

    /// The password every demo login shares (documented in README).
    public static let demoPassword = "Ledger@2024"

    public let options: Options
    let clock: any LedgerClock

    public init(options: Options = Options(), clock: any LedgerClock = SystemClock()) {
        self.options = options
        self.clock = clock
    }

    /// Whether the database already holds a registry (the demo then serves what is there).
    public static func hasData(_ database: Database) async throws -> Bool {
        try await database.read { db in try await db.raw("SELECT code FROM regions LIMIT 1").first() != nil }
    }

    /// What a generation produced: the logins and the truth of the planted faults.
    public struct Result: Sendable {
        public let logins: [DemoLogin]
        public let truth: [DemoTruth]
        /// The estates each spot-check plan had to include (open W03, complaints in the period, cases from above).
        public var forcedInclusions: [DemoForcedInclusion] = []
        /// The duplicate account registration the demo attempted, and its refusal.
        public var refusedAccounts: [DemoRefusedAccount] = []
    }

    /// Loads everything in one transaction and returns the demo logins and the planted truth.
    @discardableResult
    public func generate(into database: Database) async throws -> Result {
        let today = Timestamp.shanghaiDay(clock.now())
        let plan = DemoPlan.make(options: options, today: today)
        let current = Quarter(containing: Day(today)!).previous
        var quarters: [Quarter] = []
        for _ in 0..<options.disclosureQuarters { quarters.insert(quarters.first?.previous ?? current, at: 0) }
        let disclosures = DemoDisclosures(plan: plan, quarters: quarters, today: Day(today)!, decisions: DemoDecisions(plan: plan, quarters: quarters))
        var random = SeededRandom(seed: options.seed &+ 1)
        let (versions, disclosureTruth) = disclosures.build(random: &random)
        let complaints = DemoComplaints(plan: plan, start: quarters.first?.firstDay ?? Day(today)!, today: Day(today)!)
        let (complaintRows, complaintTruth) = options.followUp && !quarters.isEmpty ? complaints.build(random: &random) : ([], [])
        var truth = disclosureTruth + complaintTruth
        let at = clock.now()
        try await database.transaction { db in
            try await plan.insert(on: db, at: Timestamp.storage(at))
            try await disclosures.decisions.insert(on: db, at: Timestamp.storage(at))
            if !versions.isEmpty { try await disclosures.insert(versions, on: db) }
            if !complaintRows.isEmpty { try await complaints.insert(complaintRows, on: db) }
            try await AuditLog.record(on: db, scope: .system, at: at, action: "demo_load", entity: "registry", entityId: "",
                                      regionPath: nil, after: ["seed": "\(options.seed)", "estates": "\(options.estateCount)"])
        }
        // Fresh statistics, so the query planners know how large each jurisdiction is.
        try await database.transaction { db in try await db.raw("ANALYZE").run() }
        let users = UserDirectory(database: database, clock: clock, bcryptCost: options.bcryptCost)
        for login in plan.logins {
            try await users.create(login.newUser(password: Self.demoPassword), scope: .system)
        }
        let registryTruth = options.disclosureQuarters > 0 ? disclosures.registryTruth(current: current) : []
        var forcedInclusions: [DemoForcedInclusion] = []
        var refusedAccounts: [DemoRefusedAccount] = []
        // Self-inspections before any rule runs (and in the benchmark's registry too, so that W16 finds only the few missing).
        let selfInspections = DemoSelfInspections(database: database, clock: clock)
        if options.disclosureQuarters > 0 { truth += try await selfInspections.load(seed: options.seed) }
        if options.followUp && options.disclosureQuarters > 0 {
            truth += try await DemoFollowUp(database: database, clock: clock).run(random: &random)
            forcedInclusions = try await DemoInspections(database: database, clock: clock).run(random: &random)
            try await DemoCrossInspections(database: database, clock: clock).run(random: &random)
            try await selfInspections.recordOneFalse()
            try await DemoCredit(database: database, clock: clock).run()
            try await DemoDemonstrations(database: database, clock: clock).run()
            refusedAccounts = try await DemoAudits(database: database, clock: clock, filesDirectory: options.filesDirectory).run()
            try await DemoNotifications(database: database, clock: clock).run()
        }
        return Result(logins: plan.logins, truth: (truth + registryTruth).sorted { ($0.rule, $0.estateId, $0.year, $0.quarter) < ($1.rule, $1.estateId, $1.year, $1.quarter) },
                      forcedInclusions: forcedInclusions, refusedAccounts: refusedAccounts)
    }
}

/// One demo login, printed by `ledger demo`.
public struct DemoLogin: Sendable {
    public let username: String
    public let displayName: String
    public let role: Role
    public let regionCode: String?
    public let companyId: Int64?
    public let estateId: Int64?
    public let bindingDescription: String

    func newUser(password: String) -> NewUser {
        NewUser(username: username, password: password, displayName: displayName, role: role,
                regionCode: regionCode, companyId: companyId, estateId: estateId)
    }
}

extension DemoGenerator {
    /// The logins present in a database, described for printing (works for a demo loaded earlier).
    public static func logins(in database: Database) async throws -> [DemoLogin] {
        try await database.read { db in
            let rows = try await db.raw("""
                SELECT u.username, u.display_name, u.role, u.region_code, u.company_id, u.estate_id,
                       r.name AS region_name, c.name AS company_name, e.name AS estate_name
                FROM users u
                LEFT JOIN regions r ON r.code = u.region_code
                LEFT JOIN companies c ON c.id = u.company_id
                LEFT JOIN estates e ON e.id = u.estate_id
                WHERE u.disabled = 0 ORDER BY u.id LIMIT 50
                """).all()
            return try rows.map { row in
                let role = Role(rawValue: try row.decode(column: "role", as: String.self)) ?? .auditor
                let binding = try row.decode(column: "region_name", as: String?.self)
                    ?? row.decode(column: "company_name", as: String?.self)
                    ?? row.decode(column: "estate_name", as: String?.self)
                    ?? (role == .admin ? "全平台" : "—")
                return DemoLogin(username: try row.decode(column: "username", as: String.self),
                                 displayName: try row.decode(column: "display_name", as: String.self), role: role,
                                 regionCode: try row.decode(column: "region_code", as: String?.self),
                                 companyId: try row.decode(column: "company_id", as: Int64?.self),
                                 estateId: try row.decode(column: "estate_id", as: Int64?.self), bindingDescription: binding)
            }
        }
    }
}
