/// The text of one configuration file and the path to name it by in messages.
///
/// WatchCore reads no files: the caller (the CLI, a test) reads them and hands over the text.
public struct ConfigurationSource: Sendable, Hashable {
    /// The path, as it should appear in messages (`targets/vn-isps.yaml`).
    public var path: String
    /// The file's contents.
    public var text: String

    /// Creates a source.
    public init(path: String, text: String) {
        self.path = path
        self.text = text
    }
}

extension Configuration {
    /// Loads and validates one YAML file.
    ///
    /// - Parameters:
    ///   - yaml: the file's contents.
    ///   - path: the file's path, used only in messages.
    /// - Returns: the configuration, fully validated.
    /// - Throws: ``ConfigurationError`` listing every problem, each with file, line and column.
    public static func load(yaml: String, path: String) throws(ConfigurationError) -> Configuration {
        try load([ConfigurationSource(path: path, text: yaml)])
    }

    /// Loads several YAML files as one configuration: their providers and targets are concatenated
    /// in order, at most one file may define the vantage, and ids must be unique across all files.
    ///
    /// A target may refer to a provider defined in another file. Each file's `defaults` apply to
    /// that file's targets only, so a file means the same whether loaded alone or with others.
    ///
    /// - Parameter sources: the files, in the order their entries should appear.
    /// - Returns: the merged configuration, fully validated.
    /// - Throws: ``ConfigurationError`` listing every problem in every file.
    public static func load(_ sources: [ConfigurationSource]) throws(ConfigurationError) -> Configuration {
        var issues: [ConfigurationIssue] = []
        var references: [ProviderReference] = []
        var merged: Configuration?
        var idPaths: [SourceLocation: String] = [:]
        var declaredProviders: Set<String> = []
        for source in sources {
            let file = ConfigurationFileDecoder(source: source)
            issues += file.issues
            references += file.providerReferences
            idPaths.merge(file.idPaths) { first, _ in first }
            declaredProviders.formUnion(file.declaredProviderIDs)
            if let current = merged {
                let (combined, mergeIssues) = current.combined(with: file.configuration, idPaths: idPaths)
                merged = combined
                issues += mergeIssues
            } else {
                merged = file.configuration
                issues += file.configuration.duplicateIssues(idPaths: idPaths)
            }
        }
        var configuration = merged ?? Configuration()
        // The YAML trees are freed by now: see Target.withFreshStorage() for why this pays.
        for index in configuration.targets.indices {
            configuration.targets[index] = configuration.targets[index].withFreshStorage()
        }
        let known = Set(configuration.providers.map(\.id))
        // A provider that was written but is invalid has its own issue; its targets need none.
        for reference in references where !declaredProviders.contains(reference.provider) {
            let hint = Suggestion.closest(to: reference.provider, among: Array(known)).map { "did you mean \"\($0)\"? " }
                ?? ""
            let listed = known.isEmpty ? "no providers are defined; add one under providers:"
                : "\(hint)known providers: \(known.sorted().joined(separator: ", "))"
            issues.append(ConfigurationIssue(
                location: reference.location, field: reference.path,
                message: "unknown provider \"\(reference.provider)\"; \(listed)"))
        }
        issues += configuration.maintenanceAndObjectiveIssues()
        guard issues.isEmpty else { throw ConfigurationError(issues: issues) }
        return configuration
    }

    /// This configuration followed by `other`: providers and targets concatenated, the vantage of
    /// whichever defines one.
    ///
    /// - Throws: ``ConfigurationError`` when both define a vantage or an id is used in both; each
    ///   issue names both locations.
    public func merging(_ other: Configuration) throws(ConfigurationError) -> Configuration {
        let (combined, issues) = combined(with: other)
        guard issues.isEmpty else { throw ConfigurationError(issues: issues) }
        return combined
    }

    /// Concatenates and reports the conflicts `other` introduces.
    func combined(
        with other: Configuration, idPaths: [SourceLocation: String] = [:]
    ) -> (Configuration, [ConfigurationIssue]) {
        var issues: [ConfigurationIssue] = []
        var result = self
        // Sections one process has once: the first file that defines one wins; another is an error.
        Self.takeSingle(\.vantage, from: other, into: &result, issues: &issues, field: "vantage",
                        named: "a vantage", because: "one process is one vantage, so only one file may define it",
                        location: { $0.definedAt })
        Self.takeSingle(\.scheduler, from: other, into: &result, issues: &issues, field: "scheduler",
                        named: "a scheduler section", because: "only one file may set the limits",
                        location: { $0.definedAt })
        Self.takeSingle(\.alerting, from: other, into: &result, issues: &issues, field: "alerting",
                        named: "an alerting section", because: "only one file may set the alerting",
                        location: { $0.definedAt })
        Self.takeSingle(\.server, from: other, into: &result, issues: &issues, field: "server",
                        named: "a server section", because: "only one file may set the access", location: { $0.definedAt })
        Self.takeSingle(\.remoteWrite, from: other, into: &result, issues: &issues, field: "remote_write",
                        named: "a remote_write section", because: "one process sends to one receiver",
                        location: { $0.definedAt })
        result.providers += other.providers
        result.targets.reserveCapacity(targets.count + other.targets.count)
        result.targets += other.targets
        result.maintenance += other.maintenance
        result.objectives += other.objectives
        // Only conflicts that involve `other` are new; those inside `self` were reported before.
        issues += result.duplicateIssues(idPaths: idPaths).filter { $0.isAbout(other) }
        return (result, issues)
    }

    /// Copies the section at `keyPath` of `other` into `result`, or reports it when `result` has one.
    private static func takeSingle<Section>(
        _ keyPath: WritableKeyPath<Configuration, Section?>, from other: Configuration, into result: inout Configuration,
        issues: inout [ConfigurationIssue], field: String, named name: String, because reason: String,
        location: (Section) -> SourceLocation?
    ) {
        guard let theirs = other[keyPath: keyPath] else { return }
        guard let ours = result[keyPath: keyPath] else {
            result[keyPath: keyPath] = theirs
            return
        }
        issues.append(ConfigurationIssue(
            location: location(theirs) ?? SourceLocation(file: "?", line: 1, column: 1), field: field,
            message: "\(name) is already defined at \(location(ours).map(\.description) ?? "?"); \(reason)"))
    }

    /// Ids used more than once, each reported at the later use and naming the first.
    ///
    /// - Parameter idPaths: the field path of each entry's id by its location, as the decoder saw it;
    ///   entries not in it get an index counted among the valid entries of their file.
    func duplicateIssues(idPaths: [SourceLocation: String] = [:]) -> [ConfigurationIssue] {
        var issues: [ConfigurationIssue] = []
        var seenProviders: [String: SourceLocation?] = [:]
        for (index, provider) in providers.enumerated() {
            if let first = seenProviders[provider.id] {
                issues.append(Self.duplicateIssue(
                    kind: "provider", id: provider.id, at: provider.definedAt, first: first,
                    field: provider.definedAt.flatMap { idPaths[$0] }
                        ?? "providers[\(fileIndex(of: index, in: providers.map(\.definedAt)))].id"))
            } else {
                seenProviders[provider.id] = provider.definedAt
            }
        }
        var seenTargets: [TargetID: SourceLocation?] = [:]
        for (index, target) in targets.enumerated() {
            if let first = seenTargets[target.id] {
                issues.append(Self.duplicateIssue(
                    kind: "target", id: target.id.rawValue, at: target.definedAt, first: first,
                    field: target.definedAt.flatMap { idPaths[$0] }
                        ?? "targets[\(fileIndex(of: index, in: targets.map(\.definedAt)))].id"))
            } else {
                seenTargets[target.id] = target.definedAt
            }
        }
        return issues
    }

    private static func duplicateIssue(
        kind: String, id: String, at location: SourceLocation?, first: SourceLocation?, field: String
    ) -> ConfigurationIssue {
        ConfigurationIssue(
            location: location ?? SourceLocation(file: "?", line: 1, column: 1), field: field,
            message: "\(kind) id \"\(id)\" is already used at \(first.map(\.description) ?? "?"); "
                + "ids must be unique across all files")
    }

    /// The index of entry `index` among the entries of the same file, for a `targets[i]` path.
    private func fileIndex(of index: Int, in locations: [SourceLocation?]) -> Int {
        let file = locations[index]?.file
        return locations[..<index].filter { $0?.file == file }.count
    }
}

extension ConfigurationIssue {
    /// Whether this issue sits in one of `configuration`'s entries.
    fileprivate func isAbout(_ configuration: Configuration) -> Bool {
        configuration.targets.contains { $0.definedAt == location }
            || configuration.providers.contains { $0.definedAt == location }
    }
}
