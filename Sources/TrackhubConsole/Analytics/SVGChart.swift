import Foundation

/// Charts for the Números page, drawn on the server as inline SVG: no JavaScript, no Node
/// build, nothing fetched. Pure functions of values, so their markup is unit-tested.
///
/// Every text that reaches the markup (campaign names come from UTMs, i.e. from anyone who
/// can write a URL) goes through ``escape(_:)``; colours are presentation attributes (the
/// console's CSP allows no inline `style`). The `viewBox` makes each chart scale to its box.
enum SVGChart {
    /// One horizontal bar: its label, the value that sets its length, and the text printed at
    /// its end (a formatted amount, a count).
    struct Bar: Sendable, Equatable {
        var label: String
        var value: Double
        var text: String
    }

    /// One point of a line: its label (a day) and a value in 0…1.
    struct Point: Sendable, Equatable {
        var label: String
        var value: Double
    }

    static let width = 640.0
    static let barHeight = 26.0
    static let labelWidth = 200.0

    /// Horizontal bars, longest = full width; `title` is the accessible name.
    static func bars(_ bars: [Bar], title: String) -> String {
        let height = max(1, Double(bars.count)) * (barHeight + 8) + 8
        let maxValue = bars.map(\.value).max().flatMap { $0 > 0 ? $0 : nil } ?? 1
        let room = width - labelWidth - 110
        var out = header(title: title, height: height)
        for (i, bar) in bars.enumerated() {
            let y = 8 + Double(i) * (barHeight + 8)
            let length = max(bar.value, 0) / maxValue * room
            out += "<text x=\"0\" y=\"\(fmt(y + barHeight * 0.68))\" font-size=\"13\" fill=\"#333\">\(escape(clip(bar.label, 28)))</text>"
            out += "<rect x=\"\(fmt(labelWidth))\" y=\"\(fmt(y))\" width=\"\(fmt(length))\" height=\"\(fmt(barHeight))\" rx=\"3\" fill=\"#2f6fdf\"/>"
            out += "<text x=\"\(fmt(labelWidth + length + 6))\" y=\"\(fmt(y + barHeight * 0.68))\" font-size=\"13\" fill=\"#111\">\(escape(bar.text))</text>"
        }
        return out + "</svg>"
    }

    /// A line over evenly spaced points, 0 at the bottom and 100 % at the top, with the first
    /// and last labels under it.
    static func line(_ points: [Point], title: String) -> String {
        let height = 180.0, top = 10.0, bottom = 150.0, left = 40.0, right = width - 10
        var out = header(title: title, height: height)
        for (fraction, label) in [(0.0, "0%"), (0.5, "50%"), (1.0, "100%")] {
            let y = bottom - fraction * (bottom - top)
            out += "<line x1=\"\(fmt(left))\" y1=\"\(fmt(y))\" x2=\"\(fmt(right))\" y2=\"\(fmt(y))\" stroke=\"#ddd\"/>"
            out += "<text x=\"0\" y=\"\(fmt(y + 4))\" font-size=\"11\" fill=\"#666\">\(label)</text>"
        }
        guard !points.isEmpty else { return out + "</svg>" }
        let step = points.count > 1 ? (right - left) / Double(points.count - 1) : 0
        let coordinates = points.enumerated().map { i, p in
            (left + Double(i) * step, bottom - min(max(p.value, 0), 1) * (bottom - top))
        }
        out += "<polyline fill=\"none\" stroke=\"#1a8f4a\" stroke-width=\"2.5\" points=\"\(coordinates.map { "\(fmt($0.0)),\(fmt($0.1))" }.joined(separator: " "))\"/>"
        for (x, y) in coordinates { out += "<circle cx=\"\(fmt(x))\" cy=\"\(fmt(y))\" r=\"3\" fill=\"#1a8f4a\"/>" }
        out += "<text x=\"\(fmt(left))\" y=\"\(fmt(height - 8))\" font-size=\"11\" fill=\"#666\">\(escape(points[0].label))</text>"
        if points.count > 1 {
            out += "<text x=\"\(fmt(right))\" y=\"\(fmt(height - 8))\" font-size=\"11\" fill=\"#666\" text-anchor=\"end\">\(escape(points[points.count - 1].label))</text>"
        }
        return out + "</svg>"
    }

    static func header(title: String, height: Double) -> String {
        "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 \(fmt(width)) \(fmt(height))\" role=\"img\" aria-label=\"\(escape(title))\" class=\"chart\"><title>\(escape(title))</title>"
    }

    /// XML text and attribute escaping.
    static func escape(_ text: String) -> String {
        var out = ""
        out.reserveCapacity(text.count)
        for c in text {
            switch c {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&#39;"
            default: out.append(c)
            }
        }
        return out
    }

    static func clip(_ text: String, _ count: Int) -> String {
        text.count <= count ? text : String(text.prefix(count - 1)) + "…"
    }

    static func fmt(_ value: Double) -> String { String(format: "%.1f", value) }
}
