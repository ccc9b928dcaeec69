import Testing
import WatchCore
@testable import Scheduling

/// The timeline's key-to-slot index keeps hashes, not keys: keys that share a hash must still be
/// told apart, inserted and removed in any order.
struct SeriesSlotIndexTests {
    private let keys = (0..<40).map { SeriesKey(target: TargetID("t\($0)"), vantage: "v", family: $0 % 2 == 0 ? .v4 : .v6) }

    @Test(arguments: [1, 3, 1_000])
    func keysSharingAHashAreFoundInsertedAndRemovedExactly(buckets: Int) {
        // `buckets` distinct hashes for 40 keys: 1 puts every key on one chain.
        var index = SeriesSlotIndex { abs($0.target.rawValue.hashValue) % buckets }
        let keyAt: (Int32) -> SeriesKey = { keys[Int($0)] }
        for slot in keys.indices { index.insert(Int32(slot), for: keys[slot]) }
        #expect(index.count == 40)
        for slot in keys.indices { #expect(index.slot(of: keys[slot], keyAt: keyAt) == Int32(slot)) }
        #expect(index.slot(of: SeriesKey(target: "absent", vantage: "v", family: .v4), keyAt: keyAt) == nil)

        // Remove from the middle, the head and the tail of the chains.
        let removed = Set([0, 1, 17, 20, 38, 39])
        for slot in removed.sorted() { index.remove(Int32(slot), for: keys[slot]) }
        #expect(index.count == 34)
        for slot in keys.indices {
            #expect(index.slot(of: keys[slot], keyAt: keyAt) == (removed.contains(slot) ? nil : Int32(slot)))
        }
        // A freed slot reused for another key (as the timeline does) finds the new key only.
        let newcomer = SeriesKey(target: "newcomer", vantage: "v", family: .v4)
        index.insert(17, for: newcomer)
        #expect(index.slot(of: newcomer) { $0 == 17 ? newcomer : keys[Int($0)] } == 17)
        #expect(index.slot(of: keys[17]) { $0 == 17 ? newcomer : keys[Int($0)] } == nil)
    }
}
