/// Why the metrics server could not start.
public struct MetricsServerError: Error, Sendable, CustomStringConvertible {
    /// The address it tried to listen on.
    public var address: MetricsAddress
    /// The system's reason (`Address already in use (errno: 98)`).
    public var reason: String

    /// `cannot listen for /metrics on 127.0.0.1:9464: …`, naming the address and the flag to change it.
    public var description: String {
        "cannot listen for /metrics on \(address): \(reason) (choose another with --metrics-address)"
    }
}
