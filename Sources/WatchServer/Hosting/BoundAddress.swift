import Synchronization

/// The address a server actually listens on, known once it has bound (the chosen port when it was
/// asked for port 0).
public final class BoundAddress: Sendable {
    private let value = Mutex<(host: String, port: Int)?>(nil)

    /// Creates an empty one; the server fills it in.
    public init() {}

    /// The host and port, or `nil` before the server has bound.
    public var current: (host: String, port: Int)? { value.withLock { $0 } }

    func set(host: String, port: Int) { value.withLock { $0 = (host, port) } }

    /// Waits (polling every 10 ms, off the cooperative pool's threads) until the server has bound.
    ///
    /// - Throws: `CancellationError`, or ``WatchServerError/notBound`` after `timeout`.
    public func wait(timeout: Duration = .seconds(30)) async throws -> (host: String, port: Int) {
        let deadline = ContinuousClock.now + timeout
        while ContinuousClock.now < deadline {
            if let current { return current }
            try await Task.sleep(for: .milliseconds(10))
        }
        throw WatchServerError.notBound
    }
}

/// Why the server could not start.
public enum WatchServerError: Error, Sendable, CustomStringConvertible {
    /// It did not bind its address in time.
    case notBound

    /// A message for a person.
    public var description: String {
        switch self {
        case .notBound: "the server did not bind its address in time"
        }
    }
}
