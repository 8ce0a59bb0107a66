/// Small inline-SVG charts for the HTML report: horizontal bars, histograms (of lengths, of classifier
/// scores with their threshold), line charts.
///
/// Colours come from CSS variables (`--fg`, `--grid`, `--c1`…; series colours from `ChartPalette`,
/// also written as each element's `fill` or `stroke` so a chart keeps them on its own), so one chart
/// reads in light and dark themes; every chart has a title, labelled axes and units. Text is laid out
/// from estimated widths (`TextWidth`): label columns are as wide as their longest label (up to a
/// limit, past which a label is cut and shown whole in a tooltip), and legends sit under the title,
/// wrapping onto as many rows as they need, the chart growing with them.
enum SVGCharts {
    /// Every chart's width in SVG units (the page draws it at most this many pixels wide).
    static let width = 760.0
    /// The widest a bar chart's label column gets; longer labels are cut.
    static let maxLabelWidth = 300.0

    /// One horizontal bar per row; `series` values are drawn side by side in each row.
    struct Bars {
        var title: String
        var unit: String
        var rows: [String]
        var series: [(name: String, values: [Double])]
        /// How a value is written next to its bar.
        var label: (Double) -> String
        /// Values are counts: ticks at whole numbers.
        var integers = true
    }

    static func bars(_ chart: Bars) -> String {
        let barHeight = chart.series.count > 4 ? 12.0 : 14.0, gap = 8.0
        let longestLabel = chart.rows.map { TextWidth.of($0, fontSize: 12) }.max() ?? 0
        let labelWidth = min(max(longestLabel, 40), maxLabelWidth) + 12
        let values = chart.series.flatMap(\.values)
        let largest = max(values.max() ?? 0, 1e-12)
        let widestValue = values.map { TextWidth.of(chart.label($0), fontSize: 11) }.max() ?? 0
        let valueWidth = max(50, widestValue + 12)
        let plotWidth = width - labelWidth - valueWidth
        let legend = chart.series.count > 1 ? ChartLegend(names: chart.series.map(\.name), width: width) : nil
        let gridTop = legend.map { 24 + $0.height + 6 } ?? 28
        let rowHeight = Double(chart.series.count) * barHeight + gap
        let height = gridTop + 4 + Double(chart.rows.count) * rowHeight + 44
        var svg = open(height: height, title: chart.title)
        svg += text(chart.title, x: 0, y: 16, class: "title")
        svg += legend?.svg(left: 0, top: 24) ?? ""
        for tick in ticks(upTo: largest, integers: chart.integers) {
            let x = labelWidth + plotWidth * tick / largest
            svg += line(x1: x, y1: gridTop, x2: x, y2: height - 40, class: "grid")
            svg += text(chart.label(tick), x: x, y: height - 26, class: "tick", anchor: "middle")
        }
        for (row, name) in chart.rows.enumerated() {
            let top = gridTop + 4 + Double(row) * rowHeight
            let shown = TextWidth.fitting(name, width: labelWidth - 10, fontSize: 12)
            svg += text(shown, x: labelWidth - 8, y: top + rowHeight / 2, class: "label", anchor: "end",
                        tooltip: shown == name ? nil : name)
            for (index, series) in chart.series.enumerated() where row < series.values.count {
                let value = series.values[row]
                let y = top + Double(index) * barHeight
                let w = max(value > 0 ? 1 : 0, plotWidth * value / largest)
                svg += "<rect class=\"c\(index + 1)\" fill=\"\(ChartPalette.colour(index).hex)\" x=\"\(f(labelWidth))\" "
                    + "y=\"\(f(y))\" width=\"\(f(w))\" height=\"\(f(barHeight - 2))\"><title>\(escape(name)) · "
                    + "\(escape(series.name)): \(escape(chart.label(value)))</title></rect>"
                svg += text(chart.label(value), x: labelWidth + w + 4, y: y + barHeight - 4, class: "value")
            }
        }
        svg += text(chart.unit, x: labelWidth + plotWidth / 2, y: height - 6, class: "unit", anchor: "middle")
        return svg + "</svg>"
    }

    /// Vertical bars over power-of-two bins.
    static func histogram(title: String, unit: String, bins: [(lower: Int, upper: Int, count: Int)]) -> String {
        let height = 240.0, left = 60.0, bottom = 50.0, top = 30.0
        let plotWidth = width - left - 20, plotHeight = height - top - bottom
        let largest = Double(max(bins.map(\.count).max() ?? 1, 1))
        var svg = open(height: height, title: title)
        svg += text(title, x: 0, y: 16, class: "title")
        for tick in ticks(upTo: largest, integers: true) {
            let y = top + plotHeight - plotHeight * tick / largest
            svg += line(x1: left, y1: y, x2: width - 20, y2: y, class: "grid")
            svg += text(Format.compact(Int(tick)), x: left - 6, y: y + 4, class: "tick", anchor: "end")
        }
        let slot = plotWidth / Double(max(bins.count, 1))
        // Every bin's lower bound under it, or every second one where they would not fit.
        let widestLabel = bins.map { TextWidth.of(Format.compact($0.lower), fontSize: 11) }.max() ?? 0
        let every = widestLabel + 4 <= slot ? 1 : 2
        for (index, bin) in bins.enumerated() {
            let h = plotHeight * Double(bin.count) / largest
            let x = left + Double(index) * slot
            svg += "<rect class=\"c1\" fill=\"\(ChartPalette.colour(0).hex)\" x=\"\(f(x + 1))\" y=\"\(f(top + plotHeight - h))\" "
                + "width=\"\(f(slot - 2))\" height=\"\(f(h))\"><title>\(Format.count(bin.lower))–\(Format.count(bin.upper - 1)) "
                + "\(escape(unit)): \(Format.count(bin.count)) documents</title></rect>"
            if index % every == 0 {
                svg += text(Format.compact(bin.lower), x: x + slot / 2, y: top + plotHeight + 14, class: "tick",
                            anchor: "middle")
            }
        }
        svg += text("\(unit) per document (bins from this value to the next power of two)", x: left + plotWidth / 2,
                    y: height - 12, class: "unit", anchor: "middle")
        svg += text("documents", x: 12, y: top + plotHeight / 2, class: "unit", anchor: "middle",
                    transform: "rotate(-90 12 \(f(top + plotHeight / 2)))")
        return svg + "</svg>"
    }

    /// A histogram of classifier scores over [0, 1] (equal bins), in series colour `colour`, with a dashed
    /// vertical line at `threshold` labelled with its value.
    static func scoreHistogram(title: String, bins: [Int], colour: Int, threshold: Double?) -> String {
        let height = 220.0, left = 60.0, bottom = 50.0, top = 44.0, right = 20.0
        let plotWidth = width - left - right, plotHeight = height - top - bottom
        let largest = Double(max(bins.max() ?? 1, 1))
        let shownTitle = TextWidth.fitting(title, width: width - 4, fontSize: 13)
        var svg = open(height: height, title: title)
        svg += text(shownTitle, x: 0, y: 16, class: "title", tooltip: shownTitle == title ? nil : title)
        for tick in ticks(upTo: largest, integers: true) {
            let y = top + plotHeight - plotHeight * tick / largest
            svg += line(x1: left, y1: y, x2: width - right, y2: y, class: "grid")
            svg += text(Format.compact(Int(tick)), x: left - 6, y: y + 4, class: "tick", anchor: "end")
        }
        let slot = plotWidth / Double(max(bins.count, 1))
        let fill = ChartPalette.colour(colour).hex
        for (index, count) in bins.enumerated() {
            let h = plotHeight * Double(count) / largest
            let x = left + Double(index) * slot
            let lower = Double(index) / Double(bins.count), upper = Double(index + 1) / Double(bins.count)
            svg += "<rect class=\"c\(colour + 1)\" fill=\"\(fill)\" x=\"\(f(x + 1))\" y=\"\(f(top + plotHeight - h))\" "
                + "width=\"\(f(slot - 2))\" height=\"\(f(h))\"><title>score \(Format.decimal(lower, 2))–"
                + "\(Format.decimal(upper, 2)): \(Format.count(count)) documents</title></rect>"
        }
        for tenth in 0...10 {
            svg += text(Format.decimal(Double(tenth) / 10, 1), x: left + plotWidth * Double(tenth) / 10,
                        y: top + plotHeight + 14, class: "tick", anchor: "middle")
        }
        if let threshold {
            let x = left + plotWidth * min(max(threshold, 0), 1)
            let label = "threshold \(StatisticsText.number(threshold))"
            // The label to the right of the line, or to its left where it would pass the edge.
            let fits = x + 4 + TextWidth.of(label, fontSize: 11) <= width
            svg += "<line class=\"threshold\" stroke=\"#c8453a\" stroke-width=\"2\" stroke-dasharray=\"5 3\" "
                + "x1=\"\(f(x))\" y1=\"\(f(top - 12))\" x2=\"\(f(x))\" y2=\"\(f(top + plotHeight))\">"
                + "<title>\(escape(label))</title></line>"
            svg += text(label, x: fits ? x + 4 : x - 4, y: top - 4, class: "threshold", anchor: fits ? "start" : "end")
        }
        svg += text("score (bins of \(Format.decimal(1 / Double(max(bins.count, 1)), 2)))", x: left + plotWidth / 2,
                    y: height - 12, class: "unit", anchor: "middle")
        svg += text("documents", x: 12, y: top + plotHeight / 2, class: "unit", anchor: "middle",
                    transform: "rotate(-90 12 \(f(top + plotHeight / 2)))")
        return svg + "</svg>"
    }

    /// One series of a line chart: a line through `points`, and `marks` (sparse values such as
    /// evaluations, named `marksName` in tooltips) as dots joined by a dashed line, in the same colour.
    struct Line {
        var name: String
        var points: [(x: Double, y: Double)]
        var marks: [(x: Double, y: Double)] = []
        var marksName = ""
    }

    /// Lines through (x, y) points, one colour and one legend entry per series.
    static func lines(title: String, xLabel: String, yLabel: String, series: [Line]) -> String {
        let left = 60.0, bottom = 50.0
        let legend = ChartLegend(names: series.map(\.name), width: width - left)
        let top = 24 + legend.height + 10
        let height = top + 200 + bottom
        let plotWidth = width - left - 20, plotHeight = height - top - bottom
        let all = series.flatMap { $0.points + $0.marks }
        let xs = all.map(\.x), ys = all.map(\.y)
        // The y axis starts just below the lowest value (losses do not start at zero).
        let yMin = max(0, ((ys.min() ?? 0) - 0.5).rounded(.down))
        let xMax = max(xs.max() ?? 1, 1e-12), yMax = max(ys.max() ?? 1, yMin + 1e-12)
        func px(_ x: Double) -> Double { left + plotWidth * x / xMax }
        func py(_ y: Double) -> Double { top + plotHeight - plotHeight * (y - yMin) / (yMax - yMin) }
        func path(_ points: [(x: Double, y: Double)]) -> String {
            points.map { "\(f(px($0.x))),\(f(py($0.y)))" }.joined(separator: " ")
        }
        var svg = open(height: height, title: title)
        svg += text(title, x: 0, y: 16, class: "title")
        svg += legend.svg(left: left, top: 24)
        for tick in ticks(upTo: yMax - yMin).map({ $0 + yMin }) {
            svg += line(x1: left, y1: py(tick), x2: width - 20, y2: py(tick), class: "grid")
            svg += text(Format.decimal(tick, yMax < 10 ? 1 : 0), x: left - 6, y: py(tick) + 4, class: "tick", anchor: "end")
        }
        for tick in ticks(upTo: xMax) {
            svg += text(Format.compact(Int(tick)), x: px(tick), y: top + plotHeight + 14, class: "tick", anchor: "middle")
        }
        for (index, s) in series.enumerated() {
            let colour = ChartPalette.colour(index).hex
            if !s.points.isEmpty {
                svg += "<polyline class=\"l\(index + 1)\" stroke=\"\(colour)\" fill=\"none\" points=\"\(path(s.points))\">"
                    + "<title>\(escape(s.name))</title></polyline>"
            }
            if s.marks.count > 1 {
                svg += "<polyline class=\"l\(index + 1)\" stroke=\"\(colour)\" fill=\"none\" stroke-dasharray=\"5 4\" "
                    + "points=\"\(path(s.marks))\"><title>\(escape(s.name)) · \(escape(s.marksName))</title></polyline>"
            }
            // Marks are dots; so are the points of a sparse line, where nothing else marks dots.
            let dotted = s.points.count == 1 || s.points.count < 40 && s.marks.isEmpty
            let dots = (dotted ? s.points.map { ($0, "") } : []) + s.marks.map { ($0, " · " + s.marksName) }
            for (point, what) in dots {
                svg += "<circle class=\"c\(index + 1)\" fill=\"\(colour)\" cx=\"\(f(px(point.x)))\" cy=\"\(f(py(point.y)))\" "
                    + "r=\"3\"><title>\(escape(s.name + what)) at \(Format.count(Int(point.x))): "
                    + "\(Format.decimal(point.y, 3))</title></circle>"
            }
        }
        svg += text(xLabel, x: left + plotWidth / 2, y: height - 12, class: "unit", anchor: "middle")
        svg += text(yLabel, x: 12, y: top + plotHeight / 2, class: "unit", anchor: "middle",
                    transform: "rotate(-90 12 \(f(top + plotHeight / 2)))")
        return svg + "</svg>"
    }

    // MARK: - Pieces

    /// Round tick values from 0 up to `largest` (about five of them); whole numbers when `integers`.
    static func ticks(upTo largest: Double, integers: Bool = false) -> [Double] {
        guard largest > 0, largest.isFinite else { return [0] }
        let rough = largest / 5
        var power = 1.0
        while power * 10 <= rough { power *= 10 }
        while power > rough { power /= 10 }
        var step = [1.0, 2, 5, 10].map { $0 * power }.first { $0 >= rough } ?? power * 10
        if integers { step = max(1, step.rounded()) }
        return stride(from: 0, through: largest, by: step).map { $0 }
    }

    private static func open(height: Double, title: String) -> String {
        "<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"chart\" viewBox=\"0 0 \(f(width)) \(f(height))\" "
            + "role=\"img\" aria-label=\"\(escape(title))\">"
    }

    /// A `<text>`; with a `tooltip`, that text is shown on hovering (the full text of a cut label).
    static func text(_ content: String, x: Double, y: Double, class name: String, anchor: String = "start",
                     transform: String? = nil, tooltip: String? = nil) -> String {
        let transform = transform.map { " transform=\"\($0)\"" } ?? ""
        let tooltip = tooltip.map { "<title>\(escape($0))</title>" } ?? ""
        return "<text class=\"\(name)\" x=\"\(f(x))\" y=\"\(f(y))\" text-anchor=\"\(anchor)\"\(transform)>"
            + "\(tooltip)\(escape(content))</text>"
    }

    private static func line(x1: Double, y1: Double, x2: Double, y2: Double, class name: String) -> String {
        "<line class=\"\(name)\" x1=\"\(f(x1))\" y1=\"\(f(y1))\" x2=\"\(f(x2))\" y2=\"\(f(y2))\"></line>"
    }

    /// A coordinate with one decimal.
    static func f(_ value: Double) -> String { Format.decimal(value, 1) }
}

/// Escapes text for HTML and SVG content and attribute values; control characters (other than tab and
/// newline) become U+FFFD, which HTML does not allow.
public func escape(_ text: String) -> String {
    var out = ""
    out.reserveCapacity(text.utf8.count)
    for scalar in text.unicodeScalars {
        switch scalar {
        case "&": out += "&amp;"
        case "<": out += "&lt;"
        case ">": out += "&gt;"
        case "\"": out += "&quot;"
        case "'": out += "&#39;"
        default:
            // Control characters other than tab and newline are not allowed in HTML text.
            if scalar.value < 0x20 && scalar != "\t" && scalar != "\n" || scalar.value == 0x7F {
                out += "\u{FFFD}"
            } else {
                out.unicodeScalars.append(scalar)
            }
        }
    }
    return out
}
