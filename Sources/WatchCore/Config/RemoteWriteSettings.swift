/// Prometheus remote-write from `ispwatch run`: where to send every probe's samples and how much may
/// wait on disk while the receiver is away.
public struct RemoteWriteSettings: Sendable, Hashable {
    /// How the sender proves who it is. Secrets stay in their files (read when the sender starts),
    /// so that a configuration can be shown or committed without them.
    public enum Authorization: Sendable, Hashable {
        /// HTTP basic authentication, the password read from `passwordFile`.
        case basic(username: String, passwordFile: String)
        /// `Authorization: Bearer <token>`, the token read from `tokenFile`.
        case bearer(tokenFile: String)
    }

    /// The receiver's write endpoint, e.g. `http://127.0.0.1:9090/api/v1/write`.
    public var url: String
    /// The most the on-disk queue may take (default 256 MiB); beyond it the oldest batches are
    /// dropped and counted.
    public var queueMaximumBytes: Int
    /// Samples per POST at most (default 2,000, Prometheus' `max_samples_per_send`).
    public var batchSamples: Int
    /// How often waiting samples are written to the queue, so the longest a sample waits in memory
    /// (default 1 s).
    public var flushInterval: Duration
    /// Whether every queue append is fsynced (default true).
    public var syncEveryAppend: Bool
    /// The longest one POST may take (default 10 s).
    public var timeout: Duration
    /// The wait before the first retry of a batch (default 100 ms); it doubles with every failure.
    public var minimumBackoff: Duration
    /// The longest wait between two tries of a batch (default 5 s).
    public var maximumBackoff: Duration
    /// How long the sender keeps sending at shutdown before leaving the rest on disk (default 5 s).
    public var drainTimeout: Duration
    /// Credentials, or `nil`.
    public var authorization: Authorization?
    /// Headers added to every request (a tenant header for Mimir or Thanos, …).
    public var headers: [String: String]
    /// Where the file defined the section, for messages.
    public var definedAt: SourceLocation?

    /// Creates settings with the documented defaults.
    public init(
        url: String, queueMaximumBytes: Int = 256 << 20, batchSamples: Int = 2_000, flushInterval: Duration = .seconds(1),
        syncEveryAppend: Bool = true, timeout: Duration = .seconds(10), minimumBackoff: Duration = .milliseconds(100),
        maximumBackoff: Duration = .seconds(5), drainTimeout: Duration = .seconds(5), authorization: Authorization? = nil,
        headers: [String: String] = [:], definedAt: SourceLocation? = nil
    ) {
        self.url = url
        self.queueMaximumBytes = queueMaximumBytes
        self.batchSamples = batchSamples
        self.flushInterval = flushInterval
        self.syncEveryAppend = syncEveryAppend
        self.timeout = timeout
        self.minimumBackoff = minimumBackoff
        self.maximumBackoff = maximumBackoff
        self.drainTimeout = drainTimeout
        self.authorization = authorization
        self.headers = headers
        self.definedAt = definedAt
    }
}
