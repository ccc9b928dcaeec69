import ArgumentParser

/// `ispwatch store …`: inspecting a result store.
struct StoreCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "store",
        abstract: "Inspect a result store: statistics and integrity.",
        discussion: """
            Examples:
              $ ispwatch store stats /var/lib/ispwatch/store
              $ ispwatch store verify /var/lib/ispwatch/store
            """,
        subcommands: [StoreStatsCommand.self, StoreVerifyCommand.self]
    )
}
