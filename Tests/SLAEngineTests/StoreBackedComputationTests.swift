import Foundation
import SLAEngine
import SeriesStore
import Testing
import WatchCore

/// The store-reading layer, on results written with `StoreWriter` into temporary directories.
@Suite struct StoreBackedComputationTests {
    private struct Stores {
        let base: String
        var vantagesOneAndTwo: String { base + "/hanoi" }
        var vantageThree: String { base + "/hcm" }

        init() {
            base = FileManager.default.temporaryDirectory.appendingPathComponent("sla-\(UUID().uuidString)").path
            try! FileManager.default.createDirectory(atPath: base, withIntermediateDirectories: true)
        }

        func remove() { try? FileManager.default.removeItem(atPath: base) }
    }

    private static func options() -> StoreOptions {
        var options = StoreOptions()
        options.syncOnFlush = false
        options.sealsInBackground = false
        options.blockCapacity = 64
        return options
    }

    private static let dns = SeriesMetadata(provider: "vnpt", service: "dns", kind: .dns, region: "hanoi")
    private static let web = SeriesMetadata(provider: "fpt", service: "portal", kind: .http, region: "hcm")

    /// Two probes per slice (at :00 and :30) for 60 slices; `outcome(slice)` decides each.
    private static func results(
        _ series: SeriesID, latency: UInt32, _ outcome: (Int) -> (FailureReason?, Int32?)
    ) -> [StoredResult] {
        (0..<60).flatMap { slice in
            (0..<2).map { probe in
                let (failure, code) = outcome(slice)
                return StoredResult(
                    series: series, scheduledMillis: nil,
                    startMillis: HandBuilt.at(slice).millisecondsSinceEpoch + Int64(probe) * 30_000,
                    success: failure == nil, failure: failure, code: code, latencyMicros: latency)
            }
        }
    }

    /// v1 and v2 (one store) see vnpt-dns SERVFAIL in slices 10–19; v1 and v3 (another store) see
    /// timeouts in 40–49, but v3 reports itself unhealthy then; v2's prober fails in 30–35; a
    /// control series fails throughout; fpt-portal answers 503 in slices 0–2.
    private func write(_ stores: Stores) throws {
        let hanoi = try StoreWriter(directory: stores.vantagesOneAndTwo, options: Self.options())
        let v1 = try hanoi.register(SeriesKey(target: TargetID("vnpt-dns"), vantage: "v1", family: .v4), metadata: Self.dns)
        let v2 = try hanoi.register(SeriesKey(target: TargetID("vnpt-dns"), vantage: "v2", family: .v4), metadata: Self.dns)
        let web = try hanoi.register(SeriesKey(target: TargetID("fpt-portal"), vantage: "v1", family: .v4), metadata: Self.web)
        let control = try hanoi.register(
            SeriesRole.controlTarget("anycast").seriesKey(vantage: "v1"),
            metadata: SeriesMetadata(labels: [SeriesRole.labelName: SeriesRole.control.rawValue]))
        try hanoi.append(contentsOf: Self.results(v1, latency: 20_000) { slice -> (FailureReason?, Int32?) in
            if (10..<20).contains(slice) { return (.dnsServfail, 2) }
            return (40..<50).contains(slice) ? (.dnsTimeout, nil) : (nil, 0)
        })
        try hanoi.sealActiveSegment()
        try hanoi.sealPendingSegments()
        try hanoi.append(contentsOf: Self.results(v2, latency: 30_000) { slice -> (FailureReason?, Int32?) in
            if (10..<20).contains(slice) { return (.dnsServfail, 2) }
            return (30..<36).contains(slice) ? (.proberError, nil) : (nil, 0)
        })
        try hanoi.append(contentsOf: Self.results(web, latency: 100_000) { slice -> (FailureReason?, Int32?) in slice < 3 ? (.httpStatus, 503) : (nil, 200) })
        try hanoi.append(contentsOf: Self.results(control, latency: 1) { _ in (.dnsTimeout, nil) })
        // Registered, never probed in the period: a retired target.
        _ = try hanoi.register(SeriesKey(target: TargetID("vnpt-old"), vantage: "v1", family: .v4), metadata: Self.dns)
        try hanoi.close()

        let hcm = try StoreWriter(directory: stores.vantageThree, options: Self.options())
        let v3 = try hcm.register(SeriesKey(target: TargetID("vnpt-dns"), vantage: "v3", family: .v4), metadata: Self.dns)
        let health = try hcm.register(
            SeriesRole.vantageHealthTarget.seriesKey(vantage: "v3"),
            metadata: SeriesMetadata(labels: [SeriesRole.labelName: SeriesRole.vantageHealth.rawValue]))
        try hcm.append(contentsOf: Self.results(v3, latency: 40_000) { slice -> (FailureReason?, Int32?) in (40..<50).contains(slice) ? (.dnsTimeout, nil) : (nil, 0) })
        for (slice, healthy) in [(-5, true), (40, false), (50, true)] {
            try hcm.append(StoredResult(
                series: health, scheduledMillis: nil, startMillis: HandBuilt.at(slice).millisecondsSinceEpoch,
                success: healthy, failure: healthy ? nil : .dnsTimeout, code: nil, latencyMicros: 0))
        }
        try hcm.close()
    }

    private func compute(_ stores: Stores, grouping: [GroupingDimension], configuration: Configuration = Configuration()) throws -> SLAResult {
        try SLAComputation(
            readers: [StoreReader(directory: stores.vantagesOneAndTwo), StoreReader(directory: stores.vantageThree)],
            configuration: configuration, period: HandBuilt.period(slices: 60), grouping: grouping
        ).run()
    }

    @Test func figuresComputedThroughTheStoresFollowTheRules() throws {
        let stores = Stores()
        defer { stores.remove() }
        try write(stores)
        let result = try compute(stores, grouping: [.provider, .service])
        #expect(result.groups.map(\.key.description) == ["provider=fpt service=portal", "provider=vnpt service=dns"])
        let dns = result.groups[1]
        // Two of three down in 10–19: DOWN. In 40–49 v3 is unhealthy, so v1 alone of (v1, v2) is
        // DOWN: UP. v2's prober faults in 30–35 leave v1 and v3, both UP.
        #expect(dns.availability.slices.down == 10)
        #expect(dns.availability.slices.up == 50)
        #expect(dns.availability.coverage == 1)
        #expect(dns.units == 1)
        #expect(result.dataQuality.proberErrors == 12)
        #expect(result.dataQuality.unhealthyPeriods == [UnhealthyPeriod(vantage: "v3", start: HandBuilt.at(40), end: HandBuilt.at(50))])

        // fpt-portal's three 503 slices at the start are an incident too.
        #expect(result.incidents.map(\.target.rawValue) == ["fpt-portal", "vnpt-dns"])
        let incident = try #require(result.incidents.last)
        #expect(incident.start == HandBuilt.at(10))
        #expect(incident.end == HandBuilt.at(20))
        #expect(incident.affectedVantages == ["v1", "v2"])
        #expect(incident.dominantFailure == "dns_servfail")
        #expect(incident.dominantCode == 2)
        #expect(incident.failureCounts == ["dns_servfail": 40])

        // Latency of successful probes, healthy time only: 100 at 20 ms (v1), 88 at 30 ms (v2),
        // 100 at 40 ms (v3: 120 minus its 20 unhealthy failures are all successes).
        let latency = try #require(dns.latency)
        #expect(latency.count == 80 + 88 + 100)
        #expect(latency.max == 40)
        #expect(abs(latency.p50 - 30) <= 0.3)
        #expect(dns.probes.dnsTimeouts == 20)   // v1's timeouts in 40–49; v3's are in unhealthy time
        #expect(dns.probes.dnsFailureRcodes == [2: 40])

        let portal = result.groups[0]
        #expect(portal.availability.slices.down == 3)
        #expect(portal.probes.httpStatuses == [200: 114, 503: 6])
        #expect(result.incidents[0].dominantFailure == "http_status")
        #expect(result.incidents[0].dominantCode == 503)
        #expect(result.dataQuality.seriesLeftOut.map(\.description) == ["vnpt-old/v1/v4"])
        #expect(result.vantages.map(\.id) == ["v1", "v2", "v3"])
        #expect(result.vantages.map(\.reportsHealth) == [false, false, true])
    }

    @Test func aProviderFilterReadsOnlyThatProvidersSeries() throws {
        let stores = Stores()
        defer { stores.remove() }
        try write(stores)
        let result = try SLAComputation(
            readers: [StoreReader(directory: stores.vantagesOneAndTwo), StoreReader(directory: stores.vantageThree)],
            period: HandBuilt.period(slices: 60), grouping: [.target], providers: ["fpt"]
        ).run()
        #expect(result.groups.map(\.key.description) == ["target=fpt-portal"])
        #expect(result.incidents.map(\.target) == [TargetID("fpt-portal")])
    }

    @Test func aConfiguredTargetWithoutResultsIsAGapNotLeftOut() throws {
        let stores = Stores()
        defer { stores.remove() }
        try write(stores)
        let configuration = try Configuration.load(yaml: """
            providers: [{id: vnpt}]
            targets: [{id: vnpt-old, provider: vnpt, service: dns, dns: {server: 203.162.4.190, query_name: a.vn}}]
            """, path: "targets.yaml")
        let result = try compute(stores, grouping: [.target], configuration: configuration)
        #expect(result.dataQuality.seriesLeftOut.isEmpty)
        let old = try #require(result.groups.first { $0.key[.target] == "vnpt-old" })
        #expect(old.availability.coverage == 0)
        #expect(old.availability.raw == nil)
        #expect(result.dataQuality.gaps.contains { $0.series.target == TargetID("vnpt-old") && $0.slices == 60 })
    }

    @Test func maintenanceFromTheConfigurationExcusesTheOutage() throws {
        let stores = Stores()
        defer { stores.remove() }
        try write(stores)
        let configuration = try Configuration.load(yaml: """
            providers: [{id: vnpt}]
            maintenance:
              - id: vnpt-upgrade
                providers: [vnpt]
                start: 2027-02-01T00:10+07:00
                end: 2027-02-01T00:20+07:00
                declared_at: 2027-01-25T09:00+07:00
                declared_by: VNPT NOC
            objectives:
              - {id: vnpt-dns, provider: vnpt, service: dns, availability: 99.5%, period: month}
            """, path: "sla.yaml")
        let result = try compute(stores, grouping: [.provider], configuration: configuration)
        let vnpt = try #require(result.groups.first { $0.key[.provider] == "vnpt" })
        #expect(vnpt.availability.raw == 50.0 / 60.0)
        #expect(vnpt.availability.adjusted == 1)
        #expect(result.incidents.filter { $0.provider == "vnpt" }.isEmpty)
        #expect(result.maintenance.map(\.windowID) == ["vnpt-upgrade"])
        #expect(result.maintenance[0].late == false)
        #expect(result.objectives.map(\.verdict) == [.pass])
        #expect(result.objectives[0].periodAligned == false)
    }
}

extension TargetID {
    fileprivate func seriesKey(vantage: String) -> SeriesKey { SeriesKey(target: self, vantage: vantage, family: .v4) }
}
