import WatchCore

/// Finds the slot of a series by its key, without keeping the key a second time: the timeline
/// already keeps each slot's key, so this index keeps only the key's hash and a chain of slots.
///
/// At 100,000 series a `[SeriesKey: Int32]` costs 11.6 MB (262,144 buckets of a 40-byte key and a
/// value); this costs about 3.5 MB. Lookups hash the key once and compare it with the slot's key,
/// so two keys that share a hash are still told apart.
struct SeriesSlotIndex: Sendable {
    private let hash: @Sendable (SeriesKey) -> Int
    /// The most recently inserted slot of each hash.
    private var headByHash: [Int: Int32] = [:]
    /// Per slot, the next slot with the same hash (-1: none).
    private var nextByHash: [Int32] = []

    /// The number of series indexed.
    private(set) var count = 0

    /// An empty index; `hash` is the key's own hash except in tests that need keys to collide.
    init(hash: @escaping @Sendable (SeriesKey) -> Int = { $0.hashValue }) {
        self.hash = hash
    }

    /// The slot of `key`, comparing candidates with `keyAt`.
    func slot(of key: SeriesKey, keyAt: (Int32) -> SeriesKey) -> Int32? {
        var candidate = headByHash[hash(key)] ?? -1
        while candidate >= 0 {
            if keyAt(candidate) == key { return candidate }
            candidate = nextByHash[Int(candidate)]
        }
        return nil
    }

    /// Indexes `slot` under `key`, which must not be indexed yet.
    mutating func insert(_ slot: Int32, for key: SeriesKey) {
        if Int(slot) >= nextByHash.count {
            nextByHash.append(contentsOf: repeatElement(-1, count: Int(slot) + 1 - nextByHash.count))
        }
        let bucket = hash(key)
        nextByHash[Int(slot)] = headByHash[bucket] ?? -1
        headByHash[bucket] = slot
        count += 1
    }

    /// Removes `slot`, indexed under `key`.
    mutating func remove(_ slot: Int32, for key: SeriesKey) {
        let bucket = hash(key)
        guard let head = headByHash[bucket] else { return }
        let next = nextByHash[Int(slot)]
        if head == slot {
            if next >= 0 { headByHash[bucket] = next } else { headByHash.removeValue(forKey: bucket) }
        } else {
            var previous = head
            while nextByHash[Int(previous)] >= 0 && nextByHash[Int(previous)] != slot {
                previous = nextByHash[Int(previous)]
            }
            guard nextByHash[Int(previous)] == slot else { return }
            nextByHash[Int(previous)] = next
        }
        nextByHash[Int(slot)] = -1
        count -= 1
    }

    /// Makes room for `capacity` slots.
    mutating func reserve(_ capacity: Int) {
        nextByHash.reserveCapacity(capacity)
    }
}
