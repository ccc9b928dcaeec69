/// Where one alert is in its life.
public enum AlertPhase: String, Sendable, Hashable {
    /// Nothing wrong.
    case inactive
    /// The condition is seen but has not held long enough (fewer than K DOWN slices).
    case pending
    /// The alert is active.
    case firing
    /// It fired and ended; the next sign of trouble makes it pending again.
    case resolved
}
