import Alerting
import SLAEngine
import WatchCore

/// 2027-01-14T08:00:00Z: a whole minute, so slice `i` of the simulations starts at `start + i·60 s`.
let simulationStart = Timestamp(nanosecondsSinceEpoch: 1_799_913_600 * 1_000_000_000)

func dnsTarget(_ id: String, provider: String = "vnpt", service: String = "dns") -> Target {
    Target(id: TargetID(id), provider: provider, service: service, ipFamilies: .v4, spec: .tcp(TCPProbeSpec(host: "127.0.0.1", port: 53)))
}

/// Drives an ``AlertEngine`` slice by slice with injected time: probes a few seconds into each slice,
/// a tick once the slice's close delay passed.
struct EngineHarness {
    var engine: AlertEngine
    let start: Timestamp
    /// The next slice to simulate.
    var slice = 0
    /// Everything the engine returned, in order.
    var sent: [AlertNotification] = []

    init(rules: AlertRules = AlertRules(), targets: [Target], maintenance: [MaintenanceWindow] = [], start: Timestamp = simulationStart) {
        engine = AlertEngine(rules: rules, targets: targets, maintenance: maintenance)
        self.start = start
        sent += engine.handle(.tick(start))
    }

    func sliceStart(_ index: Int) -> Timestamp { start.advanced(by: .seconds(60 * Int64(index))) }

    /// Simulates one slice: `outcomes[target][vantage]` true = success, absent = no probe; then the
    /// tick that judges it. Returns that tick's notifications.
    @discardableResult
    mutating func slice(_ outcomes: [Target: [String: Bool]]) -> [AlertNotification] {
        let at = sliceStart(slice).advanced(by: .seconds(5))
        for (target, byVantage) in outcomes.sorted(by: { $0.key.id < $1.key.id }) {
            for (vantage, success) in byVantage.sorted(by: { $0.key < $1.key }) {
                let result = ProbeResult(
                    target: target.id, kind: .tcp, ipFamily: .v4, startedAt: at,
                    failure: success ? nil : .tcpTimeout, duration: .milliseconds(success ? 3 : 2_000))
                _ = engine.handle(.probeResult(result, series: SeriesKey(target: target.id, vantage: vantage, family: .v4), target: target))
            }
        }
        slice += 1
        let out = engine.handle(.tick(sliceStart(slice).advanced(by: .seconds(16))))
        sent += out
        return out
    }

    /// One slice per character for one target seen from one vantage: `U` up, `D` down, `?` no probe.
    mutating func run(_ states: String, target: Target, vantage: String = "hanoi-1") {
        for character in states {
            switch character {
            case "U": slice([target: [vantage: true]])
            case "D": slice([target: [vantage: false]])
            default: slice([:])
            }
        }
    }

    mutating func health(_ vantage: String, healthy: Bool, at: Timestamp) {
        sent += engine.handle(.vantageHealth(vantage: vantage, healthy: healthy, at: at))
    }

    /// The new pages of rule `alertName`: firing notifications that are not re-sends of an alert
    /// already firing.
    func paged(_ alertName: String) -> [AlertNotification] {
        var firing: Set<AlertKey> = []
        var pages: [AlertNotification] = []
        for notification in sent where notification.key.alertName == alertName {
            if notification.status == .resolved {
                firing.remove(notification.key)
            } else if firing.insert(notification.key).inserted {
                pages.append(notification)
            }
        }
        return pages
    }

    func sent(_ alertName: String, _ status: AlertNotification.Status) -> [AlertNotification] {
        sent.filter { $0.key.alertName == alertName && $0.status == status }
    }
}

/// A small, seeded generator so random test vectors are the same on every run.
struct SplitMix64: RandomNumberGenerator {
    var state: UInt64
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
