import Foundation
import WatchCore

/// Numbers and times as the reports show them.
enum ReportFormatting {
    /// `99.912%`, or `—` when undefined.
    static func percent(_ value: Double?, digits: Int) -> String {
        guard let value else { return "—" }
        return String(format: "%.\(digits)f%%", value * 100)
    }

    /// `1d02h`, `3h05m`, `12m`, `45s`, `0`; negative with a minus sign.
    static func duration(_ duration: Duration) -> String {
        let totalSeconds = duration.components.seconds
        if totalSeconds < 0 { return "-" + self.duration(.zero - duration) }
        if totalSeconds == 0 { return "0" }
        let days = totalSeconds / 86_400, hours = totalSeconds % 86_400 / 3_600
        let minutes = totalSeconds % 3_600 / 60, seconds = totalSeconds % 60
        func two(_ value: Int64) -> String { value < 10 ? "0\(value)" : "\(value)" }
        if days > 0 { return hours == 0 ? "\(days)d" : "\(days)d\(two(hours))h" }
        if hours > 0 { return minutes == 0 ? "\(hours)h" : "\(hours)h\(two(minutes))m" }
        if minutes > 0 { return seconds == 0 ? "\(minutes)m" : "\(minutes)m\(two(seconds))s" }
        return "\(seconds)s"
    }

    /// `23.4ms`, or `—`.
    static func milliseconds(_ value: Double?) -> String {
        guard let value else { return "—" }
        return value >= 100 ? String(format: "%.0fms", value) : String(format: "%.1fms", value)
    }

    /// `2027-02-05 01:14` in `timeZone`.
    static func local(_ timestamp: Timestamp, timeZone: String) -> String {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: timeZone) ?? TimeZone(identifier: "UTC")!
        let date = Date(timeIntervalSince1970: Double(timestamp.nanosecondsSinceEpoch) / 1e9)
        let parts = calendar.dateComponents([.year, .month, .day, .hour, .minute], from: date)
        func two(_ value: Int?) -> String { value.map { $0 < 10 ? "0\($0)" : "\($0)" } ?? "00" }
        return "\(parts.year ?? 0)-\(two(parts.month))-\(two(parts.day)) \(two(parts.hour)):\(two(parts.minute))"
    }
}
