internal import CSnappy

/// Snappy's block format (not the framed stream format), which remote-write bodies use, through
/// Debian's libsnappy.
public enum SnappyBlock {
    /// Why bytes could not be uncompressed.
    public struct DecodingError: Error, CustomStringConvertible {
        /// What was wrong.
        public let description: String
    }

    /// `bytes` compressed into one snappy block.
    public static func compress(_ bytes: [UInt8]) -> [UInt8] {
        var output = [UInt8](repeating: 0, count: snappy_max_compressed_length(bytes.count))
        var length = output.count
        let status = bytes.withUnsafeBufferPointer { input in
            output.withUnsafeMutableBufferPointer { out in
                input.withMemoryRebound(to: CChar.self) { source in
                    out.withMemoryRebound(to: CChar.self) { destination in
                        snappy_compress(source.baseAddress, source.count, destination.baseAddress, &length)
                    }
                }
            }
        }
        // snappy_compress fails only when the output buffer is too small, and it is sized by snappy itself.
        precondition(status == SNAPPY_OK, "snappy_compress failed with a buffer of snappy_max_compressed_length")
        output.removeSubrange(length...)
        return output
    }

    /// The bytes of the snappy block `bytes`; throws when it is not a valid block.
    public static func uncompress(_ bytes: [UInt8]) throws -> [UInt8] {
        try bytes.withUnsafeBufferPointer { input in
            try input.withMemoryRebound(to: CChar.self) { source in
                var length = 0
                guard snappy_uncompressed_length(source.baseAddress, source.count, &length) == SNAPPY_OK else {
                    throw DecodingError(description: "not a snappy block (bad length preamble)")
                }
                var output = [UInt8](repeating: 0, count: length)
                let status = output.withUnsafeMutableBufferPointer { out in
                    out.withMemoryRebound(to: CChar.self) { destination in
                        snappy_uncompress(source.baseAddress, source.count, destination.baseAddress, &length)
                    }
                }
                guard status == SNAPPY_OK else { throw DecodingError(description: "corrupt snappy block") }
                return output
            }
        }
    }
}
