/// Samples handed in by the probe loop and not yet written to the queue: at most one flush
/// interval's worth, bounded so that a stalled disk cannot grow memory without end.
struct PendingSamples {
    let capacity: Int
    private(set) var samples: [RemoteSample] = []
    /// Samples dropped because the buffer was full, since the last ``take()``.
    private(set) var dropped = 0

    init(capacity: Int) {
        self.capacity = capacity
    }

    /// Adds `new`; when over capacity, the oldest go first (newer samples matter more to a live view,
    /// and a series' remaining samples stay in order).
    mutating func append(_ new: [RemoteSample]) {
        samples += new
        if samples.count > capacity {
            let excess = samples.count - capacity
            samples.removeFirst(excess)
            dropped += excess
        }
    }

    /// Everything pending and the drop count, leaving the buffer empty.
    mutating func take() -> (samples: [RemoteSample], dropped: Int) {
        defer {
            samples = []
            dropped = 0
        }
        return (samples, dropped)
    }

    /// The oldest pending sample's time (Unix ms).
    var oldestMilliseconds: Int64? {
        samples.lazy.map(\.timestampMilliseconds).min()
    }
}
