import Testing
import WatchCore

/// The `maintenance:` and `objectives:` keys: decoded values and the messages for bad ones.
@Suite struct SLAConfigurationTests {
    private static let providers = "providers: [{id: vnpt}, {id: viettel}]\n"

    @Test func oneOffAndRecurringWindowsAndObjectivesDecode() throws {
        let configuration = try Configuration.load(yaml: Self.providers + """
            maintenance:
              - id: vnpt-core
                providers: [vnpt]
                services: [dns]
                start: 2027-02-05T01:00+07:00
                duration: 2h
                declared_at: 2027-02-01T10:00+07:00
                declared_by: VNPT NOC
                reason: core router upgrade
              - id: viettel-weekly
                targets: viettel-portal
                every: weekly
                weekdays: [sun, wed]
                at: "02:30"
                duration: 30m
                timezone: Europe/Berlin
                declared_at: 2027-01-01T00:00Z
            objectives:
              - {id: vnpt-dns, provider: vnpt, service: dns, availability: 99.5%, period: month}
              - {id: viettel-all, provider: viettel, availability: 99.9, period: week, timezone: UTC, min_coverage: 80%}
            """, path: "sla.yaml")
        #expect(configuration.maintenance.count == 2)
        let once = configuration.maintenance[0]
        #expect(once.scope == MaintenanceScope(providers: ["vnpt"], services: ["dns"]))
        #expect(once.schedule == .once(start: Timestamp(rfc3339: "2027-02-04T18:00Z")!, end: Timestamp(rfc3339: "2027-02-04T20:00Z")!))
        #expect(once.declaredBy == "VNPT NOC")
        let weekly = configuration.maintenance[1]
        #expect(weekly.scope.targets == [TargetID("viettel-portal")])
        #expect(weekly.schedule == .recurring(MaintenanceRecurrence(
            frequency: .weekly, weekdays: [3, 7], hour: 2, minute: 30, duration: .seconds(1_800), timeZone: "Europe/Berlin")))
        #expect(configuration.objectives.map(\.availability) == [0.995, 0.999])
        #expect(configuration.objectives.map(\.period) == [.month, .week])
        #expect(configuration.objectives.map(\.timeZone) == ["Asia/Ho_Chi_Minh", "UTC"])
        #expect(configuration.objectives.map(\.minimumCoverage) == [0.9, 0.8])
    }

    struct Bad: CustomTestStringConvertible, Sendable {
        var name: String
        var yaml: String
        var at: String
        var field: String
        var says: String
        var testDescription: String { name }
    }

    static let bad: [Bad] = [
        Bad(name: "misspelt key", yaml: "maintenance:\n  - {id: w, providers: [vnpt], start: 2027-02-05T01:00Z, duraton: 1h, declared_at: 2027-02-01T00:00Z}\n",
            at: "3:58", field: "maintenance[0].duraton", says: "did you mean \"duration\"?"),
        Bad(name: "time without offset", yaml: "maintenance:\n  - {id: w, providers: [vnpt], start: 2027-02-05T01:00, duration: 1h, declared_at: 2027-02-01T00:00Z}\n",
            at: "3:39", field: "maintenance[0].start", says: "write a date, time and offset"),
        Bad(name: "end before start", yaml: "maintenance:\n  - {id: w, providers: [vnpt], start: 2027-02-05T01:00Z, end: 2027-02-05T00:00Z, declared_at: 2027-02-01T00:00Z}\n",
            at: "3:63", field: "maintenance[0].end", says: "is not after start"),
        Bad(name: "no scope", yaml: "maintenance:\n  - {id: w, start: 2027-02-05T01:00Z, duration: 1h, declared_at: 2027-02-01T00:00Z}\n",
            at: "3:5", field: "maintenance[0]", says: "a window needs a scope"),
        Bad(name: "unknown provider", yaml: "maintenance:\n  - {id: w, providers: [vntp], start: 2027-02-05T01:00Z, duration: 1h, declared_at: 2027-02-01T00:00Z}\n",
            at: "3:25", field: "maintenance[0].providers[0]", says: "did you mean \"vnpt\"?"),
        Bad(name: "misspelt timezone", yaml: "maintenance:\n  - {id: w, providers: [vnpt], every: daily, at: \"02:00\", duration: 1h, timezone: Asia/Ho_Chi_Mihn, declared_at: 2027-02-01T00:00Z}\n",
            at: "3:83", field: "maintenance[0].timezone", says: "did you mean \"Asia/Ho_Chi_Minh\"?"),
        Bad(name: "weekly without weekdays", yaml: "maintenance:\n  - {id: w, providers: [vnpt], every: weekly, at: \"02:00\", duration: 1h, declared_at: 2027-02-01T00:00Z}\n",
            at: "3:39", field: "maintenance[0].every", says: "missing required key \"weekdays\""),
        Bad(name: "bad weekday", yaml: "maintenance:\n  - {id: w, providers: [vnpt], every: weekly, weekdays: [sun, thurs], at: \"02:00\", duration: 1h, declared_at: 2027-02-01T00:00Z}\n",
            at: "3:57", field: "maintenance[0].weekdays", says: "\"thurs\" is not a weekday"),
        Bad(name: "bad time of day", yaml: "maintenance:\n  - {id: w, providers: [vnpt], every: daily, at: \"25:00\", duration: 1h, declared_at: 2027-02-01T00:00Z}\n",
            at: "3:50", field: "maintenance[0].at", says: "write HH:MM on a 24-hour clock"),
        Bad(name: "start in a recurring window", yaml: "maintenance:\n  - {id: w, providers: [vnpt], every: daily, at: \"02:00\", duration: 1h, start: 2027-02-05T01:00Z, declared_at: 2027-02-01T00:00Z}\n",
            at: "3:73", field: "maintenance[0].start", says: "belongs to a one-off window"),
        Bad(name: "objective of 100 %", yaml: "objectives:\n  - {id: o, provider: vnpt, availability: 100%}\n",
            at: "3:43", field: "objectives[0].availability", says: "between 0 and 100"),
        Bad(name: "objective period typo", yaml: "objectives:\n  - {id: o, provider: vnpt, availability: 99.5%, period: monht}\n",
            at: "3:58", field: "objectives[0].period", says: "did you mean \"month\"?"),
        Bad(name: "objective without availability", yaml: "objectives:\n  - {id: o, provider: vnpt}\n",
            at: "3:5", field: "objectives[0].availability", says: "missing required key \"availability\""),
    ]

    @Test(arguments: bad)
    func aBadEntryIsReportedAtItsLineWithWhatToWrite(_ bad: Bad) {
        do {
            _ = try Configuration.load(yaml: Self.providers + bad.yaml, path: "sla.yaml")
            Issue.record("\(bad.name) loaded")
        } catch {
            let issue = error.issues.first { $0.field == bad.field }
            #expect(issue != nil, "no issue at \(bad.field): \(error)")
            #expect(issue.map { "\($0.location.line):\($0.location.column)" } == bad.at, "\(error)")
            #expect(issue?.message.contains(bad.says) == true, "\(error)")
        }
    }

    @Test func aWindowNamingAnUnknownTargetIsRefusedWithTheClosestOne() {
        let yaml = Self.providers + """
            targets:
              - {id: vnpt-dns-hn-1, provider: vnpt, dns: {server: 203.162.4.190, query_name: vnexpress.net}}
            maintenance:
              - {id: w, targets: [vnpt-dns-hn1], start: 2027-02-05T01:00Z, duration: 1h, declared_at: 2027-02-01T00:00Z}
            """
        #expect(throws: ConfigurationError.self) { try Configuration.load(yaml: yaml, path: "sla.yaml") }
        do {
            _ = try Configuration.load(yaml: yaml, path: "sla.yaml")
        } catch {
            #expect(error.issues.map(\.description) == [
                "sla.yaml:5:10: maintenance[0].targets: window \"w\" covers unknown target \"vnpt-dns-hn1\"; "
                    + "did you mean \"vnpt-dns-hn-1\"?",
            ])
        }
    }

    @Test func windowAndObjectiveIdsAreUniqueAcrossFiles() {
        let first = ConfigurationSource(path: "a.yaml", text: Self.providers + """
            maintenance: [{id: w, providers: [vnpt], start: 2027-02-05T01:00Z, duration: 1h, declared_at: 2027-02-01T00:00Z}]
            objectives: [{id: o, provider: vnpt, availability: 99%}]
            """)
        let second = ConfigurationSource(path: "b.yaml", text: """
            maintenance: [{id: w, providers: [vnpt], start: 2027-02-06T01:00Z, duration: 1h, declared_at: 2027-02-01T00:00Z}]
            objectives: [{id: o, provider: vnpt, availability: 99.9%}]
            """)
        do {
            _ = try Configuration.load([first, second])
            Issue.record("duplicate ids loaded")
        } catch {
            #expect(error.issues.map(\.field) == ["maintenance[0].id", "objectives[0].id"])
            #expect(error.issues.allSatisfy { $0.location.file == "b.yaml" && $0.message.contains("already used at a.yaml:") })
        }
    }
}
