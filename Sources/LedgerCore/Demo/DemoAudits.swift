import Foundation
import SQLKit

/// The demo's 第三方审计 (docs/design.md §26), made through the same commands the pages use:
/// - two auditor organisations registered by the city, the `auditor` login bound to 福建闽信会计师事务所, the other
///   declaring the committee estate's company as a former client (so it must recuse itself there);
/// - on the `committee` login's estate an owners' petition two households short of 20% (the browser test signs the rest);
/// - two petitions elsewhere that reached 20% and wait for their county;
/// - a committee's request accepted, with two findings (problems for the company) and a report; another accepted and in
///   progress, with a smaller estate bundled into it (整合打包); a zero-revenue quarter exempted;
/// - and one attempt to register an account number another estate already holds (refused; written to the truth file).
struct DemoAudits {
    let database: Database
    let clock: any LedgerClock
    let filesDirectory: String

    func run() async throws -> [DemoRefusedAccount] {
        let audits = Audits(database: database, clock: clock, filesDirectory: filesDirectory)
        let orgs = AuditorOrgs(database: database, clock: clock)
        let city = Scope(userId: nil, username: "福州市住建局", role: .regulator, regionPath: "/350000/350100/", companyId: nil, estateId: nil)
        let (committeeEstate, companyUSCC) = try await database.read { db in
            let row = try await db.raw("""
                SELECT u.estate_id, c.uscc FROM users u JOIN estates e ON e.id = u.estate_id JOIN companies c ON c.id = e.company_id
                WHERE u.username = 'committee'
                """).first()
            return (try row?.decode(column: "estate_id", as: Int64.self), try row?.decode(column: "uscc", as: String.self))
        }
        let minxin = try await orgs.register(name: "福建闽信会计师事务所", uscc: USCC.withCheckCharacter("91350100MA31AUD01"), contact: "林审计 0591-87654321",
                                             clients: "", scope: city)
        _ = try await orgs.register(name: "福州榕诚会计师事务所", uscc: USCC.withCheckCharacter("91350100MA31AUD02"), contact: "陈会计 0591-83334444",
                                    clients: companyUSCC ?? "", scope: city)
        try await orgs.bind(orgId: minxin, username: "auditor", scope: city)

        // Candidates: managed estates with a published latest quarter, by county, the committee's estate apart.
        let rows = try await database.read { db in
            try await db.raw("""
                SELECT e.id, e.region_path, v.year, v.quarter, v.income_fen FROM estates e
                JOIN disclosure_versions v ON v.estate_id = e.id AND v.version = 1
                WHERE e.company_id IS NOT NULL AND e.households >= 50
                ORDER BY v.year DESC, v.quarter DESC, e.id
                """).all().map { (id: try $0.decode(column: "id", as: Int64.self), path: try $0.decode(column: "region_path", as: String.self),
                                  year: try $0.decode(column: "year", as: Int.self), quarter: try $0.decode(column: "quarter", as: Int.self),
                                  income: try $0.decode(column: "income_fen", as: Int64.self)) }
        }
        guard let latest = rows.first else { return [] }
        let current = rows.filter { $0.year == latest.year && $0.quarter == latest.quarter && $0.id != committeeEstate }
        func county(_ path: String) -> String { path.split(separator: "/").prefix(3).map { "/\($0)" }.joined() + "/" }
        func official(_ path: String) -> Scope {
            Scope(userId: nil, username: "区住建局", role: .regulator, regionPath: county(path), companyId: nil, estateId: nil)
        }
        let today = Day(Timestamp.shanghaiDay(clock.now()))!
        let deadline = today.adding(days: 60).description

        // The committee estate: a petition two households short.
        let committeeQuarter = try await database.read { db -> Quarter? in
            guard let estate = committeeEstate, let row = try await db.raw("""
                SELECT year, quarter FROM disclosure_versions WHERE estate_id = \(bind: estate) ORDER BY year DESC, quarter DESC LIMIT 1
                """).first() else { return nil }
            return Quarter(year: try row.decode(column: "year", as: Int.self), quarter: try row.decode(column: "quarter", as: Int.self))
        }
        if let estate = committeeEstate, let period = committeeQuarter {
            let id = try await audits.startPetition(estateId: estate, year: "\(period.year)", quarter: "\(period.quarter)",
                                                    objection: "停车费收入比上季度少了一半，广告位收入没有列明合同，请第三方审计核实。",
                                                    signer: PetitionSigner(name: "王建国", building: "1号楼", room: "101", phone: "13800000001"), address: "demo-0")
            try await seedSignatures(auditId: id, estateId: estate, leaving: 2)
        }
        var used = Set<Int64>()
        func pick(_ condition: ((id: Int64, path: String, year: Int, quarter: Int, income: Int64)) -> Bool)
            -> (id: Int64, path: String, year: Int, quarter: Int, income: Int64)? {
            guard let found = current.first(where: { !used.contains($0.id) && condition($0) }) else { return nil }
            used.insert(found.id)
            return found
        }
        // Two petitions that reached 20%.
        for _ in 0..<2 {
            guard let e = pick({ $0.income > 0 }) else { break }
            let id = try await audits.startPetition(estateId: e.id, year: "\(e.year)", quarter: "\(e.quarter)",
                                                    objection: "公示的经营成本过高，保洁费用与合同不符，要求审计。",
                                                    signer: PetitionSigner(name: "李秀英", building: "2栋", room: "202", phone: "13900000002"), address: "demo-\(e.id)")
            try await seedSignatures(auditId: id, estateId: e.id, leaving: 0)
        }
        // A committee's request, accepted, audited and reported.
        if let e = pick({ $0.income > 0 }) {
            let committee = Scope(userId: nil, username: "业委会", role: .committee, regionPath: nil, companyId: nil, estateId: e.id)
            let id = try await audits.request(estateId: e.id, year: "\(e.year)", quarter: "\(e.quarter)",
                                              objection: "业委会对本季度广告收入和支出凭证有异议，申请第三方审计。", scope: committee)
            try await audits.decide(id, decision: "accept", reason: "业委会依法提出异议，同意委托第三方审计", orgId: "\(minxin)", deadline: deadline,
                                    bundleWith: "", scope: official(e.path))
            let auditor = try await auditorScope()
            try await audits.addFinding(auditId: id, line: "经营收入·电梯广告", issue: "广告合同约定收入高于公示收入，差额未入账", amount: "3600.00",
                                        category: "revenue_misappropriated", scope: auditor)
            try await audits.addFinding(auditId: id, line: "经营支出·维修费", issue: "支出无业主共同决定，凭证缺失", amount: "1200.00",
                                        category: "revenue_unauthorized_use", scope: auditor)
            try await audits.fileReport(auditId: id, summary: "经审计，本季度少计广告收入3,600.00元，一笔维修支出1,200.00元未经业主共同决定；已交物业企业整改。",
                                        report: Complaints.Upload(filename: "审计报告.pdf", bytes: Self.pdf), scope: auditor)
        }
        // Another accepted and in progress, with a small estate bundled into it.
        if let e = pick({ $0.income > 0 }) {
            let committee = Scope(userId: nil, username: "业委会", role: .committee, regionPath: nil, companyId: nil, estateId: e.id)
            let id = try await audits.request(estateId: e.id, year: "\(e.year)", quarter: "\(e.quarter)",
                                              objection: "公共收益分成比例与业主大会决定不符。", scope: committee)
            try await audits.decide(id, decision: "accept", reason: "同意审计", orgId: "\(minxin)", deadline: deadline, bundleWith: "", scope: official(e.path))
            if let small = pick({ county($0.path) == county(e.path) && $0.income > 0 }) {
                let bundled = try await audits.request(estateId: small.id, year: "\(small.year)", quarter: "\(small.quarter)", objection: "",
                                                       scope: official(small.path))
                try await audits.decide(bundled, decision: "bundle", reason: "收益较少、面积较小，整合打包统一审计", orgId: "", deadline: "",
                                        bundleWith: "\(id)", scope: official(small.path))
            }
        }
        // A zero-revenue quarter nobody objected to: exempted.
        if let e = pick({ $0.income == 0 }) {
            let id = try await audits.request(estateId: e.id, year: "\(e.year)", quarter: "\(e.quarter)", objection: "", scope: official(e.path))
            try await audits.decide(id, decision: "exempt", reason: "本季度公共收益为零，且无业主提出异议，不纳入审计", orgId: "", deadline: "", bundleWith: "",
                                    scope: official(e.path))
        }
        return try await duplicateAccountAttempt()
    }

    func auditorScope() async throws -> Scope {
        let id = try await database.read { db in
            try await db.raw("SELECT id FROM users WHERE username = 'auditor'").first(decodingColumn: "id", as: Int64.self)
        }
        return Scope(userId: id, username: "auditor", role: .auditor, regionPath: nil, companyId: nil, estateId: nil)
    }

    /// Verified signatures of distinct households until `leaving` households short of 20% (at least the first signer).
    func seedSignatures(auditId: Int64, estateId: Int64, leaving: Int) async throws {
        let at = clock.now()
        try await database.transaction { db in
            let households = try await db.raw("SELECT households FROM audits WHERE id = \(bind: auditId)").first(decodingColumn: "households", as: Int.self) ?? 0
            let wanted = Audits.threshold(households: households) - leaving
            let have = try await db.raw("""
                SELECT COUNT(DISTINCT household_key) AS n FROM audit_signatures WHERE audit_id = \(bind: auditId) AND verified = 1
                """).first(decodingColumn: "n", as: Int.self) ?? 0
            var rows = BulkInsert(table: "audit_signatures", columns: ["audit_id", "household_key", "building", "room", "name_masked", "phone_masked",
                                                                       "verified", "verified_by", "method", "signed_at", "address"])
            var added = 0
            var n = 0
            while have + added < wanted {
                n += 1
                let building = "\(n % 12 + 3)号楼", room = "\(n / 12 + 1)0\(n % 4 + 1)"
                try await rows.add([auditId, Audits.householdKey(estateId: estateId, building: building, room: room), building, room,
                                    Complaints.maskName("业主\(n)"), Complaints.maskPhone("1370000\(String(format: "%04d", n))"), 1, "业委会核验码", "code",
                                    Timestamp.storage(at), "demo"], on: db)
                added += 1
            }
            try await rows.flush(on: db)
            try await Audits.qualifyIfReached(auditId, households: households, at: at, on: db)
        }
    }

    /// A district officer types another estate's account number for a managed estate: refused (该账号已登记…).
    func duplicateAccountAttempt() async throws -> [DemoRefusedAccount] {
        let found = try await database.read { db -> (Int64, String, Int64, String)? in
            guard let account = try await db.raw("""
                SELECT a.estate_id, a.account_number, e.region_path FROM dedicated_accounts a JOIN estates e ON e.id = a.estate_id ORDER BY a.estate_id LIMIT 1
                """).first() else { return nil }
            let path = try account.decode(column: "region_path", as: String.self)
            let county = path.split(separator: "/").prefix(3).map { "/\($0)" }.joined() + "/"
            let holder = try account.decode(column: "estate_id", as: Int64.self)
            guard let other = try await db.raw("""
                SELECT id FROM estates WHERE id <> \(bind: holder) AND company_id IS NOT NULL AND \(Scope.pathPredicate("region_path", county)) ORDER BY id LIMIT 1
                """).first(decodingColumn: "id", as: Int64.self) else { return nil }
            return (holder, try account.decode(column: "account_number", as: String.self), other, county)
        }
        guard let (holder, number, other, county) = found else { return [] }
        let official = Scope(userId: nil, username: "区住建局", role: .regulator, regionPath: county, companyId: nil, estateId: nil)
        do {
            _ = try await EstateRecords(database: database, clock: clock)
                .setAccount(estateId: other, AccountInput(bank: "中国建设银行福州分行", accountNumber: number, openedOn: "2024-01-02"), scope: official)
            return []
        } catch let error as LedgerError {
            return [DemoRefusedAccount(estateId: other, holderEstateId: holder, accountNumber: AccountRegister.mask(number), message: error.message)]
        }
    }

    /// A minimal one-page PDF (the demo's audit report).
    static let pdf: [UInt8] = Array("""
        %PDF-1.4
        1 0 obj << /Type /Catalog /Pages 2 0 R >> endobj
        2 0 obj << /Type /Pages /Kids [3 0 R] /Count 1 >> endobj
        3 0 obj << /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] >> endobj
        trailer << /Root 1 0 R >>
        %%EOF
        """.utf8)
}

/// A refused attempt to register an account number another estate holds (the demo's truth file lists it).
public struct DemoRefusedAccount: Sendable, Codable, Equatable {
    public let estateId: Int64
    public let holderEstateId: Int64
    /// Masked, as a register reader sees it.
    public let accountNumber: String
    public let message: String
}
