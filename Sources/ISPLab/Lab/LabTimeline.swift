/// The lab's clock: faults are scripted as offsets from the instant the lab started.
public struct LabTimeline: Sendable {
    /// When the lab started, on the clock below.
    public let start: ContinuousClock.Instant
    private let now: @Sendable () -> ContinuousClock.Instant

    /// A timeline starting now on `now` (injected by tests that need a moved clock).
    public init(now: @escaping @Sendable () -> ContinuousClock.Instant = { ContinuousClock.now }) {
        self.now = now
        start = now()
    }

    /// The time since the lab started.
    public var offset: Duration { start.duration(to: now()) }
}
