import Testing
@testable import SeriesStore

@Suite struct CodecTests {
    @Test func crc32cMatchesTheCastagnoliCheckValue() {
        #expect(CRC32C.checksum(Array("123456789".utf8)) == 0xE306_9283)
        #expect(CRC32C.checksum([]) == 0)
        let bytes = (0..<1_000).map { UInt8(truncatingIfNeeded: $0 &* 31) }
        let whole = CRC32C.checksum(bytes)
        let split = bytes.withUnsafeBytes { raw in
            CRC32C.update(CRC32C.checksum(UnsafeRawBufferPointer(rebasing: raw[0..<333])), UnsafeRawBufferPointer(rebasing: raw[333...]))
        }
        #expect(whole == split)
    }

    @Test func crc32cAgreesWithABitwiseReferenceAtEveryLengthAroundTheInterleavedRounds() {
        func reference(_ bytes: ArraySlice<UInt8>) -> UInt32 {
            var crc: UInt32 = 0xFFFF_FFFF
            for byte in bytes {
                crc ^= UInt32(byte)
                for _ in 0..<8 { crc = crc & 1 == 1 ? (crc >> 1) ^ 0x82F6_3B78 : crc >> 1 }
            }
            return ~crc
        }
        var random = SplitMix64(seed: 5)
        let bytes = (0..<2_000).map { _ in UInt8(truncatingIfNeeded: random.next()) }
        // Lengths on both sides of one, two and five 3×128-byte rounds, and odd offsets.
        for length in [0, 1, 15, 16, 17, 383, 384, 385, 767, 768, 769, 1_919, 1_920, 1_999] {
            for start in [0, 1, 7] where start + length <= bytes.count {
                let slice = bytes[start..<(start + length)]
                #expect(CRC32C.checksum(Array(slice)) == reference(slice), "length \(length) at \(start)")
            }
        }
    }

    private static func sample(_ name: String) -> [Int64] {
        var random = SplitMix64(seed: 17)
        switch name {
        case "constant": return Array(repeating: 30_000, count: 1_000)
        case "runs": return (0..<1_000).map { $0 < 400 ? 200 : ($0 < 410 ? 503 : 200) }
        case "uniform": return (0..<1_000).map { _ in Int64(random.next() % 1_000_000) }
        case "exponential": return (0..<1_000).map { _ in Int64(-log(max(random.unit(), 1e-12)) * 2.5) }
        case "lognormal": return (0..<1_000).map { _ in Int64(40_000 * exp(0.4 * random.normal())) }
        case "extremes": return (0..<100).map { $0 % 2 == 0 ? Int64.min : Int64.max }
        case "outliers": return (0..<1_000).map { $0 % 97 == 0 ? Int64(UInt32.max) : Int64(random.next() % 8) }
        default: return []
        }
    }

    @Test(arguments: [
        ("constant", IntegerColumn.Codec.constant), ("runs", .runs), ("uniform", .bitPacked),
        ("exponential", .riceFromMinimum), ("lognormal", .riceAroundMedian), ("extremes", nil), ("outliers", nil),
    ])
    func integerColumnsRoundTripAndPickTheFittingCodec(name: String, expected: IntegerColumn.Codec?) throws {
        let values = Self.sample(name)
        var writer = ByteWriter()
        values.withUnsafeBufferPointer { IntegerColumn.encode($0, into: &writer) }
        if let expected { #expect(writer.bytes.first == expected.rawValue) }
        var decoded = [Int64](repeating: 0, count: values.count)
        try writer.bytes.withUnsafeBytes { raw in
            var cursor = ByteCursor(raw)
            try decoded.withUnsafeMutableBufferPointer { try IntegerColumn.decode(&cursor, into: $0) }
            #expect(cursor.isAtEnd)
        }
        #expect(decoded == values)
    }

    /// Decodes `bytes` as one integer column into `count` values of `Value`.
    private static func decodeColumn<Value: FixedWidthInteger>(_ bytes: [UInt8], count: Int, as: Value.Type) throws -> [Value] {
        var decoded = [Value](repeating: 0, count: count)
        try bytes.withUnsafeBytes { raw in
            var cursor = ByteCursor(raw)
            try decoded.withUnsafeMutableBufferPointer { try IntegerColumn.decode(&cursor, into: $0) }
        }
        return decoded
    }

    @Test func medianRiceColumnsDecodeIntoNarrowTypesAndRejectValuesBelowTheirRange() throws {
        // A median-coded latency column: its worst-case range (median ± 16·2^k) dips below zero,
        // so decoding into UInt32 takes the checked loop.
        let latencies = Self.sample("lognormal")
        var writer = ByteWriter()
        latencies.withUnsafeBufferPointer { IntegerColumn.encode($0, into: &writer) }
        #expect(writer.bytes.first == IntegerColumn.Codec.riceAroundMedian.rawValue)
        #expect(try Self.decodeColumn(writer.bytes, count: latencies.count, as: UInt32.self) == latencies.map { UInt32($0) })
        // Shifted so that a few values are negative: they must throw, not wrap.
        let shifted = latencies.map { $0 - 25_000 }
        #expect(shifted.contains { $0 < 0 })
        var shiftedWriter = ByteWriter()
        shifted.withUnsafeBufferPointer { IntegerColumn.encode($0, into: &shiftedWriter) }
        #expect(throws: DecodeFailure.self) { try Self.decodeColumn(shiftedWriter.bytes, count: shifted.count, as: UInt32.self) }
        #expect(try Self.decodeColumn(shiftedWriter.bytes, count: shifted.count, as: Int64.self) == shifted)
        // Above the range of a narrow type, too.
        #expect(throws: DecodeFailure.self) { try Self.decodeColumn(writer.bytes, count: latencies.count, as: UInt8.self) }
    }

    @Test func valuesThatDoNotFitTheColumnTypeAreRejected() {
        var writer = ByteWriter()
        let values: [Int64] = [0, 1, 70_000]
        values.withUnsafeBufferPointer { IntegerColumn.encode($0, into: &writer) }
        var narrow = [UInt16](repeating: 0, count: 3)
        #expect(throws: DecodeFailure.self) {
            try writer.bytes.withUnsafeBytes { raw in
                var cursor = ByteCursor(raw)
                try narrow.withUnsafeMutableBufferPointer { try IntegerColumn.decode(&cursor, into: $0) }
            }
        }
    }

    @Test func varintsAndZigzagCoverTheWholeRange() throws {
        var writer = ByteWriter()
        let signed: [Int64] = [0, -1, 1, .min, .max, -64, 64]
        for value in signed { writer.signedVarint(value) }
        writer.varint(.max)
        try writer.bytes.withUnsafeBytes { raw throws in
            var cursor = ByteCursor(raw)
            for value in signed {
                let decoded = try cursor.signedVarint()
                #expect(decoded == value)
            }
            let largest = try cursor.varint()
            #expect(largest == .max)
            #expect(cursor.isAtEnd)
        }
        let overlong = [UInt8](repeating: 0xFF, count: 11)
        #expect(throws: DecodeFailure.self) {
            try overlong.withUnsafeBytes { raw in
                var cursor = ByteCursor(raw)
                _ = try cursor.varint()
            }
        }
    }
}

#if canImport(Glibc)
import Glibc
#endif
