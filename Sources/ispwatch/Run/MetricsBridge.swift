import Foundation
import LiveMetrics
import Scheduling
import RemoteWrite
import WatchCore
import WatchDaemon

/// Feeds `/metrics` from the probe loop: every result into the per-series registry, and once a
/// second the loop's, the store's and the vantage's figures.
struct MetricsBridge: ProbeObserver {
    let metrics: ProbeMetrics
    let sink: StoreSink
    let vantage: String
    let shard: Shard?
    let processStartTime: Timestamp
    let version: String
    var remoteWrite: RemoteWritePipeline? = nil

    func observe(_ result: ProbeResult, plan: SeriesPlan, target: Target) {
        metrics.record(result, series: plan.id, labels: SeriesLabels(target: target, series: plan.key))
    }

    func catalogChanged(_ catalog: SeriesCatalog) {
        metrics.retainOnly { catalog.plan($0) != nil }
    }

    func statusUpdated(_ status: ProbeLoopStatus) {
        let store = sink.statistics
        var snapshot = RuntimeSnapshot(
            version: version, processStartTime: processStartTime, scheduler: status.scheduler,
            probesInFlight: status.inFlight, probesInFlightByProvider: status.inFlightByProvider,
            probesWaiting: status.waiting, seriesScheduled: status.seriesScheduled,
            storeBytesOnDisk: Self.bytesOnDisk(sink.writer.directory),
            storeResultsWritten: Int64(clamping: store.flushed), storeFlushErrors: Int(clamping: store.writeErrors),
            storeResultsLost: Int64(clamping: store.lost), storeHealthy: store.currentError == nil,
            vantage: vantage, vantageHealthy: status.vantageHealth == .healthy,
            vantageControlsConfigured: status.controlsConfigured, vantageControlsFailing: status.controlsFailing,
            shard: shard,
            configReloads: Int(clamping: status.reloads), configReloadFailures: Int(clamping: status.reloadFailures),
            lastReloadSucceeded: status.lastReloadSucceeded, lastSuccessfulReload: status.configurationLoadedAt)
        snapshot.remoteWrite = remoteWrite?.figures
        metrics.update(snapshot)
    }

    /// The size of the store's files (one directory, a few hundred files at most).
    private static func bytesOnDisk(_ directory: String) -> Int64 {
        guard let names = try? FileManager.default.contentsOfDirectory(atPath: directory) else { return 0 }
        var total: Int64 = 0
        for name in names {
            var info = stat()
            if stat(directory + "/" + name, &info) == 0 { total += Int64(info.st_size) }
        }
        return total
    }
}
