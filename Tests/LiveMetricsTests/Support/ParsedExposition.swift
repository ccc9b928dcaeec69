/// An exposition read back the way Prometheus reads it, so that tests check values, not bytes.
struct ParsedExposition {
    struct Sample: Equatable {
        var name: String
        var labels: [String: String]
        var value: Double
    }

    /// Every sample, in order.
    private(set) var samples: [Sample] = []
    /// The `# TYPE` of each family, in the order the TYPE lines appear (a family twice means it was
    /// written twice).
    private(set) var typeLines: [(family: String, type: String)] = []
    private(set) var helpLines: [String] = []

    init(_ text: String) throws(TestFixtureError) {
        for line in text.split(separator: "\n", omittingEmptySubsequences: false) where !line.isEmpty {
            if line.hasPrefix("# TYPE ") {
                let parts = line.dropFirst(7).split(separator: " ")
                guard parts.count == 2 else { throw TestFixtureError("bad TYPE line: \(line)") }
                typeLines.append((String(parts[0]), String(parts[1])))
            } else if line.hasPrefix("# HELP ") {
                helpLines.append(String(line.dropFirst(7).prefix { $0 != " " }))
            } else if line.hasPrefix("#") {
                continue
            } else {
                samples.append(try Self.sample(line))
            }
        }
    }

    /// The samples of `name` whose labels include `matching`.
    func samples(_ name: String, _ matching: [String: String] = [:]) -> [Sample] {
        samples.filter { sample in
            sample.name == name && matching.allSatisfy { sample.labels[$0.key] == $0.value }
        }
    }

    /// The value of the one sample of `name` matching `labels`; fails the lookup when there are none
    /// or several.
    func value(_ name: String, _ labels: [String: String] = [:]) throws(TestFixtureError) -> Double {
        let found = samples(name, labels)
        guard found.count == 1 else {
            throw TestFixtureError("\(found.count) samples of \(name) \(labels), expected exactly one")
        }
        return found[0].value
    }

    /// The family a sample belongs to: its name without a histogram suffix when the family is a
    /// histogram.
    func family(of sample: Sample) -> String {
        for suffix in ["_bucket", "_sum", "_count"] where sample.name.hasSuffix(suffix) {
            let base = String(sample.name.dropLast(suffix.count))
            if typeLines.contains(where: { $0.family == base && $0.type == "histogram" }) { return base }
        }
        return sample.name
    }

    private static func sample(_ line: Substring) throws(TestFixtureError) -> Sample {
        var rest = line[...]
        let name = String(rest.prefix { $0 != "{" && $0 != " " })
        rest = rest.dropFirst(name.count)
        var labels: [String: String] = [:]
        if rest.first == "{" {
            rest = rest.dropFirst()
            while rest.first != "}" {
                let labelName = String(rest.prefix { $0 != "=" })
                rest = rest.dropFirst(labelName.count)
                guard rest.hasPrefix("=\"") else { throw TestFixtureError("bad label in: \(line)") }
                rest = rest.dropFirst(2)
                var value = ""
                while let character = rest.first, character != "\"" {
                    rest = rest.dropFirst()
                    if character == "\\" {
                        guard let escaped = rest.first else { throw TestFixtureError("bad escape in: \(line)") }
                        rest = rest.dropFirst()
                        switch escaped {
                        case "n": value.append("\n")
                        case "\\", "\"": value.append(escaped)
                        default: throw TestFixtureError("unknown escape \\\(escaped) in: \(line)")
                        }
                    } else {
                        value.append(character)
                    }
                }
                guard rest.first == "\"" else { throw TestFixtureError("unterminated label value in: \(line)") }
                rest = rest.dropFirst()
                labels[labelName] = value
                if rest.first == "," { rest = rest.dropFirst() }
                guard !rest.isEmpty else { throw TestFixtureError("unterminated label set in: \(line)") }
            }
            rest = rest.dropFirst()
        }
        guard rest.first == " " else { throw TestFixtureError("no value in: \(line)") }
        let valueText = rest.dropFirst()
        let value: Double? = switch valueText {
        case "+Inf": .infinity
        case "-Inf": -.infinity
        default: Double(valueText)
        }
        guard let value else { throw TestFixtureError("bad value in: \(line)") }
        return Sample(name: name, labels: labels, value: value)
    }
}
