import WatchCore

/// Multi-window, multi-burn-rate alerting on an objective's error budget (the Google SRE workbook's
/// scheme): a pair fires when the budget burns fast enough to spend `budgetShare` of it within
/// `long`, measured over both `long` and the much shorter `short` window (which makes it resolve soon
/// after the burning stops).
///
/// The burn rate over a window is its error ratio (DOWN unit-slices / measured unit-slices, pooled
/// over the objective's units) divided by the budget's ratio `1 − availability`. The threshold of a
/// pair is `budgetShare × period / long`: 14.4 for 2 % of a 30-day budget in 1 h.
public struct BurnRatePair: Sendable, Hashable {
    /// The share of the period's budget that, spent within `long`, fires this pair.
    public var budgetShare: Double
    /// The long window.
    public var long: Duration
    /// The short window (typically long / 12).
    public var short: Duration
    /// Critical pages; warning makes a ticket.
    public var severity: AlertSeverity

    /// Creates a pair.
    public init(budgetShare: Double, long: Duration, short: Duration, severity: AlertSeverity) {
        self.budgetShare = budgetShare
        self.long = long
        self.short = short
        self.severity = severity
    }

    /// The burn rate above which it fires, for a budget over `period`.
    public func threshold(period: Duration) -> Double {
        budgetShare * period.seconds / long.seconds
    }

    /// The workbook's pairs for a 30-day period, with every window scaled by `period / 30 d` so that
    /// a short event watch (a 9-day holiday) keeps the same thresholds over proportionally shorter
    /// windows: page at 2 % of the budget in 1 h (5 min short window) and at 5 % in 6 h (30 min);
    /// ticket at 10 % in 1 d (2 h) and in 3 d (6 h).
    public static func standard(period: Duration) -> [BurnRatePair] {
        let scale = period.seconds / (30 * 86_400)
        func scaled(_ seconds: Double) -> Duration { .milliseconds(Int64((seconds * scale * 1_000).rounded())) }
        return [
            BurnRatePair(budgetShare: 0.02, long: scaled(3_600), short: scaled(300), severity: .critical),
            BurnRatePair(budgetShare: 0.05, long: scaled(21_600), short: scaled(1_800), severity: .critical),
            BurnRatePair(budgetShare: 0.10, long: scaled(86_400), short: scaled(7_200), severity: .warning),
            BurnRatePair(budgetShare: 0.10, long: scaled(259_200), short: scaled(21_600), severity: .warning),
        ]
    }
}

/// An objective watched for its burn rate.
public struct BurnRateObjective: Sendable, Hashable {
    /// The objective (provider, optional service, availability).
    public var objective: ServiceObjective
    /// The period the budget is for: the calendar unit's length, or an event window's.
    public var period: Duration
    /// The window pairs (default ``BurnRatePair/standard(period:)``).
    public var pairs: [BurnRatePair]

    /// Creates a watched objective; `period` defaults to the length of its calendar unit (a month is
    /// 30 days, a quarter 91, a year 365).
    public init(objective: ServiceObjective, period: Duration? = nil, pairs: [BurnRatePair]? = nil) {
        let days: Int64 = switch objective.period {
        case .day: 1
        case .week: 7
        case .month: 30
        case .quarter: 91
        case .year: 365
        }
        let resolved = period ?? .seconds(days * 86_400)
        self.objective = objective
        self.period = resolved
        self.pairs = pairs ?? BurnRatePair.standard(period: resolved)
    }

    func covers(provider: String, service: String) -> Bool {
        objective.provider == provider && (objective.service.map { $0 == service } ?? true)
    }
}
