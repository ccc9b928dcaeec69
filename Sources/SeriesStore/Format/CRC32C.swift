/// CRC-32C (Castagnoli, reflected polynomial 0x82F63B78, initial value and final XOR 0xFFFFFFFF),
/// computed with slicing-by-16 tables: sixteen bytes per step instead of one.
///
/// The check value of the ASCII bytes `123456789` is `0xE3069283`.
public enum CRC32C {
    /// Sixteen 256-entry tables, flat: table `k` (the CRC of a byte followed by `k` zero bytes)
    /// starts at `k * 256`.
    static let tables: [UInt32] = {
        var tables = [UInt32](repeating: 0, count: 16 * 256)
        for byte in 0..<256 {
            var crc = UInt32(byte)
            for _ in 0..<8 { crc = crc & 1 == 1 ? (crc >> 1) ^ 0x82F6_3B78 : crc >> 1 }
            tables[byte] = crc
        }
        for byte in 0..<256 {
            for slice in 1..<16 {
                let previous = tables[(slice - 1) * 256 + byte]
                tables[slice * 256 + byte] = (previous >> 8) ^ tables[Int(previous & 0xFF)]
            }
        }
        return tables
    }()

    /// The CRC-32C of `bytes`.
    public static func checksum(_ bytes: UnsafeRawBufferPointer) -> UInt32 {
        update(0, bytes)
    }

    /// The CRC-32C of `bytes`.
    public static func checksum(_ bytes: [UInt8]) -> UInt32 {
        bytes.withUnsafeBytes { checksum($0) }
    }

    /// Continues a CRC-32C over more bytes: `update(checksum(a), b) == checksum(a + b)`.
    public static func update(_ previous: UInt32, _ bytes: UnsafeRawBufferPointer) -> UInt32 {
        guard let base = bytes.baseAddress, bytes.count > 0 else { return previous }
        return tables.withUnsafeBufferPointer { table in
            var crc = ~previous
            var index = 0
            let count = bytes.count
            while index + 16 <= count {
                let first = UInt64(littleEndian: (base + index).loadUnaligned(as: UInt64.self)) ^ UInt64(crc)
                let second = UInt64(littleEndian: (base + index + 8).loadUnaligned(as: UInt64.self))
                crc = table[15 * 256 + Int(first & 0xFF)]
                    ^ table[14 * 256 + Int((first >> 8) & 0xFF)]
                    ^ table[13 * 256 + Int((first >> 16) & 0xFF)]
                    ^ table[12 * 256 + Int((first >> 24) & 0xFF)]
                    ^ table[11 * 256 + Int((first >> 32) & 0xFF)]
                    ^ table[10 * 256 + Int((first >> 40) & 0xFF)]
                    ^ table[9 * 256 + Int((first >> 48) & 0xFF)]
                    ^ table[8 * 256 + Int(first >> 56)]
                    ^ table[7 * 256 + Int(second & 0xFF)]
                    ^ table[6 * 256 + Int((second >> 8) & 0xFF)]
                    ^ table[5 * 256 + Int((second >> 16) & 0xFF)]
                    ^ table[4 * 256 + Int((second >> 24) & 0xFF)]
                    ^ table[3 * 256 + Int((second >> 32) & 0xFF)]
                    ^ table[2 * 256 + Int((second >> 40) & 0xFF)]
                    ^ table[1 * 256 + Int((second >> 48) & 0xFF)]
                    ^ table[Int(second >> 56)]
                index += 16
            }
            while index < count {
                crc = (crc >> 8) ^ table[Int((crc ^ UInt32(base.load(fromByteOffset: index, as: UInt8.self))) & 0xFF)]
                index += 1
            }
            return ~crc
        }
    }
}
