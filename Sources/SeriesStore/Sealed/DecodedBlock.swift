/// Which columns a block scan decodes; queries that need only outcomes skip the rest.
public struct BlockColumnSelection: OptionSet, Sendable, Hashable {
    /// The selection's bits.
    public let rawValue: UInt8
    /// Creates a selection from raw bits.
    public init(rawValue: UInt8) { self.rawValue = rawValue }

    /// Scheduled and start times (and whether scheduled).
    public static let times = BlockColumnSelection(rawValue: 1)
    /// Success, failure codes and rcode/status codes.
    public static let outcomes = BlockColumnSelection(rawValue: 2)
    /// Total latency.
    public static let latency = BlockColumnSelection(rawValue: 4)
    /// Phase masks and phase values.
    public static let phases = BlockColumnSelection(rawValue: 8)
    /// Every column.
    public static let all: BlockColumnSelection = [.times, .outcomes, .latency, .phases]

    func includes(columnID id: UInt8) -> Bool {
        switch id {
        case BlockColumn.scheduled.rawValue, BlockColumn.scheduledPresent.rawValue, BlockColumn.lateness.rawValue:
            contains(.times)
        case BlockColumn.success.rawValue, BlockColumn.failureCode.rawValue, BlockColumn.code.rawValue:
            contains(.outcomes)
        case BlockColumn.latency.rawValue: contains(.latency)
        case BlockColumn.phaseMask.rawValue: contains(.phases)
        default: false
        }
    }
}

/// The columns of one decoded sealed block: the results of one series, in the order they were
/// appended. Arrays are reused between blocks when the same `DecodedBlock` decodes again.
public struct DecodedBlock: Sendable {
    /// The series every result of the block belongs to.
    public internal(set) var series: SeriesID = 0
    /// How many results the block holds.
    public internal(set) var count = 0
    /// Scheduled times, ms (equal to the start time where ``hasSchedule`` is 0).
    public internal(set) var scheduledMillis: [Int64] = []
    /// 1 where the result was scheduled.
    public internal(set) var hasSchedule: [UInt8] = []
    /// Start times, ms.
    public internal(set) var startMillis: [Int64] = []
    /// 1 for success.
    public internal(set) var success: [UInt8] = []
    /// Stored failure codes (``StoredFailureCode``).
    public internal(set) var failureCodes: [UInt8] = []
    /// rcode/status codes; `Int64(Int32.min) - 1` where absent.
    public internal(set) var codes: [Int64] = []
    /// Total latency, µs.
    public internal(set) var latencyMicros: [UInt32] = []
    /// Phase presence masks.
    public internal(set) var phaseMasks: [UInt8] = []
    /// Per phase code, the values of the results that measured it, in order.
    public internal(set) var phaseValues: [[UInt32]] = Array(repeating: [], count: StoredPhases.phaseCount)

    /// Creates an empty block to decode into.
    public init() {}

    /// Calls `body` with every result of the block as a ``StoredResult``, in order.
    public func forEachResult(_ body: (StoredResult) throws -> Void) rethrows {
        var phaseCursor = [Int](repeating: 0, count: StoredPhases.phaseCount)
        for index in 0..<count {
            var phases = StoredPhases()
            let mask = phaseMasks[index]
            if mask != 0 {
                for code in 0..<StoredPhases.phaseCount where mask & (1 << code) != 0 {
                    phases[code: code] = phaseValues[code][phaseCursor[code]]
                    phaseCursor[code] += 1
                }
            }
            let code = codes[index]
            var result = StoredResult(
                series: series, scheduledMillis: hasSchedule[index] != 0 ? scheduledMillis[index] : nil,
                startMillis: startMillis[index], success: success[index] != 0, failure: nil,
                code: code == BlockColumn.absentCode ? nil : Int32(truncatingIfNeeded: code),
                latencyMicros: latencyMicros[index], phases: phases)
            result.failureCode = failureCodes[index]
            try body(result)
        }
    }

    /// All results of the block.
    public var results: [StoredResult] {
        var results: [StoredResult] = []
        results.reserveCapacity(count)
        forEachResult { results.append($0) }
        return results
    }

    // MARK: - Decoding

    @inline(__always)
    private static func resize<Value: FixedWidthInteger>(_ array: inout [Value], _ count: Int) {
        // Shrinking or growing by the difference only: blocks of one file differ little in size, and
        // every element is overwritten by the decoder anyway.
        if array.count > count {
            array.removeLast(array.count - count)
        } else if array.count < count {
            array.append(contentsOf: repeatElement(0, count: count - array.count))
        }
    }

    /// Decodes a block payload of `count` results of `series`, checking every bound. Columns not in
    /// `selection` are skipped (their arrays keep stale or zero values).
    mutating func decode(
        payload: UnsafeRawBufferPointer, series: SeriesID, count: Int, selection: BlockColumnSelection = .all
    ) throws(DecodeFailure) {
        self.series = series
        self.count = count
        Self.resize(&scheduledMillis, count)
        Self.resize(&hasSchedule, count)
        Self.resize(&startMillis, count)
        Self.resize(&success, count)
        Self.resize(&failureCodes, count)
        Self.resize(&codes, count)
        Self.resize(&latencyMicros, count)
        Self.resize(&phaseMasks, count)
        var seen: UInt32 = 0
        var cursor = ByteCursor(payload)
        while !cursor.isAtEnd {
            let id = try cursor.byte()
            let length = try cursor.count(atMost: cursor.remaining)
            var column = ByteCursor(try cursor.slice(length))
            if id < 32 { seen |= 1 << UInt32(id) }
            guard selection.includes(columnID: id) else { continue }
            switch id {
            case BlockColumn.scheduled.rawValue: try decodeScheduled(&column)
            case BlockColumn.scheduledPresent.rawValue: try Self.integers(&column, &hasSchedule)
            case BlockColumn.lateness.rawValue: try Self.integers(&column, &startMillis)
            case BlockColumn.success.rawValue: try Self.integers(&column, &success)
            case BlockColumn.failureCode.rawValue: try Self.integers(&column, &failureCodes)
            case BlockColumn.code.rawValue: try Self.integers(&column, &codes)
            case BlockColumn.latency.rawValue: try Self.integers(&column, &latencyMicros)
            case BlockColumn.phaseMask.rawValue: try Self.integers(&column, &phaseMasks)
            case BlockColumn.firstPhase.rawValue..<(BlockColumn.firstPhase.rawValue + UInt8(StoredPhases.phaseCount)):
                break  // Decoded below, once the masks are known.
            default:
                continue  // A column from a newer format version.
            }
        }
        let required: UInt32 = (1 << 1) | (1 << 2) | (1 << 3) | (1 << 4) | (1 << 5) | (1 << 6) | (1 << 7) | (1 << 8)
        guard seen & required == required else { throw DecodeFailure("a required column is missing") }
        guard selection.contains(.times) else {
            if selection.contains(.phases) { try decodePhases(payload: payload, presentIn: seen) }
            return
        }
        // start = scheduled + lateness; the lateness column was decoded into startMillis.
        startMillis.withUnsafeMutableBufferPointer { start in
            scheduledMillis.withUnsafeBufferPointer { scheduled in
                for index in 0..<count { start[index] = scheduled[index] &+ start[index] }
            }
        }
        if selection.contains(.phases) { try decodePhases(payload: payload, presentIn: seen) }
    }

    private mutating func decodeScheduled(_ column: inout ByteCursor) throws(DecodeFailure) {
        guard count > 0 else { return }
        let count = self.count
        let first = try column.signedVarint()
        let firstDelta = count >= 2 ? try column.signedVarint() : 0
        try scheduledMillis.withMutableBuffer { (output) throws(DecodeFailure) in
            output[0] = first
            guard count >= 2 else { return }
            output[1] = first &+ firstDelta
            guard count >= 3 else { return }
            // Decode the delta-of-deltas in place after the first two, then integrate twice.
            let rest = UnsafeMutableBufferPointer(rebasing: output[2...])
            try IntegerColumn.decode(&column, into: rest)
            var delta = firstDelta
            var previous = output[1]
            for index in 2..<count {
                delta = delta &+ output[index]
                previous = previous &+ delta
                output[index] = previous
            }
        }
    }

    @inline(__always)
    private static func integers<Value: FixedWidthInteger>(_ column: inout ByteCursor, _ array: inout [Value]) throws(DecodeFailure) {
        try array.withMutableBuffer { (output) throws(DecodeFailure) in
            try IntegerColumn.decode(&column, into: output)
        }
    }

    private mutating func decodePhases(payload: UnsafeRawBufferPointer, presentIn seen: UInt32) throws(DecodeFailure) {
        // A histogram of the masks, then counts per phase: one step per result instead of seven.
        var histogram = (0..<128).map { _ in 0 }
        var unionMask: UInt8 = 0
        phaseMasks.withUnsafeBufferPointer { masks in
            histogram.withUnsafeMutableBufferPointer { counts in
                for mask in masks {
                    unionMask |= mask
                    counts[Int(mask & 0x7F)] += 1
                }
            }
        }
        guard unionMask & 0x80 == 0 else { throw DecodeFailure("unknown phase bit in mask") }
        var perPhase = [Int](repeating: 0, count: StoredPhases.phaseCount)
        if unionMask != 0 {
            for mask in 1..<128 where histogram[mask] > 0 {
                for code in 0..<StoredPhases.phaseCount where mask & (1 << code) != 0 { perPhase[code] += histogram[mask] }
            }
        }
        for code in 0..<StoredPhases.phaseCount where unionMask & (1 << code) == 0 {
            if !phaseValues[code].isEmpty { phaseValues[code] = [] }
        }
        guard unionMask != 0 else { return }
        var found: UInt8 = 0
        var cursor = ByteCursor(payload)
        while !cursor.isAtEnd {
            let id = try cursor.byte()
            let length = try cursor.count(atMost: cursor.remaining)
            var column = ByteCursor(try cursor.slice(length))
            guard id >= BlockColumn.firstPhase.rawValue,
                  id < BlockColumn.firstPhase.rawValue + UInt8(StoredPhases.phaseCount)
            else { continue }
            let code = Int(id - BlockColumn.firstPhase.rawValue)
            guard unionMask & (1 << code) != 0 else { throw DecodeFailure("phase column without results") }
            Self.resize(&phaseValues[code], perPhase[code])
            try Self.integers(&column, &phaseValues[code])
            found |= 1 << code
        }
        guard found == unionMask else { throw DecodeFailure("a phase column is missing") }
    }
}
