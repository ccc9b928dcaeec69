import ArgumentParser
import WatchCore
import WatchServer

/// `ispwatch token new --role ROLE`: a fresh access token and the configuration entry holding its hash.
struct TokenCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "token",
        abstract: "Make access tokens for `ispwatch serve`.",
        subcommands: [NewToken.self]
    )

    /// `ispwatch token new`.
    struct NewToken: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "new",
            abstract: "Print a new random token and the server.tokens entry with its SHA-256.",
            discussion: """
                The token is printed once: give it to its holder and keep only the entry (the hash) in the \
                configuration, under server: tokens:.

                Example:
                  $ ispwatch token new --role provider:viettel --name viettel-noc
                """
        )

        @Option(help: ArgumentHelp("admin, or provider:<id>.", valueName: "role"))
        var role: String

        @Option(help: ArgumentHelp("A name for the entry (shown in logs, never the token).", valueName: "name"))
        var name: String?

        func validate() throws {
            guard ServerRole(role) != nil else { throw ValidationError("--role: \"\(role)\" is not admin or provider:<id>") }
        }

        func run() throws {
            var generator = SystemRandomNumberGenerator()
            let token = "isw_" + (0..<32).map { _ in
                let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789")
                return String(alphabet[Int(generator.next(upperBound: UInt64(alphabet.count)))])
            }.joined()
            let hash = "sha256:" + SHA256.hexDigest(of: token)
            print("token: \(token)")
            print("config entry (under server: tokens:):")
            print("  - {hash: \"\(hash)\", role: \"\(role)\"\(name.map { ", name: \"\($0)\"" } ?? "")}")
        }
    }
}
