import WatchCore

extension SLAAccounting {
    /// Evaluates `objective` over the units of its provider (and service, when it names one).
    func evaluate(
        _ objective: ServiceObjective, _ units: [AccountingUnit], _ incidents: [Incident], _ series: [SeriesHistory],
        _ grid: SliceGrid, _ period: ReportPeriod
    ) -> ObjectiveEvaluation {
        let selected = units.filter { unit in
            unit.provider == objective.provider && (objective.service.map { unit.service == $0 } ?? true)
        }
        let availability = availability(selected, grid)
        var tally = ProbeTally()
        for unit in selected { for member in unit.members { tally.merge(series[member].tally) } }
        let budget = ErrorBudget(objective: objective.availability, slices: availability.slices, sliceMillis: grid.sliceMillis)
        return ObjectiveEvaluation(
            objective: objective, units: selected.count, availability: availability,
            reliability: reliability(selected, incidents, grid), latency: LatencyFigures(microseconds: tally.latency),
            verdict: ErrorBudget.verdict(objective, availability), budget: budget.allowed, spent: budget.spent,
            left: budget.allowed - budget.spent, spentShare: budget.spentShare,
            periodAligned: period.isCalendarPeriod(objective.period, timeZone: objective.timeZone))
    }
}

/// The error budget of an availability objective over counted slices.
public struct ErrorBudget: Sendable, Hashable {
    /// The DOWN time the objective allows: `(1 − objective) × (adjusted UP + adjusted DOWN) × width`,
    /// rounded to the millisecond.
    public var allowed: Duration
    /// The DOWN time spent: adjusted DOWN × width.
    public var spent: Duration
    /// `spent / allowed`; `nil` when nothing is allowed.
    public var spentShare: Double?

    /// The budget of `objective` (a fraction) over `slices` of `sliceMillis` each.
    public init(objective: Double, slices: SliceTally, sliceMillis: Int64) {
        let counted = Double(slices.adjustedUp + slices.adjustedDown)
        let allowedMillis = (1 - objective) * counted * Double(sliceMillis)
        allowed = .milliseconds(Int64(allowedMillis.rounded()))
        spent = .milliseconds(Int64(slices.adjustedDown) * sliceMillis)
        spentShare = allowedMillis > 0 ? Double(Int64(slices.adjustedDown) * sliceMillis) / allowedMillis : nil
    }

    /// PASS when the adjusted availability reaches the objective, FAIL when not, INSUFFICIENT DATA
    /// when coverage is below the objective's minimum or nothing was counted.
    public static func verdict(_ objective: ServiceObjective, _ figures: AvailabilityFigures) -> ObjectiveVerdict {
        guard let achieved = figures.adjusted, figures.coverage >= objective.minimumCoverage else { return .insufficientData }
        return achieved >= objective.availability ? .pass : .fail
    }
}
