import LiveMetrics
import Testing
import WatchCore

@testable import RemoteWrite

@Suite struct WriteRequestEncodingTests {
    @Test func oneSampleMatchesTheProtobufWireFormatByteForByte() {
        let sample = RemoteSample(labels: [RemoteLabel("a", "b")], value: 1.0, timestampMilliseconds: 1_000)
        // WriteRequest{timeseries: [TimeSeries{labels: [{a, b}], samples: [{1.0, 1000}]}]}, by hand:
        let label: [UInt8] = [0x0A, 0x06, 0x0A, 0x01, 0x61, 0x12, 0x01, 0x62]
        let value: [UInt8] = [0x09, 0, 0, 0, 0, 0, 0, 0xF0, 0x3F, 0x10, 0xE8, 0x07]
        let series: [UInt8] = label + [0x12, UInt8(value.count)] + value
        #expect(WriteRequestEncoding.serialized([sample]) == [0x0A, UInt8(series.count)] + series)
    }

    @Test func samplesOfOneLabelSetBecomeOneSeriesInTheOrderGiven() throws {
        let up = [RemoteLabel("__name__", "probe_success"), RemoteLabel("target", "t1")]
        let other = [RemoteLabel("__name__", "probe_success"), RemoteLabel("target", "t2")]
        let samples = [
            RemoteSample(labels: up, value: 1, timestampMilliseconds: 10),
            RemoteSample(labels: other, value: 0, timestampMilliseconds: 11),
            RemoteSample(labels: up, value: 0, timestampMilliseconds: 20),
        ]
        let request = try Prometheus_WriteRequest(serializedBytes: WriteRequestEncoding.serialized(samples))
        #expect(request.timeseries.count == 2)
        #expect(request.timeseries[0].samples.map(\.timestamp) == [10, 20])
        #expect(request.timeseries[0].samples.map(\.value) == [1, 0])
        #expect(request.timeseries[1].labels.map(\.value) == ["probe_success", "t2"])
    }

    @Test func bodyIsSnappyOfTheSerializedRequestAndDecodesBack() throws {
        let samples = (0..<500).map {
            RemoteSample(labels: [RemoteLabel("__name__", "m"), RemoteLabel("i", "\($0 % 7)")], value: Double($0),
                         timestampMilliseconds: Int64($0))
        }
        let body = WriteRequestEncoding.body(samples)
        #expect(try SnappyBlock.uncompress(body) == WriteRequestEncoding.serialized(samples))
        let decoded = try WriteRequestEncoding.samples(ofBody: body)
        #expect(Set(decoded) == Set(samples))
    }

    @Test func aBatchOfProbeSamplesCompressesBecauseLabelsRepeat() {
        // 2,000 samples: the samples of one probe of each of 200 series, http and dns.
        var samples: [RemoteSample] = []
        for index in 0..<200 {
            let kind: ProbeKind = index.isMultiple(of: 2) ? .http : .dns
            let labels = SeriesLabels(target: "target-\(index)", provider: "provider-\(index % 10)", service: kind.rawValue,
                                      kind: kind, ipFamily: .v4, vantage: "hanoi")
            let result = ProbeResult(target: TargetID("target-\(index)"), kind: kind,
                                     startedAt: Timestamp(nanosecondsSinceEpoch: 1_700_000_000_000_000_000 + Int64(index) * 1_000_000),
                                     duration: .milliseconds(Int64(index)))
            samples += ProbeSamples.samples(of: result, labels: labels)
        }
        let serialized = WriteRequestEncoding.serialized(samples).count
        let body = WriteRequestEncoding.body(samples).count
        print("\(samples.count) probe samples: \(serialized) bytes serialized, \(body) with snappy, "
              + "\(Double(body) / Double(samples.count)) bytes per sample")
        #expect(body * 3 < serialized)
    }

    @Test func labelsAreSortedWithTheNameFirst() {
        let sample = RemoteSample(
            labels: [RemoteLabel("vantage", "v"), RemoteLabel("__name__", "x"), RemoteLabel("ip_family", "v4"),
                     RemoteLabel("Zeta", "z")],
            value: 0, timestampMilliseconds: 0)
        #expect(sample.labels.map(\.name) == ["Zeta", "__name__", "ip_family", "vantage"].sorted { $0.utf8.lexicographicallyPrecedes($1.utf8) })
        #expect(sample.labels.map(\.name) == ["Zeta", "__name__", "ip_family", "vantage"])
    }
}

@Suite struct ProbeSamplesTests {
    let labels = SeriesLabels(target: "portal-1", provider: "acme", service: "portal", kind: .http, ipFamily: .v4,
                              vantage: "hanoi")
    let start = Timestamp(nanosecondsSinceEpoch: 1_700_000_000_123_456_789)

    @Test func everySampleIsStampedWithTheProbeStartInMilliseconds() {
        let result = ProbeResult(target: "portal-1", kind: .http, startedAt: start, duration: .milliseconds(30))
        let samples = ProbeSamples.samples(of: result, labels: labels)
        #expect(!samples.isEmpty)
        #expect(samples.allSatisfy { $0.timestampMilliseconds == 1_700_000_000_123 })
    }

    @Test func successAndDurationCarryTheSixSeriesLabels() throws {
        var phases = PhaseTimings()
        phases.connect = .milliseconds(2)
        let result = ProbeResult(target: "portal-1", kind: .http, ipFamily: .v4, startedAt: start, duration: .milliseconds(250),
                                 phases: phases, detail: .http(HTTPProbeDetail(statusCode: 204)))
        let samples = ProbeSamples.samples(of: result, labels: labels)
        let success = try #require(samples.first { $0.labels.contains(RemoteLabel("__name__", "probe_success")) })
        #expect(success.value == 1)
        #expect(success.labels == [
            RemoteLabel("__name__", "probe_success"), RemoteLabel("ip_family", "v4"), RemoteLabel("kind", "http"),
            RemoteLabel("provider", "acme"), RemoteLabel("service", "portal"), RemoteLabel("target", "portal-1"),
            RemoteLabel("vantage", "hanoi"),
        ])
        #expect(value(samples, "probe_duration_seconds") == 0.25)
        #expect(value(samples, "probe_http_status_code") == 204)
        #expect(value(samples, "probe_http_duration_seconds", RemoteLabel("phase", "connect")) == 0.002)
        // Every phase of the kind, 0 when not reached, as on /metrics.
        #expect(value(samples, "probe_http_duration_seconds", RemoteLabel("phase", "tls")) == 0)
        #expect(value(samples, "probe_failure_info", RemoteLabel("reason", "http_status")) == nil)
    }

    @Test func failedProbeSaysWhyInTheReasonLabel() {
        let result = ProbeResult(target: "portal-1", kind: .http, startedAt: start, failure: .httpStatus, code: 503,
                                 duration: .milliseconds(5))
        let samples = ProbeSamples.samples(of: result, labels: labels)
        #expect(value(samples, "probe_success") == 0)
        #expect(value(samples, "probe_failure_info", RemoteLabel("reason", "http_status")) == 1)
        #expect(value(samples, "probe_http_status_code") == 503)
    }

    private func value(_ samples: [RemoteSample], _ name: String, _ extra: RemoteLabel? = nil) -> Double? {
        samples.first { sample in
            sample.labels.contains(RemoteLabel("__name__", name))
                && (extra.map { sample.labels.contains($0) } ?? !sample.labels.contains { ["phase", "reason"].contains($0.name) })
        }?.value
    }
}
