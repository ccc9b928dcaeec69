import Testing
import WatchCore

struct VantageControlsAndSchedulerTests {
    private let yaml = """
        vantage:
          id: hanoi-1
          controls:
            - id: quad9
              dns: {server: 9.9.9.9, query_name: example.com}
            - id: portal
              interval: 20s
              http: {url: "https://www.example.vn/"}
        defaults: {interval: 30s, timeout: 4s}
        scheduler:
          max_in_flight: 500
          failing_interval: 5s
          provider_limits: {max_in_flight: 50, rate: 20, burst: 10}
          providers:
            viettel: {rate: 5}
        providers: [{id: viettel}]
        targets:
          - {id: v-dns, provider: viettel, dns: {server: 203.113.131.1, query_name: example.com}}
        """

    @Test func controlsTakeTheFileDefaultsAndHaveNoProvider() throws {
        let configuration = try Configuration.load(yaml: yaml, path: "v.yaml")
        let controls = try #require(configuration.vantage?.controls)
        #expect(controls.map(\.id.rawValue) == ["quad9", "portal"])
        #expect(controls.allSatisfy { $0.provider.isEmpty })
        #expect(controls[0].interval == .seconds(30) && controls[0].timeout == .seconds(4))
        #expect(controls[1].interval == .seconds(20))
        // Controls are not targets: they make no provider series.
        #expect(configuration.series.map(\.target.rawValue) == ["v-dns"])
    }

    @Test func theSchedulerSectionSetsLimitsAndPerProviderOverrides() throws {
        let scheduler = try #require(try Configuration.load(yaml: yaml, path: "v.yaml").scheduler)
        #expect(scheduler.maximumInFlight == 500)
        #expect(scheduler.failingInterval == .seconds(5))
        #expect(scheduler.providerLimits == ProviderProbeLimits(maximumInFlight: 50, probesPerSecond: 20, burst: 10))
        #expect(scheduler.providerOverrides["viettel"]?.probesPerSecond == 5)
    }

    @Test func twoFilesMayNotBothSetTheScheduler() throws {
        let error = try #require(throws: ConfigurationError.self) {
            try Configuration.load([
                ConfigurationSource(path: "a.yaml", text: "scheduler: {max_in_flight: 10}\n"),
                ConfigurationSource(path: "b.yaml", text: "scheduler: {max_in_flight: 20}\n"),
            ])
        }
        #expect(error.issues.count == 1 && error.issues[0].message.contains("already defined at a.yaml:1"))
    }
}
