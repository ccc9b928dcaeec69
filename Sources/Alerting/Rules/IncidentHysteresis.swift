import SLAEngine

/// The SLA engine's incident rule (``IncidentDetector``), fed one slice at a time.
///
/// Opens after K consecutive DOWN slices (starting at the first of them), closes after M consecutive
/// UP slices (ending where that run began); UNKNOWN and MAINTENANCE freeze both runs. `holdOpen`
/// defers a close (flapping holds the alert open); the close happens at the first UP slice after the
/// hold ends, with the run counted from where it began.
public struct IncidentHysteresis: Sendable, Hashable {
    /// A change of the incident's state.
    public enum Transition: Sendable, Hashable {
        /// Opened; the incident started at `firstSlice`.
        case opened(firstSlice: Int)
        /// Closed; the incident covered `firstSlice ..< endSlice`.
        case closed(firstSlice: Int, endSlice: Int)
    }

    /// K and M.
    public let rule: IncidentRule
    /// The first slice of the open incident, or `nil` when none is open.
    public private(set) var openSince: Int?
    /// The current run of DOWN slices (frozen by UNKNOWN).
    public private(set) var downRun = 0
    private var downRunStart = 0
    private var upRun = 0
    private var upRunStart = 0

    /// Creates a detector with no incident open.
    public init(rule: IncidentRule) {
        self.rule = rule
    }

    /// Feeds the state of slice `slice` (slices in increasing order) and returns what changed.
    public mutating func feed(_ state: SliceState, slice: Int, holdOpen: Bool = false) -> Transition? {
        switch state {
        case .down:
            if downRun == 0 { downRunStart = slice }
            downRun += 1
            upRun = 0
            if openSince == nil, downRun >= rule.openAfterDownSlices {
                openSince = downRunStart
                return .opened(firstSlice: downRunStart)
            }
        case .up:
            if upRun == 0 { upRunStart = slice }
            upRun += 1
            downRun = 0
            if let first = openSince, upRun >= rule.closeAfterUpSlices, !holdOpen {
                openSince = nil
                return .closed(firstSlice: first, endSlice: upRunStart)
            }
        case .unknown, .maintenance:
            break
        }
        return nil
    }

    /// Inactive, pending (a DOWN run shorter than K) or firing; never ``AlertPhase/resolved``, which
    /// only the alert that remembers having fired can say.
    public var phase: AlertPhase {
        if openSince != nil { return .firing }
        return downRun > 0 ? .pending : .inactive
    }
}
