import ArgumentParser
import Foundation
import ISPLab
import LiveMetrics
import Logging
import SLAEngine
import SeriesStore
import ServiceLifecycle
import WatchCore

/// `ispwatch demo`: the whole product in one command, against simulated providers on loopback.
struct DemoCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "demo",
        abstract: "Probe four simulated providers through a scripted outage, flapping and slowness; page, report, serve.",
        discussion: """
            Starts the lab of targets/demo.yaml (four providers on 127.0.0.x: one suffers an outage of its
            resolver, one flaps, one gets slow, one stays healthy) on a timeline compressed to --duration,
            probes it every second with `ispwatch run`'s probe loop and alert pipeline, and shows each
            provider's state, the probes done and the incidents open as it goes. Pages go to a webhook
            receiver built into the demo, which prints each as it arrives. At the end it prints the SLA
            report (as `ispwatch report` would), writes report.html, and serves the status page until
            Ctrl-C. Nothing leaves loopback.

            Example:
              ispwatch demo                               # about two minutes
              ispwatch demo --duration 1m --no-serve --json > summary.json
            """
    )

    @Option(help: ArgumentHelp("How long the compressed timeline runs (at least 40s).", valueName: "duration"),
            transform: { try LabCommand.duration($0, flag: "--duration") })
    var duration: Duration = .seconds(120)

    @Flag(help: "Stop after the report instead of serving the status page.")
    var noServe = false

    @Flag(help: "Print a machine-readable summary on stdout instead of the report table.")
    var json = false

    @Option(help: ArgumentHelp("Where to keep the store, the lab's certificates and report.html (default: a new temporary directory).",
                               valueName: "dir"))
    var dir: String?

    @Option(help: ArgumentHelp("The lab's fault script (default: targets/demo.yaml of the source tree).", valueName: "file"))
    var script: String?

    @Option(help: ArgumentHelp("Where the status page is served.", valueName: "host:port"))
    var serveAddress = "127.0.0.1:9480"

    /// The slice width of the demo's alerting and report: short, for a timeline of minutes.
    static let slice: Duration = .seconds(2)

    func validate() throws {
        guard duration >= .seconds(40), duration <= .seconds(3_600) else {
            throw ValidationError("--duration must be from 40s (room for an incident to open and close) to 1h")
        }
    }

    func run() async throws {
        let directory = try dir ?? Self.makeTemporaryDirectory()
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        Self.note("demo directory: \(directory)")
        let faultScript = try LabScriptFile.load(try script ?? Self.findDemoScript(), command: "demo").scaled(to: duration)
        LoggingSystem.bootstrap { label in
            var handler = StreamLogHandler.standardError(label: label)
            handler.logLevel = .warning
            return handler
        }

        let progress = DemoProgress(providers: faultScript.providers.map(\.id))
        let receiver = try await LabPageReceiver.start { progress.page($0) }
        let lab = try await ProviderLab.start(script: faultScript, directory: directory + "/lab")
        let labStart = WallClock.now().advanced(by: .zero - lab.timeline.offset)
        let configPath = directory + "/demo-config.yaml"
        try Data(Self.targetConfiguration(lab: lab, pagerURL: receiver.url).utf8).write(to: URL(fileURLWithPath: configPath))
        let configuration = try ConfigurationFiles.load([configPath], command: "demo")
        let data = directory + "/data"

        var storeOptions = StoreOptions()
        storeOptions.syncOnFlush = false
        let display = DemoDisplay(
            progress: progress, duration: duration, header: LabListing.render(lab) + "\n", redrawInPlace: isatty(STDERR_FILENO) == 1)
        let session = ProbingSession(
            configuration: configuration, reloadConfiguration: { configuration }, data: data, storeOptions: storeOptions,
            metricsAddress: MetricsAddress(host: "127.0.0.1", port: 0), extraObservers: [progress],
            extraServices: [.init(service: display, successTerminationBehavior: .gracefullyShutdownGroup)], command: "demo")
        _ = try await session.run(logger: Logger(label: "ispwatch.demo"))
        let end = WallClock.now()
        await lab.stop()
        await receiver.stop()

        let reportHTML = directory + "/report.html"
        let window = [
            "--data", data, "--config", configPath, "--from", labStart.description, "--to", end.description,
            "--slice", LabTargetConfiguration.duration(Self.slice),
        ]
        let table = try ReportCommand.parse(window)
        if !json {
            print("")
            try table.run()
        }
        let page = try ReportCommand.parse(window + ["--format", "html", "--out", reportHTML])
        try page.run()
        let result = try SLAComputation(
            readers: [StoreReader(directory: data)], configuration: configuration,
            period: ReportPeriod.window(from: labStart, to: end), grouping: [.provider], rules: table.accounting.rules
        ).run()
        let summary = DemoSummary(
            result: result, lab: lab, labStart: labStart, configuration: configuration, pages: progress.pages,
            directory: directory, reportHTML: reportHTML)
        if json {
            print(try summary.json(), terminator: "")
        } else {
            print("\npages sent \(summary.pages.sent), resolved \(summary.pages.resolved); report: \(reportHTML)")
        }
        if !noServe {
            try await StatusPageSeam.serve(
                data: data, configuration: configuration, configurationFiles: [configPath], address: serveAddress)
        }
    }

    /// The lab's targets, probed every second, with alerting paging the demo's receiver: slices of
    /// `slice`, judged a second after they end, each alert forwarded once (no re-sends in a short demo).
    static func targetConfiguration(lab: ProviderLab, pagerURL: String) -> String {
        var writer = LabTargetConfiguration()
        writer.vantage = "demo"
        writer.interval = .seconds(1)
        writer.timeout = .milliseconds(800)
        writer.appendix = """
            alerting:
              rules: {slice: \(LabTargetConfiguration.duration(slice)), close_delay: 1s, down_slices: 3, up_slices: 5, resend_interval: 3m}
              receivers:
                - name: demo-pager
                  webhook: {url: "\(pagerURL)"}
              routes:
                - receiver: demo-pager
                  repeat_interval: 1h

            """
        return writer.yaml(for: lab)
    }

    static func note(_ line: String) {
        FileHandle.standardError.write(Data((line + "\n").utf8))
    }

    private static func makeTemporaryDirectory() throws -> String {
        let base = NSTemporaryDirectory().hasSuffix("/") ? NSTemporaryDirectory() : NSTemporaryDirectory() + "/"
        var template = Array((base + "ispwatch-demo-XXXXXX").utf8CString)
        guard let made = mkdtemp(&template) else { throw ValidationError("cannot make a temporary directory; give --dir") }
        return String(cString: made)
    }

    /// targets/demo.yaml in the working directory, else in the source tree the binary was built in
    /// (`.build/<config>/ispwatch` sits a few levels below it).
    private static func findDemoScript() throws -> String {
        var candidates = ["targets/demo.yaml"]
        var directory = URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath().deletingLastPathComponent()
        for _ in 0..<5 {
            candidates.append(directory.appendingPathComponent("targets/demo.yaml").path)
            directory.deleteLastPathComponent()
        }
        guard let found = candidates.first(where: { FileManager.default.fileExists(atPath: $0) }) else {
            throw ValidationError("cannot find targets/demo.yaml; run from the source tree or give --script FILE")
        }
        return found
    }
}
