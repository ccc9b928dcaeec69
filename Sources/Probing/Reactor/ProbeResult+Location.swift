import WatchCore

extension ProbeResult {
    /// Finds the address of `host` for the reactor probers (TCP, ICMP) and records it in this
    /// result: the resolve phase, the remote address and its family. Returns the failure that ends
    /// the probe when the host has no usable address by `deadline`.
    mutating func locate(
        host: String, family: IPFamily?, deadline: MonotonicInstant, resolver: HostResolver, reactor: Reactor
    ) async -> Result<IPAddress, ProbeFailure> {
        switch await TargetAddress.find(host: host, family: family, deadline: deadline, resolver: resolver,
                                        reactor: reactor) {
        case .failure(let failure):
            return .failure(failure)
        case .success(let target):
            phases.resolve = target.resolveDuration
            remoteAddress = target.address.description
            ipFamily = target.address.family
            return .success(target.address)
        }
    }
}
