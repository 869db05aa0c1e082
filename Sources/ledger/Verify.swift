import ArgumentParser
import Foundation
import LedgerCore

/// `ledger verify`: recompute the transparency log from the stored versions and the audit log's hash chain, and name
/// the first mismatch (exit status 2).
struct Verify: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "校验透明日志与审计日志 (recompute the transparency log and the audit chain; report the first mismatch)")

    @OptionGroup var database: DatabaseOptions

    func run() async throws {
        let db = try await database.open()
        let report: LogVerifier.Report
        let audit: AuditChainVerifier.Report
        do {
            report = try await LogVerifier(database: db).verify()
            audit = try await AuditChainVerifier(database: db).verify()
        } catch {
            await db.close()
            throw error
        }
        await db.close()
        if let mismatch = report.firstMismatch {
            printError("校验失败：\(mismatch)")
            printError("（此前 \(report.checkedLeaves) 条记录、\(report.checkedTreeHeads) 个树头校验一致）")
            throw ExitCode(2)
        }
        if let mismatch = audit.firstMismatch {
            printError("校验失败：\(mismatch)")
            printError("（此前 \(audit.checkedEntries) 条审计记录校验一致）")
            throw ExitCode(2)
        }
        print("校验通过：\(report.checkedLeaves) 条公示记录、\(report.checkedTreeHeads) 个树头与重算结果一致；\(audit.checkedEntries) 条审计记录的哈希链完整")
    }
}
