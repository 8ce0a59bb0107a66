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
    /// For each first character, the literal prefix rules that can match, in list order.
    private let prefixIndex: LiteralIndex
    /// Plain suffix literals by last character, longest first.
    private let suffixIndex: LiteralIndex
    /// Currency and unit suffixes (which need a digit before them) by last character, longest first.
    private let digitSuffixIndex: LiteralIndex
    private let suffixLast: ScalarSet
    private let hyphens: [[UInt32]]
    // The character classes, held here so hot loops do not go through global initializers.
    private let icons = CharacterClasses.spacyIcons
    private let alpha = CharacterClasses.spacyAlpha
    private let alphaUpper = CharacterClasses.spacyAlphaUpper
    private let suffixBeforeDot = CharacterClasses.spacySuffixBeforeDot
    private let infixBeforeDot = CharacterClasses.spacyInfixBeforeDot
    private let infixAfterDot = CharacterClasses.spacyInfixAfterDot

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
        // Literal prefix rules by first character, keeping their order (the first match wins).
        var prefixLiterals: [[UInt32]] = []
        for rule in rules { if case .literal(let p) = rule { prefixLiterals.append(p) } }
        prefixIndex = LiteralIndex(prefixLiterals, key: { $0[0] }, longestFirst: false)
        let suffixLiterals = ReferenceTables.suffixLiterals.map(scalars) + [scalars("\u{2026}")]
        let digitSuffixes = ReferenceTables.currencies.map(scalars) + ReferenceTables.units.map(scalars)
        suffixIndex = LiteralIndex(suffixLiterals, key: { $0[$0.count - 1] }, longestFirst: true)
        digitSuffixIndex = LiteralIndex(digitSuffixes, key: { $0[$0.count - 1] }, longestFirst: true)
        var last = Set<UInt32>([0x2B, 0x2E])
        for s in suffixLiterals + digitSuffixes { if let c = s.last { last.insert(c) } }
        suffixLast = ScalarSet(ranges: last.sorted().flatMap { [$0, $0] })
        hyphens = ReferenceTables.hyphens.map(scalars)
    }

    @inline(__always) private static func isASCIIDigit(_ c: UInt32) -> Bool { c &- 0x30 < 10 }

    @inline(__always)
    static func hasPrefix(_ t: UnsafeBufferPointer<UInt32>, _ a: Int, _ b: Int, _ p: [UInt32]) -> Bool {
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
        let icon = icons.contains(c0)
        guard prefixFirst.contains(c0) || icon else { return 0 }
        // spaCy's order: literals, `\+(?![0-9])` (after five literals that start with other
        // characters, so it can go first), more literals, `\.\.+` (no literal starts with '.'), icons
        // last (an icon that starts a literal is tried as that literal first).
        if c0 == 0x2B, a + 1 == b || !Self.isASCIIDigit(t[a + 1]) { return 1 }
        if let length = prefixIndex.firstMatch(t, a, b, prefix: true) { return length }
        if c0 == 0x2E, a + 1 < b, t[a + 1] == 0x2E {
            var i = a + 2
            while i < b, t[i] == 0x2E { i += 1 }
            return i - a
        }
        return icon ? 1 : 0
    }

    /// Length of the suffix spaCy splits off `t[a..<b]`, or 0.
    func suffixLength(_ t: UnsafeBufferPointer<UInt32>, _ a: Int, _ b: Int) -> Int {
        guard a < b else { return 0 }
        let last = t[b - 1]
        let icon = icons.contains(last)
        guard suffixLast.contains(last) || icon else { return 0 }
        // Every alternative ends at the end, so the leftmost start is the longest match.
        var best = max(icon ? 1 : 0, suffixIndex.firstMatch(t, a, b, prefix: false) ?? 0)
        if last == 0x2E {
            // `\.\.+$`: the whole run of trailing dots, when there are at least two.
            var i = b - 1
            while i > a, t[i - 1] == 0x2E { i -= 1 }
            if b - i >= 2 { best = max(best, b - i) }
            if b - a >= 3, t[b - 3] == 0xB0, [0x46, 0x66, 0x43, 0x63, 0x4B, 0x6B].contains(t[b - 2]) {
                best = max(best, 1)
            }
            if b - a >= 2, suffixBeforeDot.contains(t[b - 2]) { best = max(best, 1) }
            if b - a >= 3, alphaUpper.contains(t[b - 3]),
               alphaUpper.contains(t[b - 2]) {
                best = max(best, 1)
            }
        }
        if last == 0x2B, b - a >= 2, Self.isASCIIDigit(t[b - 2]) { best = max(best, 1) }
        // `(?<=[0-9])(?:currency|unit)$`: the longest literal with a digit right before it.
        if let length = digitSuffixIndex.firstMatch(t, a, b, prefix: false, where: { start in
            start > a && Self.isASCIIDigit(t[start - 1])
        }) {
            best = max(best, length)
        }
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
        if icons.contains(c) { return i + 1 }
        // (?<=[0-9])[+\-\*^](?=[0-9-])
        if c == 0x2B || c == 0x2D || c == 0x2A || c == 0x5E, let p = previous, Self.isASCIIDigit(p),
           let n = next, Self.isASCIIDigit(n) || n == 0x2D {
            return i + 1
        }
        // (?<=[{al}{q}])\.(?=[{au}{q}])
        if c == 0x2E, let p = previous, infixBeforeDot.contains(p), let n = next,
           infixAfterDot.contains(n) {
            return i + 1
        }
        // (?<=[{a}]),(?=[{a}])
        if c == 0x2C, let p = previous, alpha.contains(p), let n = next,
           alpha.contains(n) {
            return i + 1
        }
        guard let p = previous, alpha.contains(p) || Self.isASCIIDigit(p) else { return nil }
        // (?<=[{a}0-9])(?:-|–|—|--|---|——|~)(?=[{a}])
        for h in hyphens where h[0] == c && Self.hasPrefix(t, i, b, h) {
            let after = i + h.count
            if after < b, alpha.contains(t[after]) { return after }
        }
        // (?<=[{a}0-9])[:<>=/](?=[{a}])
        if c == 0x3A || c == 0x3C || c == 0x3E || c == 0x3D || c == 0x2F, let n = next,
           alpha.contains(n) {
            return i + 1
        }
        return nil
    }
}

/// Literal strings grouped by one key character (their first or last), so that an affix rule tries
/// only the few literals that can match instead of a hundred on every word.
struct LiteralIndex: Sendable {
    /// Literals back to back, with their start and length.
    private let storage: [UInt32]
    private let starts: [Int32]
    private let lengths: [Int32]
    /// Literal ids grouped by key; ASCII keys find their group in `asciiRanges`, others in `other`.
    private let order: [Int32]
    private let asciiRanges: [Int32]
    private let other: [UInt32: Range<Int>]

    /// - Parameter longestFirst: order each group by decreasing length (else keep list order).
    init(_ literals: [[UInt32]], key: ([UInt32]) -> UInt32, longestFirst: Bool) {
        var storage: [UInt32] = []
        var starts: [Int32] = []
        var lengths: [Int32] = []
        for literal in literals {
            starts.append(Int32(storage.count))
            lengths.append(Int32(literal.count))
            storage.append(contentsOf: literal)
        }
        var ids = Array(literals.indices).filter { !literals[$0].isEmpty }
        if longestFirst {
            ids = ids.enumerated().sorted { x, y in
                let lx = literals[x.element].count, ly = literals[y.element].count
                return lx != ly ? lx > ly : x.offset < y.offset
            }.map(\.element)
        }
        var groups: [UInt32: [Int]] = [:]
        for id in ids { groups[key(literals[id]), default: []].append(id) }
        var order: [Int32] = []
        var asciiRanges = [Int32](repeating: 0, count: 256)
        var other: [UInt32: Range<Int>] = [:]
        for k in groups.keys.sorted() {
            let start = order.count
            order.append(contentsOf: (groups[k] ?? []).map { Int32($0) })
            if k < 128 {
                asciiRanges[Int(k) * 2] = Int32(start)
                asciiRanges[Int(k) * 2 + 1] = Int32(order.count)
            } else {
                other[k] = start..<order.count
            }
        }
        self.storage = storage
        self.starts = starts
        self.lengths = lengths
        self.order = order
        self.asciiRanges = asciiRanges
        self.other = other
    }

    /// The length of the first literal (in the group's order) that `t[a..<b]` starts with
    /// (`prefix`) or ends with, among those whose start position passes `accept`.
    @inline(__always)
    func firstMatch(_ t: UnsafeBufferPointer<UInt32>, _ a: Int, _ b: Int, prefix: Bool,
                    where accept: (Int) -> Bool = { _ in true }) -> Int? {
        let k = prefix ? t[a] : t[b - 1]
        let range: Range<Int>
        if k < 128 {
            range = Int(asciiRanges[Int(k) * 2])..<Int(asciiRanges[Int(k) * 2 + 1])
        } else if let r = other[k] {
            range = r
        } else {
            return nil
        }
        if range.isEmpty { return nil }
        return storage.withUnsafeBufferPointer { s in
            for position in range {
                let id = Int(order[position])
                let length = Int(lengths[id])
                if length > b - a { continue }
                let start = prefix ? a : b - length
                let offset = Int(starts[id])
                var k = 0
                while k < length, s[offset + k] == t[start + k] { k += 1 }
                if k == length, accept(start) { return length }
            }
            return nil
        }
    }
}
