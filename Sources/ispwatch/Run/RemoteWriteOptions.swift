import ArgumentParser
import Foundation
import WatchCore

/// `ispwatch run`'s remote-write options. `--remote-write-url` turns remote-write on and replaces the
/// configuration's `remote_write:` section, if any (its other settings then come from these options).
struct RemoteWriteOptions: ParsableArguments {
    @Option(name: .customLong("remote-write-url"),
            help: ArgumentHelp("Send every probe's samples to this Prometheus remote-write endpoint "
                + "(e.g. http://127.0.0.1:9090/api/v1/write).", valueName: "url"))
    var url: String?

    @Option(name: .customLong("remote-write-queue-max-bytes"),
            help: ArgumentHelp("The most the on-disk queue (DATA/remote-write) may take; the oldest batches are dropped and counted beyond it.",
                               valueName: "bytes"))
    var queueMaximumBytes: Int = 256 << 20

    @Option(name: .customLong("remote-write-batch-size"), help: ArgumentHelp("Samples per POST at most.", valueName: "samples"))
    var batchSamples: Int = 2_000

    @Option(name: .customLong("remote-write-flush-interval"),
            help: ArgumentHelp("How often waiting samples are written to the queue.", valueName: "duration"),
            transform: { try Self.duration($0, option: "--remote-write-flush-interval") })
    var flushInterval: Duration = .seconds(1)

    @Option(name: .customLong("remote-write-max-backoff"),
            help: ArgumentHelp("The longest wait between two tries of a batch the receiver did not take.", valueName: "duration"),
            transform: { try Self.duration($0, option: "--remote-write-max-backoff") })
    var maximumBackoff: Duration = .seconds(5)

    @Option(name: .customLong("remote-write-header"),
            help: ArgumentHelp("A header for every POST, \"Name: value\" (repeatable), e.g. X-Scope-OrgID: regulator.",
                               valueName: "header"))
    var headers: [String] = []

    @Option(name: .customLong("remote-write-bearer-token-file"),
            help: ArgumentHelp("A file holding a bearer token (Authorization: Bearer).", valueName: "file"))
    var bearerTokenFile: String?

    @Option(name: .customLong("remote-write-username"), help: ArgumentHelp("Basic authentication user name.", valueName: "name"))
    var username: String?

    @Option(name: .customLong("remote-write-password-file"),
            help: ArgumentHelp("A file holding the basic authentication password.", valueName: "file"))
    var passwordFile: String?

    func validate() throws {
        guard let url else {
            if bearerTokenFile != nil || username != nil || !headers.isEmpty {
                throw ValidationError("--remote-write-* options need --remote-write-url")
            }
            return
        }
        guard url.hasPrefix("http://") || url.hasPrefix("https://") else {
            throw ValidationError("--remote-write-url \(url) is not an http:// or https:// URL")
        }
        if bearerTokenFile != nil && username != nil {
            throw ValidationError("give either --remote-write-bearer-token-file or --remote-write-username, not both")
        }
        if (username == nil) != (passwordFile == nil) {
            throw ValidationError("--remote-write-username and --remote-write-password-file go together")
        }
        if batchSamples < 1 { throw ValidationError("--remote-write-batch-size must be at least 1") }
        if queueMaximumBytes < 64 << 10 { throw ValidationError("--remote-write-queue-max-bytes must be at least 65536") }
        for header in headers where !header.contains(":") {
            throw ValidationError("--remote-write-header \"\(header)\" is not \"Name: value\"")
        }
    }

    /// The settings these options give, or `nil` without `--remote-write-url`.
    func settings(syncEveryAppend: Bool) -> RemoteWriteSettings? {
        guard let url else { return nil }
        var settings = RemoteWriteSettings(
            url: url, queueMaximumBytes: queueMaximumBytes, batchSamples: batchSamples, flushInterval: flushInterval,
            syncEveryAppend: syncEveryAppend, maximumBackoff: maximumBackoff)
        for header in headers {
            let parts = header.split(separator: ":", maxSplits: 1)
            settings.headers[String(parts[0]).trimmingCharacters(in: .whitespaces)] =
                parts.count > 1 ? String(parts[1]).trimmingCharacters(in: .whitespaces) : ""
        }
        if let bearerTokenFile {
            settings.authorization = .bearer(tokenFile: bearerTokenFile)
        } else if let username, let passwordFile {
            settings.authorization = .basic(username: username, passwordFile: passwordFile)
        }
        return settings
    }

    private static func duration(_ text: String, option: String) throws -> Duration {
        guard let duration = DurationSyntax.parse(text), duration > .zero else {
            throw ValidationError("\(option): \"\(text)\" is not a positive duration like 500ms")
        }
        return duration
    }
}
