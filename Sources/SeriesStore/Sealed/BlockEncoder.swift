import WatchCore

/// Encodes the results of one series into a block payload, columns in the order of `BlockColumn`.
enum BlockEncoder {
    static func encodePayload(_ results: ArraySlice<StoredResult>, into writer: inout ByteWriter) {
        let count = results.count
        var scratch = [Int64](repeating: 0, count: count)

        func column(_ id: UInt8, _ body: (inout ByteWriter) -> Void) {
            var columnWriter = ByteWriter(capacity: 64)
            body(&columnWriter)
            writer.byte(id)
            writer.varint(UInt64(columnWriter.count))
            writer.append(columnWriter.bytes)
        }
        func integers(_ id: UInt8, _ fill: (Int, StoredResult) -> Int64) {
            for (index, result) in results.enumerated() { scratch[index] = fill(index, result) }
            column(id) { columnWriter in
                scratch.withUnsafeBufferPointer { IntegerColumn.encode($0, into: &columnWriter) }
            }
        }

        let scheduled = results.map { $0.scheduledMillis ?? $0.startMillis }
        column(BlockColumn.scheduled.rawValue) { columnWriter in
            columnWriter.signedVarint(scheduled[0])
            if count >= 2 { columnWriter.signedVarint(scheduled[1] &- scheduled[0]) }
            if count >= 3 {
                var deltas = [Int64](repeating: 0, count: count - 2)
                for index in 2..<count {
                    deltas[index - 2] = (scheduled[index] &- scheduled[index - 1]) &- (scheduled[index - 1] &- scheduled[index - 2])
                }
                deltas.withUnsafeBufferPointer { IntegerColumn.encode($0, into: &columnWriter) }
            }
        }
        integers(BlockColumn.scheduledPresent.rawValue) { _, result in result.scheduledMillis == nil ? 0 : 1 }
        integers(BlockColumn.lateness.rawValue) { index, result in result.startMillis &- scheduled[index] }
        integers(BlockColumn.success.rawValue) { _, result in result.success ? 1 : 0 }
        integers(BlockColumn.failureCode.rawValue) { _, result in Int64(result.failureCode) }
        integers(BlockColumn.code.rawValue) { _, result in result.code.map { Int64($0) } ?? BlockColumn.absentCode }
        integers(BlockColumn.latency.rawValue) { _, result in Int64(result.latencyMicros) }
        var unionMask: UInt8 = 0
        for result in results { unionMask |= result.phases.presence }
        integers(BlockColumn.phaseMask.rawValue) { _, result in Int64(result.phases.presence) }
        for phaseCode in 0..<StoredPhases.phaseCount where unionMask & (1 << phaseCode) != 0 {
            let values = results.compactMap { $0.phases[code: phaseCode].map(Int64.init) }
            column(BlockColumn.firstPhase.rawValue + UInt8(phaseCode)) { columnWriter in
                values.withUnsafeBufferPointer { IntegerColumn.encode($0, into: &columnWriter) }
            }
        }
    }

    /// The summary of the results of one block.
    static func summarize(_ results: ArraySlice<StoredResult>) -> (minStart: Int64, maxStart: Int64, failures: Int, sketch: LatencySketch) {
        var minStart = Int64.max, maxStart = Int64.min, failures = 0
        var sketch = LatencySketch()
        for result in results {
            minStart = min(minStart, result.startMillis)
            maxStart = max(maxStart, result.startMillis)
            if !result.success { failures += 1 }
            sketch.add(Double(result.latencyMicros))
        }
        return (minStart, maxStart, failures, sketch)
    }
}
