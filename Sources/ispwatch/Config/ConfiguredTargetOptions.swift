import ArgumentParser
import WatchCore

/// `--config FILE --target ID`: picks one target out of configuration files.
struct ConfiguredTargetOptions: ParsableArguments {
    @Option(name: .customLong("config"), help: "A configuration file (repeatable; loaded together).")
    var config: [String] = []

    @Option(help: "The id of the target to probe, from the configuration.")
    var target: String?

    /// The target's probe request. A target probed over both families yields the IPv4 one unless
    /// the caller forces a family afterwards.
    func request(timeoutOverride: Duration?) throws -> ProbeRequest {
        let configuration = try ConfigurationFiles.load(config, command: "probe")
        guard let id = target, let found = configuration.targets.first(where: { $0.id.rawValue == id }) else {
            let known = configuration.targets.prefix(10).map(\.id.rawValue).joined(separator: ", ")
            throw ValidationError("no target '\(target ?? "")' in \(config.joined(separator: ", ")); known: \(known)")
        }
        guard var request = found.requests(scheduledAt: nil).first else {
            throw ValidationError("target '\(id)' expands to no probe")
        }
        if let timeoutOverride { request.timeout = timeoutOverride }
        return request
    }
}
