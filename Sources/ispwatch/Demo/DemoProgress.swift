import Foundation
import ISPLab
import Synchronization
import WatchCore
import WatchDaemon

/// What the demo shows while it runs, fed by the probe loop (every result) and the page receiver
/// (every page): the state of each provider, the probes done and the incidents paged and open.
final class DemoProgress: ProbeObserver {
    struct ProviderState: Sendable {
        var id: String
        /// The latest result of each of its targets.
        var latest: [TargetID: ProbeResult] = [:]
        var probes = 0
        var failures = 0
    }

    private struct State {
        var providers: [ProviderState]
        var pages: [ReceivedPage] = []
        /// Pages not yet printed by the line-per-update display.
        var unprinted: [ReceivedPage] = []
    }

    private let state: Mutex<State>

    init(providers: [String]) {
        state = Mutex(State(providers: providers.map { ProviderState(id: $0) }))
    }

    func observe(_ result: ProbeResult, plan: SeriesPlan, target: Target) {
        guard plan.role == .target else { return }
        state.withLock { state in
            guard let index = state.providers.firstIndex(where: { $0.id == target.provider }) else { return }
            state.providers[index].latest[target.id] = result
            state.providers[index].probes += 1
            if !result.success { state.providers[index].failures += 1 }
        }
    }

    func catalogChanged(_ catalog: SeriesCatalog) {}

    func statusUpdated(_ status: ProbeLoopStatus) {}

    /// A page arrived at the demo's receiver.
    func page(_ page: ReceivedPage) {
        state.withLock { state in
            state.pages.append(page)
            state.unprinted.append(page)
        }
    }

    /// The providers' states now.
    var providers: [ProviderState] { state.withLock { $0.providers } }

    /// The pages received so far.
    var pages: [ReceivedPage] { state.withLock { $0.pages } }

    /// The pages not yet handed out by this call, oldest first.
    func takeUnprintedPages() -> [ReceivedPage] {
        state.withLock { state in
            defer { state.unprinted = [] }
            return state.unprinted
        }
    }

    /// The alerts firing now, by the pages received: fired and not yet resolved.
    var openAlerts: [ReceivedPage] {
        var open: [String: ReceivedPage] = [:]
        for page in pages {
            let key = page.labels.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: ",")
            if page.isResolve { open[key] = nil } else { open[key] = page }
        }
        return open.values.sorted { $0.startsAt < $1.startsAt }
    }
}

extension DemoProgress.ProviderState {
    /// `up`, or `DOWN` with the failing targets' reasons.
    var summary: String {
        guard !latest.isEmpty else { return "waiting" }
        let failing = latest.values.filter { !$0.success }.sorted { $0.target.rawValue < $1.target.rawValue }
        if failing.isEmpty {
            let slowest = latest.values.map(\.duration).max() ?? .zero
            return "up (slowest \(DemoFormat.milliseconds(slowest)))"
        }
        let reasons = failing.map { "\($0.target.rawValue): \($0.failure?.rawValue ?? "failed")" }
        return "DOWN \(failing.count)/\(latest.count)  " + reasons.joined(separator: ", ")
    }
}

enum DemoFormat {
    static func milliseconds(_ duration: Duration) -> String {
        let value = Double(duration.components.seconds) * 1000 + Double(duration.components.attoseconds) / 1e15
        return value < 10 ? String(format: "%.1f ms", value) : String(format: "%.0f ms", value)
    }

    /// One page as a line: `PAGE firing TargetDown northwind/northwind-dns since 12:00:01`.
    static func page(_ page: ReceivedPage) -> String {
        let what = [page.labels["provider"], page.labels["target"]].compactMap { $0 }.joined(separator: "/")
        let when = page.isResolve ? "ended \(page.endsAt)" : "since \(page.startsAt)"
        return "PAGE \(page.status.uppercased()) \(page.alertName) \(what.isEmpty ? "-" : what) \(when)"
    }
}
