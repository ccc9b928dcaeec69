import Foundation
import SLAEngine

/// Availability per day (or hour) of one provider as bars, with the reference threshold as a dashed
/// line. The axis starts at a round share below the lowest bar, so that 99.2 % and 99.9 % look
/// different; a bucket without a counted slice is a grey stub marked "no data".
struct AvailabilityBarChart {
    struct Bar {
        var label: String
        var tooltip: String
        var availability: Double?
    }

    var title: String
    var bars: [Bar]
    var threshold: Double

    func render() -> String {
        let frame = SVGFrame()
        let values = bars.compactMap(\.availability)
        let lowest = min(values.min() ?? 1, threshold)
        let floor = [0.99, 0.95, 0.9, 0.8, 0.5, 0].first { $0 < lowest - 0.0005 || $0 == 0 } ?? 0
        func y(_ share: Double) -> Double { frame.plotBottom - (share - floor) / (1 - floor) * frame.plotHeight }
        var svg = frame.open(label: title)
        for share in [floor, (floor + 1) / 2, 1] {
            svg += frame.rule(y: y(share), className: "grid")
            svg += SVGFrame.text(ReportFormatting.percent(share, digits: share == 1 || floor < 0.9 ? 0 : 2),
                                 x: frame.left - 6, y: y(share) + 4, anchor: "end")
        }
        let step = frame.plotWidth / Double(max(bars.count, 1))
        let labelEvery = max(1, Int((Double(bars.count) / 12).rounded(.up)))
        for (index, bar) in bars.enumerated() {
            let x = frame.left + Double(index) * step + step * 0.15
            let width = max(step * 0.7, 1)
            if let availability = bar.availability {
                let top = y(availability)
                let className = availability >= threshold ? "bar ok" : "bar low"
                svg += "<rect x=\"\(SVGFrame.number(x))\" y=\"\(SVGFrame.number(top))\" width=\"\(SVGFrame.number(width))\" "
                    + "height=\"\(SVGFrame.number(max(frame.plotBottom - top, 0.5)))\" class=\"\(className)\">"
                    + "<title>\((bar.tooltip + ": " + ReportFormatting.percent(availability, digits: 3)).htmlEscaped)</title></rect>"
            } else {
                svg += "<rect x=\"\(SVGFrame.number(x))\" y=\"\(SVGFrame.number(frame.plotBottom - 4))\" "
                    + "width=\"\(SVGFrame.number(width))\" height=\"4\" class=\"bar nodata\">"
                    + "<title>\((bar.tooltip + ": no data").htmlEscaped)</title></rect>"
            }
            if index % labelEvery == 0 {
                svg += SVGFrame.text(bar.label, x: x + width / 2, y: frame.plotBottom + 16)
            }
        }
        svg += frame.rule(y: y(threshold), className: "threshold")
        svg += SVGFrame.text("\(ReportFormatting.percent(threshold, digits: 1)) reference", x: frame.width - frame.right - 2,
                             y: frame.top - 4, anchor: "end", className: "threshold-label")
        return svg + "</svg>"
    }
}
