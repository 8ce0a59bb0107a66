import GristCore

/// Number formatting for terminal output, without Foundation's locale machinery.
public enum Format {
    /// `1234567` → `1,234,567`.
    public static func count(_ value: Int) -> String { NumberText.grouped(value) }

    /// `value` with `digits` decimals.
    public static func decimal(_ value: Double, _ digits: Int) -> String {
        guard value.isFinite else { return "\(value)" }
        var scale = 1.0
        for _ in 0..<digits { scale *= 10 }
        let scaled = Int((value * scale).rounded())
        let whole = scaled / Int(scale), fraction = abs(scaled % Int(scale))
        guard digits > 0 else { return "\(whole)" }
        let fractionText = String(fraction)
        let sign = (value < 0 && whole == 0) ? "-" : ""
        return sign + "\(whole)." + String(repeating: "0", count: digits - fractionText.count) + fractionText
    }

    public static func percent(_ share: Double?) -> String { share.map { decimal($0 * 100, 1) + "%" } ?? "-" }

    /// A count with a unit prefix: `12_400_000` → `12.4 M`, `950` → `950`.
    public static func compact(_ value: Int) -> String {
        let units = ["", " k", " M", " G", " T"]
        var amount = Double(value)
        var unit = 0
        while abs(amount) >= 1000, unit < units.count - 1 {
            amount /= 1000
            unit += 1
        }
        return unit == 0 ? "\(value)" : decimal(amount, amount < 10 ? 2 : 1) + units[unit]
    }

    public static func bytes(_ value: Int) -> String {
        let units = ["B", "KB", "MB", "GB", "TB"]
        var amount = Double(value)
        var unit = 0
        while amount >= 1000, unit < units.count - 1 {
            amount /= 1000
            unit += 1
        }
        return unit == 0 ? "\(value) B" : decimal(amount, 1) + " " + units[unit]
    }
}
