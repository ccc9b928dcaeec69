import WatchCore

/// A dense count per ``LatencySketch`` bucket of latencies in µs: the scratch a scan adds successful
/// probes' latencies to, then writes out compactly or turns into a ``LatencySketch`` (same buckets,
/// so the same quantiles within 1 %).
///
/// Encoded (in digests and rollup files): `varint` count, then when count > 0: `varint` zero count,
/// `varint` bin count m, when m > 0 `varint` first bucket and m `varint` counts, then `varint`
/// min, max and sum (µs).
struct LatencyHistogram {
    private(set) var counts: [UInt32]
    private(set) var zeroCount: UInt64 = 0
    private(set) var count: UInt64 = 0
    private(set) var sum: UInt64 = 0
    private(set) var minimum: UInt32 = .max
    private(set) var maximum: UInt32 = 0
    private var lowTouched = Int.max
    private var highTouched = -1

    init() { counts = [UInt32](repeating: 0, count: LatencyBuckets.count) }

    var isEmpty: Bool { count == 0 }

    /// Adds one latency.
    @inline(__always)
    mutating func add(_ micros: UInt32, tables: LatencyBuckets.Tables) {
        count &+= 1
        sum &+= UInt64(micros)
        if micros < minimum { minimum = micros }
        if micros > maximum { maximum = micros }
        guard micros > 0 else {
            zeroCount &+= 1
            return
        }
        let bucket = tables.index(micros)
        counts.withUnsafeMutableBufferPointer { $0[bucket] &+= 1 }
        if bucket < lowTouched { lowTouched = bucket }
        if bucket > highTouched { highTouched = bucket }
    }

    /// Takes the counts out, so that a hot loop can hold a pointer to them while it updates the
    /// rest with ``add(_:bucket:counts:)``; give them back with ``restoreCounts(_:)``.
    mutating func takeCounts() -> [UInt32] {
        var taken: [UInt32] = []
        swap(&taken, &counts)
        return taken
    }

    /// Gives back what ``takeCounts()`` took.
    mutating func restoreCounts(_ taken: [UInt32]) { counts = taken }

    /// Adds one latency whose bucket (for a value > 0) is already known, to counts taken out.
    @inline(__always)
    mutating func add(_ micros: UInt32, bucket: Int, counts: UnsafeMutablePointer<UInt32>) {
        count &+= 1
        sum &+= UInt64(micros)
        if micros < minimum { minimum = micros }
        if micros > maximum { maximum = micros }
        guard micros > 0 else {
            zeroCount &+= 1
            return
        }
        counts[bucket] &+= 1
        if bucket < lowTouched { lowTouched = bucket }
        if bucket > highTouched { highTouched = bucket }
    }

    /// Appends the encoding and empties the histogram.
    mutating func encodeAndReset(into bytes: inout [UInt8]) {
        DigestBytes.write(count, into: &bytes)
        guard count > 0 else { return }
        DigestBytes.write(zeroCount, into: &bytes)
        if highTouched >= lowTouched {
            DigestBytes.write(UInt64(highTouched - lowTouched + 1), into: &bytes)
            DigestBytes.write(UInt64(lowTouched), into: &bytes)
            for bucket in lowTouched...highTouched {
                DigestBytes.write(UInt64(counts[bucket]), into: &bytes)
                counts[bucket] = 0
            }
        } else {
            DigestBytes.write(0, into: &bytes)
        }
        DigestBytes.write(UInt64(minimum), into: &bytes)
        DigestBytes.write(UInt64(maximum), into: &bytes)
        DigestBytes.write(sum, into: &bytes)
        self = LatencyHistogram(reusing: counts)
    }

    private init(reusing counts: [UInt32]) { self.counts = counts }

    /// Adds an encoded histogram read from `cursor`.
    mutating func merge(decoding cursor: inout DigestCursor) throws(DigestDecodingError) {
        let added = try cursor.varint()
        guard added > 0 else { return }
        let zeros = try cursor.varint()
        let bins = try cursor.count(atMost: UInt64(LatencyBuckets.count))
        var total = zeros
        if bins > 0 {
            let first = try cursor.count(atMost: UInt64(LatencyBuckets.count - bins))
            try counts.withUnsafeMutableBufferPointer { (counts) throws(DigestDecodingError) in
                for bucket in first..<(first + bins) {
                    let occurrences = try cursor.varint()
                    total &+= occurrences
                    counts[bucket] &+= UInt32(truncatingIfNeeded: occurrences)
                }
            }
            lowTouched = Swift.min(lowTouched, first)
            highTouched = Swift.max(highTouched, first + bins - 1)
        }
        guard total == added else { throw DigestDecodingError("histogram bins add up to \(total), not \(added)") }
        let low = try cursor.varint(), high = try cursor.varint()
        guard low <= high, high <= UInt64(UInt32.max) else { throw DigestDecodingError("histogram min above max") }
        count &+= added
        zeroCount &+= zeros
        sum &+= try cursor.varint()
        minimum = Swift.min(minimum, UInt32(low))
        maximum = Swift.max(maximum, UInt32(high))
    }

    /// The same buckets as a ``LatencySketch`` (built through its documented serialization, the
    /// only way to hand it whole buckets), and the histogram emptied.
    mutating func sketchAndReset() -> LatencySketch {
        guard count > 0 else { return LatencySketch() }
        var bytes: [UInt8] = [LatencySketch.serializationVersion]
        DigestBytes.write(zeroCount, into: &bytes)
        if highTouched >= lowTouched {
            DigestBytes.write(UInt64(highTouched - lowTouched + 1), into: &bytes)
            DigestBytes.writeSigned(Int64(lowTouched), into: &bytes)
            for bucket in lowTouched...highTouched {
                DigestBytes.write(UInt64(counts[bucket]), into: &bytes)
                counts[bucket] = 0
            }
        } else {
            DigestBytes.write(0, into: &bytes)
        }
        for value in [Double(minimum), Double(maximum), Double(sum)] {
            DigestBytes.writeUInt64(value.bitPattern, into: &bytes)
        }
        self = LatencyHistogram(reusing: counts)
        return bytes.withUnsafeBytes { raw in
            var offset = 0
            // The bytes were just written in the sketch's own layout; a failure is a bug here.
            return try! LatencySketch(decoding: raw, offset: &offset)
        }
    }
}
