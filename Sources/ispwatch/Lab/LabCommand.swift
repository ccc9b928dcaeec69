import ArgumentParser
import Foundation
import ISPLab
import WatchCore

/// `ispwatch lab --script F`: simulated providers on loopback following a fault script.
struct LabCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "lab",
        abstract: "Run simulated providers (DNS resolver, HTTP and HTTPS portal each) on 127.0.0.x, following a fault script.",
        discussion: """
            Starts every provider of the script on its own loopback address, prints where each listens,
            writes an ispwatch configuration probing them all, and runs until Ctrl-C. The script's
            faults (outage, refuse, servfail, slow, http_5xx, flapping, tls_expired) are timed from
            the lab's start; the format is in docs/LAB.md.

            Example:
              ispwatch lab --script targets/demo.yaml --dir /tmp/lab
              ispwatch run --config /tmp/lab/lab-targets.yaml --data /tmp/lab-data   # in another terminal
            """
    )

    @Option(help: ArgumentHelp("The fault script (YAML, docs/LAB.md).", valueName: "file"))
    var script: String

    @Option(help: ArgumentHelp("Where to write ca.pem and the target configuration (created if missing).", valueName: "dir"))
    var dir = "ispwatch-lab"

    @Option(help: ArgumentHelp("The probe interval of the written configuration.", valueName: "duration"),
            transform: { try LabCommand.duration($0, flag: "--interval") })
    var interval: Duration = .seconds(5)

    @Option(help: ArgumentHelp("The probe timeout of the written configuration.", valueName: "duration"),
            transform: { try LabCommand.duration($0, flag: "--timeout") })
    var timeout: Duration = .seconds(2)

    func validate() throws {
        guard interval >= .seconds(1) else { throw ValidationError("--interval must be at least 1s") }
        guard timeout > .zero, timeout < interval else { throw ValidationError("--timeout must be above 0 and below --interval") }
    }

    func run() async throws {
        let faultScript = try LabScriptFile.load(script, command: "lab")
        let lab = try await ProviderLab.start(script: faultScript, directory: dir)
        var writer = LabTargetConfiguration()
        writer.interval = interval
        writer.timeout = timeout
        let configPath = dir + "/lab-targets.yaml"
        try Data(writer.yaml(for: lab).utf8).write(to: URL(fileURLWithPath: configPath))
        print(LabListing.render(lab))
        print("""

            target configuration: \(configPath)
            probe it:             ispwatch run --config \(configPath) --data \(dir)/data --metrics-address 127.0.0.1:0
            Ctrl-C stops the lab.
            """)
        // The listing must reach a pipe or file now, not when the lab stops.
        fflush(nil)
        try await ShutdownWait.untilSignalled()
        await lab.stop()
    }

    static func duration(_ text: String, flag: String) throws -> Duration {
        guard let value = DurationSyntax.parse(text) else { throw ValidationError("\(flag): \"\(text)\" is not a duration like 5s") }
        return value
    }
}

/// The providers of a running lab and their faults, as a table.
enum LabListing {
    static func render(_ lab: ProviderLab) -> String {
        var lines = ["provider        address        dns (udp+tcp)  http   https  faults"]
        for endpoint in lab.endpoints {
            let faults = endpoint.provider.faults.map { fault in
                let end = fault.end.map { LabTargetConfiguration.duration($0) } ?? "end"
                let services = fault.services.map(\.rawValue).sorted().joined(separator: "+")
                return "\(fault.kind.rawValue) \(services) \(LabTargetConfiguration.duration(fault.start))–\(end)"
            }
            lines.append(
                endpoint.provider.id.padding(toLength: 16, withPad: " ", startingAt: 0)
                    + endpoint.provider.address.padding(toLength: 15, withPad: " ", startingAt: 0)
                    + String(endpoint.dnsPort).padding(toLength: 15, withPad: " ", startingAt: 0)
                    + String(endpoint.httpPort).padding(toLength: 7, withPad: " ", startingAt: 0)
                    + String(endpoint.httpsPort).padding(toLength: 7, withPad: " ", startingAt: 0)
                    + (faults.isEmpty ? "none (healthy)" : faults.joined(separator: "; ")))
        }
        return lines.joined(separator: "\n")
    }
}
