import WatchCore

/// A prober could not be set up (no socket permission, no descriptors, no thread). Thrown by a
/// prober's initializer only; a failing target is never reported this way.
public struct ProberSetupError: Error, Sendable, CustomStringConvertible {
    /// The prober that failed to start.
    public var kind: ProbeKind
    /// What went wrong and, where there is one, how to fix it.
    public var message: String

    /// Creates an error.
    public init(kind: ProbeKind, message: String) {
        self.kind = kind
        self.message = message
    }

    public var description: String { "\(kind) prober: \(message)" }
}
