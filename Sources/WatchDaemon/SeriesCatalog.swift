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
    /// The providers' targets: the configuration's own array, shared, not copied.
    public let targets: [Target]
    /// The share of the targets this process probes (controls run on every shard).
    public let shard: Shard
    /// The vantage's control probes.
    public let controlTargets: [Target]
    /// Every probed series, indexed by store id (`nil` for ids of series not probed now). Store ids
    /// are dense, so an array indexed by them replaces a dictionary keyed by `SeriesKey` (12 MB at
    /// 100,000 series).
    private let plansByID: [SeriesPlan?]
    /// How many series are probed (targets and controls).
    public let count: Int
    /// The series of the vantage's health verdicts.
    public let healthSeries: SeriesKey
    /// The store id of ``healthSeries``.
    public let healthSeriesID: SeriesID
    /// The control series, each with how long its latest result counts (two intervals and a timeout).
    public let controls: [SeriesKey: Duration]
    private let failingInterval: Duration?

    /// Lays out the series of `configuration` that `shard` owns and registers them (and their
    /// metadata) in `store`. Control probes belong to every shard: each process needs its own health.
    ///
    /// - Throws: `StoreError` when the series index cannot be written.
    public init(configuration: Configuration, shard: Shard = .whole, store: StoreWriter) throws(StoreError) {
        let vantage = configuration.vantage?.id ?? Vantage.unnamedID
        let vantageLabels = configuration.vantage?.labels ?? [:]
        let providerLabels = Dictionary(configuration.providers.map { ($0.id, $0.labels) }) { first, _ in first }
        var plans: [SeriesPlan] = []
        var registrations: [(key: SeriesKey, metadata: SeriesMetadata)] = []
        plans.reserveCapacity(configuration.targets.count + 1)
        registrations.reserveCapacity(configuration.targets.count + 1)
        for (index, target) in configuration.targets.enumerated() {
            var labels = providerLabels[target.provider] ?? [:]
            if !vantageLabels.isEmpty { labels.merge(vantageLabels) { provider, _ in provider } }
            if !target.labels.isEmpty { labels.merge(target.labels) { _, own in own } }
            let metadata = SeriesMetadata(
                provider: target.provider, service: target.service, kind: target.spec.kind,
                region: target.region ?? "", labels: labels)
            for key in target.seriesKeys(vantage: vantage) where shard.owns(key) {
                plans.append(SeriesPlan(key: key, id: 0, role: .target, targetIndex: index))
                registrations.append((key, metadata))
            }
        }
        var controls: [SeriesKey: Duration] = [:]
        let controlTargets = configuration.vantage?.controls ?? []
        for (index, control) in controlTargets.enumerated() {
            var labels = control.labels
            labels[SeriesRole.labelName] = SeriesRole.control.rawValue
            let metadata = SeriesMetadata(
                provider: "", service: control.service, kind: control.spec.kind, region: control.region ?? "",
                labels: labels)
            for family in control.ipFamilies.families {
                let key = SeriesKey(target: SeriesRole.controlTarget(control.id.rawValue), vantage: vantage, family: family)
                plans.append(SeriesPlan(key: key, id: 0, role: .control, targetIndex: index))
                registrations.append((key, metadata))
                controls[key] = control.interval * 2 + control.timeout
            }
        }
        let healthSeries = SeriesKey(target: SeriesRole.vantageHealthTarget, vantage: vantage, family: .v4)
        registrations.append((healthSeries, SeriesMetadata(
            service: SeriesRole.vantageHealth.rawValue,
            labels: [SeriesRole.labelName: SeriesRole.vantageHealth.rawValue])))

        let registered = try store.register(registrations)
        // The next registration is the next reload: the store need not keep its key table till then.
        store.releaseSeriesLookup()
        var plansByID = [SeriesPlan?](repeating: nil, count: Int(registered.max() ?? 0) + 1)
        for (plan, id) in zip(plans, registered) {
            var plan = plan
            plan.id = id
            plansByID[Int(id)] = plan
        }
        self.vantage = vantage
        self.targets = configuration.targets
        self.shard = shard
        self.controlTargets = controlTargets
        self.plansByID = plansByID
        self.count = plans.count
        self.healthSeries = healthSeries
        self.healthSeriesID = registered[registered.count - 1]
        self.controls = controls
        self.failingInterval = configuration.scheduler?.failingInterval
    }

    /// The number one past the highest store id probed: ids of probed series are below it.
    public var idLimit: Int { plansByID.count }

    /// The plan of the series with store id `id`, if it is probed now.
    public func plan(_ id: SeriesID) -> SeriesPlan? {
        Int(id) < plansByID.count ? plansByID[Int(id)] : nil
    }

    /// The configured target (or control) of `plan`.
    public func target(of plan: SeriesPlan) -> Target {
        plan.role == .control ? controlTargets[plan.targetIndex] : targets[plan.targetIndex]
    }

    /// What the scheduler should run: every probed series on its target's interval.
    public var schedules: [SeriesSchedule] {
        plansByID.compactMap { plan in
            plan.map {
                let target = target(of: $0)
                return SeriesSchedule(series: $0.key, provider: target.provider, interval: target.interval,
                                      failingInterval: failingInterval, tag: $0.id)
            }
        }
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
