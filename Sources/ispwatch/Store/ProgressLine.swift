import Foundation

/// A progress line on stderr (`synth  1,234,567 / 8,640,000 results  1.2M/s  ETA 0:06`), redrawn in
/// place at most four times a second and only when stderr is a terminal, so that logs and pipes
/// never see it.
struct ProgressLine {
    private let label: String
    private let unit: String
    private let isEnabled: Bool
    private let started = ContinuousClock.now
    private var lastDrawn: ContinuousClock.Instant?

    /// Creates a progress line for `label`, counting `unit`s.
    init(label: String, unit: String) {
        self.label = label
        self.unit = unit
        self.isEnabled = isatty(STDERR_FILENO) == 1
    }

    /// Redraws the line with `done` of `total` (total unknown when `nil`) when it is due.
    mutating func update(done: Int, total: Int?) {
        guard isEnabled else { return }
        let now = ContinuousClock.now
        if let lastDrawn, now - lastDrawn < .milliseconds(250) { return }
        lastDrawn = now
        let elapsed = max((now - started).seconds, 1e-3)
        let rate = Double(done) / elapsed
        var line = "\r\(label)  \(CommandDiagnostics.grouped(done))"
        if let total { line += " / \(CommandDiagnostics.grouped(total))" }
        line += " \(unit)  \(Self.compact(rate))/s"
        if let total, rate > 0, done <= total {
            line += "  ETA \(Self.clock(Double(total - done) / rate))"
        }
        FileHandle.standardError.write(Data((line + "\u{1B}[K").utf8))
    }

    /// Replaces the counts with a phase name (`synth  sealing…`) for a step that reports none.
    mutating func show(_ phase: String) {
        guard isEnabled else { return }
        lastDrawn = ContinuousClock.now
        FileHandle.standardError.write(Data("\r\(label)  \(phase)\u{1B}[K".utf8))
    }

    /// Clears the line.
    func finish() {
        guard isEnabled, lastDrawn != nil else { return }
        FileHandle.standardError.write(Data("\r\u{1B}[K".utf8))
    }

    /// The elapsed time since the line was created.
    var elapsed: Duration { ContinuousClock.now - started }

    /// `950`, `12.3k`, `1.2M`.
    static func compact(_ value: Double) -> String {
        switch value {
        case ..<1_000: String(Int(value))
        case ..<1_000_000: String(format: "%.1fk", value / 1_000)
        default: String(format: "%.1fM", value / 1_000_000)
        }
    }

    /// `m:ss` or `h:mm:ss`.
    static func clock(_ seconds: Double) -> String {
        let total = Int(seconds.rounded(.up))
        let (hours, minutes, secs) = (total / 3_600, total / 60 % 60, total % 60)
        return hours > 0 ? String(format: "%d:%02d:%02d", hours, minutes, secs) : String(format: "%d:%02d", minutes, secs)
    }
}
