import NIOCore

/// The bytes of one exposition, written family by family.
///
/// Lines are built in a small array (appending a byte to an array is several times cheaper than
/// writing one to a `ByteBuffer`) and moved to a `ByteBuffer` 64 KiB at a time: the server sends
/// that buffer as it is, with no full-size copy (hundreds of megabytes at 100,000 series).
///
/// A family's `# HELP`/`# TYPE` header is written with its first sample, so that a family with no
/// sample (no HTTP series, say) leaves nothing behind, and every family appears once, contiguous.
struct ExpositionBuffer: Sendable {
    private var output: ByteBuffer
    private var bytes: [UInt8]
    private var family: MetricFamily?
    private var headerWritten = false
    private static let spillThreshold = 64 * 1024

    init(reservingCapacity capacity: Int) {
        output = ByteBufferAllocator().buffer(capacity: capacity)
        bytes = []
        bytes.reserveCapacity(Self.spillThreshold + 4096)
    }

    /// The bytes written and not yet taken.
    var count: Int { output.readableBytes + bytes.count }

    /// The bytes written since the last take, leaving the buffer empty (its family state kept, so
    /// the next samples continue the same family without a second header).
    ///
    /// - Parameter nextCapacity: what to reserve for the bytes that follow.
    mutating func take(reservingForNext nextCapacity: Int) -> ByteBuffer {
        spill()
        let taken = output
        output = ByteBufferAllocator().buffer(capacity: nextCapacity)
        return taken
    }

    private mutating func spillIfFull() {
        if bytes.count >= Self.spillThreshold { spill() }
    }

    private mutating func spill() {
        output.writeBytes(bytes)
        bytes.removeAll(keepingCapacity: true)
    }

    /// Starts the family the next samples belong to.
    mutating func begin(_ family: MetricFamily) {
        self.family = family
        headerWritten = false
    }

    // MARK: - Samples

    /// A sample of the current gauge or counter family.
    ///
    /// - Parameters:
    ///   - labels: the rendered label set without braces, possibly empty.
    ///   - extra: one more rendered label (`phase="tls"`), written after `labels`.
    mutating func sample(labels: [UInt8], extra: [UInt8]? = nil, _ value: Double) {
        guard let name = startSample()?.sampleName else { return }
        writeSeries(name, labels: labels, extra: extra)
        append(value)
        bytes.append(UInt8(ascii: "\n"))
        spillIfFull()
    }

    /// A sample of the current gauge or counter family with an integer value, written without the
    /// detour through `Double` (counters can pass 2^53).
    mutating func sample(labels: [UInt8], extra: [UInt8]? = nil, _ value: UInt64) {
        guard let name = startSample()?.sampleName else { return }
        writeSeries(name, labels: labels, extra: extra)
        append(value)
        bytes.append(UInt8(ascii: "\n"))
        spillIfFull()
    }

    /// The samples of one histogram of the current histogram family.
    ///
    /// - Parameters:
    ///   - bucketLabels: `le="…"` for each finite bound, in increasing order.
    ///   - counts: observations per bucket, not cumulative; one more than `bucketLabels`, the last
    ///     counting those above every bound.
    ///   - sum: the sum of the observed values.
    mutating func histogram(labels: [UInt8], bucketLabels: [[UInt8]], counts: [UInt64], sum: Double) {
        guard let family = startSample() else { return }
        var cumulative: UInt64 = 0
        for (index, count) in counts.enumerated() {
            cumulative += count
            writeSeries(family.bucketName, labels: labels,
                        extra: index < bucketLabels.count ? bucketLabels[index] : Self.infiniteBucket)
            append(cumulative)
            bytes.append(UInt8(ascii: "\n"))
        }
        writeSeries(family.sumName, labels: labels, extra: nil)
        append(sum)
        bytes.append(UInt8(ascii: "\n"))
        writeSeries(family.countName, labels: labels, extra: nil)
        append(cumulative)
        bytes.append(UInt8(ascii: "\n"))
        spillIfFull()
    }

    private static let infiniteBucket = ExpositionText.label("le", "+Inf")

    private mutating func startSample() -> MetricFamily? {
        guard let family else { return nil }
        if !headerWritten {
            bytes.append(contentsOf: family.header)
            headerWritten = true
        }
        return family
    }

    private mutating func writeSeries(_ name: [UInt8], labels: [UInt8], extra: [UInt8]?) {
        bytes.append(contentsOf: name)
        if labels.isEmpty && extra == nil {
            bytes.append(UInt8(ascii: " "))
            return
        }
        bytes.append(UInt8(ascii: "{"))
        bytes.append(contentsOf: labels)
        if let extra {
            if !labels.isEmpty { bytes.append(UInt8(ascii: ",")) }
            bytes.append(contentsOf: extra)
        }
        bytes.append(contentsOf: [UInt8(ascii: "}"), UInt8(ascii: " ")])
    }

    // MARK: - Numbers

    private mutating func append(_ value: Double) {
        if value.isNaN {
            bytes.append(contentsOf: "NaN".utf8)
        } else if value.isInfinite {
            bytes.append(contentsOf: (value < 0 ? "-Inf" : "+Inf").utf8)
        } else if value == value.rounded(), value.magnitude < 1e15 {
            // Whole numbers (status codes, counts, timestamps in whole seconds) as integers: shorter
            // than Swift's `200.0` and the form Prometheus' own clients write.
            let whole = Int64(value)
            if whole < 0 { bytes.append(UInt8(ascii: "-")) }
            append(whole.magnitude)
        } else {
            // Shortest round-trip form (`0.001361409`, `1e-05`); fits a small string, no allocation.
            bytes.append(contentsOf: value.description.utf8)
        }
    }

    private mutating func append(_ value: UInt64) {
        if value < 10 {
            bytes.append(UInt8(ascii: "0") + UInt8(value))
            return
        }
        // Digits are written backwards at the end of the buffer, then reversed in place: no
        // temporary string or array per number.
        let start = bytes.count
        var remaining = value
        while remaining > 0 {
            bytes.append(UInt8(ascii: "0") + UInt8(remaining % 10))
            remaining /= 10
        }
        bytes[start...].reverse()
    }
}
