/// Numbers, timestamps and dates as text, appended to a byte buffer (no `String` for integers and
/// times: metadata of every document goes through here).
enum ValueText {
    /// Appends `value` in decimal.
    static func appendDecimal(_ value: Int64, to out: inout [UInt8]) {
        if value < 0 {
            out.append(UInt8(ascii: "-"))
            appendDecimal(value.magnitude, to: &out)
        } else {
            appendDecimal(UInt64(value), to: &out)
        }
    }

    /// Appends `value` in decimal.
    static func appendDecimal(_ value: UInt64, to out: inout [UInt8]) {
        var digits: (UInt64, UInt64, UInt64) = (0, 0, 0)  // 20 digits at most, on the stack
        var count = 0
        var rest = value
        withUnsafeMutableBytes(of: &digits) { buffer in
            repeat {
                buffer[19 - count] = UInt8(ascii: "0") + UInt8(rest % 10)
                rest /= 10
                count += 1
            } while rest > 0
            out.append(contentsOf: UnsafeRawBufferPointer(rebasing: buffer[(20 - count)..<20]))
        }
    }

    /// Appends `value` in decimal, at least `width` digits (zero-padded).
    static func appendPadded(_ value: Int64, width: Int, to out: inout [UInt8]) {
        var digits = 1
        var limit: Int64 = 10
        while value >= limit, digits < 19 {
            digits += 1
            limit = limit &* 10
        }
        if value >= 0, digits < width { out.append(contentsOf: repeatElement(UInt8(ascii: "0"), count: width - digits)) }
        appendDecimal(value, to: &out)
    }

    /// The shortest text that reads back as `value` (`nan`, `inf`, `-inf` as Python writes them).
    static func float<F: BinaryFloatingPoint & CustomStringConvertible>(_ value: F) -> String {
        if value.isNaN { return "nan" }
        return value.description
    }

    /// Appends `days` since 1970-01-01 as `YYYY-MM-DD` (proleptic Gregorian).
    static func appendDate(daysSince1970 days: Int64, to out: inout [UInt8]) {
        let (year, month, day) = civil(daysSince1970: days)
        appendYear(year, to: &out)
        out.append(UInt8(ascii: "-"))
        appendPadded(month, width: 2, to: &out)
        out.append(UInt8(ascii: "-"))
        appendPadded(day, width: 2, to: &out)
    }

    /// Appends a timestamp of `value` units since 1970 in ISO 8601 (see `ParquetColumnValues.appendText`).
    static func appendTimestamp(_ value: Int64, unit: ParquetTimeUnit, adjustedToUTC: Bool, to out: inout [UInt8]) {
        let perSecond = unit.perSecond
        let seconds = floorDivide(value, perSecond)
        let fraction = value &- seconds &* perSecond  // 0 ..< perSecond (the product may wrap; the difference is exact)
        let nanoseconds = fraction * (1_000_000_000 / perSecond)
        let days = floorDivide(seconds, 86_400)
        let secondOfDay = seconds - days * 86_400
        appendDate(daysSince1970: days, to: &out)
        out.append(UInt8(ascii: "T"))
        appendPadded(secondOfDay / 3600, width: 2, to: &out)
        out.append(UInt8(ascii: ":"))
        appendPadded(secondOfDay / 60 % 60, width: 2, to: &out)
        out.append(UInt8(ascii: ":"))
        appendPadded(secondOfDay % 60, width: 2, to: &out)
        if nanoseconds != 0 {
            out.append(UInt8(ascii: "."))
            if nanoseconds % 1000 == 0 {
                appendPadded(nanoseconds / 1000, width: 6, to: &out)
            } else {
                appendPadded(nanoseconds, width: 9, to: &out)
            }
        }
        if adjustedToUTC { out.append(contentsOf: "+00:00".utf8) }
    }

    /// Years 0...9999 in four digits, others as they are.
    private static func appendYear(_ year: Int64, to out: inout [UInt8]) {
        if (0...9999).contains(year) {
            appendPadded(year, width: 4, to: &out)
        } else {
            appendDecimal(year, to: &out)
        }
    }

    /// Rounds toward negative infinity.
    static func floorDivide(_ a: Int64, _ b: Int64) -> Int64 {
        let q = a / b
        return (a % b != 0 && (a < 0) != (b < 0)) ? q - 1 : q
    }

    /// Year, month (1-12) and day (1-31) of `days` since 1970-01-01 (Howard Hinnant's `civil_from_days`).
    static func civil(daysSince1970 days: Int64) -> (year: Int64, month: Int64, day: Int64) {
        let z = days &+ 719_468
        let era = floorDivide(z, 146_097)
        let dayOfEra = z - era * 146_097
        let yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36524 - dayOfEra / 146_096) / 365
        let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
        let mp = (5 * dayOfYear + 2) / 153
        let day = dayOfYear - (153 * mp + 2) / 5 + 1
        let month = mp < 10 ? mp + 3 : mp - 9
        let year = yearOfEra + era * 400 + (month <= 2 ? 1 : 0)
        return (year, month, day)
    }
}
