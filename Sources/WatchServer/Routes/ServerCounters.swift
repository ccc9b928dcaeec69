import Synchronization

/// Requests answered, by route and status, for `/metrics`.
final class ServerCounters: Sendable {
    private let counts = Mutex<[String: [Int: Int]]>([:])

    func count(route: String, status: Int) {
        counts.withLock { $0[route, default: [:]][status, default: 0] += 1 }
    }

    /// The Prometheus text of the counters.
    func exposition() -> String {
        let snapshot = counts.withLock { $0 }
        var text = "# HELP ispwatch_server_requests_total Requests answered by the ispwatch server, by route and status.\n"
        text += "# TYPE ispwatch_server_requests_total counter\n"
        for route in snapshot.keys.sorted() {
            for (status, count) in snapshot[route]!.sorted(by: { $0.key < $1.key }) {
                text += "ispwatch_server_requests_total{route=\"\(route)\",status=\"\(status)\"} \(count)\n"
            }
        }
        return text
    }
}
