import LiveMetrics
import RemoteWrite
import WatchCore
import WatchDaemon

/// Feeds remote-write from the probe loop: every result, controls included (as on `/metrics`), as
/// the samples of ``ProbeSamples``. Hands them over under a lock and returns.
struct RemoteWriteObserver: ProbeObserver {
    let pipeline: RemoteWritePipeline

    func observe(_ result: ProbeResult, plan: SeriesPlan, target: Target) {
        pipeline.submit(result, labels: SeriesLabels(target: target, series: plan.key))
    }

    func catalogChanged(_ catalog: SeriesCatalog) {}

    func statusUpdated(_ status: ProbeLoopStatus) {}
}
