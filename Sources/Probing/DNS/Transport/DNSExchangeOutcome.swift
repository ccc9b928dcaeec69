import NIOCore
import WatchCore

/// How one question sent over one transport ended.
enum DNSExchangeOutcome: Sendable {
    /// A reply matched the query's ID, question and source; `bytes` is the whole message.
    case answer(bytes: [UInt8], requestDuration: Duration)
    /// A reply matched the query's ID and source, but its question could not be read.
    case malformed(bytes: [UInt8], requestDuration: Duration)
    /// No matching reply before the deadline.
    case timeout
    /// The transport failed (TCP refused or reset, socket closed).
    case failed(FailureReason, String)
}

extension TimeAmount {
    /// The same amount as a `Duration`.
    var duration: Duration { .nanoseconds(nanoseconds) }
}
