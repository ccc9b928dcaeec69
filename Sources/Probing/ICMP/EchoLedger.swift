import WatchCore

/// The bookkeeping of ICMP probes in flight: which echo requests are outstanding, which replies
/// match them, and each probe's tally. Pure state, no I/O, so matching and loss accounting are
/// tested without a socket.
struct EchoLedger {
    /// Identifies one probe (a run of `count` echoes to one host).
    typealias RunID = UInt64

    /// One echo request waiting for its reply.
    struct Outstanding {
        var run: RunID
        var sequence: UInt16
        var sentAt: MonotonicInstant
    }

    /// What one probe has seen so far.
    struct Tally: Equatable {
        var destination: IPAddress
        var expected: Int
        var sent = 0
        var received = 0
        var unreachable = 0
        /// Requests `sendto` refused; they count as sent and lost.
        var refused = 0
        var rttTotal: UInt64 = 0
        var minimumRTT: UInt64?
        var maximumRTT: UInt64?
        var hopLimit: Int?
        /// The last error `sendto` gave, if any.
        var sendError: Errno?
        /// The code of the last destination unreachable received, if any.
        var unreachableCode: UInt8?
        /// Tokens of this probe's requests still outstanding.
        var tokens: [UInt64] = []

        /// Whether every echo has been sent and answered (by a reply or an unreachable).
        var isComplete: Bool { sent == expected && received + unreachable + refused == expected }
    }

    /// What became of a received message.
    enum Match: Equatable {
        /// It answered an outstanding request of `run`; `runComplete` when that was the run's last.
        case matched(run: RunID, runComplete: Bool)
        /// Not ours, a duplicate, or from another address: ignored.
        case ignored
    }

    private(set) var runs: [RunID: Tally] = [:]
    private(set) var outstanding: [UInt64: Outstanding] = [:]

    /// Starts tracking a probe of `count` echoes to `destination`.
    mutating func begin(_ run: RunID, destination: IPAddress, count: Int) {
        runs[run] = Tally(destination: destination, expected: count)
    }

    /// Records an echo request handed to the kernel (or, with `error`, one that `sendto` refused:
    /// it counts as sent and lost).
    mutating func recordSent(_ run: RunID, token: UInt64, sequence: UInt16, at instant: MonotonicInstant,
                             error: Errno? = nil)
    {
        guard runs[run] != nil else { return }
        runs[run]!.sent += 1
        if let error {
            runs[run]!.sendError = error
            runs[run]!.refused += 1
        } else {
            runs[run]!.tokens.append(token)
            outstanding[token] = Outstanding(run: run, sequence: sequence, sentAt: instant)
        }
    }

    /// Matches an echo reply from `source` carrying `token` and `sequence`.
    mutating func recordReply(token: UInt64?, sequence: UInt16, source: IPAddress, at instant: MonotonicInstant,
                              hopLimit: Int?) -> Match
    {
        guard let token, let request = outstanding[token], request.sequence == sequence,
              let tally = runs[request.run], tally.destination == source
        else { return .ignored }
        outstanding[token] = nil
        let rtt = instant.nanoseconds &- min(request.sentAt.nanoseconds, instant.nanoseconds)
        runs[request.run]!.received += 1
        runs[request.run]!.rttTotal &+= rtt
        runs[request.run]!.minimumRTT = min(tally.minimumRTT ?? rtt, rtt)
        runs[request.run]!.maximumRTT = max(tally.maximumRTT ?? rtt, rtt)
        if let hopLimit { runs[request.run]!.hopLimit = hopLimit }
        return .matched(run: request.run, runComplete: runs[request.run]!.isComplete)
    }

    /// Matches a destination unreachable quoting our request with `token` and `sequence` to
    /// `destination` (the router that sent it may be any address).
    mutating func recordUnreachable(token: UInt64?, sequence: UInt16, destination: IPAddress, code: UInt8) -> Match {
        guard let token, let request = outstanding[token], request.sequence == sequence,
              runs[request.run]?.destination == destination
        else { return .ignored }
        outstanding[token] = nil
        runs[request.run]!.unreachable += 1
        runs[request.run]!.unreachableCode = code
        return .matched(run: request.run, runComplete: runs[request.run]!.isComplete)
    }

    /// Lowers `run`'s expected count to what it has sent (the deadline left no room for the rest).
    mutating func truncate(_ run: RunID) {
        guard let sent = runs[run]?.sent else { return }
        runs[run]!.expected = sent
    }

    /// Stops tracking `run`: its unanswered requests are lost from now on. Returns its tally.
    mutating func end(_ run: RunID) -> Tally? {
        guard let tally = runs.removeValue(forKey: run) else { return nil }
        for token in tally.tokens { outstanding[token] = nil }
        return tally
    }
}
