#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The bucket of a latency in µs, exactly as ``LatencySketch`` numbers buckets
/// (`⌈ln v / ln γ⌉`, γ = 1.01 / 0.99), found without a logarithm: scans add a hundred million
/// latencies, and `log` would cost more than decoding them.
///
/// Values below 4,096 µs come from a direct table. Above, the 12 bits below a value's leading bit
/// pick a sub-range narrower than one bucket (a ratio of at most 1 + 1/2048 < γ), whose lowest
/// value's bucket is tabulated; one comparison with the next bucket's lowest integer finishes.
enum LatencyBuckets {
    /// Buckets of values 1 … `UInt32.max` are `0 ..< count`; 0 µs goes to the zero bucket.
    static let count = exactIndex(Double(UInt32.max)) + 1

    /// The bucket of `value` (> 0) as LatencySketch computes it.
    static func exactIndex(_ value: Double) -> Int {
        let gamma = (1 + 0.01) / (1 - 0.01)
        return Int((log(value) / log(gamma)).rounded(.up))
    }

    private static let directLimit: UInt32 = 4_096
    private static let mantissaBits = 11

    /// `lowest[i]`: the smallest integer whose bucket is `i` or more (`UInt32.max` + 1 past the end).
    static let lowest: [UInt64] = {
        var bounds = [UInt64](repeating: 0, count: count + 1)
        for index in 0...count {
            var low: UInt64 = 1, high: UInt64 = UInt64(UInt32.max) + 1
            while low < high {
                let middle = (low + high) / 2
                if exactIndex(Double(middle)) >= index { high = middle } else { low = middle + 1 }
            }
            bounds[index] = low
        }
        return bounds
    }()

    static let direct: [UInt16] = (0..<Int(directLimit)).map { $0 == 0 ? 0 : UInt16(exactIndex(Double($0))) }

    /// Per leading-bit position 12 … 31 and 11 following bits, the bucket of the sub-range's lowest value.
    static let subRange: [UInt16] = {
        var table = [UInt16](repeating: 0, count: 20 << mantissaBits)
        for exponent in 12..<32 {
            for fraction in 0..<(1 << mantissaBits) {
                let value = UInt64((1 << mantissaBits) | fraction) << UInt64(exponent - mantissaBits)
                table[(exponent - 12) << mantissaBits | fraction] = UInt16(exactIndex(Double(value)))
            }
        }
        return table
    }()

    /// The three tables in memory that lives as long as the process, so that hot loops index them
    /// without bounds checks or lazy-initialisation checks.
    struct Tables: @unchecked Sendable {
        let direct: UnsafePointer<UInt16>
        let subRange: UnsafePointer<UInt16>
        let lowest: UnsafePointer<UInt64>

        init() {
            func immortal<Value>(_ values: [Value]) -> UnsafePointer<Value> {
                let pointer = UnsafeMutablePointer<Value>.allocate(capacity: values.count)
                pointer.initialize(from: values, count: values.count)
                return UnsafePointer(pointer)
            }
            direct = immortal(LatencyBuckets.direct)
            subRange = immortal(LatencyBuckets.subRange)
            lowest = immortal(LatencyBuckets.lowest)
        }

        /// The bucket of `value` µs; `value` must be at least 1.
        @inline(__always)
        func index(_ value: UInt32) -> Int {
            if value < LatencyBuckets.directLimit { return Int(direct[Int(value)]) }
            let exponent = 31 - value.leadingZeroBitCount
            let fraction = Int(value >> UInt32(exponent - LatencyBuckets.mantissaBits)) & ((1 << LatencyBuckets.mantissaBits) - 1)
            let bucket = Int(subRange[(exponent - 12) << LatencyBuckets.mantissaBits | fraction])
            return UInt64(value) >= lowest[bucket + 1] ? bucket + 1 : bucket
        }
    }

    /// The tables, built on first use.
    static let tables = Tables()
}
