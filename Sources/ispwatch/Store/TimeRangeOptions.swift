import ArgumentParser
import WatchCore

/// An RFC 3339 time on the command line (`2027-02-03T00:00+07:00`, `2027-02-03T00:00:00Z`).
struct CommandLineTime: ExpressibleByArgument {
    var timestamp: Timestamp

    init?(argument: String) {
        guard let timestamp = Timestamp(rfc3339: argument) else { return nil }
        self.timestamp = timestamp
    }

    static var defaultCompletionKind: CompletionKind { .default }
}

/// `--from` and `--to`: a half-open time range of probe start times.
struct TimeRangeOptions: ParsableArguments {
    @Option(help: ArgumentHelp("Only results that started at or after this RFC 3339 time, e.g. 2027-02-03T00:00+07:00.",
                               valueName: "time"))
    var from: CommandLineTime?

    @Option(help: ArgumentHelp("Only results that started before this RFC 3339 time.", valueName: "time"))
    var to: CommandLineTime?

    /// The range in ms since the epoch, ends `nil` when open.
    var fromMillis: Int64? { from?.timestamp.millisecondsSinceEpoch }
    var toMillis: Int64? { to.map { Self.ceilingMillis($0.timestamp) } }

    /// `--to` at a fraction of a millisecond still excludes the millisecond it falls in only when
    /// it is exactly on it; rounding up keeps every result that started before it.
    private static func ceilingMillis(_ timestamp: Timestamp) -> Int64 {
        let floor = timestamp.millisecondsSinceEpoch
        return Timestamp(millisecondsSinceEpoch: floor) == timestamp ? floor : floor + 1
    }

    func validate() throws {
        if let from, let to, to.timestamp <= from.timestamp {
            throw ValidationError("--to (\(to.timestamp)) must be after --from (\(from.timestamp))")
        }
    }
}
