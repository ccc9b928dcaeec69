/// A fault script that cannot be used, with the file, line and column of the first problem.
public struct FaultScriptError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The script's path as given.
    public var file: String
    /// 1-based line of the problem.
    public var line: Int
    /// 1-based column of the problem.
    public var column: Int
    /// What is wrong and what to write instead.
    public var message: String

    /// Creates an error.
    public init(file: String, line: Int, column: Int, message: String) {
        self.file = file
        self.line = line
        self.column = column
        self.message = message
    }

    /// `file:line:column: message`, as compilers and `ispwatch check-config` write it.
    public var description: String { "\(file):\(line):\(column): \(message)" }
}
