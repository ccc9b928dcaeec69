#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A mergeable quantile sketch with a guaranteed relative error (DDSketch, Masson et al. 2019).
///
/// Positive values fall into logarithmic buckets `(γ^(i-1), γ^i]` with `γ = (1 + α) / (1 - α)`, so
/// that any quantile it reports is within `α` (``relativeAccuracy``, 1 %) of the value of the same
/// rank in the data it was built from. Values at or below zero are counted apart (a latency of 0).
///
/// Two sketches merge exactly: the merge of sketches of A and B is the sketch of A ∪ B, which is
/// what lets SLA queries add up per-block summaries instead of decoding every result.
public struct LatencySketch: Sendable {
    /// The relative accuracy every quantile is guaranteed to (1 %).
    public static let relativeAccuracy = 0.01
    static let gamma = (1 + relativeAccuracy) / (1 - relativeAccuracy)
    static let logGamma = log(gamma)

    /// Counts of buckets `minimumIndex ..< minimumIndex + bins.count`, dense because latencies of
    /// one series span a few hundred buckets at most.
    var bins: [UInt64] = []
    var minimumIndex = 0
    /// Values at or below zero.
    var zeroCount: UInt64 = 0

    /// How many values were added.
    public internal(set) var count: UInt64 = 0
    /// The exact sum of the values added (exact while it stays below 2^53 for integral values).
    public internal(set) var sum: Double = 0
    /// The smallest value added, or `+infinity` when empty.
    public internal(set) var min: Double = .infinity
    /// The largest value added, or `-infinity` when empty.
    public internal(set) var max: Double = -.infinity

    /// Creates an empty sketch.
    public init() {}

    /// Whether no value was added.
    public var isEmpty: Bool { count == 0 }

    /// The bucket index of a positive value.
    static func bucketIndex(of value: Double) -> Int {
        Int((log(value) / logGamma).rounded(.up))
    }

    /// The value a bucket stands for: the point whose relative distance to both bucket ends is `α`.
    static func representativeValue(ofBucket index: Int) -> Double {
        2 * pow(gamma, Double(index)) / (gamma + 1)
    }

    /// Adds `value` (`occurrences` times). NaN is ignored.
    public mutating func add(_ value: Double, occurrences: UInt64 = 1) {
        guard !value.isNaN, occurrences > 0 else { return }
        count += occurrences
        sum += value * Double(occurrences)
        if value < min { min = value }
        if value > max { max = value }
        if value <= 0 {
            zeroCount += occurrences
            return
        }
        addToBucket(Self.bucketIndex(of: value), occurrences)
    }

    mutating func addToBucket(_ index: Int, _ occurrences: UInt64) {
        if bins.isEmpty {
            minimumIndex = index
            bins = [occurrences]
            return
        }
        if index < minimumIndex {
            bins.insert(contentsOf: repeatElement(0, count: minimumIndex - index), at: 0)
            minimumIndex = index
        } else if index >= minimumIndex + bins.count {
            bins.append(contentsOf: repeatElement(0, count: index - minimumIndex - bins.count + 1))
        }
        bins[index - minimumIndex] += occurrences
    }

    /// Adds every value of `other` to this sketch.
    public mutating func merge(_ other: LatencySketch) {
        guard !other.isEmpty else { return }
        count += other.count
        sum += other.sum
        zeroCount += other.zeroCount
        if other.min < min { min = other.min }
        if other.max > max { max = other.max }
        for (offset, occurrences) in other.bins.enumerated() where occurrences > 0 {
            addToBucket(other.minimumIndex + offset, occurrences)
        }
    }

    /// The sketch of the union of both inputs.
    public func merged(with other: LatencySketch) -> LatencySketch {
        var copy = self
        copy.merge(other)
        return copy
    }

    /// The value at quantile `q` (0 … 1), within ``relativeAccuracy`` of the exact value of rank
    /// `⌊q · (count − 1)⌋`; `nil` when the sketch is empty.
    public func quantile(_ q: Double) -> Double? {
        guard count > 0, !q.isNaN else { return nil }
        if q <= 0 { return min }
        if q >= 1 { return max }
        let rank = UInt64((q * Double(count - 1)).rounded(.down))
        if rank < zeroCount { return Swift.max(min, Swift.min(0, max)) }
        var seen = zeroCount
        for (offset, occurrences) in bins.enumerated() {
            seen += occurrences
            if seen > rank {
                let estimate = Self.representativeValue(ofBucket: minimumIndex + offset)
                return Swift.min(Swift.max(estimate, min), max)
            }
        }
        return max
    }

    /// The non-empty buckets as (index, count), in increasing index order.
    public var nonEmptyBuckets: [(index: Int, count: UInt64)] {
        bins.enumerated().compactMap { offset, occurrences in
            occurrences > 0 ? (minimumIndex + offset, occurrences) : nil
        }
    }

    /// How many values fell at or below zero.
    public var nonPositiveCount: UInt64 { zeroCount }
}

extension LatencySketch: Equatable {
    /// Two sketches are equal when they hold the same buckets, counts and extremes, whatever the
    /// order the values were added or merged in.
    public static func == (lhs: LatencySketch, rhs: LatencySketch) -> Bool {
        lhs.count == rhs.count && lhs.zeroCount == rhs.zeroCount && lhs.sum == rhs.sum
            && (lhs.isEmpty || (lhs.min == rhs.min && lhs.max == rhs.max))
            && lhs.nonEmptyBuckets.elementsEqual(rhs.nonEmptyBuckets, by: { $0 == $1 })
    }
}
