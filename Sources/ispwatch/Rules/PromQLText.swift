/// Spelling values inside PromQL and Prometheus' YAML.
enum PromQLText {
    /// `"value"` with `\` and `"` escaped, for a label matcher.
    static func quoted(_ value: String) -> String {
        var text = "\""
        for character in value {
            switch character {
            case "\\": text += "\\\\"
            case "\"": text += "\\\""
            case "\n": text += "\\n"
            default: text.append(character)
            }
        }
        return text + "\""
    }

    /// `{provider="vnpt",service="dns"}`, in the given order; empty pairs give `{}`.
    static func matchers(_ pairs: [(name: String, value: String)]) -> String {
        "{" + pairs.map { "\($0.name)=\(quoted($0.value))" }.joined(separator: ",") + "}"
    }

    /// A duration in Prometheus' syntax, in the largest unit that divides it: `1h`, `5m`, `840s`,
    /// `1500ms`. Windows scaled for short periods need not be whole minutes.
    static func duration(_ duration: Duration) -> String {
        let millis = duration.components.seconds * 1_000 + duration.components.attoseconds / 1_000_000_000_000_000
        for (unit, size) in [("d", Int64(86_400_000)), ("h", 3_600_000), ("m", 60_000), ("s", 1_000)]
        where millis >= size && millis % size == 0 {
            return "\(millis / size)\(unit)"
        }
        return "\(millis)ms"
    }

    /// A number the way PromQL and people read it: no exponent, at most six decimals, no trailing zeros.
    static func number(_ value: Double) -> String {
        var text = String(format: "%.6f", value)
        while text.hasSuffix("0") { text.removeLast() }
        if text.hasSuffix(".") { text.removeLast() }
        return text
    }
}
