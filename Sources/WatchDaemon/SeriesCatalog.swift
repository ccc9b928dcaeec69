import Scheduling
import SeriesStore
import WatchCore

/// The series one configuration makes this vantage probe, with their store ids: the providers'
/// targets, the vantage's controls, and the vantage-health series.
///
/// Built again on every reload; series keep their store id (the store's index maps a key to the
/// same id forever), so history continues across reloads and restarts.
public struct SeriesCatalog: Sendable {
    /// The vantage probing, `local` when the configuration names none.
    public let vantage: String
    /// Every probed series by store id.
    public let plans: [SeriesID: SeriesPlan]
    /// Store ids by key.
    public let ids: [SeriesKey: SeriesID]
    /// The series of the vantage's health verdicts.
    public let healthSeries: SeriesKey
    /// The store id of ``healthSeries``.
    public let healthSeriesID: SeriesID
    /// What the scheduler should run.
    public let schedules: [SeriesSchedule]
    /// The control series, each with how long its latest result counts (two intervals).
    public let controls: [SeriesKey: Duration]

    /// Lays out the series of `configuration` and registers them (and their metadata) in `store`.
    ///
    /// - Throws: `StoreError` when the series index cannot be written.
    public init(configuration: Configuration, store: StoreWriter) throws(StoreError) {
        let vantage = configuration.vantage?.id ?? Vantage.unnamedID
        let vantageLabels = configuration.vantage?.labels ?? [:]
        var plans: [SeriesPlan] = []
        for target in configuration.targets {
            var labels = configuration.provider(target.provider)?.labels ?? [:]
            labels.merge(vantageLabels) { provider, _ in provider }
            labels.merge(target.labels) { _, own in own }
            let metadata = SeriesMetadata(
                provider: target.provider, service: target.service, kind: target.spec.kind,
                region: target.region ?? "", labels: labels)
            for key in target.seriesKeys(vantage: vantage) {
                plans.append(SeriesPlan(key: key, target: target, role: .target, metadata: metadata))
            }
        }
        var controls: [SeriesKey: Duration] = [:]
        for control in configuration.vantage?.controls ?? [] {
            var labels = control.labels
            labels[SeriesRole.labelName] = SeriesRole.control.rawValue
            let metadata = SeriesMetadata(
                provider: "", service: control.service, kind: control.spec.kind, region: control.region ?? "",
                labels: labels)
            for family in control.ipFamilies.families {
                let key = SeriesKey(target: SeriesRole.controlTarget(control.id.rawValue), vantage: vantage, family: family)
                plans.append(SeriesPlan(key: key, target: control, role: .control, metadata: metadata))
                controls[key] = control.interval * 2 + control.timeout
            }
        }
        let healthSeries = SeriesKey(target: SeriesRole.vantageHealthTarget, vantage: vantage, family: .v4)
        let healthMetadata = SeriesMetadata(
            service: SeriesRole.vantageHealth.rawValue,
            labels: [SeriesRole.labelName: SeriesRole.vantageHealth.rawValue])

        let ids = try store.register(plans.map { ($0.key, $0.metadata) } + [(healthSeries, healthMetadata)])
        var byID: [SeriesID: SeriesPlan] = [:]
        var idsByKey: [SeriesKey: SeriesID] = [:]
        for (plan, id) in zip(plans, ids) {
            byID[id] = plan
            idsByKey[plan.key] = id
        }
        self.vantage = vantage
        self.plans = byID
        self.ids = idsByKey
        self.healthSeries = healthSeries
        self.healthSeriesID = ids[ids.count - 1]
        self.controls = controls
        let failingInterval = configuration.scheduler?.failingInterval
        self.schedules = plans.map {
            SeriesSchedule(series: $0.key, provider: $0.target.provider, interval: $0.target.interval,
                           failingInterval: failingInterval)
        }
    }

    /// The plan of the series `key`.
    public func plan(_ key: SeriesKey) -> (id: SeriesID, plan: SeriesPlan)? {
        guard let id = ids[key], let plan = plans[id] else { return nil }
        return (id, plan)
    }
}

extension SchedulerSettings {
    /// The scheduler's admission limits for these settings.
    public var admissionLimits: AdmissionLimits {
        func limits(_ provider: ProviderProbeLimits) -> ProviderLimits {
            ProviderLimits(maximumInFlight: provider.maximumInFlight, probesPerSecond: provider.probesPerSecond,
                           burst: provider.burst)
        }
        return AdmissionLimits(
            maximumInFlight: maximumInFlight, perProvider: limits(providerLimits),
            providerOverrides: providerOverrides.mapValues(limits), maximumStartDelay: maximumStartDelay)
    }
}
