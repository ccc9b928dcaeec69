import Glibc
import Testing
import WatchCore
@testable import Probing

/// How libcurl outcomes become failure reasons and phases, without a socket.
@Suite struct HTTPFailureClassificationTests {
    private func reason(
        _ code: UInt32, errno osErrno: Int32 = 0, verify: Int = 0, times: CurlTimes = CurlTimes(), https: Bool = false,
        bodyLimit: Bool = false
    ) -> FailureReason {
        HTTPFailureClassification(
            status: CurlStatus(rawValue: code), bodyLimitExceeded: bodyLimit, osErrno: osErrno, verifyResult: verify,
            times: times, isHTTPS: https, forcedFamily: nil, message: "text"
        ).reason
    }

    @Test(arguments: [
        (6, FailureReason.resolveFailed), (47, .tooManyRedirects), (8, .httpProtocol), (52, .connectionReset),
        (56, .connectionReset), (55, .connectionReset), (35, .tlsHandshake), (18, .connectionReset),
    ] as [(UInt32, FailureReason)])
    func curlCodeMapsToItsReason(code: UInt32, expected: FailureReason) {
        #expect(reason(code, times: CurlTimes(nameLookup: 10, connect: 20)) == expected)
    }

    @Test func refusedUnreachableAndTimedOutConnectsAreToldApart() {
        #expect(reason(7, errno: ECONNREFUSED) == .tcpRefused)
        #expect(reason(7, errno: ENETUNREACH) == .networkUnreachable)
        #expect(reason(7, errno: EHOSTUNREACH) == .networkUnreachable)
        #expect(reason(7, errno: ETIMEDOUT) == .tcpTimeout)
    }
}

extension HTTPFailureClassificationTests {
    @Test func timeoutIsBlamedOnTheFirstPhaseNotReached() {
        #expect(reason(28) == .resolveTimeout)
        #expect(reason(28, times: CurlTimes(nameLookup: 10)) == .tcpTimeout)
        #expect(reason(28, times: CurlTimes(nameLookup: 10, connect: 20), https: true) == .tlsTimeout)
        #expect(reason(28, times: CurlTimes(nameLookup: 10, connect: 20), https: false) == .httpTimeout)
        #expect(reason(28, times: CurlTimes(nameLookup: 10, connect: 20, appConnect: 30, preTransfer: 31),
                       https: true) == .httpTimeout)
        #expect(reason(28, times: CurlTimes(nameLookup: 10, connect: 20, preTransfer: 21, startTransfer: 40))
                == .transferTimeout)
    }

    @Test func certificateVerificationFailureIsExpiredOnlyForDateErrors() {
        #expect(reason(60, verify: 10, https: true) == .tlsExpired)
        #expect(reason(60, verify: 9, https: true) == .tlsExpired)
        #expect(reason(60, verify: 20, https: true) == .tlsCertificateInvalid)
        #expect(reason(60, verify: 62, https: true) == .tlsCertificateInvalid)
    }

    @Test func abortedWriteIsBodyTooLargeOnlyWhenTheLimitStoppedIt() {
        #expect(reason(23, bodyLimit: true) == .bodyTooLarge)
        #expect(reason(23, bodyLimit: false) == .proberError)
    }

    @Test func unsupportedProtocolIsTheServersFaultOnlyAfterAConnect() {
        #expect(reason(1, times: CurlTimes(nameLookup: 5, connect: 9)) == .httpProtocol)
        #expect(reason(1) == .proberError)
    }

    @Test func phasesAreDifferencesOfTheCumulativeTimes() {
        let times = CurlTimes(nameLookup: 100, connect: 300, appConnect: 1_300, preTransfer: 1_350,
                              startTransfer: 2_350, total: 2_850)
        let https = times.phases(isHTTPS: true)
        #expect(https.resolve == .microseconds(100))
        #expect(https.connect == .microseconds(200))
        #expect(https.tls == .microseconds(1_000))
        #expect(https.processing == .microseconds(1_000))
        #expect(https.transfer == .microseconds(500))

        let plain = CurlTimes(nameLookup: 100, connect: 300, preTransfer: 320, startTransfer: 820, total: 900)
            .phases(isHTTPS: false)
        #expect(plain.tls == nil)
        #expect(plain.processing == .microseconds(500))
        #expect(plain.transfer == .microseconds(80))
    }

    @Test func phasesNotReachedStayUnmeasured() {
        let refused = CurlTimes(nameLookup: 50).phases(isHTTPS: false)
        #expect(refused.resolve == .microseconds(50))
        #expect(refused.connect == nil)
        #expect(refused.processing == nil)

        let handshakeFailed = CurlTimes(nameLookup: 50, connect: 90).phases(isHTTPS: true)
        #expect(handshakeFailed.connect == .microseconds(40))
        #expect(handshakeFailed.tls == nil)
        #expect(handshakeFailed.processing == nil)
    }

    @Test(arguments: [
        ("http://127.0.0.1:8080/x", IPFamily?.some(.v4)), ("https://[::1]:443/", .v6), ("http://user@10.0.0.1/", .v4),
        ("https://portal.example.vn/", nil), ("http://1.2.3.4.example/", nil), ("not a url", nil),
    ] as [(String, IPFamily?)])
    func urlHostLiteralFamilyIsRecognised(url: String, family: IPFamily?) {
        #expect(URLHostFamily.of(url) == family)
    }
}
