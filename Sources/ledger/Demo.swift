import ArgumentParser
import Hummingbird
import Foundation
import LedgerCore
import LedgerWeb

/// `ledger demo`: create the demo database if absent, print the logins and serve.
struct Demo: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "生成演示数据并启动服务 (load the demo data and serve)")

    @OptionGroup var database: DatabaseOptions
    @OptionGroup var server: ServerOptions

    @Option(help: "random seed; the same seed always gives the same data")
    var seed: UInt64 = 20_240_701

    @Option(help: "number of estates")
    var estates = 2_000

    @Option(help: "number of property companies")
    var companies = 150

    @Flag(help: "load the data and exit without serving")
    var noServe = false

    @Option(help: "write the planted irregularities (rule, estate, year, quarter) to this JSON file")
    var truth: String?

    @Option(help: "quarters of disclosures to generate (0 for the registry only)")
    var quarters = 8

    func run() async throws {
        let db = try await database.open()
        var options = DemoGenerator.Options()
        options.seed = seed
        options.estateCount = estates
        options.companyCount = companies
        options.disclosureQuarters = quarters
        options.filesDirectory = ResolvedArguments(database, server).filesDirectory
        let generator = DemoGenerator(options: options)
        if try await DemoGenerator.hasData(db) {
            print("数据库已有数据，直接使用：\(database.databaseURL)")
            if truth != nil { printError("预置问题清单只在首次生成时写出；如需重新生成，请删除数据库后再运行") }
        } else {
            print("正在生成演示数据（种子 \(seed)，\(estates) 个小区，\(companies) 家企业，\(quarters) 个季度的公示）…")
            let result = try await generator.generate(into: db)
            if let truth {
                try DemoTruthFile(seed: seed, faults: result.truth, forcedInclusions: result.forcedInclusions,
                                  refusedAccounts: result.refusedAccounts).write(to: truth)
                print("已写入预置问题清单：\(truth)（\(result.truth.count) 条）")
            }
            let open = try await WarningEngine(database: db, clock: SystemClock()).openKeys().count
            print("预警规则已运行：\(open) 条预警待处置")
        }
        let logins = try await DemoGenerator.logins(in: db)
        await db.close()
        print("")
        print("演示账号（密码均为 \(DemoGenerator.demoPassword)）：")
        for login in logins {
            print("  \(login.username.padding(toLength: 10, withPad: " ", startingAt: 0)) \(login.role.title)：\(login.bindingDescription)")
        }
        guard !noServe else { return }
        print("")
        print("服务地址：http://\(server.hostname):\(server.port)/   （Ctrl-C 停止）")
        let app = try await buildApplication(ResolvedArguments(database, server)).application
        try await app.runService()
    }
}

/// The file `--truth` writes: what the demo planted, for scoring the warning engine.
struct DemoTruthFile: Encodable {
    let seed: UInt64
    let faults: [DemoTruth]
    /// The estates each spot-check plan had to include, with the reasons (双随机: 必查小区).
    let forcedInclusions: [DemoForcedInclusion]
    /// Attempts to register an account number another estate holds, and how each was refused (单独开户).
    let refusedAccounts: [DemoRefusedAccount]

    func write(to path: String) throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        try encoder.encode(self).write(to: URL(fileURLWithPath: path))
    }
}
