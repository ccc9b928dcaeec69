import Testing
@testable import Probing

@Suite("Reactor timer heap")
struct TimerHeapTests {
    private func at(_ milliseconds: UInt64) -> MonotonicInstant {
        MonotonicInstant(nanoseconds: milliseconds * 1_000_000)
    }

    @Test func timersFireInDeadlineOrderAndOnlyWhenDue() {
        var heap = TimerHeap<Int>()
        for deadline: UInt64 in [50, 10, 40, 20, 30, 10] { _ = heap.schedule(at: at(deadline), Int(deadline)) }
        #expect(heap.nextDeadline() == at(10))
        #expect(heap.popDue(at: at(5)) == nil)
        var fired: [Int] = []
        while let value = heap.popDue(at: at(35)) { fired.append(value) }
        #expect(fired == [10, 10, 20, 30])
        #expect(heap.count == 2)
        #expect(heap.nextDeadline() == at(40))
    }

    @Test func cancelledTimersNeverFire() {
        var heap = TimerHeap<String>()
        let first = heap.schedule(at: at(1), "first")
        _ = heap.schedule(at: at(2), "second")
        heap.cancel(first)
        heap.cancel(first)
        #expect(heap.count == 1)
        #expect(heap.nextDeadline() == at(2), "a cancelled top is skipped")
        #expect(heap.popDue(at: at(10)) == "second")
        #expect(heap.popDue(at: at(10)) == nil)
        #expect(heap.nextDeadline() == nil)
    }
}
