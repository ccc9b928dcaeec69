/// The event loop's pending timers: a binary min-heap of deadlines with cancellation by identifier.
///
/// Cancelling only forgets the action; the heap entry is dropped when it reaches the top. Every
/// timer is bounded by a probe's timeout, so dead entries live at most that long.
struct TimerHeap<Action> {
    /// Identifies one scheduled timer, to cancel it.
    struct ID: Hashable {
        fileprivate var rawValue: UInt64
    }

    private struct Entry {
        var deadline: MonotonicInstant
        var id: UInt64
    }

    private var heap: [Entry] = []
    private var actions: [UInt64: Action] = [:]
    private var nextID: UInt64 = 1

    /// How many timers are scheduled and not cancelled.
    var count: Int { actions.count }

    /// Schedules `action` for `deadline`.
    mutating func schedule(at deadline: MonotonicInstant, _ action: Action) -> ID {
        let id = nextID
        nextID += 1
        actions[id] = action
        heap.append(Entry(deadline: deadline, id: id))
        siftUp(heap.count - 1)
        return ID(rawValue: id)
    }

    /// Cancels a timer; nothing happens when it already fired or was cancelled.
    mutating func cancel(_ id: ID) {
        actions[id.rawValue] = nil
    }

    /// The earliest live deadline, if any.
    mutating func nextDeadline() -> MonotonicInstant? {
        dropCancelledTop()
        return heap.first?.deadline
    }

    /// Removes and returns the action of the earliest timer due at or before `now`.
    mutating func popDue(at now: MonotonicInstant) -> Action? {
        dropCancelledTop()
        guard let top = heap.first, top.deadline <= now else { return nil }
        removeTop()
        return actions.removeValue(forKey: top.id)
    }

    /// Removes every timer.
    mutating func removeAll() {
        heap.removeAll()
        actions.removeAll()
    }

    private mutating func dropCancelledTop() {
        while let top = heap.first, actions[top.id] == nil { removeTop() }
    }

    private mutating func removeTop() {
        let last = heap.removeLast()
        guard !heap.isEmpty else { return }
        heap[0] = last
        siftDown(0)
    }

    private mutating func siftUp(_ start: Int) {
        var child = start
        let entry = heap[child]
        while child > 0 {
            let parent = (child - 1) / 2
            guard entry.deadline < heap[parent].deadline else { break }
            heap[child] = heap[parent]
            child = parent
        }
        heap[child] = entry
    }

    private mutating func siftDown(_ start: Int) {
        var parent = start
        let entry = heap[parent]
        let count = heap.count
        while true {
            let left = 2 * parent + 1
            guard left < count else { break }
            let right = left + 1
            let smaller = right < count && heap[right].deadline < heap[left].deadline ? right : left
            guard heap[smaller].deadline < entry.deadline else { break }
            heap[parent] = heap[smaller]
            parent = smaller
        }
        heap[parent] = entry
    }
}
