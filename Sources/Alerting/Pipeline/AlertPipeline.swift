import Synchronization
import WatchCore

/// The alerting side of `ispwatch run`: takes events from the probe loop without blocking it, feeds
/// them to one ``AlertEngine``, routes its notifications (``AlertRouter``) to the outbox of each
/// receiver they go to, and delivers them (one ``AlertDispatcher`` per receiver).
///
/// ``submit(_:)`` is what a `ProbeObserver` calls: it only appends to a bounded buffer. ``run(now:tickEvery:)``
/// is the long-lived part (a ServiceLifecycle service's `run`): one task owns the engine (so it needs
/// no lock), a ticker gives it the time every `tickEvery`, and each dispatcher's loop delivers.
public final class AlertPipeline: Sendable {
    private let events: AsyncStream<AlertEvent>
    private let continuation: AsyncStream<AlertEvent>.Continuation
    private let engine: Mutex<AlertEngine?>
    private let router: Mutex<AlertRouter?>
    private let dropped = Atomic<Int>(0)
    private let firing = Mutex<[AlertNotification]>([])
    /// The dispatchers the notifications go through (their outboxes, their counters), by receiver name.
    public let dispatchers: [String: AlertDispatcher]

    /// Creates a pipeline delivering every notification through `dispatcher`; at most `bufferLimit`
    /// events wait for the engine, beyond which the oldest are dropped (counted in
    /// ``droppedEvents``) rather than blocking the probe loop.
    public convenience init(engine: AlertEngine, dispatcher: AlertDispatcher, bufferLimit: Int = 100_000) {
        self.init(engine: engine, router: AlertRouter(routes: [AlertRoute(receiver: "default")]),
                  dispatchers: ["default": dispatcher], bufferLimit: bufferLimit)
    }

    /// Creates a pipeline sending each notification to the dispatchers `router` names; a route naming
    /// a receiver missing from `dispatchers` is a programming error.
    public init(engine: AlertEngine, router: AlertRouter, dispatchers: [String: AlertDispatcher], bufferLimit: Int = 100_000) {
        precondition(router.routes.allSatisfy { dispatchers[$0.receiver] != nil }, "every route names a dispatcher")
        (events, continuation) = AsyncStream.makeStream(of: AlertEvent.self, bufferingPolicy: .bufferingNewest(bufferLimit))
        self.engine = Mutex(engine)
        self.router = Mutex(router)
        self.dispatchers = dispatchers
    }

    /// Hands an event to the engine; never blocks.
    public func submit(_ event: AlertEvent) {
        if case .dropped = continuation.yield(event) { dropped.add(1, ordering: .relaxed) }
    }

    /// The alerts firing as of the engine's latest tick (for `ispwatch alerts` and the server).
    public var firingAlerts: [AlertNotification] { firing.withLock { $0 } }

    /// Events dropped because the buffer was full.
    public var droppedEvents: Int { dropped.load(ordering: .relaxed) }

    /// Runs until cancelled: evaluates events, ticks every `tickEvery` with the time read from `now`,
    /// enqueues and delivers notifications (the delivery loop looks at the outbox every `tickEvery`).
    /// It can run once.
    public func run(now: @escaping @Sendable () -> Timestamp = WallClock.now, tickEvery: Duration = .seconds(1)) async throws {
        guard let initialEngine = engine.withLock({ engine in defer { engine = nil }; return engine }),
              let initialRouter = router.withLock({ router in defer { router = nil }; return router })
        else {
            preconditionFailure("an AlertPipeline runs once")
        }
        let continuation = continuation
        let events = events
        let dispatchers = dispatchers
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask {
                while !Task.isCancelled {
                    try await Task.sleep(for: tickEvery)
                    continuation.yield(.tick(now()))
                }
            }
            for dispatcher in dispatchers.values {
                group.addTask {
                    try await dispatcher.run(clock: ContinuousClock(), pollInterval: tickEvery, now: now)
                }
            }
            group.addTask {
                var engine = initialEngine
                var router = initialRouter
                for await event in events {
                    let notifications = engine.handle(event)
                    if case .tick = event {
                        let now = engine.firingAlerts
                        self.firing.withLock { $0 = now }
                    }
                    if !notifications.isEmpty {
                        let routed = router.route(notifications)
                        for name in Set(routed.map(\.receiver)).sorted() {
                            try await dispatchers[name]!.enqueue(routed.filter { $0.receiver == name }.map(\.notification))
                        }
                    }
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
