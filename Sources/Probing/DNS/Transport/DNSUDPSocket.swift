import NIOCore
import NIOPosix
import Synchronization
import WatchCore

/// One UDP socket on a random source port, shared by many queries in flight at once.
///
/// Probe tasks register a query and queue its datagram under a `Mutex`; the socket's event loop
/// writes every queued datagram and flushes once per batch (NIO sends the batch with `sendmmsg`),
/// matches replies by ID, question and source address, and resumes the waiting task directly from
/// the event loop. Deadlines are kept in a heap that one timer per socket sweeps.
final class DNSUDPSocket: Sendable {
    /// A query waiting for its answer.
    struct PendingQuery {
        /// The encoded query; its question section spans `12..<questionEnd`.
        var query: [UInt8]
        var questionEnd: Int
        var server: SocketAddress
        var serial: UInt64
        /// When the datagram was handed to the kernel, in `NIODeadline` nanoseconds.
        var sentAt: UInt64
        var continuation: UnsafeContinuation<DNSExchangeOutcome, Never>
    }

    /// What the socket's lock protects.
    struct State {
        var pending: [UInt16: PendingQuery] = [:]
        var deadlines = DNSDeadlineHeap()
        var outgoing: [(id: UInt16, envelope: AddressedEnvelope<ByteBuffer>)] = []
        var flushScheduled = false
        var sweepArmed = false
        var nextSerial: UInt64 = 0
        var ids = DNSQueryIDGenerator()
        var isClosed = false
        /// Replies that matched no query in flight (wrong ID, source or question).
        var ignoredReplies = 0
    }

    /// How often, at most, the deadline sweep runs; a query times out at most this late.
    static let sweepGranularity = TimeAmount.milliseconds(1)

    let channel: any Channel
    private let state = Mutex(State())

    private init(channel: any Channel) {
        self.channel = channel
    }

    /// Opens a socket bound to the wildcard address of `family` on a random port.
    static func open(
        on eventLoop: any EventLoop, family: IPFamily, vectorReadCount: Int, receiveSlotSize: Int
    ) -> EventLoopFuture<DNSUDPSocket> {
        let promise = eventLoop.makePromise(of: DNSUDPSocket.self)
        let bootstrap = DatagramBootstrap(group: eventLoop)
            .channelOption(.socketOption(.so_reuseaddr), value: 1)
            .channelOption(.socketOption(.so_rcvbuf), value: 4 << 20)
            .channelOption(.socketOption(.so_sndbuf), value: 4 << 20)
            .channelOption(.datagramVectorReadMessageCount, value: vectorReadCount)
            .channelOption(
                .recvAllocator, value: FixedSizeRecvByteBufferAllocator(capacity: vectorReadCount * receiveSlotSize)
            )
            .channelOption(.maxMessagesPerRead, value: 16)
        let host = family == .v4 ? "0.0.0.0" : "::"
        bootstrap.bind(host: host, port: 0).whenComplete { result in
            switch result {
            case .success(let channel):
                let socket = DNSUDPSocket(channel: channel)
                channel.eventLoop.execute {
                    do {
                        try channel.pipeline.syncOperations.addHandler(DNSUDPReplyHandler(socket: socket))
                        promise.succeed(socket)
                    } catch {
                        promise.fail(error)
                    }
                }
            case .failure(let error):
                promise.fail(error)
            }
        }
        return promise.futureResult
    }

    /// Sends `query` (whose ID is overwritten) to `server` and waits for the matching answer or
    /// the deadline.
    func exchange(query: [UInt8], questionEnd: Int, server: SocketAddress, deadline: NIODeadline) async
        -> DNSExchangeOutcome
    {
        await withUnsafeContinuation { continuation in
            var query = query
            let eventLoop = channel.eventLoop
            let (scheduleFlush, failure) = state.withLock { state -> (Bool, DNSExchangeOutcome?) in
                if state.isClosed { return (false, .failed(.proberError, "the DNS prober is shut down")) }
                guard let id = Self.freeID(in: &state) else {
                    return (false, .failed(.proberError, "every query ID of the socket is in flight"))
                }
                DNSQueryEncoder.setID(id, in: &query)
                state.nextSerial &+= 1
                let serial = state.nextSerial
                let buffer = ByteBuffer(bytes: query)
                state.pending[id] = PendingQuery(
                    query: query, questionEnd: questionEnd, server: server, serial: serial, sentAt: 0,
                    continuation: continuation)
                state.deadlines.insert(.init(deadline: deadline.uptimeNanoseconds, id: id, serial: serial))
                state.outgoing.append((id, AddressedEnvelope(remoteAddress: server, data: buffer)))
                if state.flushScheduled { return (false, nil) }
                state.flushScheduled = true
                return (true, nil)
            }
            if let failure {
                continuation.resume(returning: failure)
            } else if scheduleFlush {
                eventLoop.execute { self.flushOutgoing() }
            }
        }
    }

    private static func freeID(in state: inout State) -> UInt16? {
        // With fewer than half the IDs in use, each draw is free with probability > 1/2.
        for _ in 0..<64 {
            let id = state.ids.next()
            if state.pending[id] == nil { return id }
        }
        return nil
    }

    // MARK: - On the event loop

    /// Writes every queued datagram and flushes once.
    private func flushOutgoing() {
        let now = NIODeadline.now()
        let (batch, armSweep) = state.withLock { state in
            let batch = state.outgoing
            state.outgoing.removeAll(keepingCapacity: true)
            state.flushScheduled = false
            for item in batch { state.pending[item.id]?.sentAt = now.uptimeNanoseconds }
            let armSweep = !state.sweepArmed && !state.deadlines.isEmpty
            if armSweep { state.sweepArmed = true }
            return (batch, armSweep)
        }
        for item in batch { channel.write(item.envelope, promise: nil) }
        channel.flush()
        if armSweep { scheduleSweep(after: now) }
    }

    private func scheduleSweep(after now: NIODeadline) {
        let earliest = state.withLock { $0.deadlines.earliest?.deadline } ?? now.uptimeNanoseconds
        let due = max(NIODeadline.uptimeNanoseconds(earliest), now + Self.sweepGranularity)
        channel.eventLoop.scheduleTask(deadline: due) { self.sweep() }
    }

    /// Times out every query whose deadline has passed.
    private func sweep() {
        let now = NIODeadline.now()
        var expired: [UnsafeContinuation<DNSExchangeOutcome, Never>] = []
        let rearm = state.withLock { state -> Bool in
            while let due = state.deadlines.popDue(now: now.uptimeNanoseconds) {
                if let query = state.pending[due.id], query.serial == due.serial {
                    state.pending[due.id] = nil
                    expired.append(query.continuation)
                }
            }
            state.sweepArmed = !state.deadlines.isEmpty
            return state.sweepArmed
        }
        for continuation in expired { continuation.resume(returning: .timeout) }
        if rearm { scheduleSweep(after: now) }
    }

    /// Matches one datagram against the queries in flight.
    ///
    /// A datagram too short to hold a header cannot be matched and is ignored, as is one whose ID,
    /// source or question differs from every query in flight: an off-path forgery or a late answer
    /// must not end a probe. A datagram with the right ID and source whose question cannot even be
    /// read ends the probe as malformed.
    func receive(_ envelope: AddressedEnvelope<ByteBuffer>, at receivedAt: NIODeadline) {
        let data = envelope.data
        guard data.readableBytes >= DNSHeader.wireLength,
            let id = data.getInteger(at: data.readerIndex, as: UInt16.self)
        else {
            state.withLock { $0.ignoredReplies += 1 }
            return
        }
        let resolution = state.withLock { state -> (PendingQuery, DNSReplyMatch)? in
            guard let query = state.pending[id], query.server == envelope.remoteAddress else {
                state.ignoredReplies += 1
                return nil
            }
            let match = DNSReplyMatch.classify(data, against: query.query, questionEnd: query.questionEnd)
            if match == .differentQuestion {
                state.ignoredReplies += 1
                return nil
            }
            state.pending[id] = nil
            return (query, match)
        }
        guard let (query, match) = resolution else { return }
        let bytes = Array(data.readableBytesView)
        let elapsed = Duration.nanoseconds(Int64(receivedAt.uptimeNanoseconds &- query.sentAt))
        switch match {
        case .matches: query.continuation.resume(returning: .answer(bytes: bytes, requestDuration: elapsed))
        case .unreadableQuestion:
            query.continuation.resume(returning: .malformed(bytes: bytes, requestDuration: elapsed))
        case .differentQuestion: break
        }
    }

    /// Replies ignored so far (wrong ID, source or question).
    var ignoredReplies: Int { state.withLock { $0.ignoredReplies } }

    /// Fails every query in flight and closes the socket.
    func close() async {
        let waiting = state.withLock { state in
            state.isClosed = true
            let waiting = state.pending.values.map(\.continuation)
            state.pending.removeAll()
            state.deadlines.removeAll()
            return waiting
        }
        for continuation in waiting {
            continuation.resume(returning: .failed(.proberError, "the DNS prober is shut down"))
        }
        try? await channel.close()
    }
}

/// Hands each datagram the socket reads to ``DNSUDPSocket/receive(_:at:)``.
private final class DNSUDPReplyHandler: ChannelInboundHandler {
    typealias InboundIn = AddressedEnvelope<ByteBuffer>

    private let socket: DNSUDPSocket

    init(socket: DNSUDPSocket) { self.socket = socket }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        socket.receive(Self.unwrapInboundIn(data), at: .now())
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        // ICMP errors on an unconnected socket and oversized datagrams land here; the query that
        // caused them times out, which is what a prober without them would see too.
    }
}
