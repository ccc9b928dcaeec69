import WatchCore

/// What one ICMP probe asks of the engine.
struct EchoRunRequest: Sendable {
    var destination: IPAddress
    var count: Int
    var spacing: Duration
    var payloadSize: Int
    var deadline: MonotonicInstant
}

/// How one ICMP probe's echoes went: the tally, or why none could be sent.
enum EchoRunReport: Sendable {
    case finished(EchoLedger.Tally)
    case failed(ProbeFailure)
}

/// Sends echo requests and matches replies for every ICMP probe in flight, over one shared socket
/// per family, on the reactor thread.
final class ICMPEchoEngine: @unchecked Sendable {
    // @unchecked: after init, every method runs on the reactor thread only (jobs and callbacks of
    // the one loop it is attached to), so its state needs no lock.

    private struct ActiveRun {
        var request: EchoRunRequest
        var completion: CheckedContinuation<EchoRunReport, Never>
        var startedAt: MonotonicInstant
        var deadlineTimer: TimerHeap<() -> Void>.ID?
        var sendTimer: TimerHeap<() -> Void>.ID?
    }

    private let sockets: [IPFamily: ICMPSocket]
    private var unavailable: [IPFamily: ProbeFailure]
    private var ledger = EchoLedger()
    private var active: [EchoLedger.RunID: ActiveRun] = [:]
    private var nextRun: EchoLedger.RunID = 1
    private var nextToken = UInt64.random(in: 0...UInt64.max)
    private var nextSequence = UInt16.random(in: 0...UInt16.max)
    /// The identifier of our requests on raw sockets; datagram sockets replace it with their own.
    private let identifier = UInt16.random(in: 0...UInt16.max)
    private let sendBuffer = UnsafeMutableRawBufferPointer.allocate(byteCount: 65_536, alignment: 16)

    /// Opens a socket of `kind` per family. Fails with the reasons when neither family can be served.
    init(kind: ICMPSocketKind) throws(ProbeFailure) {
        var sockets: [IPFamily: ICMPSocket] = [:]
        var unavailable: [IPFamily: ProbeFailure] = [:]
        for family in IPFamily.allCases {
            switch ICMPSocket.open(family: family, kind: kind) {
            case .success(let socket): sockets[family] = socket
            case .failure(let failure): unavailable[family] = failure
            }
        }
        guard !sockets.isEmpty else {
            throw ProbeFailure(reason: .proberError,
                               detail: IPFamily.allCases.compactMap { unavailable[$0]?.detail }.joined(separator: "; "))
        }
        self.sockets = sockets
        self.unavailable = unavailable
    }

    deinit {
        sendBuffer.deallocate()
    }

    /// Whether the engine opened a raw socket for `family` (for tests and diagnostics).
    func usesRawSocket(_ family: IPFamily) -> Bool? { sockets[family]?.isRaw }

    /// Registers the sockets with the loop. Runs on the reactor thread.
    ///
    /// The loop's callbacks hold the engine strongly: a prober released without `shutdown()` stops
    /// its loop asynchronously, and the engine must live until the loop has failed its probes.
    func attach(to loop: ReactorLoop) {
        for (family, socket) in sockets {
            do {
                _ = try loop.register(socket.descriptor, events: .input,
                                      onEvents: { [self, unowned loop] _ in readReplies(on: socket, loop: loop) },
                                      onShutdown: { [self] in failEverything() })
            } catch {
                unavailable[family] = ProbeFailure(reason: .proberError, detail: "cannot watch the ICMP socket: \(error)")
            }
        }
    }

    /// Starts a probe: the first echo now, the others `spacing` apart, the verdict when every echo
    /// is answered or at the deadline.
    func start(_ request: EchoRunRequest, loop: ReactorLoop, completion: CheckedContinuation<EchoRunReport, Never>) {
        let family = request.destination.family
        if let failure = unavailable[family] {
            completion.resume(returning: .failed(failure))
            return
        }
        let run = nextRun
        nextRun += 1
        let now = loop.refreshNow()
        active[run] = ActiveRun(request: request, completion: completion, startedAt: now)
        ledger.begin(run, destination: request.destination, count: request.count)
        active[run]!.deadlineTimer = loop.schedule(at: request.deadline) { [self, unowned loop] in
            active[run]?.deadlineTimer = nil
            finish(run, loop: loop)
        }
        sendEcho(of: run, loop: loop)
    }

    private func sendEcho(of run: EchoLedger.RunID, loop: ReactorLoop) {
        guard let state = active[run], let socket = sockets[state.request.destination.family],
              let tally = ledger.runs[run]
        else { return }
        active[run]!.sendTimer = nil
        let token = nextToken
        nextToken &+= 1
        let sequence = nextSequence
        nextSequence &+= 1
        let length = ICMPEchoPacket.writeRequest(into: sendBuffer, family: socket.family, identifier: identifier,
                                                 sequence: sequence, token: token,
                                                 payloadSize: state.request.payloadSize)
        let destination = IPSocketAddress(address: state.request.destination, port: 0)
        var sendError: Errno?
        do {
            _ = try Syscall.send(socket.descriptor, UnsafeRawBufferPointer(rebasing: sendBuffer[0..<length]),
                                 to: destination)
        } catch {
            sendError = error.errno
        }
        ledger.recordSent(run, token: token, sequence: sequence, at: .now, error: sendError)

        let sent = tally.sent + 1
        if sent < state.request.count {
            let next = state.startedAt.advanced(by: state.request.spacing * sent)
            if next < state.request.deadline {
                active[run]!.sendTimer = loop.schedule(at: next) { [self, unowned loop] in
                    sendEcho(of: run, loop: loop)
                }
                return
            }
            // The next echo would leave no time for its reply: the probe sends fewer than asked.
            ledger.truncate(run)
        }
        if ledger.runs[run]?.isComplete == true { finish(run, loop: loop) }
    }

    private func readReplies(on socket: ICMPSocket, loop: ReactorLoop) {
        let batch = socket.batch
        // A bounded number of batches per wake-up keeps timers and other sockets served under a flood.
        for _ in 0..<16 {
            let count: Int
            do {
                count = try batch.receive(from: socket.descriptor)
            } catch {
                // A pending socket error (an ICMP error for a datagram socket) is reported once and
                // cleared; the echo it concerns times out.
                continue
            }
            guard count > 0 else { return }
            let now = MonotonicInstant.now
            for index in 0..<count {
                guard let source = batch.source(index) else { continue }
                let (message, headerHopLimit) = ICMPEchoPacket.parse(batch.datagram(index), family: socket.family,
                                                                     includesIPHeader: socket.isRaw && socket.family == .v4)
                let match: EchoLedger.Match
                switch message {
                case .echoReply(let identifier, let sequence, let token):
                    guard !socket.isRaw || identifier == self.identifier else { continue }
                    match = ledger.recordReply(token: token, sequence: sequence, source: source, at: now,
                                               hopLimit: headerHopLimit ?? batch.hopLimit(index))
                case .unreachable(let code, let identifier, let sequence, let token, let destination):
                    guard !socket.isRaw || identifier == self.identifier else { continue }
                    match = ledger.recordUnreachable(token: token, sequence: sequence, destination: destination,
                                                     code: code)
                case .other:
                    continue
                }
                if case .matched(let run, runComplete: true) = match { finish(run, loop: loop) }
            }
            if count < batch.slots { return }
        }
    }

    private func finish(_ run: EchoLedger.RunID, loop: ReactorLoop) {
        guard let state = active.removeValue(forKey: run), let tally = ledger.end(run) else { return }
        if let timer = state.deadlineTimer { loop.cancel(timer) }
        if let timer = state.sendTimer { loop.cancel(timer) }
        state.completion.resume(returning: .finished(tally))
    }

    private func failEverything() {
        let runs = active
        active.removeAll()
        for (run, state) in runs {
            _ = ledger.end(run)
            state.completion.resume(returning: .failed(
                ProbeFailure(reason: .proberError, detail: "the ICMP prober was shut down")))
        }
    }
}
