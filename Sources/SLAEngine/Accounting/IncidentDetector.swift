/// Finds incidents in a sequence of slice states with K/M hysteresis.
///
/// An incident opens once `K` consecutive DOWN slices are seen and starts at the first of them; it
/// closes once `M` consecutive UP slices follow, and ends where that UP run began. UNKNOWN and
/// MAINTENANCE slices freeze the state: they neither extend nor break a DOWN run or an UP run.
public enum IncidentDetector {
    /// The incidents in `states`, in time order.
    public static func incidents(in states: some Collection<SliceState>, rule: IncidentRule) -> [IncidentSpan] {
        var spans: [IncidentSpan] = []
        var open: Int?             // first slice of the open incident
        var downRun = 0, downRunStart = 0
        var upRun = 0, upRunStart = 0
        for (slice, state) in states.enumerated() {
            switch state {
            case .down:
                if downRun == 0 { downRunStart = slice }
                downRun += 1
                upRun = 0
                if open == nil, downRun >= rule.openAfterDownSlices { open = downRunStart }
            case .up:
                if upRun == 0 { upRunStart = slice }
                upRun += 1
                downRun = 0
                if let first = open, upRun >= rule.closeAfterUpSlices {
                    spans.append(IncidentSpan(firstSlice: first, endSlice: upRunStart))
                    open = nil
                }
            case .unknown, .maintenance:
                continue
            }
        }
        if let first = open { spans.append(IncidentSpan(firstSlice: first, endSlice: nil)) }
        return spans
    }
}
