import Foundation
import SeriesStore

/// The bytes of one outbox file: the magic `ISPWOBX1`, the payload's length (UInt32 LE), its CRC32C
/// (UInt32 LE), then the payload (the notification as JSON).
///
/// The CRC catches what rename-after-fsync cannot: a file damaged on disk, or copied half-way by hand.
enum OutboxFile {
    static let magic: [UInt8] = Array("ISPWOBX1".utf8)
    static let headerSize = 16

    static func encode(_ entry: OutboxEntry) throws -> [UInt8] {
        let encoder = JSONEncoder()
        encoder.outputFormatting = .sortedKeys
        let payload = try [UInt8](encoder.encode(entry.notification))
        var bytes = magic
        appendLittleEndian(UInt32(payload.count), to: &bytes)
        appendLittleEndian(CRC32C.checksum(payload), to: &bytes)
        return bytes + payload
    }

    /// The notification in `bytes`, or why it cannot be read.
    static func decode(_ bytes: [UInt8]) -> Result<AlertNotification, OutboxError> {
        guard bytes.count >= headerSize, Array(bytes[0..<8]) == magic else {
            return .failure(OutboxError("not an outbox file or torn header (\(bytes.count) bytes)"))
        }
        let length = Int(readLittleEndian(bytes, at: 8))
        let crc = readLittleEndian(bytes, at: 12)
        guard bytes.count == headerSize + length else {
            return .failure(OutboxError("torn: \(bytes.count - headerSize) of \(length) payload bytes"))
        }
        let payload = Array(bytes[headerSize...])
        guard CRC32C.checksum(payload) == crc else { return .failure(OutboxError("CRC mismatch")) }
        do {
            return .success(try JSONDecoder().decode(AlertNotification.self, from: Data(payload)))
        } catch {
            return .failure(OutboxError("undecodable payload: \(error)"))
        }
    }

    private static func appendLittleEndian(_ value: UInt32, to bytes: inout [UInt8]) {
        for shift in stride(from: 0, to: 32, by: 8) { bytes.append(UInt8(truncatingIfNeeded: value >> UInt32(shift))) }
    }

    private static func readLittleEndian(_ bytes: [UInt8], at offset: Int) -> UInt32 {
        (0..<4).reduce(UInt32(0)) { $0 | UInt32(bytes[offset + $1]) << UInt32(8 * $1) }
    }
}
