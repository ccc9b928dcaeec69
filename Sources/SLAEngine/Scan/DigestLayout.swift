/// How a digest cuts time: slices (counted per slice) and latency buckets (one histogram each),
/// both numbered from an origin, and the range of start times it covers.
///
/// A stored rollup uses minutes and hours from the Unix epoch over all time; a digest built for
/// one query uses the query's own slices, buckets and range.
public struct DigestLayout: Sendable, Hashable {
    /// Slice `k` starts at `sliceOrigin + k · sliceMillis`.
    public var sliceOrigin: Int64
    /// Slice width, ms.
    public var sliceMillis: Int64
    /// Bucket `b` starts at `bucketOrigin + b · bucketMillis`; a slice belongs to the bucket of its start.
    public var bucketOrigin: Int64
    /// Bucket width, ms (a multiple of the slice width).
    public var bucketMillis: Int64
    /// Results starting before this are left out (`Int64.min`: none).
    public var fromMillis: Int64
    /// Results starting at or after this are left out (`Int64.max`: none).
    public var toMillis: Int64

    /// Creates a layout.
    public init(sliceOrigin: Int64, sliceMillis: Int64, bucketOrigin: Int64, bucketMillis: Int64,
                fromMillis: Int64 = .min, toMillis: Int64 = .max) {
        precondition(sliceMillis > 0 && bucketMillis > 0, "widths are positive")
        self.sliceOrigin = sliceOrigin
        self.sliceMillis = sliceMillis
        self.bucketOrigin = bucketOrigin
        self.bucketMillis = bucketMillis
        self.fromMillis = fromMillis
        self.toMillis = toMillis
    }

    /// The stored rollups' layout: epoch minutes, epoch hours, every result.
    public static let rollup = DigestLayout(sliceOrigin: 0, sliceMillis: 60_000, bucketOrigin: 0, bucketMillis: 3_600_000)

    @inline(__always)
    static func floorDivide(_ value: Int64, _ divisor: Int64) -> Int64 {
        let quotient = value / divisor
        return (value % divisor != 0 && value < 0) ? quotient - 1 : quotient
    }

    /// The slice number of a start time.
    @inline(__always)
    func slice(of millis: Int64) -> Int64 { Self.floorDivide(millis &- sliceOrigin, sliceMillis) }

    /// The bucket number of slice `slice`.
    @inline(__always)
    func bucket(ofSlice slice: Int64) -> Int64 {
        Self.floorDivide(sliceOrigin &+ slice &* sliceMillis &- bucketOrigin, bucketMillis)
    }
}
