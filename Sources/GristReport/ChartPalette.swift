/// The colours of chart series (sources, training runs, …): one per series, distinct for any number of
/// them, the same on every run. The first ten are a fixed qualitative palette; past them hues step
/// around the colour wheel by the golden angle (≈137.5°, so no two land close), at three alternating
/// lightnesses. Each colour has a light-theme and a dark-theme variant.
public enum ChartPalette {
    /// A colour as `#rrggbb`.
    public struct Colour: Sendable, Equatable {
        public var red: UInt8, green: UInt8, blue: UInt8

        public var hex: String {
            "#" + [red, green, blue].map { value in
                let digits = String(value, radix: 16)
                return digits.count == 1 ? "0" + digits : digits
            }.joined()
        }
    }

    /// Series colour `index` (0-based) for the light theme (`dark: false`) or the dark one.
    public static func colour(_ index: Int, dark: Bool = false) -> Colour {
        precondition(index >= 0, "a series index is never negative")
        if index < fixed.count { return parse(dark ? fixed[index].dark : fixed[index].light) }
        let k = index - fixed.count
        let hue = (Double(k) * goldenAngle + 125).truncatingRemainder(dividingBy: 360)
        let lightness = [0.45, 0.32, 0.58][k % 3] + (dark ? 0.2 : 0)
        return hsl(hue: hue, saturation: 0.8, lightness: min(lightness, 0.8))
    }

    /// CSS for `count` series: `--c1`… (light, and dark under `prefers-color-scheme: dark`), a fill class
    /// `.cN` for bars and swatches and a stroke class `.lN` for lines.
    public static func css(count: Int) -> String {
        let range = 0..<max(count, 1)
        var out = ":root { " + range.map { "--c\($0 + 1): \(colour($0).hex);" }.joined(separator: " ") + " }\n"
        out += "@media (prefers-color-scheme: dark) { :root { "
            + range.map { "--c\($0 + 1): \(colour($0, dark: true).hex);" }.joined(separator: " ") + " } }\n"
        for i in range {
            out += "svg .c\(i + 1) { fill: var(--c\(i + 1)); } svg .l\(i + 1) { stroke: var(--c\(i + 1)); stroke-width: 2; }\n"
        }
        return out
    }

    // MARK: - The colours

    /// 360° × (1 − 1/φ).
    static let goldenAngle = 137.50776405003785

    /// Blue, orange and green (the report's first three colours of old), then magenta, purple, cyan,
    /// ochre, brown, red and slate.
    private static let fixed: [(light: String, dark: String)] = [
        ("#3b6fd4", "#7aa2f7"), ("#e0813a", "#f0a35e"), ("#3a9d5d", "#73c991"), ("#c94f7c", "#f07fa8"),
        ("#8a63d2", "#b49cf0"), ("#2aa7b8", "#5fd0de"), ("#b8941f", "#e3c25a"), ("#8c5a3c", "#c99873"),
        ("#d14b3b", "#f2806f"), ("#6b7a8f", "#a5b2c4"),
    ]

    private static func parse(_ hex: String) -> Colour {
        let value = UInt32(hex.dropFirst(), radix: 16) ?? 0
        return Colour(red: UInt8(value >> 16 & 0xFF), green: UInt8(value >> 8 & 0xFF), blue: UInt8(value & 0xFF))
    }

    /// HSL (hue in degrees, saturation and lightness in 0…1) to RGB, as CSS defines it.
    static func hsl(hue: Double, saturation: Double, lightness: Double) -> Colour {
        let chroma = (1 - abs(2 * lightness - 1)) * saturation
        let sector = hue / 60
        let x = chroma * (1 - abs(sector.truncatingRemainder(dividingBy: 2) - 1))
        let (r, g, b): (Double, Double, Double) = switch Int(sector) % 6 {
        case 0: (chroma, x, 0)
        case 1: (x, chroma, 0)
        case 2: (0, chroma, x)
        case 3: (0, x, chroma)
        case 4: (x, 0, chroma)
        default: (chroma, 0, x)
        }
        let m = lightness - chroma / 2
        func byte(_ v: Double) -> UInt8 { UInt8(max(0, min(255, ((v + m) * 255).rounded()))) }
        return Colour(red: byte(r), green: byte(g), blue: byte(b))
    }
}
