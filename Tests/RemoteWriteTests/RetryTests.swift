import Testing

@testable import RemoteWrite

@Suite struct RetryTests {
    @Test func backoffDoublesFromTheMinimumAndStaysUnderTheCap() {
        let backoff = RetryBackoff(minimum: .milliseconds(100), maximum: .seconds(5))
        var random = SystemRandomNumberGenerator()
        for failures in 1...30 {
            let ceiling = min(Duration.milliseconds(100) * (1 << min(failures - 1, 20)), .seconds(5))
            for _ in 0..<50 {
                let delay = backoff.delay(afterFailures: failures, using: &random)
                #expect(delay >= .milliseconds(100))
                #expect(delay <= ceiling)
            }
        }
    }

    @Test func backoffIsJitteredSoSendersSpreadOut() {
        let backoff = RetryBackoff(minimum: .milliseconds(100), maximum: .seconds(5))
        var random = SystemRandomNumberGenerator()
        let delays = Set((0..<20).map { _ in backoff.delay(afterFailures: 6, using: &random) })
        #expect(delays.count > 10)
    }

    @Test func firstFailureWaitsExactlyTheMinimum() {
        let backoff = RetryBackoff(minimum: .milliseconds(250), maximum: .seconds(5))
        var random = SystemRandomNumberGenerator()
        #expect(backoff.delay(afterFailures: 1, using: &random) == .milliseconds(250))
    }

    @Test(arguments: [
        (200, "delivered"), (204, "delivered"), (429, "retryable"), (500, "retryable"), (503, "retryable"),
        (400, "refused"), (401, "refused"), (404, "refused"), (413, "refused"),
    ])
    func statusDecidesBetweenDeliveredRetryAndDrop(status: Int, expected: String) {
        let outcome = PostOutcome(status: status, message: "")
        switch outcome {
        case .delivered: #expect(expected == "delivered")
        case .retryable: #expect(expected == "retryable")
        case .refused(let refused, _):
            #expect(expected == "refused")
            #expect(refused == status)
        }
    }
}
