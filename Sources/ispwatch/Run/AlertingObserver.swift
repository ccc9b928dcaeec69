import Alerting
import Synchronization
import WatchCore
import WatchDaemon

/// Feeds the alert pipeline from the probe loop: every result of a provider's target, and the
/// vantage's health verdict whenever it changes (control results are not alerts of their own: they
/// reach the engine as that verdict).
final class AlertingObserver: ProbeObserver {
    let pipeline: AlertPipeline
    let vantage: String
    let now: @Sendable () -> Timestamp
    private let lastVerdictHealthy = Mutex<Bool?>(nil)

    init(pipeline: AlertPipeline, vantage: String, now: @escaping @Sendable () -> Timestamp = WallClock.now) {
        self.pipeline = pipeline
        self.vantage = vantage
        self.now = now
    }

    func observe(_ result: ProbeResult, plan: SeriesPlan, target: Target) {
        guard plan.role == .target else { return }
        pipeline.submit(.probeResult(result, series: plan.key, target: target))
    }

    func catalogChanged(_ catalog: SeriesCatalog) {}

    /// A reloaded configuration (SIGHUP): the engine takes its targets (provider sizes) and
    /// maintenance windows. The `alerting:` section itself is read at start only.
    func configurationLoaded(_ configuration: Configuration) {
        pipeline.submit(.configurationChanged(targets: configuration.targets, maintenance: configuration.maintenance))
    }

    func statusUpdated(_ status: ProbeLoopStatus) {
        let healthy = status.vantageHealth == .healthy
        let changed = lastVerdictHealthy.withLock { last in
            defer { last = healthy }
            return last != healthy
        }
        if changed { pipeline.submit(.vantageHealth(vantage: vantage, healthy: healthy, at: now())) }
    }
}

/// Hands every call of the probe loop to several observers, in order.
struct FanOutObserver: ProbeObserver {
    let observers: [any ProbeObserver]

    func observe(_ result: ProbeResult, plan: SeriesPlan, target: Target) {
        for observer in observers { observer.observe(result, plan: plan, target: target) }
    }

    func catalogChanged(_ catalog: SeriesCatalog) {
        for observer in observers { observer.catalogChanged(catalog) }
    }

    func statusUpdated(_ status: ProbeLoopStatus) {
        for observer in observers { observer.statusUpdated(status) }
    }
}
