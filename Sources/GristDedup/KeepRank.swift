/// A document's rank under the keep rules that read its metadata, for the dedup sketches' priority field
/// (lower wins; a tie goes to the first document in canonical order). A value that is missing or does not
/// parse ranks last.
public enum KeepRank {
    public static let unranked = Int(UInt32.max)

    /// `keep: highest_quality`: a number (`0.93`, `3`, `"3"`); higher scores rank lower, in the order of
    /// the scores as 32-bit floats (scores closer than that tie).
    public static func quality(_ value: String?) -> Int {
        guard let text = unquoted(value), let score = Double(text), score.isFinite else { return unranked }
        let bits = Float(score).bitPattern
        // the float's bits as an unsigned integer in the floats' order, then reversed: higher, lower rank
        let ascending = bits & 0x8000_0000 != 0 ? ~bits : bits | 0x8000_0000
        return Int(~ascending)
    }

    /// `keep: most_recent`: a date (`2024-05-01`, WARC's `2024-05-01T12:30:00Z`, with a fraction or an
    /// offset, or seconds since 1970); later dates rank lower, to the second, from 1970 to 2106.
    public static func recency(_ value: String?) -> Int {
        guard let text = unquoted(value), let seconds = secondsSince1970(text) else { return unranked }
        return Int(UInt32.max) - Int(min(max(seconds, 0), Int64(UInt32.max)))
    }

    private static func unquoted(_ value: String?) -> String? {
        guard var text = value?.utf8[...] else { return nil }
        if text.first == UInt8(ascii: "\""), text.last == UInt8(ascii: "\""), text.count >= 2 {
            text = text.dropFirst().dropLast()
        }
        return String(decoding: text, as: UTF8.self)
    }

    /// ISO 8601 dates and times (`YYYY-MM-DD`, then `THH:MM[:SS[.fff]]` or a space, then `Z` or `±HH[:]MM`),
    /// or an integer of seconds; nil for anything else.
    static func secondsSince1970(_ text: String) -> Int64? {
        let b = Array(text.utf8)
        if !b.isEmpty, b.allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }) { return Int64(text) }
        var i = 0
        func number(_ digits: Int) -> Int64? {
            guard i + digits <= b.count else { return nil }
            var v: Int64 = 0
            for k in i..<(i + digits) {
                guard b[k] >= 0x30, b[k] <= 0x39 else { return nil }
                v = v * 10 + Int64(b[k] - 0x30)
            }
            i += digits
            return v
        }
        func skip(_ c: UInt8) -> Bool {
            guard i < b.count, b[i] == c else { return false }
            i += 1
            return true
        }
        guard let year = number(4), skip(0x2D), let month = number(2), skip(0x2D), let day = number(2),
              (1...12).contains(month), (1...31).contains(day) else { return nil }
        var seconds = daysFromCivil(year: year, month: month, day: day) * 86_400
        if i < b.count, b[i] == 0x54 || b[i] == 0x20 {  // T or space
            i += 1
            guard let hour = number(2), skip(0x3A), let minute = number(2), hour < 24, minute < 60 else { return nil }
            seconds += hour * 3600 + minute * 60
            if skip(0x3A) {
                guard let second = number(2), second < 61 else { return nil }
                seconds += second
                if skip(0x2E) || skip(0x2C) { while i < b.count, b[i] >= 0x30, b[i] <= 0x39 { i += 1 } }
            }
            if skip(0x5A) || skip(0x7A) {
                // UTC
            } else if i < b.count, b[i] == 0x2B || b[i] == 0x2D {
                let sign: Int64 = b[i] == 0x2B ? 1 : -1
                i += 1
                guard let oh = number(2) else { return nil }
                _ = skip(0x3A)
                let om = number(2) ?? 0
                seconds -= sign * (oh * 3600 + om * 60)
            }
        }
        return i == b.count ? seconds : nil
    }

    /// Days from 1970-01-01 to a date of the proleptic Gregorian calendar (Howard Hinnant's algorithm).
    static func daysFromCivil(year: Int64, month: Int64, day: Int64) -> Int64 {
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yoe = y - era * 400
        let doy = (153 * (month + (month > 2 ? -3 : 9)) + 2) / 5 + day - 1
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
        return era * 146_097 + doe - 719_468
    }
}
