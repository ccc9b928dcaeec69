import SLAEngine
import WatchCore

/// One provider's groups pooled: slice tallies added, latency sketches merged (so its percentiles
/// are those of all its probes, as docs/SLA.md §7 and §10 pool groups).
struct ProviderRollup {
    /// The provider id; empty when figures are not grouped by provider.
    var provider: String
    var units = 0
    var slices = SliceTally()
    var latency = LatencySketch()
    var incidents = 0

    func availability(sliceMillis: Int64) -> AvailabilityFigures {
        AvailabilityFigures(slices: slices, sliceMillis: sliceMillis)
    }

    var latencyFigures: LatencyFigures? { LatencyFigures(microseconds: latency) }

    /// Rollups by provider, in provider order.
    static func of(_ groups: [GroupFigures]) -> [ProviderRollup] {
        var byProvider: [String: ProviderRollup] = [:]
        for group in groups {
            let provider = group.key[.provider] ?? ""
            var rollup = byProvider[provider] ?? ProviderRollup(provider: provider)
            rollup.units += group.units
            rollup.slices.add(group.availability.slices)
            rollup.latency.merge(group.probes.latency)
            rollup.incidents += group.reliability.incidents
            byProvider[provider] = rollup
        }
        return byProvider.values.sorted { $0.provider < $1.provider }
    }
}
