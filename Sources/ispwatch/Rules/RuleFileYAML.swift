import Foundation

/// Writes rule groups as a Prometheus rule file (`promtool check rules` reads it back).
///
/// Every scalar but the expressions is written double-quoted with JSON's escapes, which YAML's
/// double-quoted style accepts, so no label value or template can break the document; expressions
/// go in literal blocks, line for line as PromQL is read.
enum RuleFileYAML {
    /// The file's text, `header` lines first as comments.
    static func render(_ groups: [PrometheusRuleGroup], header: [String]) -> String {
        var lines = header.map { "# " + $0 }
        lines.append("groups:")
        for group in groups {
            lines.append("  - name: \(scalar(group.name))")
            lines.append("    interval: \(PromQLText.duration(group.interval))")
            lines.append("    rules:")
            for rule in group.rules {
                switch rule.output {
                case .record(let name): lines.append("      - record: \(scalar(name))")
                case .alert(let name): lines.append("      - alert: \(scalar(name))")
                }
                // A first line indented deeper than the next would set the block's indentation:
                // the indicator (2, relative to the rule's mapping) states it instead.
                lines.append(rule.expr.hasPrefix(" ") ? "        expr: |2-" : "        expr: |-")
                for line in rule.expr.split(separator: "\n", omittingEmptySubsequences: false) {
                    lines.append("          " + line)
                }
                if let pendingFor = rule.pendingFor { lines.append("        for: \(PromQLText.duration(pendingFor))") }
                if let keep = rule.keepFiringFor { lines.append("        keep_firing_for: \(PromQLText.duration(keep))") }
                lines += mapping("labels", rule.labels)
                lines += mapping("annotations", rule.annotations)
            }
        }
        return lines.joined(separator: "\n") + "\n"
    }

    private static func mapping(_ key: String, _ values: [String: String]) -> [String] {
        guard !values.isEmpty else { return [] }
        return ["        \(key):"] + values.sorted { $0.key < $1.key }.map { "          \($0.key): \(scalar($0.value))" }
    }

    /// A JSON string literal, which is also a YAML double-quoted scalar.
    private static func scalar(_ value: String) -> String {
        let data = try! JSONSerialization.data(withJSONObject: value, options: [.fragmentsAllowed, .withoutEscapingSlashes])
        return String(decoding: data, as: UTF8.self)
    }
}
