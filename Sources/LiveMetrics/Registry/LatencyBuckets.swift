import WatchCore

/// The bounds of the per-series latency histogram, with what recording and rendering need from them
/// prepared once.
struct LatencyBuckets: Sendable {
    /// Strictly increasing, positive.
    let bounds: [Duration]
    private let boundNanoseconds: [Int64]
    /// `le="0.05"` for each bound.
    let labels: [[UInt8]]

    init(_ requested: [Duration]) {
        bounds = Array(Set(requested.filter { $0 > .zero })).sorted()
        boundNanoseconds = bounds.map(\.nanoseconds)
        labels = bounds.map { ExpositionText.label("le", Self.boundText($0)) }
    }

    /// The index of the bucket `duration` falls in: the first bound it does not exceed, or
    /// `bounds.count` above every bound.
    func bucket(for duration: Duration) -> Int {
        let nanoseconds = duration.nanoseconds
        // A dozen bounds: a linear scan beats a binary search and usually stops early.
        var index = 0
        while index < boundNanoseconds.count && nanoseconds > boundNanoseconds[index] { index += 1 }
        return index
    }

    /// The bound in seconds, as Prometheus clients write `le`: `0.005`, `1`, `2.5`.
    static func boundText(_ bound: Duration) -> String {
        let seconds = bound.seconds
        return seconds == seconds.rounded() ? String(Int64(seconds)) : "\(seconds)"
    }
}
