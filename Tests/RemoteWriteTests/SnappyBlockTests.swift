import Testing

@testable import RemoteWrite

@Suite struct SnappyBlockTests {
    @Test(arguments: [0, 1, 17, 4_096, 300_000])
    func compressedBlockUncompressesToTheSameBytes(size: Int) throws {
        var random = SystemRandomNumberGenerator()
        // Half repetitive, half random: both of snappy's paths (copies and literals) are taken.
        let bytes = (0..<size).map { index in index.isMultiple(of: 2) ? UInt8(index % 7) : UInt8.random(in: 0...255, using: &random) }
        let block = SnappyBlock.compress(bytes)
        #expect(try SnappyBlock.uncompress(block) == bytes)
    }

    @Test func repetitiveInputShrinks() {
        let bytes = [UInt8](repeating: 42, count: 10_000)
        #expect(SnappyBlock.compress(bytes).count < 1_000)
    }

    @Test func blockFormatStartsWithTheUncompressedLengthAsAVarint() {
        // The block format (not the framed one, which starts with the stream identifier 0xff 06 00 00
        // "sNaPpY"): a varint of the length, 300 = 0xAC 0x02.
        let block = SnappyBlock.compress([UInt8](repeating: 1, count: 300))
        #expect(Array(block.prefix(2)) == [0xAC, 0x02])
    }

    @Test func garbageIsRefused() {
        #expect(throws: SnappyBlock.DecodingError.self) { try SnappyBlock.uncompress([0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x0F, 1, 2]) }
    }
}
