import Foundation
import SLAEngine

/// Latency percentiles (p50, p95, p99) and the mean of one provider over time as lines, with the
/// mean-latency reference as a dashed line. A bucket without a successful probe breaks the lines.
struct LatencyLineChart {
    struct Point {
        var label: String
        var latency: LatencyFigures?
    }

    var title: String
    var points: [Point]
    var referenceMilliseconds: Double

    private static let series: [(name: String, className: String, value: KeyPath<LatencyFigures, Double> & Sendable)] = [
        ("p50", "line p50", \.p50), ("p95", "line p95", \.p95), ("p99", "line p99", \.p99), ("mean", "line mean", \.mean),
    ]

    func render() -> String {
        let frame = SVGFrame()
        let highest = max(points.compactMap { $0.latency?.p99 }.max() ?? 0, referenceMilliseconds) * 1.1
        let top = Self.roundUp(highest)
        func y(_ milliseconds: Double) -> Double { frame.plotBottom - milliseconds / top * frame.plotHeight }
        let step = frame.plotWidth / Double(max(points.count, 1))
        func x(_ index: Int) -> Double { frame.left + (Double(index) + 0.5) * step }
        var svg = frame.open(label: title)
        for fraction in [0.0, 0.5, 1.0] {
            svg += frame.rule(y: y(top * fraction), className: "grid")
            svg += SVGFrame.text(ReportFormatting.milliseconds(top * fraction), x: frame.left - 6, y: y(top * fraction) + 4,
                                 anchor: "end")
        }
        for (name, className, value) in Self.series {
            var runs: [[String]] = [[]]
            for (index, point) in points.enumerated() {
                if let latency = point.latency {
                    runs[runs.count - 1].append("\(SVGFrame.number(x(index))),\(SVGFrame.number(y(latency[keyPath: value])))")
                } else if !(runs.last?.isEmpty ?? true) {
                    runs.append([])
                }
            }
            for run in runs where !run.isEmpty {
                if run.count == 1 {
                    let parts = run[0].split(separator: ",")
                    svg += "<circle cx=\"\(parts[0])\" cy=\"\(parts[1])\" r=\"3\" class=\"\(className)\"><title>\(name)</title></circle>"
                } else {
                    svg += "<polyline points=\"\(run.joined(separator: " "))\" class=\"\(className)\"><title>\(name)</title></polyline>"
                }
            }
        }
        let labelEvery = max(1, Int((Double(points.count) / 12).rounded(.up)))
        for (index, point) in points.enumerated() where index % labelEvery == 0 {
            svg += SVGFrame.text(point.label, x: x(index), y: frame.plotBottom + 16)
        }
        svg += frame.rule(y: y(referenceMilliseconds), className: "threshold")
        svg += SVGFrame.text("mean ≤ \(ReportFormatting.milliseconds(referenceMilliseconds)) reference",
                             x: frame.width - frame.right - 2, y: frame.top - 4, anchor: "end",
                             className: "threshold-label")
        return svg + "</svg>"
    }

    /// 1, 2 or 5 times a power of ten, at least `value`.
    static func roundUp(_ value: Double) -> Double {
        guard value > 0 else { return 1 }
        let magnitude = pow(10, (log10(value)).rounded(.down))
        return [1.0, 2, 5, 10].map { $0 * magnitude }.first { $0 >= value } ?? value
    }
}
