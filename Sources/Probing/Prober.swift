import WatchCore

/// Something that probes targets of one kind.
///
/// A prober never throws for a target that is down: it returns a failed ``ProbeResult`` with a
/// reason. It returns within the request's timeout (plus scheduling slack), whatever the peer does.
public protocol Prober: Sendable {
    /// The kind of spec this prober handles.
    var kind: ProbeKind { get }

    /// Runs one probe and returns its result. A request of another kind yields a failed result
    /// with `prober_error`.
    func probe(_ request: ProbeRequest) async -> ProbeResult
}
