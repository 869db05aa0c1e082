import ArgumentParser
import Foundation
import LedgerCore

/// `ledger inspections redraw`: recomputes spot-check draws from what each plan published (with `--all`, the pairings of
/// the cross-inspection rounds too).
struct InspectionsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "inspections", abstract: "检查 (inspections and spot-check plans)",
                                                    subcommands: [Redraw.self])

    struct Redraw: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "按公布的种子和待抽名单重新抽取并核对结果 (recompute draws; exit 2 naming the first plan that differs)")
        @OptionGroup var database: DatabaseOptions
        @Flag(help: "every plan") var all = false
        @Argument(help: "plan ids") var plans: [Int64] = []

        func validate() throws {
            if !all && plans.isEmpty { throw ValidationError("请给出计划编号，或用 --all 核对全部计划") }
        }

        func run() async throws {
            let db = try await database.open()
            let outcome: (checked: Int, difference: String?)
            do {
                let ids = all ? try await InspectionPlans.ids(on: db) : plans
                var checked = 0
                var difference: String?
                for id in ids {
                    if let found = try await InspectionPlans.redraw(id, on: db) { difference = found; break }
                    checked += 1
                }
                // With --all, every cross-inspection round's pairing as well.
                if all && difference == nil {
                    for id in try await CrossInspections.ids(on: db) {
                        if let found = try await CrossInspections.redraw(id, on: db) { difference = found; break }
                    }
                }
                outcome = (checked, difference)
            } catch {
                await db.close()
                throw error
            }
            await db.close()
            if let difference = outcome.difference {
                FileHandle.standardError.write(Data("不一致：\(difference)\n".utf8))
                throw ExitCode(2)
            }
            print("已核对 \(outcome.checked) 个抽查计划：重新抽取的小区和检查人员与公布结果一致" + (all ? "；交叉检查分组与公布结果一致" : ""))
        }
    }
}
