/// Draws query IDs: xoshiro256** seeded from the system's secure generator and reseeded every
/// 65,536 draws.
///
/// A system call per ID (what `SystemRandomNumberGenerator` costs) is too slow at 100k queries/s.
/// The IDs are unpredictable to an off-path attacker who cannot observe them; together with a random
/// source port and the question and source checks, that is the protection RFC 5452 asks for.
struct DNSQueryIDGenerator {
    private var state: (UInt64, UInt64, UInt64, UInt64) = (0, 0, 0, 0)
    private var drawsUntilReseed = 0

    mutating func next() -> UInt16 {
        if drawsUntilReseed == 0 { reseed() }
        drawsUntilReseed -= 1
        let result = rotate(state.1 &* 5, 7) &* 9
        let shifted = state.1 << 17
        state.2 ^= state.0
        state.3 ^= state.1
        state.1 ^= state.2
        state.0 ^= state.3
        state.2 ^= shifted
        state.3 = rotate(state.3, 45)
        return UInt16(truncatingIfNeeded: result >> 48)
    }

    private mutating func reseed() {
        var system = SystemRandomNumberGenerator()
        repeat {
            state = (system.next(), system.next(), system.next(), system.next())
        } while state == (0, 0, 0, 0)
        drawsUntilReseed = 65_536
    }

    private func rotate(_ value: UInt64, _ count: UInt64) -> UInt64 { value << count | value >> (64 - count) }
}
