import Testing
import WatchCore
@testable import Probing

@Suite("ICMP echo ledger")
struct EchoLedgerTests {
    private let target = IPAddress(literal: "192.0.2.7")!
    private let stranger = IPAddress(literal: "192.0.2.8")!
    private let start = MonotonicInstant(nanoseconds: 1_000_000_000)

    private func at(milliseconds: UInt64) -> MonotonicInstant {
        MonotonicInstant(nanoseconds: start.nanoseconds + milliseconds * 1_000_000)
    }

    @Test func replyMatchesByTokenSequenceAndSource() {
        var ledger = EchoLedger()
        ledger.begin(1, destination: target, count: 1)
        ledger.recordSent(1, token: 42, sequence: 7, at: start)
        #expect(ledger.recordReply(token: 42, sequence: 7, source: stranger, at: at(milliseconds: 1), hopLimit: nil)
            == .ignored)
        #expect(ledger.recordReply(token: 42, sequence: 8, source: target, at: at(milliseconds: 1), hopLimit: nil)
            == .ignored)
        #expect(ledger.recordReply(token: 41, sequence: 7, source: target, at: at(milliseconds: 1), hopLimit: nil)
            == .ignored)
        #expect(ledger.recordReply(token: nil, sequence: 7, source: target, at: at(milliseconds: 1), hopLimit: nil)
            == .ignored)
        #expect(ledger.recordReply(token: 42, sequence: 7, source: target, at: at(milliseconds: 3), hopLimit: 64)
            == .matched(run: 1, runComplete: true))
        let tally = ledger.end(1)!
        #expect(tally.received == 1)
        #expect(tally.meanRTT == .milliseconds(3))
        #expect(tally.hopLimit == 64)
        #expect(tally.verdict(maximumLoss: 0) == nil)
    }

    @Test func duplicateReplyCountsOnce() {
        var ledger = EchoLedger()
        ledger.begin(1, destination: target, count: 2)
        ledger.recordSent(1, token: 1, sequence: 1, at: start)
        ledger.recordSent(1, token: 2, sequence: 2, at: start)
        #expect(ledger.recordReply(token: 1, sequence: 1, source: target, at: at(milliseconds: 2), hopLimit: nil)
            == .matched(run: 1, runComplete: false))
        #expect(ledger.recordReply(token: 1, sequence: 1, source: target, at: at(milliseconds: 2), hopLimit: nil)
            == .ignored)
        #expect(ledger.runs[1]?.received == 1)
    }

    @Test func lossAboveTheMaximumFailsWithIcmpLoss() {
        var ledger = EchoLedger()
        ledger.begin(1, destination: target, count: 4)
        for token in UInt64(1)...4 { ledger.recordSent(1, token: token, sequence: UInt16(token), at: start) }
        _ = ledger.recordReply(token: 1, sequence: 1, source: target, at: at(milliseconds: 2), hopLimit: nil)
        let tally = ledger.end(1)!
        #expect(ledger.outstanding.isEmpty, "ending a run forgets its unanswered requests")
        #expect(tally.detail.loss == 0.75)
        #expect(tally.verdict(maximumLoss: 0.5)?.reason == .icmpLoss)
        #expect(tally.verdict(maximumLoss: 0.75) == nil)
    }

    @Test func noReplyIsATimeoutAndAnUnreachableIsReported() {
        var ledger = EchoLedger()
        ledger.begin(1, destination: target, count: 2)
        ledger.recordSent(1, token: 1, sequence: 1, at: start)
        ledger.recordSent(1, token: 2, sequence: 2, at: start)
        #expect(ledger.runs[1]!.verdict(maximumLoss: 1)?.reason == .icmpTimeout)
        #expect(ledger.recordUnreachable(token: 2, sequence: 2, destination: stranger, code: 1) == .ignored)
        #expect(ledger.recordUnreachable(token: 2, sequence: 2, destination: target, code: 1)
            == .matched(run: 1, runComplete: false))
        #expect(ledger.runs[1]!.verdict(maximumLoss: 1)?.reason == .icmpUnreachable)
    }

    @Test func refusedSendsWithoutRepliesAreUnreachableOrProberErrors() {
        var ledger = EchoLedger()
        ledger.begin(1, destination: target, count: 1)
        ledger.recordSent(1, token: 1, sequence: 1, at: start, error: .networkUnreachable)
        #expect(ledger.runs[1]!.verdict(maximumLoss: 1)?.reason == .networkUnreachable)
        ledger.begin(2, destination: target, count: 1)
        ledger.recordSent(2, token: 2, sequence: 2, at: start, error: .notPermitted)
        #expect(ledger.runs[2]!.verdict(maximumLoss: 1)?.reason == .proberError)
    }
}

@Suite("ICMP echo packets")
struct ICMPEchoPacketTests {
    @Test(arguments: [0, 8, 56, 1000])
    func requestCarriesTokenAndAValidChecksum(payloadSize: Int) {
        let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: 2048, alignment: 8)
        defer { buffer.deallocate() }
        let length = ICMPEchoPacket.writeRequest(into: buffer, family: .v4, identifier: 0x1234, sequence: 0xBEEF,
                                                 token: 0x0102_0304_0506_0708, payloadSize: payloadSize)
        #expect(length == 8 + max(payloadSize, 8))
        let bytes = UnsafeRawBufferPointer(rebasing: buffer[0..<length])
        #expect(ICMPEchoPacket.checksum(bytes) == 0, "a packet including its checksum sums to zero")
        buffer[0] = 0  // turn it into an echo reply (checksum no longer matters to the parser)
        let parsed = ICMPEchoPacket.parse(bytes, family: .v4, includesIPHeader: false)
        #expect(parsed.message == .echoReply(identifier: 0x1234, sequence: 0xBEEF, token: 0x0102_0304_0506_0708))
    }

    @Test func unreachableQuotingOurRequestIsRecognised() {
        // Outer IPv4 header (TTL 63), ICMP type 3 code 1, quoted IPv4 header to 192.0.2.7, quoted echo.
        var packet: [UInt8] = [0x45, 0, 0, 0, 0, 0, 0, 0, 63, 1, 0, 0, 10, 0, 0, 1, 10, 0, 0, 2]
        packet += [3, 1, 0, 0, 0, 0, 0, 0]
        packet += [0x45, 0, 0, 0, 0, 0, 0, 0, 64, 1, 0, 0, 10, 0, 0, 2, 192, 0, 2, 7]
        packet += [8, 0, 0, 0, 0x12, 0x34, 0, 9, 0, 0, 0, 0, 0, 0, 0, 42]
        packet.withUnsafeBytes { bytes in
            let parsed = ICMPEchoPacket.parse(bytes, family: .v4, includesIPHeader: true)
            #expect(parsed.hopLimit == 63)
            #expect(parsed.message == .unreachable(code: 1, identifier: 0x1234, sequence: 9, token: 42,
                                                   destination: IPAddress(literal: "192.0.2.7")!))
        }
    }

    @Test func truncatedOrForeignMessagesAreIgnored() {
        [UInt8]([0, 0, 0]).withUnsafeBytes { bytes in
            #expect(ICMPEchoPacket.parse(bytes, family: .v4, includesIPHeader: false).message == .other)
        }
        [UInt8]([128, 0, 0, 0, 0, 1, 0, 1]).withUnsafeBytes { bytes in
            #expect(ICMPEchoPacket.parse(bytes, family: .v6, includesIPHeader: false).message == .other,
                    "an echo request is not a reply")
        }
    }
}
