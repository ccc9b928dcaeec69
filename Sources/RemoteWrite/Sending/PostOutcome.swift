/// How one POST of a batch ended, and what the sender does about it (remote-write 1.0: retry on
/// 5xx and 429, never on another 4xx).
public enum PostOutcome: Sendable, Hashable {
    /// 2xx: the receiver has the samples.
    case delivered
    /// A 4xx other than 429: the receiver will never take this batch (malformed, out of order, too
    /// old, unauthorized). It is dropped and counted; sending it again would block the queue.
    case refused(status: Int, message: String)
    /// 5xx, 429, or no answer (connection refused, timeout): try the same batch again later.
    case retryable(reason: String)

    /// The outcome of a response with `status` and the start of its body.
    public init(status: Int, message: String) {
        switch status {
        case 200..<300: self = .delivered
        case 429, 500..<600: self = .retryable(reason: "HTTP \(status): \(message)")
        default: self = .refused(status: status, message: message)
        }
    }
}
