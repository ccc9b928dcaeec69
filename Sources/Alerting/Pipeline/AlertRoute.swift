import WatchCore

/// Sends the notifications whose labels match to one receiver, like a route of Alertmanager.
public struct AlertRoute: Sendable, Hashable {
    /// Labels a notification must carry with exactly these values (empty: every notification).
    public var matchers: [String: String]
    /// The name of the receiver.
    public var receiver: String
    /// How often a firing alert is forwarded again on this route; `nil` forwards every re-send of
    /// the engine (what Alertmanager needs to keep the alert alive).
    public var repeatInterval: Duration?
    /// Whether the routes after this one are tried too when it matched (Alertmanager's `continue`).
    public var continueMatching: Bool

    /// Creates a route.
    public init(matchers: [String: String] = [:], receiver: String, repeatInterval: Duration? = nil, continueMatching: Bool = false) {
        self.matchers = matchers
        self.receiver = receiver
        self.repeatInterval = repeatInterval
        self.continueMatching = continueMatching
    }

    /// Whether `labels` carry every matcher.
    public func matches(_ labels: [String: String]) -> Bool {
        matchers.allSatisfy { labels[$0.key] == $0.value }
    }
}
