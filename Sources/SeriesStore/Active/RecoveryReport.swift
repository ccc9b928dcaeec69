/// What opening a store found and repaired after an unclean stop.
public struct RecoveryReport: Sendable, Hashable {
    /// The sequence number of the active segment appended to.
    public var activeSegment: UInt64 = 0
    /// Valid results found in the active segment (they stay).
    public var recoveredRecords: Int = 0
    /// Bytes cut from the end of the active segment: a torn or CRC-failing tail.
    public var droppedBytes: Int = 0
    /// Why the tail was dropped (`truncated`, `bad length`, `checksum mismatch`), when it was.
    public var dropReason: String?
    /// Bytes cut from the end of the series index (a torn registration).
    public var droppedSeriesIndexBytes: Int = 0
    /// Older active segments found unsealed and queued for sealing.
    public var segmentsQueuedForSealing: Int = 0
    /// Leftover temporary or superseded files removed (a crash during sealing).
    public var leftoversRemoved: Int = 0

    /// Whether anything had to be dropped.
    public var droppedAnything: Bool { droppedBytes > 0 || droppedSeriesIndexBytes > 0 }
}

extension RecordFrame.Stop {
    var humanDescription: String {
        switch self {
        case .truncated: "truncated"
        case .badLength: "bad length"
        case .checksumMismatch: "checksum mismatch"
        }
    }
}
