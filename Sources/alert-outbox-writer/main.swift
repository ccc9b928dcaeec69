// A writer process for the outbox crash test: appends notifications of distinct alerts
// (`TargetDown` of targets `kill-<n>`, n from FIRST on) to an outbox, and after each append returns
// prints `appended <n>` on stdout. The test kills it with SIGKILL at a random moment and checks
// that every notification reported appended is in the outbox, then delivers them.
//
// Usage: alert-outbox-writer DIRECTORY FIRST
#if canImport(Glibc)
import Glibc
#endif
import Alerting
import WatchCore

/// Writes a line with one write(2), so that a kill never leaves half a line counted.
func say(_ line: String, to descriptor: Int32 = 1) {
    let bytes = Array((line + "\n").utf8)
    _ = bytes.withUnsafeBytes { write(descriptor, $0.baseAddress, $0.count) }
}

let arguments = CommandLine.arguments
guard arguments.count == 3, let first = Int(arguments[2]) else {
    say("usage: alert-outbox-writer DIRECTORY FIRST", to: 2)
    exit(2)
}
do {
    var outbox = try AlertOutbox(directory: arguments[1])
    // Bounded: the test kills it long before.
    for index in first..<(first + 100_000) {
        let now = WallClock.now()
        try outbox.append(AlertNotification(
            key: AlertKey.target("TargetDown", provider: "vnpt", service: "dns", target: TargetID("kill-\(index)"), family: .v4),
            status: .firing, severity: .critical,
            labels: ["provider": "vnpt", "service": "dns", "target": "kill-\(index)", "family": "v4"],
            annotations: ["summary": "kill-\(index) is DOWN"], startsAt: now, createdAt: now))
        say("appended \(index)")
    }
} catch {
    say("alert-outbox-writer: \(error)", to: 2)
    exit(1)
}
