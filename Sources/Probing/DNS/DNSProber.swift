import Logging
import NIOCore
import NIOPosix
import WatchCore

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Probes DNS servers: one question per probe over UDP (retried over TCP when truncated) or TCP.
///
/// All probes share a few UDP sockets per family on random source ports. An answer counts only
/// when its ID, question (name case-insensitive, type, class) and source address and port match
/// the query; anything else is ignored and the probe keeps waiting until its deadline.
///
/// A reply from the right source with the right ID whose question or records cannot be parsed
/// ends the probe with `dns_malformed`; a datagram too short to carry an ID is ignored (and the
/// probe times out if nothing better arrives).
public final class DNSProber: Prober {
    private let group: MultiThreadedEventLoopGroup
    private let ipv4Sockets: DNSUDPSocketPool
    /// `nil` when the host cannot open IPv6 sockets; IPv6 probes then fail with `prober_error`.
    private let ipv6Sockets: DNSUDPSocketPool?
    private let regexes = DNSAnswerRegexCache()
    private let logger: Logger

    /// Opens the event loops and the UDP sockets.
    /// - Parameters:
    ///   - configuration: how many sockets and threads to use.
    ///   - logger: where to log setup problems.
    /// - Throws: when no IPv4 UDP socket can be opened.
    public init(configuration: Configuration = .init(), logger: Logger = Logger(label: "ispwatch.dns")) throws {
        self.logger = logger
        group = MultiThreadedEventLoopGroup(numberOfThreads: configuration.eventLoopThreads)
        do {
            ipv4Sockets = try DNSUDPSocketPool(
                group: group, family: .v4, count: configuration.socketCount,
                vectorReadCount: configuration.vectorReadCount, receiveSlotSize: Self.maximumUDPPayload)
        } catch {
            try? group.syncShutdownGracefully()
            throw error
        }
        do {
            ipv6Sockets = try DNSUDPSocketPool(
                group: group, family: .v6, count: configuration.socketCount,
                vectorReadCount: configuration.vectorReadCount, receiveSlotSize: Self.maximumUDPPayload)
        } catch {
            logger.warning("no IPv6 UDP sockets; IPv6 DNS probes will fail", metadata: ["error": "\(error)"])
            ipv6Sockets = nil
        }
    }

    /// Always ``ProbeKind/dns``.
    public var kind: ProbeKind { .dns }

    /// Replies ignored so far because their ID, question or source matched no query in flight.
    public var ignoredReplies: Int { ipv4Sockets.ignoredReplies + (ipv6Sockets?.ignoredReplies ?? 0) }

    /// Closes the sockets (failing probes in flight with `prober_error`) and stops the event loops.
    public func shutdown() async {
        await ipv4Sockets.close()
        await ipv6Sockets?.close()
        try? await group.shutdownGracefully()
    }

    /// Runs one DNS probe; see the type's documentation for what counts as an answer.
    public func probe(_ request: ProbeRequest) async -> ProbeResult {
        let startedAt = WallClock.now()
        let start = NIODeadline.now()
        let deadline = start + TimeAmount.nanoseconds(request.timeout.nanoseconds)
        var outcome = DNSProbeOutcome(request: request, startedAt: startedAt, start: start)

        guard case .dns(let spec) = request.spec else {
            return outcome.failed(.proberError, "the DNS prober cannot run a \(request.spec.kind) probe")
        }
        let server: SocketAddress
        switch DNSServerAddress.resolve(server: spec.server, port: spec.port, family: request.ipFamily) {
        case .rejected(let reason):
            return outcome.failed(.proberError, reason)
        case .address(let address, let family):
            server = address
            outcome.ipFamily = family
            outcome.remoteAddress = spec.server
        }
        let name: DNSName
        do {
            name = try DNSName(spec.queryName).lowercased
        } catch {
            return outcome.failed(.proberError, "query name \"\(spec.queryName)\" is invalid: \(error)")
        }
        let question = DNSQuestion(name: name, type: spec.queryType)
        let questionEnd = DNSHeader.wireLength + name.wire.count + 4

        var exchange: DNSExchangeOutcome
        if spec.transport == .udp {
            guard let pool = outcome.ipFamily == .v6 ? ipv6Sockets : ipv4Sockets else {
                return outcome.failed(.proberError, "this host cannot open IPv6 UDP sockets")
            }
            let query = DNSQueryEncoder.encode(
                id: 0, question: question, recursionDesired: spec.recursionDesired,
                ednsBufferSize: spec.ednsBufferSize.map { min($0, Self.maximumUDPPayload) })
            let socket = pool.socket()
            // The socket is already open and bound: "connecting" is handing the query over.
            outcome.phases.connect = (NIODeadline.now() - start).duration
            exchange = await socket.exchange(
                query: query, questionEnd: questionEnd, server: server, deadline: deadline)
            if case .answer(let bytes, _) = exchange, bytes.count > 3, bytes[2] & 0x02 != 0 {
                outcome.retriedOverTCP = true
                exchange = await exchangeOverTCP(
                    question: question, spec: spec, server: server, deadline: deadline, outcome: &outcome)
            }
        } else {
            exchange = await exchangeOverTCP(
                question: question, spec: spec, server: server, deadline: deadline, outcome: &outcome)
        }
        return finish(exchange, spec: spec, outcome: &outcome)
    }

    private func exchangeOverTCP(
        question: DNSQuestion, spec: DNSProbeSpec, server: SocketAddress, deadline: NIODeadline,
        outcome: inout DNSProbeOutcome
    ) async -> DNSExchangeOutcome {
        var ids = SystemRandomNumberGenerator()
        let id = UInt16.random(in: .min ... .max, using: &ids)
        let query = DNSQueryEncoder.encode(
            id: id, question: question, recursionDesired: spec.recursionDesired,
            ednsBufferSize: spec.ednsBufferSize)
        outcome.overTCP = true
        let result = await DNSTCPExchange.run(query: query, server: server, deadline: deadline, group: group)
        outcome.phases.connect = result.connectDuration
        guard case .answer(let bytes, let elapsed) = result.outcome else { return result.outcome }
        // Over TCP the connection is ours alone, but the ID and question must still match.
        guard bytes.count >= DNSHeader.wireLength, bytes[0] == query[0], bytes[1] == query[1] else {
            return .malformed(bytes: bytes, requestDuration: elapsed)
        }
        let questionEnd = DNSHeader.wireLength + question.name.wire.count + 4
        switch DNSReplyMatch.classify(ByteBuffer(bytes: bytes), against: query, questionEnd: questionEnd) {
        case .matches: return result.outcome
        case .differentQuestion, .unreadableQuestion: return .malformed(bytes: bytes, requestDuration: elapsed)
        }
    }

    private func finish(
        _ exchange: DNSExchangeOutcome, spec: DNSProbeSpec, outcome: inout DNSProbeOutcome
    ) -> ProbeResult {
        switch exchange {
        case .timeout:
            return outcome.failed(
                .dnsTimeout, "no matching answer within \(outcome.request.timeout)" + (outcome.overTCP ? " over TCP" : ""))
        case .failed(let reason, let detail):
            return outcome.failed(reason, detail)
        case .malformed(_, let elapsed):
            outcome.phases.request = elapsed
            return outcome.failed(.dnsMalformed, "the reply's question cannot be parsed")
        case .answer(let bytes, let elapsed):
            outcome.phases.request = elapsed
            let message: DNSMessage
            do {
                message = try DNSMessage(decoding: bytes)
            } catch {
                return outcome.failed(.dnsMalformed, "the reply cannot be parsed: \(error)")
            }
            let answers = message.answers.map(\.presentation)
            let evaluation = DNSAnswerEvaluation(
                message: message, answers: answers, expectations: spec.expectations, regexes: regexes)
            outcome.detail = DNSProbeDetail(
                rcode: message.rcode.rawValue, answerCount: message.answers.count,
                authorityCount: message.authorities.count, additionalCount: message.additionals.count,
                answers: answers, overTCP: outcome.overTCP, retriedOverTCP: outcome.retriedOverTCP,
                soaSerial: message.soaSerial)
            outcome.code = message.rcode.rawValue
            outcome.checks = evaluation.checks
            if let failure = evaluation.failure {
                return outcome.failed(failure, evaluation.failureDetail ?? "")
            }
            return outcome.succeeded()
        }
    }
}

/// What one probe has gathered so far, turned into a ``ProbeResult`` at the end.
struct DNSProbeOutcome {
    let request: ProbeRequest
    let startedAt: Timestamp
    let start: NIODeadline
    var ipFamily: IPFamily?
    var remoteAddress: String?
    var phases = PhaseTimings()
    var checks: [ExpectationCheck] = []
    var code: Int?
    var detail: DNSProbeDetail?
    var overTCP = false
    var retriedOverTCP = false

    init(request: ProbeRequest, startedAt: Timestamp, start: NIODeadline) {
        self.request = request
        self.startedAt = startedAt
        self.start = start
    }

    func failed(_ reason: FailureReason, _ detail: String) -> ProbeResult {
        result(failure: reason, failureDetail: detail)
    }

    func succeeded() -> ProbeResult { result(failure: nil, failureDetail: nil) }

    private func result(failure: FailureReason?, failureDetail: String?) -> ProbeResult {
        ProbeResult(
            target: request.target, kind: .dns, ipFamily: ipFamily, scheduledAt: request.scheduledAt,
            startedAt: startedAt, failure: failure, failureDetail: failureDetail, code: code,
            duration: (NIODeadline.now() - start).duration, phases: phases, remoteAddress: remoteAddress,
            checks: checks,
            detail: detail.map { .dns($0) }
                ?? (overTCP || retriedOverTCP
                    ? .dns(DNSProbeDetail(
                        rcode: -1, answerCount: 0, authorityCount: 0, additionalCount: 0, answers: [],
                        overTCP: overTCP, retriedOverTCP: retriedOverTCP)) : nil))
    }
}
