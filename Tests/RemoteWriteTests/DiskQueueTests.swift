import Foundation
import Testing

@testable import RemoteWrite

@Suite struct DiskQueueTests {
    @Test func batchesComeOutInOrderAndAcknowledgedOnesAreGoneAfterReopening() throws {
        let directory = try TemporaryDirectory()
        var queue = try DiskQueue(directory: directory.path, maximumBytes: 1 << 20, syncEveryAppend: true)
        for index in 0..<5 { _ = try queue.append(record(index)) }
        for index in 0..<2 {
            let batch = try #require(try queue.peek())
            #expect(batch.record == record(index))
            queue.acknowledge(batch.position)
        }
        queue.close()

        var reopened = try DiskQueue(directory: directory.path, maximumBytes: 1 << 20, syncEveryAppend: true)
        #expect(reopened.batchesWaiting == 3)
        #expect(reopened.samplesWaiting == 2 * 3 + 2 * 4 + 2 * 5)
        var seen: [QueueRecord] = []
        while let batch = try reopened.peek() {
            seen.append(batch.record)
            reopened.acknowledge(batch.position)
        }
        #expect(seen == [record(2), record(3), record(4)])
    }

    @Test(arguments: [1, 7, QueueRecord.headerSize, QueueRecord.headerSize + 3])
    func crashTruncatedTailIsCutAndEveryWholeRecordKept(keptBytesOfLastRecord: Int) throws {
        let directory = try TemporaryDirectory()
        var queue = try DiskQueue(directory: directory.path, maximumBytes: 1 << 20, syncEveryAppend: false)
        for index in 0..<4 { _ = try queue.append(record(index)) }
        queue.close()
        // A crash in the middle of the last write(2): only its first bytes reached the file.
        let segment = try #require(try segmentPaths(directory).last)
        let size = try #require(try FileManager.default.attributesOfItem(atPath: segment)[.size] as? Int)
        let lastSize = record(3).encoded.count
        #expect(truncate(segment, off_t(size - lastSize + keptBytesOfLastRecord)) == 0)

        var recovered = try DiskQueue(directory: directory.path, maximumBytes: 1 << 20, syncEveryAppend: false)
        #expect(recovered.recovery.bytesCut == keptBytesOfLastRecord)
        #expect(recovered.batchesWaiting == 3)
        // Appending after recovery goes on cleanly, after the whole records.
        _ = try recovered.append(record(9))
        var seen: [QueueRecord] = []
        while let batch = try recovered.peek() {
            seen.append(batch.record)
            recovered.acknowledge(batch.position)
        }
        #expect(seen == [record(0), record(1), record(2), record(9)])
    }

    @Test func flippedByteEndsTheSegmentAtTheDamagedRecord() throws {
        let directory = try TemporaryDirectory()
        var queue = try DiskQueue(directory: directory.path, maximumBytes: 1 << 20, syncEveryAppend: false)
        for index in 0..<3 { _ = try queue.append(record(index)) }
        queue.close()
        let segment = try #require(try segmentPaths(directory).last)
        var bytes = try [UInt8](Data(contentsOf: URL(fileURLWithPath: segment)))
        let secondPayload = DiskQueue.magic.count + record(0).encoded.count + QueueRecord.headerSize
        bytes[secondPayload] ^= 0xFF
        try Data(bytes).write(to: URL(fileURLWithPath: segment))

        let recovered = try DiskQueue(directory: directory.path, maximumBytes: 1 << 20, syncEveryAppend: false)
        #expect(recovered.batchesWaiting == 1)
        #expect(try recovered.peek()?.record == record(0))
    }

    @Test func fullQueueDropsTheOldestAndCountsTheirSamples() throws {
        let directory = try TemporaryDirectory()
        let maximum = 64 << 10
        var queue = try DiskQueue(directory: directory.path, maximumBytes: maximum, syncEveryAppend: false)
        let big = QueueRecord(payload: [UInt8](repeating: 7, count: 1_000), samples: 10, oldestMilliseconds: 0)
        var dropped = 0
        var appended = 0
        for index in 0..<300 {
            var record = big
            record.oldestMilliseconds = Int64(index)
            dropped += try queue.append(record).droppedSamples
            appended += 10
        }
        #expect(queue.bytes <= maximum)
        #expect(dropped > 0)
        // Nothing vanishes uncounted: what is waiting plus what was dropped is what was appended.
        #expect(queue.samplesWaiting + dropped == appended)
        // The oldest went, the newest stayed.
        #expect(try queue.peek()!.record.oldestMilliseconds > 0)
        var last: Int64 = -1
        while let batch = try queue.peek() {
            #expect(batch.record.oldestMilliseconds == last + 1 || last == -1)
            last = batch.record.oldestMilliseconds
            queue.acknowledge(batch.position)
        }
        #expect(last == 299)
    }

    @Test func batchLargerThanTheWholeQueueIsDroppedAndCounted() throws {
        let directory = try TemporaryDirectory()
        var queue = try DiskQueue(directory: directory.path, maximumBytes: 64 << 10, syncEveryAppend: false)
        let huge = QueueRecord(payload: [UInt8](repeating: 1, count: 70 << 10), samples: 123, oldestMilliseconds: 0)
        #expect(try queue.append(huge).droppedSamples == 123)
        #expect(queue.batchesWaiting == 0)
    }

    @Test func acknowledgingADroppedBatchIsIgnored() throws {
        let directory = try TemporaryDirectory()
        var queue = try DiskQueue(directory: directory.path, maximumBytes: 64 << 10, syncEveryAppend: false)
        _ = try queue.append(QueueRecord(payload: [UInt8](repeating: 1, count: 4_000), samples: 1, oldestMilliseconds: 0))
        let inFlight = try #require(try queue.peek())
        for index in 1...40 {
            _ = try queue.append(QueueRecord(payload: [UInt8](repeating: 1, count: 4_000), samples: 1,
                                             oldestMilliseconds: Int64(index)))
        }
        let head = try #require(try queue.peek())
        #expect(head.position != inFlight.position)
        queue.acknowledge(inFlight.position)
        #expect(try queue.peek()?.position == head.position)
    }

    private func record(_ index: Int) -> QueueRecord {
        QueueRecord(payload: Array("batch \(index) ".utf8) + [UInt8](repeating: UInt8(index), count: 100 + index),
                    samples: 2 * (index + 1), oldestMilliseconds: 1_700_000_000_000 + Int64(index))
    }

    private func segmentPaths(_ directory: TemporaryDirectory) throws -> [String] {
        try FileManager.default.contentsOfDirectory(atPath: directory.path).filter { $0.hasSuffix(".rwq") }.sorted()
            .map { directory.path + "/" + $0 }
    }
}

/// A directory under /tmp, removed when the value is released.
final class TemporaryDirectory: Sendable {
    let path: String

    init() throws {
        path = NSTemporaryDirectory() + "remote-write-tests-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    }

    deinit {
        try? FileManager.default.removeItem(atPath: path)
    }
}
