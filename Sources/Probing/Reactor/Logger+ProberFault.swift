import Logging
import WatchCore

extension Logger {
    /// Logs a result that failed through the vantage point's fault (`prober_error`), not the
    /// target's: worth a line for whoever runs the prober. Other results pass silently.
    func noteProberFault(_ result: ProbeResult, of request: ProbeRequest) {
        guard result.failure == .proberError else { return }
        debug("\(result.kind) probe could not run", metadata: [
            "probe.target": "\(request.target)", "probe.detail": "\(result.failureDetail ?? "")",
        ])
    }
}
