/// The column ids of a sealed block's payload. Never renumber; a reader skips ids it does not know.
enum BlockColumn: UInt8 {
    /// Scheduled times: `first zigzag-varint · [second − first zigzag-varint] · IntegerColumn of
    /// delta-of-delta (count − 2 values)`. An unscheduled result carries its start time here.
    case scheduled = 1
    /// 1 where the result was scheduled, 0 where not (IntegerColumn).
    case scheduledPresent = 2
    /// Start − scheduled, ms (IntegerColumn).
    case lateness = 3
    /// 1 success, 0 failure (IntegerColumn).
    case success = 4
    /// Stored failure codes (IntegerColumn).
    case failureCode = 5
    /// The rcode/status, or −2³¹−1 where absent (IntegerColumn).
    case code = 6
    /// Total latency, µs (IntegerColumn).
    case latency = 7
    /// Phase presence masks (IntegerColumn).
    case phaseMask = 8
    /// Phase `c` values, µs, only for results that measured it: id `16 + c` (IntegerColumn).
    case firstPhase = 16

    /// The stored value of an absent code.
    static let absentCode: Int64 = Int64(Int32.min) - 1
}
