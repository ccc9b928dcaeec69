import NIOCore

/// The bytes of one exposition, written family by family.
///
/// A `ByteBuffer`, not an array: the server sends it as it is, where an array would be copied once
/// more (hundreds of megabytes at 100,000 series).
///
/// A family's `# HELP`/`# TYPE` header is written with its first sample, so that a family with no
/// sample (no HTTP series, say) leaves nothing behind, and every family appears once, contiguous.
struct ExpositionBuffer {
    private(set) var bytes: ByteBuffer
    private var family: MetricFamily?
    private var headerWritten = false

    init(reservingCapacity capacity: Int) {
        bytes = ByteBufferAllocator().buffer(capacity: capacity)
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
        bytes.writeInteger(UInt8(ascii: "\n"))
    }

    /// A sample of the current gauge or counter family with an integer value, written without the
    /// detour through `Double` (counters can pass 2^53).
    mutating func sample(labels: [UInt8], extra: [UInt8]? = nil, _ value: UInt64) {
        guard let name = startSample()?.sampleName else { return }
        writeSeries(name, labels: labels, extra: extra)
        append(value)
        bytes.writeInteger(UInt8(ascii: "\n"))
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
            bytes.writeInteger(UInt8(ascii: "\n"))
        }
        writeSeries(family.sumName, labels: labels, extra: nil)
        append(sum)
        bytes.writeInteger(UInt8(ascii: "\n"))
        writeSeries(family.countName, labels: labels, extra: nil)
        append(cumulative)
        bytes.writeInteger(UInt8(ascii: "\n"))
    }

    private static let infiniteBucket = ExpositionText.label("le", "+Inf")

    private mutating func startSample() -> MetricFamily? {
        guard let family else { return nil }
        if !headerWritten {
            bytes.writeBytes(family.header)
            headerWritten = true
        }
        return family
    }

    private mutating func writeSeries(_ name: [UInt8], labels: [UInt8], extra: [UInt8]?) {
        bytes.writeBytes(name)
        if labels.isEmpty && extra == nil {
            bytes.writeInteger(UInt8(ascii: " "))
            return
        }
        bytes.writeInteger(UInt8(ascii: "{"))
        bytes.writeBytes(labels)
        if let extra {
            if !labels.isEmpty { bytes.writeInteger(UInt8(ascii: ",")) }
            bytes.writeBytes(extra)
        }
        bytes.writeInteger(UInt8(ascii: "}"))
        bytes.writeInteger(UInt8(ascii: " "))
    }

    // MARK: - Numbers

    private mutating func append(_ value: Double) {
        if value.isNaN {
            bytes.writeStaticString("NaN")
        } else if value.isInfinite {
            bytes.writeStaticString(value < 0 ? "-Inf" : "+Inf")
        } else if value == value.rounded(), value.magnitude < 1e15 {
            // Whole numbers (status codes, counts, timestamps in whole seconds) as integers: shorter
            // than Swift's `200.0` and the form Prometheus' own clients write.
            let whole = Int64(value)
            if whole < 0 { bytes.writeInteger(UInt8(ascii: "-")) }
            append(whole.magnitude)
        } else {
            // Shortest round-trip form (`0.001361409`, `1e-05`); fits a small string, no allocation.
            bytes.writeString(value.description)
        }
    }

    private mutating func append(_ value: UInt64) {
        var digitCount = 1
        var scale: UInt64 = 10
        while digitCount < 20 && value >= scale {
            digitCount += 1
            scale &*= 10
        }
        // Digits written from the last one backwards, straight into the buffer: no string per number.
        bytes.writeWithUnsafeMutableBytes(minimumWritableBytes: digitCount) { output in
            var remaining = value
            for position in stride(from: digitCount - 1, through: 0, by: -1) {
                output[position] = UInt8(ascii: "0") + UInt8(remaining % 10)
                remaining /= 10
            }
            return digitCount
        }
    }
}
