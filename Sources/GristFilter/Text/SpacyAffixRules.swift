/// spaCy 3.8's English prefix, suffix and infix rules, as hand-written matchers with `re`'s semantics.
///
/// spaCy compiles its rule lists into three regular expressions (`spacy/lang/punctuation.py`,
/// `spacy/lang/en/punctuation.py`, `spacy.util.compile_*_regex`):
/// - prefixes: `^a|^b|…`: the first alternative, in list order, that matches at the start;
/// - suffixes: `a$|b$|…`, searched: the leftmost start from which some alternative reaches the end;
/// - infixes: `a|b|…`, found left to right without overlaps, alternatives tried in order at each position.
/// Lookbehinds and lookaheads never see past the substring being matched (spaCy passes slices).
/// The lists and character classes come from ``ReferenceTables``, whose generator checks that
/// spaCy's rules still have the shapes implemented here.
struct SpacyAffixRules: Sendable {
    private enum PrefixRule: Sendable {
        case literal([UInt32])
        /// `\+(?![0-9])`
        case plusNotBeforeDigit
        /// `\.\.+`
        case dots
        /// `[icons]`
        case icon
    }

    private let prefixRules: [PrefixRule]
    private let prefixFirst: ScalarSet
    private let suffixLiterals: [[UInt32]]
    private let currencies: [[UInt32]]
    private let units: [[UInt32]]
    private let suffixLast: ScalarSet
    private let hyphens: [[UInt32]]

    init() {
        func scalars(_ s: String) -> [UInt32] { s.unicodeScalars.map(\.value) }
        var rules: [PrefixRule] = []
        var first = Set<UInt32>([0x2B, 0x2E])
        for (kind, literal) in ReferenceTables.prefixRules {
            switch kind {
            case "plusNotBeforeDigit": rules.append(.plusNotBeforeDigit)
            case "dots": rules.append(.dots)
            case "icon": rules.append(.icon)
            default:
                let s = scalars(literal)
                rules.append(.literal(s))
                if let c = s.first { first.insert(c) }
            }
        }
        prefixRules = rules
        prefixFirst = ScalarSet(ranges: first.sorted().flatMap { [$0, $0] })
        suffixLiterals = ReferenceTables.suffixLiterals.map(scalars) + [scalars("\u{2026}")]
        currencies = ReferenceTables.currencies.map(scalars)
        units = ReferenceTables.units.map(scalars)
        var last = Set<UInt32>([0x2B, 0x2E])
        for s in suffixLiterals + currencies + units { if let c = s.last { last.insert(c) } }
        suffixLast = ScalarSet(ranges: last.sorted().flatMap { [$0, $0] })
        hyphens = ReferenceTables.hyphens.map(scalars)
    }

    @inline(__always) private static func isASCIIDigit(_ c: UInt32) -> Bool { c &- 0x30 < 10 }

    @inline(__always)
    private static func hasPrefix(_ t: UnsafeBufferPointer<UInt32>, _ a: Int, _ b: Int, _ p: [UInt32]) -> Bool {
        if p.count > b - a { return false }
        for (i, c) in p.enumerated() where t[a + i] != c { return false }
        return true
    }

    @inline(__always)
    private static func hasSuffix(_ t: UnsafeBufferPointer<UInt32>, _ a: Int, _ b: Int, _ s: [UInt32]) -> Bool {
        if s.count > b - a { return false }
        let start = b - s.count
        for (i, c) in s.enumerated() where t[start + i] != c { return false }
        return true
    }

    /// Length of the prefix spaCy splits off `t[a..<b]`, or 0.
    func prefixLength(_ t: UnsafeBufferPointer<UInt32>, _ a: Int, _ b: Int) -> Int {
        guard a < b else { return 0 }
        let c0 = t[a]
        let icon = CharacterClasses.spacyIcons.contains(c0)
        guard prefixFirst.contains(c0) || icon else { return 0 }
        for rule in prefixRules {
            switch rule {
            case .literal(let p):
                if p[0] == c0, Self.hasPrefix(t, a, b, p) { return p.count }
            case .plusNotBeforeDigit:
                if c0 == 0x2B, a + 1 == b || !Self.isASCIIDigit(t[a + 1]) { return 1 }
            case .dots:
                if c0 == 0x2E, a + 1 < b, t[a + 1] == 0x2E {
                    var i = a + 2
                    while i < b, t[i] == 0x2E { i += 1 }
                    return i - a
                }
            case .icon:
                if icon { return 1 }
            }
        }
        return 0
    }

    /// Length of the suffix spaCy splits off `t[a..<b]`, or 0.
    func suffixLength(_ t: UnsafeBufferPointer<UInt32>, _ a: Int, _ b: Int) -> Int {
        guard a < b else { return 0 }
        let last = t[b - 1]
        let icon = CharacterClasses.spacyIcons.contains(last)
        guard suffixLast.contains(last) || icon else { return 0 }
        // Every alternative ends at the end, so the leftmost start is the longest match.
        var best = max(icon ? 1 : 0, longestLiteralSuffix(t, a, b))
        if last == 0x2E {
            // `\.\.+$`: the whole run of trailing dots, when there are at least two.
            var i = b - 1
            while i > a, t[i - 1] == 0x2E { i -= 1 }
            if b - i >= 2 { best = max(best, b - i) }
            if b - a >= 3, t[b - 3] == 0xB0, "FfCcKk".unicodeScalars.contains(where: { $0.value == t[b - 2] }) {
                best = max(best, 1)
            }
            if b - a >= 2, CharacterClasses.spacySuffixBeforeDot.contains(t[b - 2]) { best = max(best, 1) }
            if b - a >= 3, CharacterClasses.spacyAlphaUpper.contains(t[b - 2]),
               CharacterClasses.spacyAlphaUpper.contains(t[b - 3]) {
                best = max(best, 1)
            }
        }
        if last == 0x2B, b - a >= 2, Self.isASCIIDigit(t[b - 2]) { best = max(best, 1) }
        for list in [currencies, units] {
            for s in list where s.count < b - a && s.count > best {
                if Self.hasSuffix(t, a, b, s), Self.isASCIIDigit(t[b - s.count - 1]) { best = s.count }
            }
        }
        return best
    }

    private func longestLiteralSuffix(_ t: UnsafeBufferPointer<UInt32>, _ a: Int, _ b: Int) -> Int {
        var best = 0
        for s in suffixLiterals where s.count > best && Self.hasSuffix(t, a, b, s) { best = s.count }
        return best
    }

    /// The infix matches in `t[a..<b]`, as `(start, end)` pairs, appended to `matches`.
    func infixes(_ t: UnsafeBufferPointer<UInt32>, _ a: Int, _ b: Int, into matches: inout [(Int, Int)]) {
        var i = a
        while i < b {
            if let end = infixMatch(t, a, b, at: i) {
                matches.append((i, end))
                i = end
            } else {
                i += 1
            }
        }
    }

    @inline(__always)
    private func infixMatch(_ t: UnsafeBufferPointer<UInt32>, _ a: Int, _ b: Int, at i: Int) -> Int? {
        let c = t[i]
        let previous: UInt32? = i > a ? t[i - 1] : nil
        let next: UInt32? = i + 1 < b ? t[i + 1] : nil
        if c < 0x80 {
            // Most characters of most words start no infix: letters and digits never do.
            if c &- 0x61 < 26 || c &- 0x41 < 26 || c &- 0x30 < 10 { return nil }
        }
        // \.\.+
        if c == 0x2E, next == 0x2E {
            var j = i + 2
            while j < b, t[j] == 0x2E { j += 1 }
            return j
        }
        // …
        if c == 0x2026 { return i + 1 }
        // [icons]
        if CharacterClasses.spacyIcons.contains(c) { return i + 1 }
        // (?<=[0-9])[+\-\*^](?=[0-9-])
        if c == 0x2B || c == 0x2D || c == 0x2A || c == 0x5E, let p = previous, Self.isASCIIDigit(p),
           let n = next, Self.isASCIIDigit(n) || n == 0x2D {
            return i + 1
        }
        // (?<=[{al}{q}])\.(?=[{au}{q}])
        if c == 0x2E, let p = previous, CharacterClasses.spacyInfixBeforeDot.contains(p), let n = next,
           CharacterClasses.spacyInfixAfterDot.contains(n) {
            return i + 1
        }
        // (?<=[{a}]),(?=[{a}])
        if c == 0x2C, let p = previous, CharacterClasses.spacyAlpha.contains(p), let n = next,
           CharacterClasses.spacyAlpha.contains(n) {
            return i + 1
        }
        guard let p = previous, CharacterClasses.spacyAlpha.contains(p) || Self.isASCIIDigit(p) else { return nil }
        // (?<=[{a}0-9])(?:-|–|—|--|---|——|~)(?=[{a}])
        for h in hyphens where h[0] == c && Self.hasPrefix(t, i, b, h) {
            let after = i + h.count
            if after < b, CharacterClasses.spacyAlpha.contains(t[after]) { return after }
        }
        // (?<=[{a}0-9])[:<>=/](?=[{a}])
        if c == 0x3A || c == 0x3C || c == 0x3E || c == 0x3D || c == 0x2F, let n = next,
           CharacterClasses.spacyAlpha.contains(n) {
            return i + 1
        }
        return nil
    }
}
