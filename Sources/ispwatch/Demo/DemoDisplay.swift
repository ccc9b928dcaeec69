import Foundation
import ServiceLifecycle

/// The demo's clock and live view, as a service of the probing session: it redraws the progress
/// each second on stderr (in place on a terminal, a line per change otherwise) and returns when the
/// timeline is over, which shuts the session down gracefully.
struct DemoDisplay: Service {
    let progress: DemoProgress
    let duration: Duration
    /// Lines printed once above the live view (the lab's listing).
    let header: String
    let redrawInPlace: Bool

    func run() async throws {
        let clock = ContinuousClock()
        let start = clock.now
        write(header + "\n")
        do {
            try await cancelWhenGracefulShutdown {
                var drawnLines = 0
                var lastStates: [String] = []
                while true {
                    let elapsed = start.duration(to: clock.now)
                    if redrawInPlace {
                        // The view lists the recent pages itself.
                        _ = progress.takeUnprintedPages()
                        let view = render(elapsed: elapsed)
                        // Up over the previous view, then clear to the end of the screen.
                        let up = drawnLines > 0 ? "\u{1B}[\(drawnLines)A\r\u{1B}[J" : ""
                        write(up + view.joined(separator: "\n") + "\n")
                        drawnLines = view.count
                    } else {
                        printChanges(elapsed: elapsed, lastStates: &lastStates)
                    }
                    if elapsed >= duration { return }
                    try await Task.sleep(for: min(.seconds(1), duration - elapsed))
                }
            }
        } catch is CancellationError {
            // Ctrl-C during the timeline: the session stops, the report covers what ran.
        }
    }

    private func render(elapsed: Duration) -> [String] {
        let providers = progress.providers
        let probes = providers.reduce(0) { $0 + $1.probes }
        let open = progress.openAlerts
        var lines = [
            "\(Self.seconds(elapsed)) / \(Self.seconds(duration))   probes \(probes)   incidents open \(open.count)   pages \(progress.pages.count)"
        ]
        for provider in providers {
            lines.append("  " + provider.id.padding(toLength: 12, withPad: " ", startingAt: 0) + provider.summary)
        }
        let recent = progress.pages.suffix(6)
        if !recent.isEmpty {
            lines.append("  recent pages:")
            lines += recent.map { "    " + DemoFormat.page($0) }
        }
        return lines
    }

    /// Line-per-update: a line per page and per provider whose state changed.
    private func printChanges(elapsed: Duration, lastStates: inout [String]) {
        var lines = progress.takeUnprintedPages().map { "[\(Self.seconds(elapsed))] " + DemoFormat.page($0) }
        let providers = progress.providers
        let states = providers.map { $0.summary.hasPrefix("up") ? "up" : $0.summary }
        for (index, provider) in providers.enumerated() where index >= lastStates.count || lastStates[index] != states[index] {
            lines.append("[\(Self.seconds(elapsed))] \(provider.id): \(provider.summary)")
        }
        lastStates = states
        if !lines.isEmpty { write(lines.joined(separator: "\n") + "\n") }
    }

    private func write(_ text: String) {
        FileHandle.standardError.write(Data(text.utf8))
    }

    static func seconds(_ duration: Duration) -> String {
        "\(duration.components.seconds)s"
    }
}
