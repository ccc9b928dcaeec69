import Yams

/// Decodes one configuration file into a ``Configuration`` and the problems found in it.
///
/// Cross-file checks (duplicate ids, provider references, a single vantage) are left to
/// ``Configuration/load(_:)``, which sees every file.
struct ConfigurationFileDecoder {
    /// The configuration as far as it could be decoded: invalid entries are left out.
    var configuration = Configuration()
    /// Every target's reference to a provider, to be resolved once all files are loaded.
    var providerReferences: [ProviderReference] = []
    /// The field path of each provider's and target's id, by the id's location, for messages about
    /// duplicates.
    var idPaths: [SourceLocation: String] = [:]
    /// Every provider id written in the file, valid entry or not, so that a provider with a bad
    /// field does not also make each of its targets report an unknown provider.
    var declaredProviderIDs: Set<String> = []
    /// The problems found.
    var issues: [ConfigurationIssue] = []

    init(source: ConfigurationSource) {
        var reader = NodeReader(file: source.path)
        let root: Node?
        do {
            root = try Yams.compose(yaml: source.text)
        } catch {
            issues = [Self.syntaxIssue(error, file: source.path, text: source.text)]
            return
        }
        guard let root, !NodeReader.isNull(root) else { return }
        decode(root, reader: &reader)
        issues = reader.issues
    }

    private mutating func decode(_ root: Node, reader: inout NodeReader) {
        let rootField = Field(node: root, path: .root, keyMark: nil)
        guard let fields = reader.fields(
            of: rootField,
            allowed: ["vantage", "defaults", "providers", "targets", "scheduler", "maintenance", "objectives", "alerting",
                      "server", "remote_write"])
        else { return }

        if let field = fields["defaults"] {
            configuration.defaults = reader.targetDefaults(field).0
        }
        // After the defaults: control probes take the file's interval and timeout like targets do.
        if let field = fields["vantage"] {
            configuration.vantage = reader.vantage(field, defaults: configuration.defaults)
        }
        if let field = fields["scheduler"] {
            configuration.scheduler = reader.schedulerSettings(field, references: &providerReferences)
        }
        if let field = fields["providers"], let elements = reader.elements(of: field) {
            configuration.providers = elements.compactMap { reader.provider($0) }
            declaredProviderIDs = Set(elements.compactMap { $0.node.mapping?["id"]?.scalar?.string })
            recordIDPaths(of: elements, reader: reader)
        }
        if let field = fields["targets"], let elements = reader.elements(of: field) {
            // Sized once: grown by doubling, 100,000 targets would leave 9 MB unused for the daemon's life.
            configuration.targets.reserveCapacity(elements.count)
            for element in elements {
                if let target = reader.target(element, defaults: configuration.defaults, references: &providerReferences) {
                    configuration.targets.append(target)
                }
            }
            recordIDPaths(of: elements, reader: reader)
        }
        if let field = fields["maintenance"], let elements = reader.elements(of: field) {
            configuration.maintenance = elements.compactMap { reader.maintenanceWindow($0, references: &providerReferences) }
        }
        if let field = fields["objectives"], let elements = reader.elements(of: field) {
            configuration.objectives = elements.compactMap { reader.serviceObjective($0, references: &providerReferences) }
        }
        if let field = fields["alerting"] {
            configuration.alerting = reader.alertingSettings(field)
        }
        if let field = fields["server"] { configuration.server = reader.serverSettings(field, references: &providerReferences) }
        if let field = fields["remote_write"] {
            configuration.remoteWrite = reader.remoteWriteSettings(field)
        }
    }

    private mutating func recordIDPaths(of elements: [Field], reader: NodeReader) {
        for element in elements {
            if let id = element.node.mapping?["id"] {
                idPaths[reader.location(id.mark)] = element.path.key("id").description
            }
        }
    }

    /// Maps a Yams error to one issue at its line and column.
    private static func syntaxIssue(_ error: any Error, file: String, text: String) -> ConfigurationIssue {
        func issue(_ mark: Mark?, _ text: String) -> ConfigurationIssue {
            issue(at: (mark?.line ?? 1, mark?.column ?? 1), text)
        }
        func issue(at position: (line: Int, column: Int), _ text: String) -> ConfigurationIssue {
            ConfigurationIssue(
                location: SourceLocation(file: file, line: position.line, column: position.column),
                field: "", message: "invalid YAML: \(text)")
        }
        guard let yamlError = error as? YamlError else { return issue(nil, "\(error)") }
        switch yamlError {
        case .scanner(let context, let problem, let mark, _), .parser(let context, let problem, let mark, _),
             .composer(let context, let problem, let mark, _):
            let contextText = context.map { "\($0.text) at line \($0.mark.line), column \($0.mark.column): " } ?? ""
            return issue(mark, contextText + problem)
        case .duplicatedKeysInMapping(let duplicates, let context):
            let keys = duplicates.map { "\"\($0)\"" }.joined(separator: ", ")
            // Yams points at the first use; the second is the one to look at, when it can be found.
            if duplicates.count == 1, let second = secondUse(of: duplicates[0], after: context.mark, in: text) {
                return issue(at: second, "key \(keys) is already written at line \(context.mark.line), column "
                             + "\(context.mark.column) of this mapping; keep one")
            }
            return issue(context.mark, "key \(keys) is written more than once in this mapping (the first is here); keep one")
        case .reader(let problem, _, _, _):
            return issue(nil, problem)
        default:
            return issue(nil, "\(yamlError)")
        }
    }
}

extension ConfigurationFileDecoder {
    /// Where `key` is written again after its first use at `first`: in a block mapping, the next
    /// line that starts with `key:` at the same column; in a flow mapping, later on the same line.
    /// A best effort for a better message; `nil` when not found.
    static func secondUse(of key: String, after first: Mark, in text: String) -> (line: Int, column: Int)? {
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false)
        guard first.line >= 1, first.line <= lines.count else { return nil }
        let indent = first.column - 1
        let firstLine = Array(lines[first.line - 1].unicodeScalars)
        // Flow style: `{a: 1, a: 2}` on one line.
        var column = indent + key.unicodeScalars.count
        while column < firstLine.count {
            if isKey(key, at: column, in: firstLine), column > 0,
               [" ", ",", "{"].contains(firstLine[column - 1])
            {
                return (first.line, column + 1)
            }
            column += 1
        }
        // Block style: a later line at the same indentation, until the mapping ends.
        for lineIndex in first.line..<lines.count {
            let scalars = Array(lines[lineIndex].unicodeScalars)
            let leading = scalars.prefix { $0 == " " }.count
            if leading == scalars.count || scalars[leading] == "#" { continue }
            if leading < indent { return nil }
            if leading == indent, isKey(key, at: indent, in: scalars) {
                return (lineIndex + 1, indent + 1)
            }
        }
        return nil
    }

    private static func isKey(_ key: String, at column: Int, in line: [Unicode.Scalar]) -> Bool {
        let keyScalars = Array(key.unicodeScalars)
        guard column + keyScalars.count < line.count,
              Array(line[column..<column + keyScalars.count]) == keyScalars
        else { return false }
        var next = column + keyScalars.count
        while next < line.count && line[next] == " " { next += 1 }
        return next < line.count && line[next] == ":"
    }
}

extension NodeReader {
    /// Decodes the `vantage:` block.
    mutating func vantage(_ field: Field, defaults: TargetDefaults) -> Vantage? {
        guard let fields = fields(
            of: field, allowed: ["id", "region", "network", "labels", "controls"], required: ["id"])
        else { return nil }
        var controls: [Target] = []
        var controlsValid = true
        if let field = fields["controls"], let elements = elements(of: field) {
            for element in elements {
                var ignored: [ProviderReference] = []
                if let control = target(element, defaults: defaults, references: &ignored, isControl: true) {
                    if controls.contains(where: { $0.id == control.id }) {
                        report("control \"\(control.id)\" is listed twice; give each control its own id", at: element)
                        controlsValid = false
                    }
                    controls.append(control)
                } else {
                    controlsValid = false
                }
            }
        }
        let id = identifier(fields["id"])
        let region = fields["region"].flatMap { string($0) }
        let network = fields["network"].flatMap { identifier($0) }
        let labels = fields["labels"].map { self.labels($0) } ?? [:]
        guard let id, let labels, controlsValid,
              fields["region"] == nil || region != nil, fields["network"] == nil || network != nil
        else { return nil }
        return Vantage(id: id, region: region, network: network, labels: labels, controls: controls,
                       definedAt: location(fields["id"]?.node.mark))
    }

    /// Decodes one entry of `providers:`.
    mutating func provider(_ field: Field) -> Provider? {
        guard let fields = fields(of: field, allowed: ["id", "name", "country", "labels"], required: ["id"])
        else { return nil }
        let id = identifier(fields["id"])
        let name = fields["name"].flatMap { string($0) }
        var country: String?
        var valid = true
        if let field = fields["country"], let code = string(field) {
            if code.count == 2, code.allSatisfy({ $0.isASCII && $0.isUppercase }) {
                country = code
            } else {
                report("\"\(code)\" is not an ISO 3166 country code; write two capital letters, like VN", at: field)
                valid = false
            }
        }
        let labels = fields["labels"].map { self.labels($0) } ?? [:]
        guard valid, let id, let labels, fields["name"] == nil || name != nil,
              fields["country"] == nil || country != nil
        else { return nil }
        return Provider(id: id, name: name, country: country, labels: labels,
                        definedAt: location(fields["id"]?.node.mark))
    }
}
