import Foundation

/// The plotting area shared by the charts: a fixed view box (the SVG scales to the page's width)
/// and margins for the axes' labels.
struct SVGFrame {
    var width = 720.0
    var height = 220.0
    var left = 56.0
    var right = 14.0
    var top = 20.0
    var bottom = 34.0

    var plotWidth: Double { width - left - right }
    var plotHeight: Double { height - top - bottom }
    var plotBottom: Double { height - bottom }

    /// `<svg …>` opening a chart described by `label` for screen readers.
    func open(label: String, height: Double? = nil) -> String {
        let viewHeight = height ?? self.height
        return "<svg class=\"chart\" viewBox=\"0 0 \(Self.number(width)) \(Self.number(viewHeight))\" "
            + "role=\"img\" aria-label=\"\(label.htmlEscaped)\" xmlns=\"http://www.w3.org/2000/svg\">"
    }

    /// A coordinate with at most one decimal.
    static func number(_ value: Double) -> String {
        let rounded = (value * 10).rounded() / 10
        return rounded == rounded.rounded() ? String(Int(rounded)) : String(format: "%.1f", rounded)
    }

    /// `<text>` at a point, escaped.
    static func text(_ content: String, x: Double, y: Double, anchor: String = "middle", className: String = "axis") -> String {
        "<text x=\"\(number(x))\" y=\"\(number(y))\" text-anchor=\"\(anchor)\" class=\"\(className)\">\(content.htmlEscaped)</text>"
    }

    /// A horizontal line across the plot at `y`.
    func rule(y: Double, className: String) -> String {
        "<line x1=\"\(Self.number(left))\" x2=\"\(Self.number(width - right))\" y1=\"\(Self.number(y))\" "
            + "y2=\"\(Self.number(y))\" class=\"\(className)\"/>"
    }
}
