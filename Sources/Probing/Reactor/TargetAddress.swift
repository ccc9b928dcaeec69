import WatchCore

/// A failed probe's reason and the human account that goes into `failureDetail`.
struct ProbeFailure: Error, Sendable {
    var reason: FailureReason
    var detail: String
    /// The time spent resolving the host name before the failure, when it got that far.
    var resolveDuration: Duration?

    init(reason: FailureReason, detail: String, resolveDuration: Duration? = nil) {
        self.reason = reason
        self.detail = detail
        self.resolveDuration = resolveDuration
    }
}

/// The address a probe talks to, and how long finding it took.
struct TargetAddress: Sendable {
    var address: IPAddress
    /// The time spent in `getaddrinfo`; `nil` for an IP literal.
    var resolveDuration: Duration?

    /// Turns a spec's host into one address of the requested family: an IP literal is used as is
    /// (and must be of that family), a host name is resolved on the resolver's threads within
    /// `deadline`.
    static func find(host: String, family: IPFamily?, deadline: MonotonicInstant, resolver: HostResolver,
                     reactor: Reactor) async -> Result<TargetAddress, ProbeFailure>
    {
        if let literal = IPAddress(literal: host) {
            if let family, literal.family != family {
                return .failure(ProbeFailure(
                    reason: .proberError,
                    detail: "the request asks for IP\(family.rawValue) but \(host) is an IP\(literal.family.rawValue) address"))
            }
            return .success(TargetAddress(address: literal, resolveDuration: nil))
        }
        let started = MonotonicInstant.now
        let answer = await resolver.resolve(host, family: family, deadline: deadline, reactor: reactor)
        let elapsed = MonotonicInstant.now.duration(since: started)
        switch answer {
        case nil:
            return .failure(ProbeFailure(reason: .resolveTimeout, detail: "resolving \(host) did not finish in time",
                                         resolveDuration: elapsed))
        case .failure(let error):
            return .failure(ProbeFailure(reason: .resolveFailed, detail: "cannot resolve \(host): \(error.message)",
                                         resolveDuration: elapsed))
        case .success(let addresses):
            guard let first = addresses.first(where: { family == nil || $0.family == family }) else {
                let wanted = family.map { " for IP\($0.rawValue)" } ?? ""
                return .failure(ProbeFailure(reason: .resolveFailed, detail: "\(host) has no address\(wanted)",
                                             resolveDuration: elapsed))
            }
            return .success(TargetAddress(address: first, resolveDuration: elapsed))
        }
    }
}
