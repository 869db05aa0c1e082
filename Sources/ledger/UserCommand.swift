import Foundation
import ArgumentParser
import LedgerCore

/// `ledger user create …`: create an account from the command line (the first admin, scripted provisioning).
struct UserCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "user", abstract: "用户管理", subcommands: [Create.self])

    struct Create: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "创建用户 (create a user)")

        @OptionGroup var database: DatabaseOptions
        @Option var username: String
        @Option(help: "at least 8 characters with letters and digits") var password: String
        @Option var displayName: String
        @Option(help: "admin, regulator, street, department, oversight, supervisor, company, committee, auditor") var role: String
        @Option(help: "region code, for regional roles") var region: String?
        @Option(help: "company id, for role company") var company: Int64?
        @Option(help: "estate id, for role committee") var estate: Int64?

        func run() async throws {
            guard let role = Role(rawValue: role) else { throw ValidationError("未知角色：\(self.role)") }
            let db = try await database.open()
            defer { Task { await db.close() } }
            do {
                let user = try await UserDirectory(database: db, clock: SystemClock()).create(
                    NewUser(username: username, password: password, displayName: displayName, role: role,
                            regionCode: region, companyId: company, estateId: estate), scope: .system)
                print("已创建用户 \(user.username)（\(user.role.title)），编号 \(user.id)")
            } catch let errors as FieldErrors {
                throw ValidationError(errors.items.map(\.message).joined(separator: "；"))
            } catch let error as LedgerError {
                throw ValidationError(error.message)
            }
        }
    }
}
