import ArgumentParser
import SLAEngine
import WatchCore

/// The accounting rules of docs/SLA.md as flags, for `report` (and later `query`): the defaults are
/// the documented ones; a regulator's methodology may set others, and the report states them.
struct AccountingOptions: ParsableArguments {
    @Option(help: ArgumentHelp("The width of a time slice (default 1m).", valueName: "duration"),
            transform: { try AccountingOptions.duration($0, flag: "--slice") })
    var slice: Duration = .seconds(60)

    @Option(name: .customLong("down-share"),
            help: ArgumentHelp("The share of failed probes that makes a slice DOWN (default 0.5).", valueName: "share"))
    var downShare: Double = 0.5

    @Option(name: .customLong("open-after"),
            help: ArgumentHelp("Consecutive DOWN slices that open an incident, K (default 3).", valueName: "slices"))
    var openAfter: Int = 3

    @Option(name: .customLong("close-after"),
            help: ArgumentHelp("Consecutive UP slices that close it, M (default 5).", valueName: "slices"))
    var closeAfter: Int = 5

    @Option(help: ArgumentHelp("Healthy vantages that must see a slice DOWN, Q (default 2).", valueName: "vantages"))
    var quorum: Int = 2

    func validate() throws {
        guard slice >= .seconds(1) else { throw ValidationError("--slice must be at least 1s") }
        guard downShare > 0, downShare <= 1 else { throw ValidationError("--down-share must be in (0, 1]") }
        guard openAfter >= 1, closeAfter >= 1 else { throw ValidationError("--open-after and --close-after are at least 1") }
        guard quorum >= 1 else { throw ValidationError("--quorum is at least 1") }
    }

    /// The rules these flags describe.
    var rules: AccountingRules {
        AccountingRules(
            sliceMillis: slice.nanoseconds / 1_000_000, slice: SliceRule(downShare: downShare),
            quorum: QuorumRule(downVantages: quorum),
            incident: IncidentRule(openAfterDownSlices: openAfter, closeAfterUpSlices: closeAfter))
    }

    private static func duration(_ text: String, flag: String) throws -> Duration {
        guard let value = DurationSyntax.parse(text) else {
            throw ValidationError("\(flag): \"\(text)\" is not a duration like 30s or 5m")
        }
        return value
    }
}
