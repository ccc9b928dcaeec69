/// One timed fault of a provider's script: a kind, the services it hits and when, as offsets from the
/// lab's start.
public struct ScriptedFault: Sendable, Hashable {
    /// What the fault does.
    public var kind: FaultKind
    /// The services it acts on (already narrowed to those `kind` can act on).
    public var services: Set<LabService>
    /// When it begins, from the lab's start.
    public var start: Duration
    /// When it ends (exclusive); `nil`: until the lab stops.
    public var end: Duration?
    /// The added delay of `slow`.
    public var delay: Duration
    /// The status of `http_5xx`.
    public var status: Int
    /// The full cycle of `flapping`: failing for the first half, healthy for the second.
    public var period: Duration
    /// The line of the script it was written on, for messages.
    public var line: Int

    /// Creates a fault; `services` is narrowed to what `kind` can act on.
    public init(
        kind: FaultKind, services: Set<LabService> = Set(LabService.allCases), start: Duration, end: Duration? = nil,
        delay: Duration = .milliseconds(500), status: Int = 503, period: Duration = .seconds(8), line: Int = 0
    ) {
        self.kind = kind
        self.services = services.intersection(kind.services)
        self.start = start
        self.end = end
        self.delay = delay
        self.status = status
        self.period = period
        self.line = line
    }

    /// Whether the fault is active on `service` at `offset` from the lab's start. A flapping fault is
    /// active only in the failing half of each period.
    public func isActive(on service: LabService, at offset: Duration) -> Bool {
        guard services.contains(service), offset >= start else { return false }
        if let end, offset >= end { return false }
        if kind == .flapping {
            let intoPeriod = (offset - start).nanoseconds % max(period.nanoseconds, 1)
            return intoPeriod < period.nanoseconds / 2
        }
        return true
    }

    /// The fault with every time multiplied by `factor` (the demo's compressed timeline).
    public func scaled(by factor: Double) -> ScriptedFault {
        var copy = self
        copy.start = start * factor
        copy.end = end.map { $0 * factor }
        return copy
    }
}

extension Duration {
    /// The duration in whole nanoseconds (saturating).
    var nanoseconds: Int64 {
        let (seconds, attoseconds) = components
        return seconds.multipliedReportingOverflow(by: 1_000_000_000).partialValue + attoseconds / 1_000_000_000
    }
}
