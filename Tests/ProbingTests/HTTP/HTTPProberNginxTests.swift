import Foundation
import Probing
import Testing
import WatchCore

/// The HTTP prober against a real nginx on loopback.
@Suite struct HTTPProberNginxTests {
    private func probe(
        _ spec: HTTPProbeSpec, family: IPFamily? = nil, timeout: Duration = .seconds(5)
    ) async throws -> ProbeResult {
        let prober = try HTTPProber()
        let result = await prober.probe(
            ProbeRequest(target: "nginx", spec: .http(spec), ipFamily: family, timeout: timeout))
        await prober.shutdown()
        return result
    }

    private func httpDetail(_ result: ProbeResult) throws -> HTTPProbeDetail {
        guard case .http(let detail) = try #require(result.detail) else {
            Issue.record("expected HTTP detail, got \(String(describing: result.detail))")
            throw TestFixtureError("no HTTP detail")
        }
        return detail
    }

    @Test func httpsProbeReportsStatusPhasesTLSVersionAndCertificateExpiry() async throws {
        try await NginxFixture.with { nginx in
            let result = try await probe(HTTPProbeSpec(
                url: nginx.url(tls: true), bodyContains: ["ispwatch test nginx"],
                headerMatches: [HeaderExpectation(name: "x-probe-check", pattern: "^ispwatch-ok$")],
                caFile: nginx.certificates.caFile, failIfNotTLS: true))
            #expect(result.success, "\(result.failure?.rawValue ?? "") \(result.failureDetail ?? "")")
            #expect(result.code == 200)
            #expect(result.remoteAddress == "127.0.0.1")
            #expect(result.ipFamily == .v4)
            let phases = result.phases
            for (name, phase) in [("connect", phases.connect), ("tls", phases.tls), ("processing", phases.processing),
                                  ("transfer", phases.transfer)] {
                let duration = try #require(phase, "phase \(name) missing")
                #expect(duration > .zero, "phase \(name) is \(duration)")
            }
            #expect(phases.resolve != nil)
            #expect(result.duration >= (phases.connect! + phases.tls! + phases.processing!))
            let detail = try httpDetail(result)
            #expect(detail.statusCode == 200)
            #expect(detail.httpVersion == "1.1")
            #expect(detail.tlsVersion == "TLSv1.3")
            let expiry = try #require(detail.certificateExpiry)
            #expect(abs(expiry.nanosecondsSinceEpoch - nginx.certificates.serverNotAfter.nanosecondsSinceEpoch)
                    <= 1_000_000_000, "expiry \(expiry) vs \(nginx.certificates.serverNotAfter)")
            #expect(detail.bodyBytes == NginxFixture.rootBody.utf8.count)
            #expect(result.checks.count == 4)
            #expect(result.checks.allSatisfy { $0.passed })
        }
    }

    @Test func plainHTTPHasNoTLSPhaseAndFailsWhenTLSIsRequired() async throws {
        try await NginxFixture.with { nginx in
            let plain = try await probe(HTTPProbeSpec(url: nginx.url()))
            #expect(plain.success)
            #expect(plain.phases.tls == nil)
            #expect(try httpDetail(plain).tlsVersion == nil)
            #expect(try httpDetail(plain).certificateExpiry == nil)

            let required = try await probe(HTTPProbeSpec(url: nginx.url(), failIfNotTLS: true))
            #expect(!required.success)
            #expect(required.failure == .tlsHandshake)
        }
    }

    @Test func redirectIsFollowedOrReportedAsTheFinalAnswer() async throws {
        try await NginxFixture.with { nginx in
            let followed = try await probe(HTTPProbeSpec(url: nginx.url("/redirect")))
            #expect(followed.success)
            #expect(followed.code == 200)
            #expect(try httpDetail(followed).redirects == 1)
            #expect(try httpDetail(followed).effectiveURL == nginx.url("/"))

            let notFollowed = try await probe(HTTPProbeSpec(url: nginx.url("/redirect"), followRedirects: false))
            #expect(notFollowed.failure == .httpStatus)
            #expect(notFollowed.code == 301)
            #expect(try httpDetail(notFollowed).redirects == 0)

            let accepted = try await probe(HTTPProbeSpec(
                url: nginx.url("/redirect"), followRedirects: false, validStatusCodes: StatusCodeSet([301...301])))
            #expect(accepted.success)
        }
    }

    @Test func redirectLoopFailsWithTooManyRedirects() async throws {
        try await NginxFixture.with { nginx in
            let result = try await probe(HTTPProbeSpec(url: nginx.url("/loop"), maximumRedirects: 3))
            #expect(result.failure == .tooManyRedirects)
            #expect(result.failureDetail?.contains("redirect") == true)
        }
    }

    @Test func serviceUnavailableFailsWithHTTPStatus() async throws {
        try await NginxFixture.with { nginx in
            let result = try await probe(HTTPProbeSpec(url: nginx.url("/error")))
            #expect(!result.success)
            #expect(result.failure == .httpStatus)
            #expect(result.code == 503)
            #expect(result.checks.first?.passed == false)
            #expect(result.checks.first?.observed == "503")
        }
    }

    @Test func bodyAndHeaderExpectationsFailWithTheirOwnReasons() async throws {
        try await NginxFixture.with { nginx in
            let missing = try await probe(HTTPProbeSpec(url: nginx.url(), bodyContains: ["not in the body"]))
            #expect(missing.failure == .bodyMismatch)

            let unmatched = try await probe(HTTPProbeSpec(url: nginx.url(), bodyMatches: ["^goodbye"]))
            #expect(unmatched.failure == .bodyMismatch)

            let forbidden = try await probe(HTTPProbeSpec(url: nginx.url(), bodyNotMatches: ["test ng[i]nx"]))
            #expect(forbidden.failure == .bodyMismatch)

            let matched = try await probe(HTTPProbeSpec(
                url: nginx.url(), bodyMatches: ["^hello from"], bodyNotMatches: ["error"]))
            #expect(matched.success)

            let header = try await probe(HTTPProbeSpec(
                url: nginx.url(), headerMatches: [HeaderExpectation(name: "X-Probe-Check", pattern: "^other$")]))
            #expect(header.failure == .headerMismatch)
            #expect(header.checks.last?.observed == "ispwatch-ok")

            let absent = try await probe(HTTPProbeSpec(
                url: nginx.url(), headerMatches: [HeaderExpectation(name: "X-Absent", pattern: ".")]))
            #expect(absent.failure == .headerMismatch)
            #expect(absent.checks.last?.observed == "absent")
        }
    }

    @Test func bodyLargerThanTheLimitFailsWithBodyTooLarge() async throws {
        try await NginxFixture.with { nginx in
            let limited = try await probe(HTTPProbeSpec(url: nginx.url("/large"), bodySizeLimit: 64 << 10))
            #expect(limited.failure == .bodyTooLarge)
            #expect(try httpDetail(limited).bodyBytes > 64 << 10)
            #expect(try httpDetail(limited).bodyBytes < NginxFixture.largeFileSize)

            let unlimited = try await probe(HTTPProbeSpec(url: nginx.url("/large"), bodySizeLimit: 8 << 20))
            #expect(unlimited.success)
            #expect(try httpDetail(unlimited).bodyBytes == NginxFixture.largeFileSize)
        }
    }

    @Test func slowTransferEndsAtTheTimeoutWithTransferTimeout() async throws {
        try await NginxFixture.with { nginx in
            let started = ContinuousClock.now
            let result = try await probe(HTTPProbeSpec(url: nginx.url("/slow"), bodySizeLimit: 8 << 20),
                                         timeout: .milliseconds(800))
            let elapsed = ContinuousClock.now - started
            #expect(result.failure == .transferTimeout, "\(result.failureDetail ?? "")")
            #expect(result.code == 200)
            #expect(elapsed < .milliseconds(1500), "took \(elapsed)")
            #expect(result.phases.processing != nil)
        }
    }

    @Test func ipv6LoopbackIsProbedOverIPv6() async throws {
        try await NginxFixture.with { nginx in
            let result = try await probe(HTTPProbeSpec(url: nginx.url(host: "[::1]")), family: .v6)
            #expect(result.success, "\(result.failureDetail ?? "")")
            #expect(result.ipFamily == .v6)
            #expect(result.remoteAddress == "::1")

            let tls = try await probe(HTTPProbeSpec(
                url: nginx.url(tls: true, host: "[::1]"), caFile: nginx.certificates.caFile))
            #expect(tls.success, "\(tls.failureDetail ?? "")")
            #expect(tls.ipFamily == .v6)
        }
    }

    @Test func forcedFamilyThatTheAddressLacksFailsClearly() async throws {
        try await NginxFixture.with { nginx in
            let result = try await probe(HTTPProbeSpec(url: nginx.url(host: "[::1]")), family: .v4)
            #expect(!result.success)
            #expect(result.failure == .resolveFailed)
            #expect(result.failureDetail?.contains("IPv4") == true, "\(result.failureDetail ?? "")")

            let other = try await probe(HTTPProbeSpec(url: nginx.url()), family: .v6)
            #expect(other.failure == .resolveFailed, "\(other.failureDetail ?? "")")
        }
    }

    @Test func methodHeadersAndBodyAreSent() async throws {
        try await NginxFixture.with { nginx in
            // nginx answers a POST to a static file with 405, which proves the method went out.
            let post = try await probe(HTTPProbeSpec(
                url: nginx.url("/large"), method: "POST", headers: [HTTPHeaderField(name: "X-Test", value: "1")],
                body: "ping", validStatusCodes: StatusCodeSet([405...405])))
            #expect(post.success, "\(post.code.map(String.init) ?? "-") \(post.failureDetail ?? "")")

            let head = try await probe(HTTPProbeSpec(url: nginx.url("/large"), method: "HEAD"))
            #expect(head.success)
            #expect(try httpDetail(head).bodyBytes == 0)
        }
    }

    /// A fresh-connection probe says `Connection: close`, so that the server closes first and the
    /// vantage keeps no TIME_WAIT port after each probe; a configured `Connection` header wins.
    @Test func freshConnectionProbesAskTheServerToClose() async throws {
        try await NginxFixture.with { nginx in
            func sentConnectionHeader(reuse: Bool, headers: [HTTPHeaderField] = []) async throws -> String {
                // The header expectation fails with the value nginx echoed in its detail.
                let result = try await probe(HTTPProbeSpec(
                    url: nginx.url("/connection"), headers: headers,
                    headerMatches: [HeaderExpectation(name: "x-request-connection", pattern: "^close$")],
                    reuseConnection: reuse))
                #expect(result.code == 200)
                return result.success ? "close" : (result.failureDetail ?? "")
            }
            let fresh = try await sentConnectionHeader(reuse: false)
            let reused = try await sentConnectionHeader(reuse: true)
            let configured = try await sentConnectionHeader(
                reuse: false, headers: [HTTPHeaderField(name: "Connection", value: "keep-alive")])
            #expect(fresh == "close")
            #expect(reused != "close")
            #expect(configured != "close")
        }
    }

    @Test func everyProbeOpensAFreshConnectionUnlessReuseIsAskedFor() async throws {
        try await NginxFixture.with { nginx in
            let prober = try HTTPProber()
            func probeFiveTimes(reuse: Bool, tls: Bool) async throws -> Int {
                let before = try nginx.acceptedConnections()
                for _ in 0..<5 {
                    let result = await prober.probe(ProbeRequest(target: "nginx", spec: .http(HTTPProbeSpec(
                        url: nginx.url(tls: tls), caFile: nginx.certificates.caFile, reuseConnection: reuse))))
                    #expect(result.success, "\(result.failureDetail ?? "")")
                }
                // Minus the connection that read the status.
                return try nginx.acceptedConnections() - before - 1
            }
            #expect(try await probeFiveTimes(reuse: false, tls: false) == 5)
            #expect(try await probeFiveTimes(reuse: false, tls: true) == 5)
            #expect(try await probeFiveTimes(reuse: true, tls: false) == 1)
            await prober.shutdown()
        }
    }
}
