import Synchronization
import WatchCore

/// The alerting side of `ispwatch run`: takes events from the probe loop without blocking it, feeds
/// them to one ``AlertEngine``, writes its notifications to the outbox and delivers them.
///
/// ``submit(_:)`` is what a `ProbeObserver` calls: it only appends to a bounded buffer. ``run(now:tickEvery:)``
/// is the long-lived part (a ServiceLifecycle service's `run`): one task owns the engine (so it needs
/// no lock), a ticker gives it the time every `tickEvery`, and the dispatcher's loop delivers.
public final class AlertPipeline: Sendable {
    private let events: AsyncStream<AlertEvent>
    private let continuation: AsyncStream<AlertEvent>.Continuation
    private let engine: Mutex<AlertEngine?>
    private let dropped = Atomic<Int>(0)
    /// The dispatcher the notifications go through (its outbox, its counters).
    public let dispatcher: AlertDispatcher

    /// Creates a pipeline; at most `bufferLimit` events wait for the engine, beyond which the oldest
    /// are dropped (counted in ``droppedEvents``) rather than blocking the probe loop.
    public init(engine: AlertEngine, dispatcher: AlertDispatcher, bufferLimit: Int = 100_000) {
        (events, continuation) = AsyncStream.makeStream(of: AlertEvent.self, bufferingPolicy: .bufferingNewest(bufferLimit))
        self.engine = Mutex(engine)
        self.dispatcher = dispatcher
    }

    /// Hands an event to the engine; never blocks.
    public func submit(_ event: AlertEvent) {
        if case .dropped = continuation.yield(event) { dropped.add(1, ordering: .relaxed) }
    }

    /// Events dropped because the buffer was full.
    public var droppedEvents: Int { dropped.load(ordering: .relaxed) }

    /// Runs until cancelled: evaluates events, ticks every `tickEvery` with the time read from `now`,
    /// enqueues and delivers notifications (the delivery loop looks at the outbox every `tickEvery`).
    /// It can run once.
    public func run(now: @escaping @Sendable () -> Timestamp = WallClock.now, tickEvery: Duration = .seconds(1)) async throws {
        guard let initialEngine = engine.withLock({ engine in defer { engine = nil }; return engine }) else {
            preconditionFailure("an AlertPipeline runs once")
        }
        let continuation = continuation
        let events = events
        let dispatcher = dispatcher
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask {
                while !Task.isCancelled {
                    try await Task.sleep(for: tickEvery)
                    continuation.yield(.tick(now()))
                }
            }
            group.addTask {
                try await dispatcher.run(clock: ContinuousClock(), pollInterval: tickEvery, now: now)
            }
            group.addTask {
                var engine = initialEngine
                for await event in events {
                    let notifications = engine.handle(event)
                    if !notifications.isEmpty { try await dispatcher.enqueue(notifications) }
                    if Task.isCancelled { break }
                }
            }
            // Any part ending (cancellation, an outbox write failing) ends the pipeline.
            defer { continuation.finish() }
            try await group.next()
            group.cancelAll()
        }
    }
}
