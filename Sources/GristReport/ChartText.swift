/// How wide text is drawn, estimated from its characters, so charts are laid out without a browser: a
/// label column as wide as its longest label, legends that wrap before the edge. The estimate errs wide
/// (widths of DejaVu Sans, the widest common sans-serif font, rounded up), so text fits whichever
/// sans-serif font the reader's browser picks.
enum TextWidth {
    /// The width of `text` drawn at `fontSize` pixels, in pixels.
    static func of(_ text: String, fontSize: Double) -> Double {
        text.unicodeScalars.reduce(0) { $0 + em($1) } * fontSize
    }

    /// `text`, cut at the end with "…" where it is wider than `width`.
    static func fitting(_ text: String, width: Double, fontSize: Double) -> String {
        guard of(text, fontSize: fontSize) > width else { return text }
        var used = em("…") * fontSize, kept = ""
        for scalar in text.unicodeScalars {
            used += em(scalar) * fontSize
            if used > width { break }
            kept.unicodeScalars.append(scalar)
        }
        return kept + "…"
    }

    /// One character's width in ems.
    private static func em(_ scalar: Unicode.Scalar) -> Double {
        switch scalar.value {
        case 0x300...0x36F, 0x200B...0x200F, 0xFE00...0xFE0F: 0  // combining marks, zero-width characters
        case 0x1100...0x115F, 0x2E80...0xA4CF, 0xAC00...0xD7A3, 0xF900...0xFAFF, 0xFE30...0xFE4F, 0xFF00...0xFF60,
             0xFFE0...0xFFE6, 0x1F300...0x1FAFF, 0x20000...0x3FFFD: 1.05  // East Asian wide, emoji
        default:
            switch scalar {
            case "i", "j", "l", ".", ",", ":", ";", "'", "|", "!", "(", ")", "[", "]": 0.36
            case " ", "f", "t", "r", "I", "-": 0.45
            case "m", "w", "M", "W", "@", "%", "…": 1.0
            case "A"..."Z", "&", "#": 0.78
            default: 0.66
            }
        }
    }
}

/// A chart's legend: one swatch and name per series, left to right, wrapping onto more rows where the
/// next entry would pass the right edge; a name wider than a whole row is cut, with the full name in
/// a tooltip. Charts draw it under their title and move the plot down by its height.
struct ChartLegend {
    struct Entry: Equatable {
        /// The series' name, and as drawn.
        var name: String, shown: String
        /// Left edge relative to the legend's, and row (0 first).
        var x: Double, row: Int
    }

    static let rowHeight = 18.0, fontSize = 12.0
    /// Swatch and the space after it; space after a name.
    private static let swatchWidth = 14.0, spacing = 18.0

    let entries: [Entry]
    let rows: Int

    /// Lays out `names` in rows at most `width` wide.
    init(names: [String], width: Double) {
        var entries: [Entry] = [], x = 0.0, row = 0
        for name in names {
            let shown = TextWidth.fitting(name, width: width - Self.swatchWidth, fontSize: Self.fontSize)
            let entryWidth = Self.swatchWidth + TextWidth.of(shown, fontSize: Self.fontSize)
            if x > 0 && x + entryWidth > width {
                row += 1
                x = 0
            }
            entries.append(Entry(name: name, shown: shown, x: x, row: row))
            x += entryWidth + Self.spacing
        }
        self.entries = entries
        rows = entries.isEmpty ? 0 : row + 1
    }

    /// Rows × row height.
    var height: Double { Double(rows) * Self.rowHeight }

    /// The legend as SVG (`<g class="legend">`, an `<g class="entry">` per series carrying its name in
    /// `data-series`), its first row's top at `top`; entry i has colour class `c(i+1)`.
    func svg(left: Double, top: Double) -> String {
        var out = "<g class=\"legend\">"
        for (index, entry) in entries.enumerated() {
            let x = left + entry.x, y = top + Double(entry.row) * Self.rowHeight
            let colour = ChartPalette.colour(index).hex
            out += "<g class=\"entry\" data-series=\"\(escape(entry.name))\">"
                + "<rect class=\"c\(index + 1)\" fill=\"\(colour)\" x=\"\(SVGCharts.f(x))\" y=\"\(SVGCharts.f(y + 4))\" "
                + "width=\"10\" height=\"10\"></rect>"
                + SVGCharts.text(entry.shown, x: x + Self.swatchWidth, y: y + 13, class: "label",
                                 tooltip: entry.shown == entry.name ? nil : entry.name)
                + "</g>"
        }
        return out + "</g>"
    }
}
