/// One metric family of the exposition: its name, what it measures and its Prometheus type, with
/// the bytes a render writes for it prepared once.
struct MetricFamily: Sendable {
    /// The Prometheus metric types this exporter uses.
    enum Kind: String, Sendable {
        case gauge
        case counter
        case histogram
    }

    let name: String
    let help: String
    let kind: Kind
    /// `# HELP …` and `# TYPE …`, written before the family's first sample.
    let header: [UInt8]
    /// The name every sample of a gauge or counter starts with.
    let sampleName: [UInt8]
    /// For a histogram, the names of its `_bucket`, `_sum` and `_count` samples.
    let bucketName: [UInt8]
    let sumName: [UInt8]
    let countName: [UInt8]

    init(_ name: String, _ kind: Kind, help: String) {
        self.name = name
        self.help = help
        self.kind = kind
        header = Array("# HELP \(name) \(ExpositionText.escapedHelp(help))\n# TYPE \(name) \(kind.rawValue)\n".utf8)
        sampleName = Array(name.utf8)
        bucketName = Array("\(name)_bucket".utf8)
        sumName = Array("\(name)_sum".utf8)
        countName = Array("\(name)_count".utf8)
    }
}
