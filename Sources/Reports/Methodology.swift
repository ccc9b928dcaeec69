import WatchCore

/// How the figures were measured, as a report's methodology box states it: what was probed, how
/// often, with which timeout, from where. The accounting rules themselves travel in the result.
public struct Methodology: Sendable, Hashable {
    /// Targets (or, without a configuration, stored series) per probe kind.
    public var probeKinds: [ProbeKind: Int]
    /// The distinct configured probe intervals, shortest first; empty when no targets were configured.
    public var intervals: [Duration]
    /// The distinct configured probe timeouts, shortest first; empty when no targets were configured.
    public var timeouts: [Duration]
    /// The vantages whose results were read.
    public var vantages: [String]

    /// A methodology with every fact given.
    public init(probeKinds: [ProbeKind: Int], intervals: [Duration], timeouts: [Duration], vantages: [String]) {
        self.probeKinds = probeKinds
        self.intervals = intervals
        self.timeouts = timeouts
        self.vantages = vantages
    }

    /// The methodology of `targets` (the configured ones in the report, usually of its providers),
    /// falling back to `storedKinds` (series per kind, from the stores' metadata) when none is
    /// configured.
    public init(targets: [Target], storedKinds: [ProbeKind: Int] = [:], vantages: [String]) {
        var kinds: [ProbeKind: Int] = [:]
        for target in targets { kinds[target.spec.kind, default: 0] += 1 }
        self.init(
            probeKinds: targets.isEmpty ? storedKinds : kinds, intervals: Set(targets.map(\.interval)).sorted(),
            timeouts: Set(targets.map(\.timeout)).sorted(), vantages: vantages)
    }
}
