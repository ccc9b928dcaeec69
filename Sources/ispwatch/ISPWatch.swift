import ArgumentParser

/// The `ispwatch` command line.
@main
struct ISPWatch: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "ispwatch",
        abstract: "Probe ISP service availability: DNS resolvers, web portals, service endpoints.",
        subcommands: [CheckConfigCommand.self]
    )
}
