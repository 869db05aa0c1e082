import ArgumentParser
import Foundation
import LedgerCore

/// `ledger warnings run|score`: run the warning rules, and score them against the demo's planted truth.
struct WarningsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "warnings", abstract: "预警 (warning rules)",
                                                    subcommands: [Run.self, Score.self])

    struct Run: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "运行全部预警规则 (run every rule over everything)")
        @OptionGroup var database: DatabaseOptions
        @Option(help: "quarters to evaluate, ending with the last quarter that has ended") var quarters = 8

        func run() async throws {
            let db = try await database.open()
            do {
                let start = ContinuousClock.now
                let summary = try await WarningEngine(database: db, clock: SystemClock()).run(quarters: quarters)
                print("预警运行完成：新增 \(summary.opened) 条，自动关闭 \(summary.closed) 条，保持 \(summary.unchanged) 条（\(ContinuousClock.now - start)）")
            } catch {
                await db.close()
                throw error
            }
            await db.close()
        }
    }

    struct Score: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "按演示数据的预置问题清单评估规则 (precision and recall per rule)")
        @OptionGroup var database: DatabaseOptions
        @Option(help: "the file written by `ledger demo --truth`") var truth: String

        struct TruthFile: Decodable { let faults: [DemoTruth] }

        func run() async throws {
            guard let data = FileManager.default.contents(atPath: truth) else { throw ValidationError("无法读取 \(truth)") }
            let planted = try JSONDecoder().decode(TruthFile.self, from: data).faults
            let expected = Set(planted.map { "\($0.rule)/\($0.estateId)/\($0.year)Q\($0.quarter)" })
            let db = try await database.open()
            let found: Set<String>
            do { found = try await WarningEngine(database: db, clock: SystemClock()).foundKeys() } catch { await db.close(); throw error }
            await db.close()
            print("rule  planted  found  hit  precision  recall")
            for rule in Set((expected.union(found)).map { String($0.prefix(3)) }).sorted() {
                let e = expected.filter { $0.hasPrefix(rule + "/") }, f = found.filter { $0.hasPrefix(rule + "/") }
                let hit = e.intersection(f).count
                let precision = f.isEmpty ? 1 : Double(hit) / Double(f.count), recall = e.isEmpty ? 1 : Double(hit) / Double(e.count)
                print(String(format: "%@  %7d  %5d  %3d  %9.3f  %6.3f", rule, e.count, f.count, hit, precision, recall))
            }
        }
    }
}
