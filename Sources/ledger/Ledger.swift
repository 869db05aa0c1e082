import Foundation
import ArgumentParser

/// `ledger`: the Commons Ledger server and its administration commands.
@main
struct Ledger: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "ledger",
        abstract: "小区公共收益阳光监管平台 (Commons Ledger)",
        subcommands: [Serve.self, Demo.self, Migrate.self, UserCommand.self, Backup.self, Restore.self, Import.self, Verify.self, SecretsCommand.self, WarningsCommand.self, InspectionsCommand.self],
        defaultSubcommand: Serve.self
    )
}
