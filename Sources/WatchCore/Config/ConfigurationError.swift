/// A place in a configuration file: `path:line:column`, both counted from 1.
public struct SourceLocation: Sendable, Hashable, Comparable, CustomStringConvertible {
    /// The file's path as given to the loader.
    public var file: String
    /// The line, from 1.
    public var line: Int
    /// The column, from 1, counted in Unicode scalars (as libyaml counts).
    public var column: Int

    /// Creates a location.
    public init(file: String, line: Int, column: Int) {
        self.file = file
        self.line = line
        self.column = column
    }

    /// `file:line:column`, the form editors and compilers use.
    public var description: String { "\(file):\(line):\(column)" }

    /// Orders by file, then line, then column.
    public static func < (lhs: SourceLocation, rhs: SourceLocation) -> Bool {
        (lhs.file, lhs.line, lhs.column) < (rhs.file, rhs.line, rhs.column)
    }
}

/// One problem in a configuration: where it is, which field, and what to write instead.
public struct ConfigurationIssue: Sendable, Hashable, CustomStringConvertible {
    /// Where the offending value (or key) is.
    public var location: SourceLocation
    /// The field, e.g. `targets[3].http.expect.status`; empty for problems with the file as a whole
    /// (YAML syntax).
    public var field: String
    /// What is wrong and what is expected instead.
    public var message: String

    /// Creates an issue.
    public init(location: SourceLocation, field: String, message: String) {
        self.location = location
        self.field = field
        self.message = message
    }

    /// `file:line:column: field: message`.
    public var description: String {
        field.isEmpty ? "\(location): \(message)" : "\(location): \(field): \(message)"
    }
}

/// A configuration that did not load, with every problem found (not only the first).
public struct ConfigurationError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The problems, in file and line order.
    public var issues: [ConfigurationIssue]

    /// Creates an error from issues; they are sorted by location.
    public init(issues: [ConfigurationIssue]) {
        self.issues = issues.sorted { $0.location < $1.location }
    }

    /// One issue per line.
    public var description: String { issues.map(\.description).joined(separator: "\n") }
}
