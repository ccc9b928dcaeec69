/// A failure of the outbox's file I/O.
public struct OutboxError: Error, Sendable, CustomStringConvertible {
    /// What failed, with the path and errno when there is one.
    public var description: String

    init(_ description: String) {
        self.description = description
    }
}
