import Crypto
import Foundation
import LedgerCore
import LedgerTestSupport
import Logging
import SQLKit
import Testing

/// The storage side of issue #10: the audit log's hash chain, personal-data erasure, keyed address hashes, backups
/// that restore only when they verify.
@Suite struct SecurityStorageTests {
    static let kinds = TestDatabase.available

    static func fileComplaint(_ world: World, address: String, name: String? = "张三", phone: String? = "13800138000") async throws -> Int64 {
        let fields = ComplaintInput(estateId: world.a.estate.id, category: "revenue_undisclosed", content: "停车费收入从来没有公示过，请核查。",
                                    name: name ?? "", phone: phone ?? "")
        let code = try await Complaints(database: world.database, clock: world.clock, filesDirectory: NSTemporaryDirectory())
            .file(fields, uploads: [], address: address)
        return try await world.database.read { db in
            try await db.raw("SELECT id FROM complaints WHERE tracking_code = \(bind: code)").first(decodingColumn: "id", as: Int64.self)!
        }
    }

    @Test(arguments: kinds)
    func theAuditChainNamesTheFirstRewrittenEntry(kind: TestDatabase.Kind) async throws {
        try await withDatabase(kind) { database in
            let world = try await World.build(in: database)
            _ = try await Self.fileComplaint(world, address: "192.0.2.10")
            let clean = try await AuditChainVerifier(database: database).verify()
            #expect(clean.ok && clean.checkedEntries > 5, "\(clean.firstMismatch ?? "")")
            // The append-only guard holds against the application's own connection…
            await #expect(throws: (any Error).self) {
                try await database.transaction { db in try await db.raw("UPDATE audit_log SET action = 'x' WHERE id = 3").run() }
            }
            if kind == .postgres {
                await #expect(throws: (any Error).self) {
                    try await database.transaction { db in try await db.raw("TRUNCATE audit_log").run() }
                }
            }
            // …and a database administrator who lifts it is caught by the chain.
            try await database.transaction { db in
                if kind == .sqlite {
                    try await db.raw("DROP TRIGGER audit_log_no_update").run()
                } else {
                    try await db.raw("ALTER TABLE audit_log DISABLE TRIGGER audit_log_append_only").run()
                }
                try await db.raw("UPDATE audit_log SET username = 'someone-else' WHERE id = 3").run()
            }
            let tampered = try await AuditChainVerifier(database: database).verify()
            #expect(!tampered.ok && tampered.checkedEntries == 2)
            #expect(tampered.firstMismatch?.contains("第3条") == true)
        }
    }

    @Test(arguments: kinds)
    func complainantsDataIsErasedAfterTheRetentionPeriod(kind: TestDatabase.Kind) async throws {
        try await withDatabase(kind) { database in
            let world = try await World.build(in: database)
            let old = try await Self.fileComplaint(world, address: "192.0.2.11")
            let recent = try await Self.fileComplaint(world, address: "192.0.2.12", name: "李四", phone: "13900139000")
            let open = try await Self.fileComplaint(world, address: "192.0.2.13", name: "王五", phone: "13700137000")
            let now = world.clock.now()
            try await database.transaction { db in
                try await db.raw("UPDATE complaints SET status = 'closed', closed_at = \(bind: Timestamp.storage(now - 400 * 86_400)) WHERE id = \(bind: old)").run()
                try await db.raw("UPDATE complaints SET status = 'closed', closed_at = \(bind: Timestamp.storage(now - 100 * 86_400)) WHERE id = \(bind: recent)").run()
            }
            // MUT: a one-year retention period
            let erased = try await PersonalDataRetention(database: database, clock: world.clock, days: 365).run()
            // validation
            #expect(erased == 1)
            let rows = try await database.read { db in
                try await db.raw("SELECT id, complainant_name, complainant_phone, personal_erased_at FROM complaints ORDER BY id").all()
            }
            let byId = Dictionary(uniqueKeysWithValues: try rows.map { (try $0.decode(column: "id", as: Int64.self), $0) })
            #expect(try byId[old]!.decode(column: "complainant_name", as: String?.self) == nil)
            #expect(try byId[old]!.decode(column: "complainant_phone", as: String?.self) == nil)
            #expect(try byId[old]!.decode(column: "personal_erased_at", as: String?.self) != nil)
            #expect(try byId[recent]!.decode(column: "complainant_name", as: String?.self) == "李四")
            #expect(try byId[open]!.decode(column: "complainant_phone", as: String?.self) == "13700137000")
            // The row stays in the ledger, marked as erased rather than as anonymous.
            let complaint = try await Complaints(database: database, clock: world.clock, filesDirectory: NSTemporaryDirectory())
                .complaint(old, scope: world.admin.scope).0
            #expect(complaint.maskedName == "已按期删除")
            let audit = try await database.read { db in
                try await db.raw("SELECT after_json FROM audit_log WHERE action = 'erase_personal_data'").all(decodingColumn: "after_json", as: String.self)
            }
            #expect(audit.count == 1 && audit[0].contains("\"complaints\":\"1\""))
            // Running again erases nothing more and writes no entry.
            #expect(try await PersonalDataRetention(database: database, clock: world.clock, days: 365).run() == 0)
            #expect(throws: LedgerError.self) { try PersonalDataRetention.configuredDays(["LEDGER_PII_RETENTION_DAYS": "three years"]) }
            #expect(try PersonalDataRetention.configuredDays([:]) == 3 * 365)
        }
    }

    @Test(arguments: kinds)
    func addressHashesAreKeyedWithTheInstallationsSecret(kind: TestDatabase.Kind) async throws {
        try await withDatabase(kind) { database in
            let world = try await World.build(in: database)
            let id = try await Self.fileComplaint(world, address: "203.0.113.9")
            let (stored, secret) = try await database.read { db in
                (try await db.raw("SELECT address_hash FROM complaints WHERE id = \(bind: id)").first(decodingColumn: "address_hash", as: String.self),
                 try await db.raw("SELECT value FROM installation_secrets WHERE name = 'address_hmac'").first(decodingColumn: "value", as: String.self))
            }
            let unkeyed = Data(SHA256.hash(data: Data("complaint:203.0.113.9".utf8))).map { String(format: "%02x", $0) }.joined()
            #expect(stored != nil && stored != unkeyed, "the hash cannot be found by hashing every IPv4 address")
            #expect(secret?.count == 64)
            let key = SymmetricKey(data: Data(hex: secret!)!)
            let keyed = Data(HMAC<SHA256>.authenticationCode(for: Data("complaint:203.0.113.9".utf8), using: key)).hex
            #expect(stored == keyed)
        }
    }

    @Test func aBackupTakenWhileWritingRestoresAndATamperedOneIsRefused() async throws {
        try await withDatabase(.sqlite) { database in
            let world = try await World.build(in: database)
            let directory = NSTemporaryDirectory() + "ledger-backups-\(UUID().uuidString)"
            let schedule = DatabaseBackup.Schedule(directory: directory, keep: 2)
            // Writes keep going while the copy is taken.
            let writer = Task {
                for n in 0..<40 { _ = try await Self.fileComplaint(world, address: "198.18.0.\(n)") }
            }
            _ = try await Self.fileComplaint(world, address: "198.19.0.1")
            let (path, _) = try await DatabaseBackup.scheduled(database, schedule: schedule, at: world.clock.now())
            try await writer.value
            // Restore onto a fresh target: it verifies, then replaces.
            let target = NSTemporaryDirectory() + "ledger-restored-\(UUID().uuidString).sqlite"
            _ = FileManager.default.createFile(atPath: target, contents: Data("not a database".utf8))
            let logger = Logger(label: "test")
            let (_, entries) = try await DatabaseBackup.restore(path, to: target, logger: logger)
            #expect(entries > 0)
            let restored = try await TestDatabase.open(url: "sqlite://" + target)
            let report = try await AuditChainVerifier(database: restored).verify()
            let count = try await restored.read { db in
                try await db.raw("SELECT COUNT(*) AS n FROM complaints").first(decodingColumn: "n", as: Int.self)
            }
            await restored.close()
            #expect(report.ok && report.checkedEntries == entries)
            #expect((count ?? 0) >= 1 && (count ?? 0) <= 41)
            // A backup whose audit log was rewritten is refused, and the target stays as it was.
            let tamperedPath = directory + "/tampered.sqlite"
            try FileManager.default.copyItem(atPath: path, toPath: tamperedPath)
            let tampered = try await TestDatabase.open(url: "sqlite://" + tamperedPath)
            try await tampered.transaction { db in
                try await db.raw("DROP TRIGGER audit_log_no_update").run()
                try await db.raw("UPDATE audit_log SET action = 'nothing' WHERE id = 2").run()
            }
            await tampered.close()
            let before = try Data(contentsOf: URL(fileURLWithPath: target))
            await #expect(throws: LedgerError.self) { _ = try await DatabaseBackup.restore(tamperedPath, to: target, logger: logger) }
            #expect(try Data(contentsOf: URL(fileURLWithPath: target)) == before)
            // Only the newest `keep` copies stay.
            world.clock.advance(by: 86_400)
            _ = try await DatabaseBackup.scheduled(database, schedule: schedule, at: world.clock.now())
            world.clock.advance(by: 86_400)
            let (_, removed) = try await DatabaseBackup.scheduled(database, schedule: schedule, at: world.clock.now())
            #expect(removed == 1)
            let kept = try FileManager.default.contentsOfDirectory(atPath: directory).filter { $0.hasPrefix("ledger-") }
            #expect(kept.count == 2 && !kept.contains((path as NSString).lastPathComponent))
        }
    }
}
