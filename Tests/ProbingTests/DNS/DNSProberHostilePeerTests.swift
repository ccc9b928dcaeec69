import Testing
import WatchCore

@testable import Probing

/// The DNS prober against peers that answer wrongly, on purpose. Every probe must end with the
/// right failure, within its timeout, without a crash.
@Suite struct DNSProberHostilePeerTests {
    static let timeout = Duration.milliseconds(400)
    /// Scheduling slack allowed past the timeout, the same as the HTTP and TCP hostile-peer tests
    /// allow. The sweep runs every millisecond, but these tests run in parallel with load tests on
    /// a 2-core machine, where a thread can wait a few hundred milliseconds for a core (seen:
    /// 0.74 s for a 0.4 s timeout under a load average of 4).
    static let slack = Duration.milliseconds(500)

    /// Runs one probe against a peer that replies with `reply`, and checks the time it took.
    private func probe(
        replyFromOtherAddress: Bool = false, _ reply: @escaping @Sendable ([UInt8]) -> [[UInt8]]
    ) async throws -> (ProbeResult, ignored: Int) {
        let peer = try await HostileDNSPeer(replyFromOtherAddress: replyFromOtherAddress, reply: reply)
        let prober = try DNSProber(configuration: .init(socketCount: 1))
        let clock = ContinuousClock()
        let started = clock.now
        let result = await prober.probe(peer.request(timeout: Self.timeout))
        let elapsed = clock.now - started
        let ignored = prober.ignoredReplies
        await prober.shutdown()
        await peer.close()
        #expect(elapsed < Self.timeout + Self.slack, "took \(elapsed)")
        #expect(result.duration < Self.timeout + Self.slack)
        return (result, ignored)
    }

    @Test func peerThatNeverAnswersTimesOutAtTheDeadline() async throws {
        let (result, _) = try await probe { _ in [] }
        #expect(result.failure == .dnsTimeout)
        #expect(result.duration >= Self.timeout)
        #expect(result.code == nil)
    }

    @Test func garbageTooShortToCarryAnIDIsIgnored() async throws {
        let (result, ignored) = try await probe { _ in [[0xDE, 0xAD, 0xBE, 0xEF, 0x00]] }
        #expect(result.failure == .dnsTimeout)
        #expect(ignored == 1)
    }

    @Test func garbageWithTheRightIDIsMalformed() async throws {
        let (result, _) = try await probe { query in [[query[0], query[1], 0x81, 0x80] + [UInt8](repeating: 0xFF, count: 40)] }
        #expect(result.failure == .dnsMalformed)
    }

    @Test func compressionLoopInTheAnswerIsMalformed() async throws {
        let (result, _) = try await probe { query in
            let echo = ReplyForge.questionEcho(query, answerCount: 1)
            // The answer's owner name is a pointer to itself.
            let selfPointer = UInt16(echo.count) | 0xC000
            return [echo + [UInt8(selfPointer >> 8), UInt8(selfPointer & 0xFF), 0, 1, 0, 1, 0, 0, 0, 60, 0, 4, 1, 2, 3, 4]]
        }
        #expect(result.failure == .dnsMalformed)
        #expect(result.failureDetail?.contains("compression") == true)
    }

    @Test func compressionLoopInTheQuestionIsMalformed() async throws {
        let (result, _) = try await probe { query in
            var reply = ReplyForge.questionEcho(query, answerCount: 0)
            reply.replaceSubrange(12..<reply.count, with: [0xC0, 0x0C, 0, 1, 0, 1])
            return [reply]
        }
        #expect(result.failure == .dnsMalformed)
    }

    @Test func answerWithAnotherIDIsIgnored() async throws {
        let (result, ignored) = try await probe { query in
            var reply = ReplyForge.validAnswer(to: query)
            reply[0] ^= 0xFF
            return [reply]
        }
        #expect(result.failure == .dnsTimeout)
        #expect(ignored == 1)
    }

    @Test func answerFromAnotherAddressIsIgnored() async throws {
        let (result, ignored) = try await probe(replyFromOtherAddress: true) { query in
            [ReplyForge.validAnswer(to: query)]
        }
        #expect(result.failure == .dnsTimeout)
        #expect(ignored == 1)
    }

    @Test func answerToAnotherQuestionIsIgnored() async throws {
        let (result, ignored) = try await probe { query in
            var reply = ReplyForge.validAnswer(to: query)
            reply[13] = UInt8(ascii: "x")  // first letter of the question name
            return [reply]
        }
        #expect(result.failure == .dnsTimeout)
        #expect(ignored == 1)
    }

    @Test func forgedRepliesDoNotStopTheRealAnswer() async throws {
        let (result, ignored) = try await probe { query in
            var wrongID = ReplyForge.validAnswer(to: query)
            wrongID[1] ^= 0x01
            var wrongType = ReplyForge.validAnswer(to: query)
            let typeOffset = ReplyForge.questionEcho(query, answerCount: 0).count - 3
            wrongType[typeOffset] = 28
            return [wrongID, wrongType, [1, 2, 3], ReplyForge.validAnswer(to: query)]
        }
        #expect(result.success, "\(result.failure.map(\.rawValue) ?? "") \(result.failureDetail ?? "")")
        #expect(ignored == 3)
        guard case .dns(let detail) = result.detail else {
            Issue.record("no DNS detail")
            return
        }
        #expect(detail.answers == ["www.isp.test. 3600 IN A 192.0.2.1"])
    }

    @Test func questionNameInAnotherCaseStillMatches() async throws {
        let (result, _) = try await probe { query in
            var reply = ReplyForge.validAnswer(to: query)
            reply[13] = UInt8(ascii: "W")
            return [reply]
        }
        #expect(result.success)
    }
}
