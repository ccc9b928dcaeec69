extension Configuration {
    /// Problems that need every file: maintenance-window and objective ids used twice, and target
    /// ids in a window's scope that no file defines (checked only when some file defines targets,
    /// so that a file of windows can be checked alone). A misspelt target would otherwise excuse
    /// nothing, silently.
    func maintenanceAndObjectiveIssues() -> [ConfigurationIssue] {
        var issues: [ConfigurationIssue] = []
        let nowhere = SourceLocation(file: "?", line: 1, column: 1)
        func path(_ key: String, _ index: Int, _ locations: [SourceLocation?]) -> String {
            let file = locations[index]?.file
            return "\(key)[\(locations[..<index].filter { $0?.file == file }.count)]"
        }
        let windowLocations = maintenance.map(\.definedAt)
        var seenWindows: [String: SourceLocation?] = [:]
        for (index, window) in maintenance.enumerated() {
            if let first = seenWindows[window.id] {
                issues.append(ConfigurationIssue(
                    location: window.definedAt ?? nowhere, field: path("maintenance", index, windowLocations) + ".id",
                    message: "maintenance window id \"\(window.id)\" is already used at "
                        + "\(first.map(\.description) ?? "?"); ids must be unique across all files"))
            } else {
                seenWindows[window.id] = window.definedAt
            }
        }
        let objectiveLocations = objectives.map(\.definedAt)
        var seenObjectives: [String: SourceLocation?] = [:]
        for (index, objective) in objectives.enumerated() {
            if let first = seenObjectives[objective.id] {
                issues.append(ConfigurationIssue(
                    location: objective.definedAt ?? nowhere, field: path("objectives", index, objectiveLocations) + ".id",
                    message: "objective id \"\(objective.id)\" is already used at "
                        + "\(first.map(\.description) ?? "?"); ids must be unique across all files"))
            } else {
                seenObjectives[objective.id] = objective.definedAt
            }
        }
        guard !targets.isEmpty else { return issues }
        let known = targets.map(\.id.rawValue)
        let knownSet = Set(known)
        for (index, window) in maintenance.enumerated() {
            for target in window.scope.targets where !knownSet.contains(target.rawValue) {
                let hint = Suggestion.closest(to: target.rawValue, among: known).map { "did you mean \"\($0)\"?" }
                    ?? "no file defines it"
                issues.append(ConfigurationIssue(
                    location: window.definedAt ?? nowhere, field: path("maintenance", index, windowLocations) + ".targets",
                    message: "window \"\(window.id)\" covers unknown target \"\(target.rawValue)\"; \(hint)"))
            }
        }
        return issues
    }
}
