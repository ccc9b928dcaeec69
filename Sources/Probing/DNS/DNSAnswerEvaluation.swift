import WatchCore

/// Checks a decoded answer against a spec's expectations, in a fixed order: rcode, minimum
/// answers, each `answerContains`, `answerMatches`.
struct DNSAnswerEvaluation {
    var checks: [ExpectationCheck] = []
    var failure: FailureReason?
    var failureDetail: String?

    init(message: DNSMessage, answers: [String], expectations: DNSExpectations, regexes: DNSAnswerRegexCache) {
        let rcode = message.rcode
        let rcodeAccepted = expectations.validRcodes.contains(rcode)
        checks.append(
            ExpectationCheck(
                expectation: Self.rcodeExpectation(expectations.validRcodes),
                passed: rcodeAccepted, observed: rcode.description))
        if !rcodeAccepted { fail(rcode.failureReason, "the server answered \(rcode)") }

        if expectations.minimumAnswers > 0 {
            let passed = message.answers.count >= expectations.minimumAnswers
            checks.append(
                ExpectationCheck(
                    expectation: "at least \(expectations.minimumAnswers) answers", passed: passed,
                    observed: "\(message.answers.count)"))
            if !passed {
                fail(.dnsMismatch, "\(message.answers.count) answers, expected at least \(expectations.minimumAnswers)")
            }
        }

        if !expectations.answerContains.isEmpty {
            let data = message.answers.map(\.data.presentation)
            for wanted in expectations.answerContains {
                let passed = data.contains { $0.contains(wanted) }
                checks.append(
                    ExpectationCheck(
                        expectation: "answer contains \(wanted)", passed: passed,
                        observed: passed ? nil : Self.summary(data)))
                if !passed { fail(.dnsMismatch, "no answer contains \"\(wanted)\"") }
            }
        }

        if let pattern = expectations.answerMatches {
            switch regexes.regex(for: pattern) {
            case .success(let compiled):
                let passed = answers.contains { (try? compiled.regex.firstMatch(in: $0)) != nil }
                checks.append(
                    ExpectationCheck(
                        expectation: "answer matches /\(pattern)/", passed: passed,
                        observed: passed ? nil : Self.summary(answers)))
                if !passed { fail(.dnsMismatch, "no answer matches /\(pattern)/") }
            case .failure(let error):
                checks.append(
                    ExpectationCheck(expectation: "answer matches /\(pattern)/", passed: false, observed: "bad regex"))
                fail(.proberError, "answerMatches /\(pattern)/ does not compile: \(error.message)")
            }
        }
    }

    /// Keeps the first failure: the rcode explains more than a missing answer it caused.
    private mutating func fail(_ reason: FailureReason, _ detail: String) {
        guard failure == nil else { return }
        failure = reason
        failureDetail = detail
    }

    /// `rcode in NOERROR,NXDOMAIN`; the usual NOERROR-only case without building a string.
    private static func rcodeExpectation(_ valid: [DNSRcode]) -> String {
        if valid == [.noError] { return "rcode in NOERROR" }
        return "rcode in " + valid.map(\.description).joined(separator: ",")
    }

    private static func summary(_ values: [String]) -> String {
        if values.isEmpty { return "no answers" }
        let shown = values.prefix(3).joined(separator: "; ")
        return values.count > 3 ? shown + "; … (\(values.count) in all)" : shown
    }
}
