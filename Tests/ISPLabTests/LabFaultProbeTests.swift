import Foundation
import ISPLab
import Testing
import WatchCore

/// Each scripted fault, observed by the real probers: the failure reason a user would see.
@Suite struct LabFaultProbeTests {
    struct Case: CustomTestStringConvertible, Sendable {
        var fault: FaultKind
        var service: LabService
        var reason: FailureReason
        var code: Int?

        var testDescription: String { "\(fault.rawValue) on \(service.rawValue) → \(reason.rawValue)" }
    }

    static let cases: [Case] = [
        Case(fault: .outage, service: .dns, reason: .dnsTimeout),
        Case(fault: .outage, service: .http, reason: .httpTimeout),
        // curl counts the TLS handshake as part of connecting (error 28, "Connection timed out"), and the
        // HTTP prober classifies that as a TCP timeout although the TCP handshake completed.
        Case(fault: .outage, service: .https, reason: .tcpTimeout),
        Case(fault: .refuse, service: .dns, reason: .dnsRefused, code: 5),
        Case(fault: .refuse, service: .http, reason: .tcpRefused),
        Case(fault: .refuse, service: .https, reason: .tcpRefused),
        Case(fault: .servfail, service: .dns, reason: .dnsServfail, code: 2),
        Case(fault: .http5xx, service: .http, reason: .httpStatus, code: 502),
        Case(fault: .http5xx, service: .https, reason: .httpStatus, code: 502),
        Case(fault: .flapping, service: .dns, reason: .dnsServfail, code: 2),
        Case(fault: .flapping, service: .http, reason: .httpStatus, code: 503),
        Case(fault: .tlsExpired, service: .https, reason: .tlsExpired),
    ]

    @Test(arguments: cases)
    func faultIsSeenByTheProberAsItsFailureReason(_ testCase: Case) async throws {
        var fault = ScriptedFault(kind: testCase.fault, services: [testCase.service], start: .zero, period: .seconds(60))
        fault.status = 502
        try await LabFixture.with(faults: [fault]) { fixture in
            let result = try await fixture.probe(testCase.service)
            #expect(!result.success)
            #expect(result.failure == testCase.reason, "\(result.failureDetail ?? "")")
            if let code = testCase.code { #expect(result.code == code) }
        }
    }

    @Test(arguments: LabService.allCases)
    func healthyProviderAnswersEveryProbe(_ service: LabService) async throws {
        try await LabFixture.with(faults: []) { fixture in
            let result = try await fixture.probe(service)
            #expect(result.success, "\(result.failure?.rawValue ?? "") \(result.failureDetail ?? "")")
        }
    }

    @Test(arguments: LabService.allCases)
    func slowFaultDelaysTheAnswerButItStillSucceeds(_ service: LabService) async throws {
        let fault = ScriptedFault(kind: .slow, services: [service], start: .zero, delay: .milliseconds(300))
        try await LabFixture.with(faults: [fault], timeout: .seconds(2)) { fixture in
            let result = try await fixture.probe(service)
            #expect(result.success, "\(result.failure?.rawValue ?? "") \(result.failureDetail ?? "")")
            #expect(result.duration >= .milliseconds(300))
        }
    }

    @Test func slowFaultLongerThanTheTimeoutFailsAsATimeout() async throws {
        let fault = ScriptedFault(kind: .slow, services: [.dns], start: .zero, delay: .seconds(3))
        try await LabFixture.with(faults: [fault]) { fixture in
            let result = try await fixture.probe(.dns)
            #expect(result.failure == .dnsTimeout)
        }
    }

    @Test func refusedPortOpensAgainWhenTheFaultEnds() async throws {
        // Windows of seconds: starting the lab and a probe engine takes a good part of one on a busy machine.
        let fault = ScriptedFault(kind: .refuse, services: [.http], start: .zero, end: .seconds(4))
        try await LabFixture.with(faults: [fault]) { fixture in
            let during = try await fixture.probe(.http)
            #expect(during.failure == .tcpRefused)
            let wait = Duration.milliseconds(4_300) - fixture.lab.timeline.offset
            if wait > .zero { try await Task.sleep(for: wait) }
            let after = try await fixture.probe(.http)
            #expect(after.success, "\(after.failure?.rawValue ?? "")")
        }
    }

    @Test func flappingAlternatesBetweenFailingAndHealthyHalves() async throws {
        let fault = ScriptedFault(kind: .flapping, services: [.dns], start: .zero, period: .seconds(8))
        try await LabFixture.with(faults: [fault]) { fixture in
            let failing = try await fixture.probe(.dns)
            #expect(failing.failure == .dnsServfail)
            let wait = Duration.milliseconds(4_300) - fixture.lab.timeline.offset
            if wait > .zero { try await Task.sleep(for: wait) }
            let healthy = try await fixture.probe(.dns)
            #expect(healthy.success)
        }
    }
}
