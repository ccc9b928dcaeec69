/// CRC-32C (Castagnoli, reflected polynomial 0x82F63B78, initial value and final XOR 0xFFFFFFFF),
/// computed with slicing-by-16 tables: sixteen bytes per step instead of one. Long inputs run three
/// independent streams over consecutive 128-byte chunks and join them with a "shift by 128 zero
/// bytes" table: one stream is bound by its chain of dependent table loads, three keep the load
/// ports busy.
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

    /// The length of each of the three chunks one interleaved round covers.
    static let chunkLength = 128

    /// The raw CRC register after `chunkLength` zero bytes, as four byte-indexed tables: the update
    /// is linear, so `g(s, B) = zeros(s) ^ g(0, B)` joins a stream's state to the next chunk's.
    static let chunkShift: [UInt32] = {
        var shift = [UInt32](repeating: 0, count: 4 * 256)
        let zeros = [UInt8](repeating: 0, count: chunkLength)
        zeros.withUnsafeBytes { raw in
            tables.withUnsafeBufferPointer { table in
                for position in 0..<4 {
                    for byte in 0..<256 {
                        shift[position * 256 + byte] = raw16(UInt32(byte) << UInt32(8 * position), raw.baseAddress!, chunkLength, table)
                    }
                }
            }
        }
        return shift
    }()

    /// Sixteen bytes at `pointer` into the raw (not inverted) register `crc`.
    @inline(__always)
    private static func step16(_ crc: UInt32, _ pointer: UnsafeRawPointer, _ table: UnsafeBufferPointer<UInt32>) -> UInt32 {
        let first = UInt64(littleEndian: pointer.loadUnaligned(as: UInt64.self)) ^ UInt64(crc)
        let second = UInt64(littleEndian: (pointer + 8).loadUnaligned(as: UInt64.self))
        return table[15 * 256 + Int(first & 0xFF)]
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
    }

    /// `count` bytes (a multiple of 16) at `pointer` into the raw register `crc`.
    @inline(__always)
    private static func raw16(_ crc: UInt32, _ pointer: UnsafeRawPointer, _ count: Int, _ table: UnsafeBufferPointer<UInt32>) -> UInt32 {
        var crc = crc
        var offset = 0
        while offset < count {
            crc = step16(crc, pointer + offset, table)
            offset &+= 16
        }
        return crc
    }

    /// Continues a CRC-32C over more bytes: `update(checksum(a), b) == checksum(a + b)`.
    public static func update(_ previous: UInt32, _ bytes: UnsafeRawBufferPointer) -> UInt32 {
        guard let base = bytes.baseAddress, bytes.count > 0 else { return previous }
        return tables.withUnsafeBufferPointer { table in
            chunkShift.withUnsafeBufferPointer { shift in
                var crc = ~previous
                var index = 0
                let count = bytes.count
                let chunk = chunkLength
                @inline(__always) func shifted(_ state: UInt32) -> UInt32 {
                    shift[Int(state & 0xFF)] ^ shift[256 + Int((state >> 8) & 0xFF)]
                        ^ shift[512 + Int((state >> 16) & 0xFF)] ^ shift[768 + Int(state >> 24)]
                }
                while index + 3 * chunk <= count {
                    var first = crc, second: UInt32 = 0, third: UInt32 = 0
                    var offset = 0
                    while offset < chunk {
                        first = step16(first, base + index + offset, table)
                        second = step16(second, base + index + chunk + offset, table)
                        third = step16(third, base + index + 2 * chunk + offset, table)
                        offset &+= 16
                    }
                    crc = shifted(shifted(first) ^ second) ^ third
                    index += 3 * chunk
                }
                while index + 16 <= count {
                    crc = step16(crc, base + index, table)
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
}
