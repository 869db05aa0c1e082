import ArgumentParser
import Foundation
import LedgerCore

/// `ledger import estates|companies FILE.csv`: all rows or none, with a report naming each bad row.
struct Import: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "批量导入 CSV (import estates or companies)")

    @OptionGroup var database: DatabaseOptions
    @Argument(help: "estates, companies or disclosures") var kind: String
    @Argument(help: "UTF-8 CSV file with a header row") var file: String

    func run() async throws {
        guard kind == "disclosures" || RegistryImport.Kind(rawValue: kind) != nil else {
            throw ValidationError("导入内容应为 estates、companies 或 disclosures")
        }
        guard let data = FileManager.default.contents(atPath: file) else { throw ValidationError("无法读取文件 \(file)") }
        let db = try await database.open()
        defer { Task { await db.close() } }
        do {
            let text = String(decoding: data, as: UTF8.self)
            let count = if let registry = RegistryImport.Kind(rawValue: kind) {
                try await RegistryImport(database: db, clock: SystemClock()).run(registry, csv: text, scope: .system)
            } else {
                try await DisclosureImport(database: db, clock: SystemClock()).run(csv: text, scope: .system)
            }
            print("导入成功：\(count) 行")
        } catch let rejected as ImportRejected {
            printError("导入失败，未写入任何数据：")
            for error in rejected.errors { printError("  第\(error.line)行 \(error.field)：\(error.message)") }
            throw ExitCode(1)
        }
    }
}
