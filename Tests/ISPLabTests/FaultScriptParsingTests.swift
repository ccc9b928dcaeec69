import ISPLab
import Testing

@Suite struct FaultScriptParsingTests {
    @Test func demoScriptFormatParsesIntoProvidersAndTimedFaults() throws {
        let script = try FaultScript.parse("""
            duration: 2m
            providers:
              - id: northwind
                name: Northwind Telecom
                address: 127.0.0.21
                faults:
                  - {kind: outage, service: dns, start: 30s, end: 1m}
                  - {kind: http_5xx, status: 502, start: 10s}
              - id: eastlink
                faults:
                  - {kind: flapping, start: 12s, end: 108s, period: 8s}
            """, path: "demo.yaml")
        #expect(script.duration == .seconds(120))
        #expect(script.providers.map(\.id) == ["northwind", "eastlink"])
        // Without address:, 127.0.0.(10 + position).
        #expect(script.providers[1].address == "127.0.0.11")
        let outage = script.providers[0].faults[0]
        #expect(outage.kind == .outage && outage.services == [.dns] && outage.start == .seconds(30) && outage.end == .seconds(60))
        #expect(script.providers[0].faults[1].services == [.http, .https])
        #expect(script.providers[0].faults[1].status == 502)
        #expect(script.providers[1].faults[0].period == .seconds(8))
        #expect(script.activeFault(provider: "northwind", service: .dns, at: .seconds(45))?.kind == .outage)
        #expect(script.activeFault(provider: "northwind", service: .dns, at: .seconds(60)) == nil)
    }

    @Test func scalingCompressesTheTimelineButNotPeriodsOrDelays() throws {
        let script = try FaultScript.parse("""
            duration: 2m
            providers:
              - id: a
                faults:
                  - {kind: flapping, start: 12s, end: 108s, period: 8s}
            """, path: "s.yaml").scaled(to: .seconds(60))
        let fault = script.providers[0].faults[0]
        #expect(fault.start == .seconds(6) && fault.end == .seconds(54) && fault.period == .seconds(8))
    }

    struct BadScript: CustomTestStringConvertible, Sendable {
        var text: String
        var line: Int
        var message: String
        var testDescription: String { message }
    }

    static let badScripts: [BadScript] = [
        BadScript(text: "providers:\n  - id: a\n    faults:\n      - {kind: blackout, start: 1s}\n", line: 4, message: "unknown fault kind \"blackout\""),
        BadScript(text: "providers:\n  - id: a\n    faults:\n      - {kind: servfail, service: http, start: 1s}\n", line: 4,
                  message: "servfail cannot act on http"),
        BadScript(text: "providers:\n  - id: a\n    faults:\n      - {kind: outage, start: 30}\n", line: 4, message: "is not a duration"),
        BadScript(text: "providers:\n  - id: a\n    faults:\n      - {kind: outage, start: 30s, end: 10s}\n", line: 4,
                  message: "end must be after start"),
        BadScript(text: "providers:\n  - id: a\n    adress: 127.0.0.5\n", line: 3, message: "unknown key \"adress\""),
        BadScript(text: "providers:\n  - id: a\n    address: 10.0.0.1\n", line: 3, message: "must be a loopback IPv4 address"),
        BadScript(text: "providers:\n  - id: a\n  - id: a\n", line: 3, message: "is used twice"),
        BadScript(text: "duration: 2m\n", line: 1, message: "providers: is missing"),
        BadScript(text: "providers:\n  - id: a\n    faults: [{kind: outage, start: 1s]\n", line: 3, message: "YAML syntax"),
    ]

    @Test(arguments: badScripts)
    func badScriptIsReportedAtItsFileAndLine(_ bad: BadScript) {
        #expect {
            _ = try FaultScript.parse(bad.text, path: "faults.yaml")
        } throws: { error in
            guard let error = error as? FaultScriptError else { return false }
            return error.file == "faults.yaml" && error.line == bad.line && error.message.contains(bad.message)
                && error.description.hasPrefix("faults.yaml:\(bad.line):")
        }
    }
}
