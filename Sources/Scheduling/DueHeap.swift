/// A binary min-heap of next-due slots, ordered by due time (then by series, so equal times pop in a
/// stable order). Entries are never removed from the middle: a rescheduled series bumps its
/// generation and the old entry is dropped when it reaches the top.
struct DueHeap: Sendable {
    struct Entry: Sendable {
        var due: Int64
        var index: Int32
        var generation: UInt32

        /// Orders by due time, then by series; the comparisons are written out inline below too,
        /// because a debug build does not inline and the heap is the hottest loop.
        @inline(__always)
        func precedes(_ other: Entry) -> Bool {
            due < other.due || (due == other.due && index < other.index)
        }
    }

    private(set) var entries: [Entry] = []

    var count: Int { entries.count }
    var top: Entry? { entries.first }

    mutating func reserve(_ capacity: Int) { entries.reserveCapacity(capacity) }

    mutating func push(_ entry: Entry) {
        entries.append(entry)
        entries.withUnsafeMutableBufferPointer { heap in
            var child = heap.count - 1
            while child > 0 {
                let parent = (child - 1) / 2
                let moving = heap[child], above = heap[parent]
                guard moving.due < above.due || (moving.due == above.due && moving.index < above.index) else { break }
                heap[child] = above
                heap[parent] = moving
                child = parent
            }
        }
    }

    mutating func popTop() -> Entry? {
        guard let first = entries.first else { return nil }
        let last = entries.removeLast()
        guard !entries.isEmpty else { return first }
        entries.withUnsafeMutableBufferPointer { heap in
            heap[0] = last
            var parent = 0
            let count = heap.count
            while true {
                let left = 2 * parent + 1
                guard left < count else { break }
                var smallest = left
                var smallestEntry = heap[left]
                let right = left + 1
                if right < count {
                    let rightEntry = heap[right]
                    if rightEntry.due < smallestEntry.due
                        || (rightEntry.due == smallestEntry.due && rightEntry.index < smallestEntry.index)
                    {
                        smallest = right
                        smallestEntry = rightEntry
                    }
                }
                let sinking = heap[parent]
                guard smallestEntry.due < sinking.due
                    || (smallestEntry.due == sinking.due && smallestEntry.index < sinking.index)
                else { break }
                heap[smallest] = sinking
                heap[parent] = smallestEntry
                parent = smallest
            }
        }
        return first
    }
}
