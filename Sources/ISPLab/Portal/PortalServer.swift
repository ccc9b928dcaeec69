import Foundation
import Synchronization

/// A provider's web portal on one port, plain HTTP or HTTPS: one thread accepts (and closes the port
/// while a `refuse` fault is active), one thread per connection answers it. Portals are few and
/// lightly probed, so threads keep the fault behaviour (holding a connection, sleeping a delay)
/// simple and off the cooperative pool.
final class PortalServer: Sendable {
    /// The TLS contexts of an HTTPS portal.
    struct TLS: Sendable {
        let valid: PortalTLSContext
        let expired: PortalTLSContext
    }

    let provider: FaultScript.Provider
    let service: LabService
    let port: UInt16
    private let script: FaultScript
    private let timeline: LabTimeline
    private let tls: TLS?
    private let state: Mutex<State>

    private struct State {
        var listener: Int32?
        var stopped = false
        var connections = 0
    }

    /// More connections than this at once are closed at once (a bound on threads).
    static let maximumConnections = 256

    /// Binds the portal's port on the provider's address (`port` 0: a free one); `serve()` then
    /// accepts on its own thread.
    init(provider: FaultScript.Provider, service: LabService, port: UInt16, script: FaultScript, timeline: LabTimeline, tls: TLS?)
        throws(LabServerError)
    {
        let opened = try ListeningSocket.open(address: provider.address, port: port)
        self.provider = provider
        self.service = service
        self.port = opened.port
        self.script = script
        self.timeline = timeline
        self.tls = tls
        state = Mutex(State(listener: opened.descriptor))
    }

    /// Starts the accepting thread.
    func serve() {
        let thread = Thread { [self] in acceptLoop() }
        thread.name = "lab-\(provider.id)-\(service.rawValue)"
        thread.start()
    }

    /// Stops accepting: the port closes within ~20 ms, connections being held end within ~50 ms.
    func stop() {
        state.withLock { $0.stopped = true }
    }

    private func fault() -> ScriptedFault? {
        script.activeFault(provider: provider.id, service: service, at: timeline.offset)
    }

    private func acceptLoop() {
        while true {
            let (listener, stopped) = reconcileListener()
            if stopped { break }
            guard let listener else {
                usleep(20_000)
                continue
            }
            guard let connection = ListeningSocket.accept(listener, waitingUpTo: 20) else { continue }
            let admitted = state.withLock { state in
                guard state.connections < Self.maximumConnections else { return false }
                state.connections += 1
                return true
            }
            guard admitted else {
                close(connection)
                continue
            }
            let thread = Thread { [self] in
                answer(connection)
                close(connection)
                state.withLock { $0.connections -= 1 }
            }
            thread.start()
        }
        state.withLock { state in
            if let listener = state.listener { close(listener) }
            state.listener = nil
        }
    }

    /// Closes the port while `refuse` is active and opens it again after; the listener to accept
    /// on (nil while refusing) and whether the portal was stopped.
    private func reconcileListener() -> (Int32?, Bool) {
        let refusing = fault()?.kind == .refuse
        return state.withLock { state in
            if state.stopped { return (nil, true) }
            if refusing, let listener = state.listener {
                close(listener)
                state.listener = nil
            } else if !refusing, state.listener == nil {
                state.listener = try? ListeningSocket.open(address: provider.address, port: port).descriptor
            }
            return (state.listener, false)
        }
    }

    private func answer(_ connection: Int32) {
        if fault()?.kind == .outage {
            // No answer: hold the connection, unread, until the outage ends (the client times out).
            holdWhile { self.fault()?.kind == .outage }
            return
        }
        let stream: any PortalStream
        if let tls {
            let context = fault()?.kind == .tlsExpired ? tls.expired : tls.valid
            guard let session = context.accept(descriptor: connection) else { return }
            stream = session
        } else {
            stream = PlainStream(descriptor: connection)
        }
        guard let head = PortalRequestHead.read(from: stream) else { return }
        let active = fault()
        if active?.kind == .slow, let delay = active?.delay { holdFor(delay) }
        let status = switch active?.kind {
        case .http5xx: active?.status ?? 503
        case .flapping: 503
        default: 200
        }
        _ = stream.write(PortalResponse(status: status, providerName: provider.name, headOnly: head.method == "HEAD").bytes)
    }

    private func holdWhile(_ condition: () -> Bool) {
        let deadline = ContinuousClock.now + .seconds(60)
        while condition(), ContinuousClock.now < deadline, !state.withLock({ $0.stopped }) { usleep(50_000) }
    }

    private func holdFor(_ delay: Duration) {
        let deadline = ContinuousClock.now + delay
        holdWhile { ContinuousClock.now < deadline }
    }
}
