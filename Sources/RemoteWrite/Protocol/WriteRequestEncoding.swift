import SwiftProtobuf

/// Samples as the body of one remote-write POST: a `prometheus.WriteRequest`, serialized, then
/// snappy-compressed.
public enum WriteRequestEncoding {
    /// The body carrying `samples`.
    ///
    /// Samples of the same label set become one `TimeSeries` whose samples keep the order given, so
    /// pass each series' samples oldest first: a receiver rejects a sample older than the newest it
    /// has for its series. Series appear in the order their first sample does.
    public static func body(_ samples: [RemoteSample]) -> [UInt8] {
        SnappyBlock.compress(serialized(samples))
    }

    /// The `WriteRequest` carrying `samples`, serialized but not compressed.
    static func serialized(_ samples: [RemoteSample]) -> [UInt8] {
        var indexByLabels: [[RemoteLabel]: Int] = [:]
        var request = Prometheus_WriteRequest()
        for sample in samples {
            let index: Int
            if let known = indexByLabels[sample.labels] {
                index = known
            } else {
                index = request.timeseries.count
                indexByLabels[sample.labels] = index
                var series = Prometheus_TimeSeries()
                series.labels = sample.labels.map { label in
                    var wire = Prometheus_Label()
                    wire.name = label.name
                    wire.value = label.value
                    return wire
                }
                request.timeseries.append(series)
            }
            var wire = Prometheus_Sample()
            wire.value = sample.value
            wire.timestamp = sample.timestampMilliseconds
            request.timeseries[index].samples.append(wire)
        }
        // Serializing messages built only from set fields cannot fail.
        return (try? request.serializedBytes()) ?? []
    }

    /// The samples of a body made by ``body(_:)``, series by series; throws on a corrupt body.
    public static func samples(ofBody body: [UInt8]) throws -> [RemoteSample] {
        let request = try Prometheus_WriteRequest(serializedBytes: try SnappyBlock.uncompress(body))
        return request.timeseries.flatMap { series in
            let labels = series.labels.map { RemoteLabel($0.name, $0.value) }
            return series.samples.map { RemoteSample(labels: labels, value: $0.value, timestampMilliseconds: $0.timestamp) }
        }
    }
}
