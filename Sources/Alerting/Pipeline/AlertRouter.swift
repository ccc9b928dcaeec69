import WatchCore

/// Decides which receivers get each notification: the first matching route, and the next ones while
/// the matched routes say `continueMatching`; a firing alert forwarded again on a route only after
/// its repeat interval. A value type with no clock: the notifications' `createdAt` is the time.
///
/// What was forwarded when is kept in memory: after a restart each firing alert is forwarded once
/// more, which costs a duplicate the receivers deduplicate (same labels, same dedup key).
public struct AlertRouter: Sendable {
    private struct Forwarded: Hashable {
        var route: Int
        var key: AlertKey
    }

    private struct LastForward {
        var startsAt: Timestamp
        var at: Timestamp
    }

    /// The routes, tried in order.
    public let routes: [AlertRoute]
    private var lastForward: [Forwarded: LastForward] = [:]

    /// Creates a router over `routes`.
    public init(routes: [AlertRoute]) {
        self.routes = routes
    }

    /// The receivers' names each of `notifications` goes to, as pairs in order; a notification that
    /// matches no route goes nowhere.
    public mutating func route(_ notifications: [AlertNotification]) -> [(receiver: String, notification: AlertNotification)] {
        var out: [(receiver: String, notification: AlertNotification)] = []
        for notification in notifications {
            var receivers: [String] = []
            for (index, route) in routes.enumerated() where route.matches(notification.labels) {
                if shouldForward(notification, route: index), !receivers.contains(route.receiver) {
                    receivers.append(route.receiver)
                }
                if !route.continueMatching { break }
            }
            out += receivers.map { ($0, notification) }
        }
        return out
    }

    /// Records and answers whether `notification` is due on route `index`.
    private mutating func shouldForward(_ notification: AlertNotification, route index: Int) -> Bool {
        let slot = Forwarded(route: index, key: notification.key)
        switch notification.status {
        case .resolved:
            lastForward[slot] = nil
            return true
        case .firing:
            if let last = lastForward[slot], last.startsAt == notification.startsAt,
               let interval = routes[index].repeatInterval,
               last.at.advanced(by: interval) > notification.createdAt
            {
                return false
            }
            lastForward[slot] = LastForward(startsAt: notification.startsAt, at: notification.createdAt)
            return true
        }
    }
}
