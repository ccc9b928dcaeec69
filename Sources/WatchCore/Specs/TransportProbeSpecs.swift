/// A TCP connect to host:port; success is a completed handshake.
public struct TCPProbeSpec: Sendable, Hashable {
    /// An IP literal or a host name.
    public var host: String
    public var port: Int

    public init(host: String, port: Int) {
        self.host = host
        self.port = port
    }
}

/// ICMP echoes to one host; success is at least one reply and no more loss than allowed.
public struct ICMPProbeSpec: Sendable, Hashable {
    /// An IP literal or a host name.
    public var host: String
    /// How many echo requests to send.
    public var count: Int
    /// The time between two echo requests of one probe.
    public var spacing: Duration
    /// Bytes of payload after the 8-byte ICMP header.
    public var payloadSize: Int
    /// The largest fraction of echoes that may be lost while the probe still succeeds (0…1).
    public var maximumLoss: Double

    /// Creates a spec; by default three echoes 100 ms apart, failing when more than half are lost.
    public init(
        host: String, count: Int = 3, spacing: Duration = .milliseconds(100), payloadSize: Int = 56,
        maximumLoss: Double = 0.5
    ) {
        self.host = host
        self.count = count
        self.spacing = spacing
        self.payloadSize = payloadSize
        self.maximumLoss = maximumLoss
    }
}
