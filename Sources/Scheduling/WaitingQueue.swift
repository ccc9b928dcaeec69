/// A first-in first-out queue of probes waiting to start, amortised O(1) at both ends.
struct WaitingQueue: Sendable {
    private var storage: [ScheduledProbe] = []
    private var head = 0

    var isEmpty: Bool { head == storage.count }
    var count: Int { storage.count - head }
    var first: ScheduledProbe? { isEmpty ? nil : storage[head] }

    mutating func append(_ probe: ScheduledProbe) { storage.append(probe) }

    mutating func removeFirst() -> ScheduledProbe {
        let probe = storage[head]
        head += 1
        // Every due probe passes through its provider's queue, however briefly: start over each time
        // it empties, or the consumed prefix grows to a thousand probes per provider (18 MB at 100
        // providers). Compact once the consumed prefix dominates, so memory stays bounded by what is
        // waiting.
        if head == storage.count {
            storage.removeAll(keepingCapacity: true)
            head = 0
        } else if head > 1024 && head * 2 > storage.count {
            storage.removeFirst(head)
            head = 0
        }
        return probe
    }
}
