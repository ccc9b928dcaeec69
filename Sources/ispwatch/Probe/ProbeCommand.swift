import ArgumentParser
import Foundation
import Logging
import Probing
import WatchCore

/// `ispwatch probe`: probe one target now and show what happened, like `curl -w` or `dig`.
struct ProbeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "probe",
        abstract: "Probe one target now and show each phase, the verdict and the reason.",
        discussion: """
            Examples:
              ispwatch probe https://127.0.0.1:8443/ --insecure
              ispwatch probe 'dns://127.0.0.1:5353/www.isp.test?type=AAAA'
              ispwatch probe tcp://[::1]:443
              ispwatch probe icmp://127.0.0.1?count=5
              ispwatch probe --config targets/example.yaml --target lab-portal
              ispwatch probe http://127.0.0.1:8080/ --repeat 100000 --concurrency 500

            Exit status: 0 when the probe succeeds, 1 when it fails, 2 for a usage error.
            With --repeat, 0 only when every probe succeeded.
            """
    )

    @Argument(help: "What to probe: https://…, dns://SERVER[:PORT]/NAME?type=T, tcp://HOST:PORT, icmp://HOST.")
    var address: String?

    @OptionGroup var target: ConfiguredTargetOptions

    @Flag(name: [.customShort("k"), .long], help: "Accept a TLS certificate that does not verify (like curl -k).")
    var insecure = false

    @Flag(name: .customShort("4"), help: "Use IPv4 only.")
    var ipv4 = false

    @Flag(name: .customShort("6"), help: "Use IPv6 only.")
    var ipv6 = false

    @Option(help: "Give up after this long, e.g. 2s or 500ms (default 5s, or the target's timeout).",
            transform: parseDurationArgument)
    var timeout: Duration?

    @Option(name: .customLong("expect-status"), help: "HTTP status codes that count as success, e.g. 200-299,301.")
    var expectStatus: String?

    @Option(name: .customLong("expect"), help: "A string the HTTP body or a DNS answer must contain (repeatable).")
    var expectContains: [String] = []

    @Flag(help: "Print the result as JSON.")
    var json = false

    @Option(name: .customLong("repeat"), help: "Probe the same target this many times (a load run) and print a summary.")
    var repeatCount: Int?

    @Option(help: "With --repeat: how many probes to keep in flight.")
    var concurrency: Int = 100

    func validate() throws {
        if ipv4 && ipv6 { throw ValidationError("-4 and -6 exclude each other") }
        if (address == nil) == (target.config.isEmpty) {
            throw ValidationError("give either an address to probe or --config FILE --target ID")
        }
        if !target.config.isEmpty && target.target == nil {
            throw ValidationError("--config needs --target ID")
        }
        if let repeatCount, repeatCount < 1 { throw ValidationError("--repeat must be at least 1") }
        if concurrency < 1 { throw ValidationError("--concurrency must be at least 1") }
    }

    func run() async throws {
        var request = try makeRequest()
        if ipv4 { request.ipFamily = .v4 }
        if ipv6 { request.ipFamily = .v6 }
        try applyOverrides(to: &request)
        let label = address ?? request.target.rawValue

        var logger = Logger(label: "ispwatch")
        logger.logLevel = .warning
        let exitCode: Int32 = try await ProbeEngine.withEngine(logger: logger) { engine in
            if let repeatCount {
                let summary = await LoadRun(request: request, count: repeatCount, concurrency: concurrency)
                    .run(on: engine)
                print(json ? try summary.json() : summary.text(label: label))
                return summary.failures == 0 ? 0 : 1
            }
            let result = await engine.probe(request)
            if json {
                let encoder = JSONEncoder()
                encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
                print(String(decoding: try encoder.encode(ProbeResultJSON(result)), as: UTF8.self))
            } else {
                print(ProbeWaterfall().render(result, address: label))
            }
            return result.success ? 0 : 1
        }
        if exitCode != 0 { throw ExitCode(exitCode) }
    }

    private func makeRequest() throws -> ProbeRequest {
        if let address {
            do {
                return ProbeRequest(
                    target: TargetID(address), spec: try ProbeAddress.parse(address), timeout: timeout ?? .seconds(5))
            } catch {
                throw ValidationError(error.description)
            }
        }
        return try target.request(timeoutOverride: timeout)
    }

    private func applyOverrides(to request: inout ProbeRequest) throws {
        switch request.spec {
        case .http(var http):
            if insecure { http.insecureSkipVerify = true }
            if let expectStatus {
                guard let codes = StatusCodeSet(parsing: expectStatus) else {
                    throw ValidationError("--expect-status \(expectStatus): write codes and ranges like 200-299,301")
                }
                http.validStatusCodes = codes
            }
            http.bodyContains += expectContains
            request.spec = .http(http)
        case .dns(var dns):
            dns.expectations.answerContains += expectContains
            request.spec = .dns(dns)
        case .tcp, .icmp:
            if !expectContains.isEmpty || expectStatus != nil {
                throw ValidationError("--expect and --expect-status apply to http and dns probes only")
            }
        }
    }
}

/// Parses `500ms`, `2s`, `1m30s` for command-line options.
func parseDurationArgument(_ text: String) throws -> Duration {
    guard let duration = DurationSyntax.parse(text) else {
        throw ValidationError("'\(text)' is not a duration; write e.g. 500ms, 2s or 1m30s")
    }
    return duration
}
