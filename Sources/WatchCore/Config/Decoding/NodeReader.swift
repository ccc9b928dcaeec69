import Yams

/// One value found in the document, with where it is and how to name it in a message.
struct Field {
    /// The value.
    var node: Node
    /// Its path, e.g. `targets[2].timeout`.
    var path: FieldPath
    /// Where its key is, when it is the value of a mapping key.
    var keyMark: Mark?
}

/// The keys of one mapping, checked against the keys allowed there.
struct Fields {
    /// The mapping itself, for messages about missing keys.
    var mapping: Field
    private var values: [String: Field]
    /// The keys in document order.
    private(set) var orderedKeys: [String]

    init(mapping: Field, values: [String: Field], orderedKeys: [String]) {
        self.mapping = mapping
        self.values = values
        self.orderedKeys = orderedKeys
    }

    /// The value under `key`, if present.
    subscript(key: String) -> Field? { values[key] }
}

/// Walks a composed YAML document and collects every problem found, so that one run of
/// `check-config` names them all.
///
/// Each `read…` method returns `nil` after recording an issue, and the callers carry on with the
/// next field; they never stop at the first problem.
struct NodeReader {
    /// The file's path, for locations.
    let file: String
    /// The problems found so far.
    private(set) var issues: [ConfigurationIssue] = []

    init(file: String) {
        self.file = file
    }

    // MARK: - Reporting

    func location(_ mark: Mark?) -> SourceLocation {
        SourceLocation(file: file, line: mark?.line ?? 1, column: mark?.column ?? 1)
    }

    /// Records a problem with the value of `field`.
    mutating func report(_ message: String, at field: Field) {
        report(message, path: field.path, mark: field.node.mark ?? field.keyMark)
    }

    /// Records a problem at `mark`.
    mutating func report(_ message: String, path: FieldPath, mark: Mark?) {
        issues.append(ConfigurationIssue(location: location(mark), field: path.description, message: message))
    }

    // MARK: - Structure

    /// The keys of a mapping. Unknown keys are reported (with the closest allowed key), missing
    /// required keys too; the mapping is returned even then so that its other fields get checked.
    mutating func fields(of field: Field, allowed: [String], required: [String] = []) -> Fields? {
        guard let mapping = field.node.mapping else {
            report("expected a mapping of \(Self.list(allowed)), found \(Self.describe(field.node))", at: field)
            return nil
        }
        var values: [String: Field] = [:]
        var ordered: [String] = []
        for (keyNode, valueNode) in mapping {
            guard let key = keyNode.scalar?.string else {
                report("a key must be a plain word, found \(Self.describe(keyNode))", path: field.path,
                       mark: keyNode.mark)
                continue
            }
            let path = field.path.key(key)
            guard allowed.contains(key) else {
                let hint = Suggestion.closest(to: key, among: allowed).map { "did you mean \"\($0)\"?" }
                    ?? "allowed here: \(Self.list(allowed))"
                report("unknown key \"\(key)\"; \(hint)", path: path, mark: keyNode.mark)
                continue
            }
            values[key] = Field(node: valueNode, path: path, keyMark: keyNode.mark)
            ordered.append(key)
        }
        for key in required where values[key] == nil {
            report("missing required key \"\(key)\"", path: field.path.key(key), mark: mapping.mark)
        }
        return Fields(mapping: field, values: values, orderedKeys: ordered)
    }

    /// The elements of a sequence, each with its indexed path.
    mutating func elements(of field: Field) -> [Field]? {
        guard let sequence = field.node.sequence else {
            if Self.isNull(field.node) { return [] }
            report("expected a list, found \(Self.describe(field.node))", at: field)
            return nil
        }
        return sequence.enumerated().map { index, node in
            Field(node: node, path: field.path.index(index), keyMark: nil)
        }
    }

    // MARK: - Scalars

    /// A non-empty string.
    mutating func string(_ field: Field?) -> String? {
        guard let field else { return nil }
        guard let scalar = field.node.scalar else {
            report("expected a string, found \(Self.describe(field.node))", at: field)
            return nil
        }
        if Self.isNull(field.node) {
            report("has no value; write a value or remove the key", at: field)
            return nil
        }
        return scalar.string
    }

    /// A whole number in `range`.
    mutating func integer(_ field: Field?, in range: ClosedRange<Int>, unit: String = "") -> Int? {
        guard let field, let text = string(field) else { return nil }
        guard let value = Int(text) else {
            report("\(text) is not a whole number; expected a number from \(range.lowerBound) to \(range.upperBound)\(unit)",
                   at: field)
            return nil
        }
        guard range.contains(value) else {
            report("\(value) is out of range; expected a number from \(range.lowerBound) to \(range.upperBound)\(unit)",
                   at: field)
            return nil
        }
        return value
    }

    /// A number in `range`, fractions allowed.
    mutating func number(_ field: Field?, in range: ClosedRange<Double>) -> Double? {
        guard let field, let text = string(field) else { return nil }
        guard let value = Double(text), value.isFinite else {
            report("\(text) is not a number; expected a number from \(range.lowerBound) to \(range.upperBound)", at: field)
            return nil
        }
        guard range.contains(value) else {
            report("\(text) is out of range; expected a number from \(range.lowerBound) to \(range.upperBound)", at: field)
            return nil
        }
        return value
    }

    /// `true` or `false`. YAML 1.1's `yes`, `on` and friends are refused: they surprise people.
    mutating func bool(_ field: Field?) -> Bool? {
        guard let field, let text = string(field) else { return nil }
        switch text.lowercased() {
        case "true": return true
        case "false": return false
        default:
            report("\(text) is not a boolean; write true or false", at: field)
            return nil
        }
    }

    /// A duration in Prometheus syntax (`500ms`, `30s`, `1m30s`).
    mutating func duration(_ field: Field?) -> Duration? {
        guard let field, let text = string(field) else { return nil }
        if let value = DurationSyntax.parse(text) { return value }
        if let number = Int(text) {
            report("\(text) has no unit; write \(number)s for seconds or \(number)ms for milliseconds", at: field)
        } else {
            report("\(text) is not a duration; write a number and a unit, like 500ms, 30s, 1m30s or 2h", at: field)
        }
        return nil
    }

    /// A size in bytes (`1MiB`, `512KiB`, `4096`).
    mutating func byteSize(_ field: Field?) -> Int? {
        guard let field, let text = string(field) else { return nil }
        guard let value = ByteSizeSyntax.parse(text) else {
            report("\(text) is not a size; write bytes (4096) or a size with a unit, like 512KiB or 1MiB", at: field)
            return nil
        }
        return value
    }

    /// One of a closed set of words.
    mutating func choice<Value: RawRepresentable & CaseIterable>(_ field: Field?, of type: Value.Type) -> Value?
    where Value.RawValue == String {
        guard let field, let text = string(field) else { return nil }
        if let value = Value(rawValue: text) { return value }
        let names = Value.allCases.map(\.rawValue)
        report("\"\(text)\" is not one of \(Self.list(names))\(Suggestion.didYouMean(text, among: names))", at: field)
        return nil
    }

    /// An id: `[a-z0-9][a-z0-9._-]*`.
    mutating func identifier(_ field: Field?) -> String? {
        guard let field, let text = string(field) else { return nil }
        guard IdentifierSyntax.isValidID(text) else {
            let lowered = text.lowercased().map { $0.isLetter || $0.isNumber || $0 == "." || $0 == "_" ? $0 : "-" }
            report("\"\(text)\" is not a valid id; use lowercase letters, digits, \".\", \"_\" and \"-\", "
                   + "starting with a letter or digit, e.g. \"\(String(lowered))\"", at: field)
            return nil
        }
        return text
    }

    /// A list of strings; a single string is taken as a list of one.
    mutating func strings(_ field: Field?) -> [String]? {
        guard let field else { return nil }
        if field.node.scalar != nil, !Self.isNull(field.node) { return string(field).map { [$0] } }
        guard let elements = elements(of: field) else { return nil }
        var values: [String] = []
        var valid = true
        for element in elements {
            if let value = string(element) { values.append(value) } else { valid = false }
        }
        return valid ? values : nil
    }

    /// A mapping of strings to strings, in document order.
    mutating func stringPairs(_ field: Field?) -> [(key: String, value: String, field: Field)]? {
        guard let field else { return nil }
        if Self.isNull(field.node) { return [] }
        guard let mapping = field.node.mapping else {
            report("expected a mapping of names to values, found \(Self.describe(field.node))", at: field)
            return nil
        }
        var pairs: [(String, String, Field)] = []
        var valid = true
        for (keyNode, valueNode) in mapping {
            guard let key = keyNode.scalar?.string else {
                report("a key must be a plain word, found \(Self.describe(keyNode))", path: field.path, mark: keyNode.mark)
                valid = false
                continue
            }
            let entry = Field(node: valueNode, path: field.path.key(key), keyMark: keyNode.mark)
            if let value = string(entry) { pairs.append((key, value, entry)) } else { valid = false }
        }
        return valid ? pairs : nil
    }

    /// Labels: Prometheus label names to string values.
    mutating func labels(_ field: Field?) -> [String: String]? {
        guard let pairs = stringPairs(field) else { return nil }
        var labels: [String: String] = [:]
        for (key, value, entry) in pairs {
            guard IdentifierSyntax.isValidLabelName(key) else {
                report("\"\(key)\" is not a valid label name; use letters, digits and \"_\", starting with a letter "
                       + "(names starting with \"__\" are reserved)", path: entry.path, mark: entry.keyMark)
                continue
            }
            labels[key] = value
        }
        return labels
    }

    /// A regular expression that Swift's `Regex` compiles.
    mutating func regex(_ field: Field?) -> String? {
        guard let field, let text = string(field) else { return nil }
        return checkRegex(text, at: field) ? text : nil
    }

    /// A list of regular expressions.
    mutating func regexes(_ field: Field?) -> [String]? {
        guard let field, let patterns = strings(field) else { return nil }
        var valid = true
        for pattern in patterns where !checkRegex(pattern, at: field) { valid = false }
        return valid ? patterns : nil
    }

    private mutating func checkRegex(_ pattern: String, at field: Field) -> Bool {
        do {
            _ = try Regex(pattern)
            return true
        } catch {
            report("\"\(pattern)\" is not a valid regular expression (\(error)); escape literal characters "
                   + "such as . ( [ with a backslash", at: field)
            return false
        }
    }

    // MARK: - Words for messages

    static func isNull(_ node: Node) -> Bool {
        guard let scalar = node.scalar else { return false }
        return scalar.style == .plain && ["", "~", "null", "Null", "NULL"].contains(scalar.string)
    }

    static func describe(_ node: Node) -> String {
        switch node {
        case .mapping: "a mapping"
        case .sequence: "a list"
        case .alias: "an alias"
        case .scalar(let scalar): isNull(node) ? "nothing" : "\"\(scalar.string)\""
        }
    }

    static func list(_ words: [String]) -> String {
        words.joined(separator: ", ")
    }
}
