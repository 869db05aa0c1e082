import Crypto
import Foundation
import SQLKit

/// The owners' petition for an audit (see `Audits`): signatures counted by household against 20%, one-time codes
/// the committee hands out, and an official's check of a signature made without one.
extension Audits {
    // MARK: Petition

    static func check(_ signer: PetitionSigner, errors: inout FieldErrors) -> PetitionSigner {
        var reader = InputReader()
        let name = reader.text(signer.name, field: "name", label: "姓名", max: 20)
        let building = reader.text(signer.building, field: "building", label: "楼栋", max: 20)
        let room = reader.text(signer.room, field: "room", label: "房号", max: 20)
        let phone = InputReader.halfWidth(signer.phone.filter { !$0.isWhitespace && $0 != "-" })
        if phone.isEmpty {
            reader.errors.add("phone", code: "required", "请填写手机号码")
        } else if phone.count != 11 || !phone.hasPrefix("1") || !phone.allSatisfy({ $0.isASCII && $0.isNumber }) {
            reader.errors.add("phone", code: "bad_phone", "手机号码应为11位数字，如 13800000000")
        }
        let code = InputReader.halfWidth(signer.code.trimmingCharacters(in: .whitespaces)).uppercased()
        if code.count > 12 { reader.errors.add("code", code: "too_long", "核验码不超过12位") }
        for item in reader.errors.items { errors.add(item.field ?? "name", code: item.code, item.message) }
        return PetitionSigner(name: name, building: building, room: room, phone: phone, code: code)
    }

    /// An owner signs an open petition. A signature with a valid one-time code is verified at once; without one it waits
    /// for an official's check. When verified households reach 20% the request goes to the county.
    /// Returns whether this household was already counted.
    @discardableResult
    public func sign(auditId: Int64, signer: PetitionSigner, address: String) async throws -> (duplicate: Bool, verified: Bool) {
        var errors = FieldErrors()
        let signer = Self.check(signer, errors: &errors)
        try errors.throwIfAny()
        let at = clock.now()
        return try await database.transaction { db in
            try await db.lockRow("audits", id: auditId)
            guard let row = try await db.raw("SELECT estate_id, status, households FROM audits WHERE id = \(bind: auditId) AND origin = 'petition'").first() else {
                throw LedgerError.notFound("联名")
            }
            guard try row.decode(column: "status", as: String.self) == AuditStatus.petitioning.rawValue else {
                throw LedgerError(.conflict, code: "petition_closed", message: "联名已达到20%户数并报送县级主管部门，无需再签名", field: "name")
            }
            return try await Self.addSignature(auditId: auditId, estateId: try row.decode(column: "estate_id", as: Int64.self),
                                               households: try row.decode(column: "households", as: Int.self), signer: signer, address: address, at: at, on: db)
        }
    }

    @discardableResult
    static func addSignature(auditId: Int64, estateId: Int64, households: Int, signer: PetitionSigner, address: String, at: Date,
                             on db: any SQLDatabase) async throws -> (duplicate: Bool, verified: Bool) {
        let addressHash = try await InstallationSecrets.addressHash(address, purpose: "petition", on: db)
        let recent = try await db.raw("""
            SELECT COUNT(*) AS n FROM audit_signatures WHERE address = \(bind: addressHash) AND signed_at > \(bind: Timestamp.storage(at - 86_400))
            """).first(decodingColumn: "n", as: Int.self) ?? 0
        guard recent < dailySignaturesPerAddress else {
            throw LedgerError(.locked, code: "rate_limited", message: "同一网络今日签名已达\(dailySignaturesPerAddress)次，请明日再试或请业委会协助核验")
        }
        var verified = false
        if !signer.code.isEmpty {
            guard let code = try await db.raw("""
                SELECT id FROM audit_codes WHERE audit_id = \(bind: auditId) AND code = \(bind: signer.code) AND used_at IS NULL
                """).first(decodingColumn: "id", as: Int64.self) else {
                throw LedgerError.invalid("code", code: "bad_code", "核验码不正确或已使用；没有核验码可留空，由街道或主管部门核实")
            }
            try await db.raw("UPDATE audit_codes SET used_at = \(bind: Timestamp.storage(at)) WHERE id = \(bind: code)").run()
            verified = true
        }
        let key = householdKey(estateId: estateId, building: signer.building, room: signer.room)
        let duplicate = try await db.raw("""
            SELECT 1 AS n FROM audit_signatures WHERE audit_id = \(bind: auditId) AND household_key = \(bind: key) AND verified >= 0
            """).first() != nil
        let id = try await db.raw("""
            INSERT INTO audit_signatures (audit_id, household_key, building, room, name_masked, phone_masked, verified, verified_by, method, signed_at, address)
            VALUES (\(bind: auditId), \(bind: key), \(bind: signer.building), \(bind: signer.room), \(bind: Complaints.maskName(signer.name)),
                    \(bind: Complaints.maskPhone(signer.phone)), \(bind: verified ? 1 : 0), \(bind: verified ? "核验码" : nil),
                    \(bind: verified ? "code" : nil), \(bind: Timestamp.storage(at)), \(bind: addressHash))
            RETURNING id
            """).first(decodingColumn: "id", as: Int64.self)!
        let owner = Scope(userId: nil, username: "owner", role: .auditor, regionPath: nil, companyId: nil, estateId: nil)
        try await AuditLog.record(on: db, scope: owner, at: at, action: "sign_petition", entity: "audit", entityId: "\(auditId)", regionPath: nil,
                                  after: ["signature": "\(id)", "verified": verified ? "核验码" : "待核实", "duplicate": duplicate ? "同户重复" : "否"],
                                  role: "anonymous")
        try await qualifyIfReached(auditId, households: households, at: at, on: db)
        return (duplicate, verified)
    }

    /// Moves a petition to the county once its verified households reach 20%.
    static func qualifyIfReached(_ auditId: Int64, households: Int, at: Date, on db: any SQLDatabase) async throws {
        let signed = try await db.raw("""
            SELECT COUNT(DISTINCT household_key) AS n FROM audit_signatures WHERE audit_id = \(bind: auditId) AND verified = 1
            """).first(decodingColumn: "n", as: Int.self) ?? 0
        guard qualifies(signed: signed, households: households) else { return }
        let changed = try await db.raw("""
            UPDATE audits SET status = 'pending', qualified_at = \(bind: Timestamp.storage(at)) WHERE id = \(bind: auditId) AND status = 'petitioning'
            RETURNING id
            """).all()
        if !changed.isEmpty {
            try await AuditLog.record(on: db, scope: .system, at: at, action: "petition_qualified", entity: "audit", entityId: "\(auditId)", regionPath: nil,
                                      after: ["households": "\(households)", "signed": "\(signed)"])
        }
    }

    /// The committee of the estate (or an official who checks petitions) hands out one-time codes to owners it knows.
    @discardableResult
    public func issueCodes(auditId: Int64, count: String, scope: Scope) async throws -> [String] {
        guard scope.can(.requestAudit) || scope.can(.verifyPetition) else { throw LedgerError.forbidden }
        try await visible(auditId, scope: scope)
        var reader = InputReader()
        let n = reader.integer(count, field: "count", label: "核验码数量", range: 1...200)
        try reader.errors.throwIfAny()
        let at = clock.now()
        return try await database.transaction { db in
            let audit = try await Self.find(auditId, scope: scope, on: db)
            guard audit.status == .petitioning else {
                throw LedgerError(.conflict, code: "petition_closed", message: "只有征集中的联名可以发放核验码", field: "count")
            }
            let alphabet = Array("ABCDEFGHJKMNPQRSTUVWXYZ23456789")
            var codes: [String] = []
            while codes.count < n {
                let code = String((0..<8).map { _ in alphabet.randomElement()! })
                if codes.contains(code) { continue }
                codes.append(code)
                try await db.raw("""
                    INSERT INTO audit_codes (audit_id, code, issued_at, issued_by) VALUES (\(bind: auditId), \(bind: code), \(bind: Timestamp.storage(at)),
                    \(bind: scope.username))
                    """).run()
            }
            try await AuditLog.record(on: db, scope: scope, at: at, action: "issue_codes", entity: "audit", entityId: "\(auditId)",
                                      regionPath: audit.regionPath, after: ["count": "\(n)"])
            return codes
        }
    }

    /// A street or county official checks a signature made without a code (by phone or a visit): verified or refused.
    public func verifySignature(auditId: Int64, signatureId: Int64, accept: Bool, scope: Scope) async throws {
        try scope.require(.verifyPetition)
        let at = clock.now()
        try await database.transaction { db in
            try await db.lockRow("audits", id: auditId)
            let audit = try await Self.find(auditId, scope: scope, on: db)
            guard audit.status == .petitioning else {
                throw LedgerError(.conflict, code: "petition_closed", message: "该联名已不在征集中", field: "signature")
            }
            let changed = try await db.raw("""
                UPDATE audit_signatures SET verified = \(bind: accept ? 1 : -1), verified_by = \(bind: scope.username), method = 'official'
                WHERE id = \(bind: signatureId) AND audit_id = \(bind: auditId) AND verified = 0 RETURNING id
                """).all()
            guard !changed.isEmpty else { throw LedgerError.notFound("待核实的签名") }
            try await AuditLog.record(on: db, scope: scope, at: at, action: accept ? "verify_signature" : "refuse_signature", entity: "audit",
                                      entityId: "\(auditId)", regionPath: audit.regionPath, after: ["signature": "\(signatureId)"])
            try await Self.qualifyIfReached(auditId, households: audit.households, at: at, on: db)
        }
    }
}
