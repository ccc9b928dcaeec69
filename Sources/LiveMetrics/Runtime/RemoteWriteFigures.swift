import WatchCore

/// The remote-write sender's figures, shown on `/metrics` when `ispwatch run` remote-writes.
public struct RemoteWriteFigures: Sendable, Hashable {
    /// Samples the receiver accepted.
    public var samplesSent: Int64
    /// Samples in batches the receiver refused for good (a 4xx other than 429), dropped.
    public var samplesRefused: Int64
    /// Samples dropped before sending: the queue was full, or could not be written.
    public var samplesDropped: Int64
    /// POSTs that failed with 5xx, 429 or a network error and were tried again.
    public var retries: Int64
    /// Bytes the on-disk queue takes.
    public var queueBytes: Int64
    /// Samples waiting, on disk or in memory.
    public var samplesWaiting: Int64
    /// How old the oldest waiting sample is (its probe's start to now), or `nil` when none waits.
    public var oldestWaitingAge: Duration?
    /// When a POST last succeeded, or `nil` before the first.
    public var lastSuccess: Timestamp?

    /// Creates figures; everything defaults to a sender that has done nothing yet.
    public init(
        samplesSent: Int64 = 0, samplesRefused: Int64 = 0, samplesDropped: Int64 = 0, retries: Int64 = 0,
        queueBytes: Int64 = 0, samplesWaiting: Int64 = 0, oldestWaitingAge: Duration? = nil, lastSuccess: Timestamp? = nil
    ) {
        self.samplesSent = samplesSent
        self.samplesRefused = samplesRefused
        self.samplesDropped = samplesDropped
        self.retries = retries
        self.queueBytes = queueBytes
        self.samplesWaiting = samplesWaiting
        self.oldestWaitingAge = oldestWaitingAge
        self.lastSuccess = lastSuccess
    }
}
