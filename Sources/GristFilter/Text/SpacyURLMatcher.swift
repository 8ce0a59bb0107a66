/// spaCy's `URL_MATCH` (`spacy/lang/tokenizer_exceptions.py`, after Diego Perini's URL regex), as a
/// membership test: does the whole string match
///
///     ^(?:[\w+\-.]{2,}://)?(?:\S+(?::\S*)?@)?(?:IP|(?:LABEL\.)+[{ALPHA_LOWER}]{2,63})(?::\d{2,5})?(?:[/?#]\S*)?$
///
/// where LABEL is `(?:[X][X_-]{0,62})?[X]` with X = `[A-Za-z0-9\u00a1-\uffff]`, and IP is a dotted quad
/// that is not private, loopback or reserved. The strings tested never hold whitespace (they come
/// from between spaces), so `\S+…@` is "anything, then `@`".
enum SpacyURLMatcher {
    static func matches(_ t: UnsafeBufferPointer<UInt32>, _ a: Int, _ b: Int) -> Bool {
        // Both host forms need a dot; most words have none.
        var hasDot = false
        for i in a..<b where t[i] == 0x2E { hasDot = true; break }
        guard hasDot, b - a >= 4 else { return false }

        var hostStarts = [a]
        // Scheme: a run of [\w+\-.] (2 or more) then "://"; ':' ends the run, so there is one candidate.
        var j = a
        while j < b, isSchemeChar(t[j]) { j += 1 }
        if j - a >= 2, j + 3 <= b, t[j] == 0x3A, t[j + 1] == 0x2F, t[j + 2] == 0x2F { hostStarts.append(j + 3) }

        for userStart in hostStarts {
            if hostMatches(t, userStart, b) { return true }
            // User information: at least one character, then '@'.
            var q = userStart + 1
            while q < b {
                if t[q] == 0x40, hostMatches(t, q + 1, b) { return true }
                q += 1
            }
        }
        return false
    }

    @inline(__always) private static func isSchemeChar(_ c: UInt32) -> Bool {
        c == 0x2B || c == 0x2D || c == 0x2E || CharacterClasses.word.contains(c)
    }

    /// `[A-Za-z0-9\u00a1-\uffff]`
    @inline(__always) private static func isHostChar(_ c: UInt32) -> Bool {
        (c &- 0x61 < 26) || (c &- 0x41 < 26) || (c &- 0x30 < 10) || (c >= 0xA1 && c <= 0xFFFF)
    }

    @inline(__always) private static func isDigit(_ c: UInt32) -> Bool {
        c &- 0x30 < 10 || (c >= 0x80 && CharacterClasses.decimal.contains(c))
    }

    @inline(__always) private static func isASCII(_ c: UInt32, in range: ClosedRange<UInt32>) -> Bool {
        range.contains(c)
    }

    /// The rest after the host: `(?::\d{2,5})?(?:[/?#]\S*)?$`.
    private static func tailMatches(_ t: UnsafeBufferPointer<UInt32>, _ p: Int, _ b: Int) -> Bool {
        if p == b { return true }
        let c = t[p]
        if c == 0x2F || c == 0x3F || c == 0x23 { return true }
        guard c == 0x3A else { return false }
        var k = 0
        while p + 1 + k < b, k < 5, isDigit(t[p + 1 + k]) {
            k += 1
            let after = p + 1 + k
            if k >= 2, after == b || t[after] == 0x2F || t[after] == 0x3F || t[after] == 0x23 { return true }
        }
        return false
    }

    private static func hostMatches(_ t: UnsafeBufferPointer<UInt32>, _ h: Int, _ b: Int) -> Bool {
        guard h < b else { return false }
        return ipMatches(t, h, b) || domainMatches(t, h, b)
    }

    /// `(?:LABEL\.)+[{ALPHA_LOWER}]{2,63}` followed by the tail.
    private static func domainMatches(_ t: UnsafeBufferPointer<UInt32>, _ h: Int, _ b: Int) -> Bool {
        var start = h
        while start < b {
            // One label: 1–64 of [X_-], first and last in X, then '.'.
            var i = start
            while i < b, isHostChar(t[i]) || t[i] == 0x5F || t[i] == 0x2D { i += 1 }
            let length = i - start
            guard length >= 1, length <= 64, isHostChar(t[start]), isHostChar(t[i - 1]), i < b, t[i] == 0x2E else {
                return false
            }
            // The TLD after this dot?
            let tld = i + 1
            var e = tld
            while e < b, CharacterClasses.spacyAlphaLower.contains(t[e]) { e += 1 }
            if e - tld >= 2, e - tld <= 63, tailMatches(t, e, b) { return true }
            start = tld
        }
        return false
    }

    /// The dotted-quad branch with its negative lookaheads, followed by the tail.
    private static func ipMatches(_ t: UnsafeBufferPointer<UInt32>, _ h: Int, _ b: Int) -> Bool {
        let c = t[h]
        guard c &- 0x31 < 9 || c == 0x32 else { return false }
        if excluded(t, h, b) { return false }
        for e1 in octetEnds(t, h, b, .first) {
            for e2 in dottedOctetEnds(t, e1, b, .middle) {
                for e3 in dottedOctetEnds(t, e2, b, .middle) {
                    for e4 in dottedOctetEnds(t, e3, b, .last) where tailMatches(t, e4, b) { return true }
                }
            }
        }
        return false
    }

    private enum Octet { case first, middle, last }

    private static func dottedOctetEnds(_ t: UnsafeBufferPointer<UInt32>, _ p: Int, _ b: Int, _ kind: Octet) -> [Int] {
        guard p < b, t[p] == 0x2E else { return [] }
        return octetEnds(t, p + 1, b, kind)
    }

    /// End positions of one octet alternative starting at `p`:
    /// first `[1-9]\d?|1\d\d|2[01]\d|22[0-3]`, middle `1?\d{1,2}|2[0-4]\d|25[0-5]`,
    /// last `[1-9]\d?|1\d\d|2[0-4]\d|25[0-4]`.
    private static func octetEnds(_ t: UnsafeBufferPointer<UInt32>, _ p: Int, _ b: Int, _ kind: Octet) -> [Int] {
        func at(_ k: Int) -> UInt32? { p + k < b ? t[p + k] : nil }
        func d(_ k: Int) -> Bool { at(k).map(isDigit) ?? false }
        func lit(_ k: Int, _ range: ClosedRange<UInt32>) -> Bool { at(k).map { range.contains($0) } ?? false }
        var ends: [Int] = []
        switch kind {
        case .first, .last:
            if lit(0, 0x31...0x39) {
                ends.append(p + 1)
                if d(1) { ends.append(p + 2) }
            }
            if lit(0, 0x31...0x31), d(1), d(2) { ends.append(p + 3) }
            if kind == .first {
                if lit(0, 0x32...0x32), lit(1, 0x30...0x31), d(2) { ends.append(p + 3) }
                if lit(0, 0x32...0x32), lit(1, 0x32...0x32), lit(2, 0x30...0x33) { ends.append(p + 3) }
            } else {
                if lit(0, 0x32...0x32), lit(1, 0x30...0x34), d(2) { ends.append(p + 3) }
                if lit(0, 0x32...0x32), lit(1, 0x35...0x35), lit(2, 0x30...0x34) { ends.append(p + 3) }
            }
        case .middle:
            if lit(0, 0x31...0x31) {
                if d(1) { ends.append(p + 2) }
                if d(1), d(2) { ends.append(p + 3) }
            }
            if d(0) {
                ends.append(p + 1)
                if d(1) { ends.append(p + 2) }
            }
            if lit(0, 0x32...0x32), lit(1, 0x30...0x34), d(2) { ends.append(p + 3) }
            if lit(0, 0x32...0x32), lit(1, 0x35...0x35), lit(2, 0x30...0x35) { ends.append(p + 3) }
        }
        return ends
    }

    /// The three negative lookaheads: 10/8 and 127/8, 169.254/16 and 192.168/16, 172.16/12.
    private static func excluded(_ t: UnsafeBufferPointer<UInt32>, _ h: Int, _ b: Int) -> Bool {
        func literal(_ s: String, at p: Int) -> Int? {
            var i = p
            for u in s.unicodeScalars {
                guard i < b, t[i] == u.value else { return nil }
                i += 1
            }
            return i
        }
        /// Whether `(?:\.\d{1,3}){count}` matches at p (any way).
        func dottedGroups(_ p: Int, _ count: Int) -> Bool {
            if count == 0 { return true }
            guard p < b, t[p] == 0x2E else { return false }
            var k = 1
            while k <= 3, p + k < b, isDigit(t[p + k]) {
                if dottedGroups(p + k + 1, count - 1) { return true }
                k += 1
            }
            return false
        }
        for prefix in ["10", "127"] { if let p = literal(prefix, at: h), dottedGroups(p, 3) { return true } }
        for prefix in ["169.254", "192.168"] { if let p = literal(prefix, at: h), dottedGroups(p, 2) { return true } }
        if let p = literal("172.", at: h), p + 1 < b {
            let c0 = t[p], c1 = t[p + 1]
            let second = (c0 == 0x31 && (0x36...0x39).contains(c1)) || (c0 == 0x32 && isDigit(c1))
                || (c0 == 0x33 && (0x30...0x31).contains(c1))
            if second, dottedGroups(p + 2, 2) { return true }
        }
        return false
    }
}
