/// A set of Unicode code points: a bitmap over the Basic Multilingual Plane, sorted ranges above it.
///
/// Built once from the generated range tables (``ReferenceTables``); `contains` is a load and a
/// mask for every scalar below U+10000, a binary search (over a few ranges) above.
struct ScalarSet: Sendable {
    private let bmp: [UInt64]
    /// Ranges above U+FFFF, flattened `[lo0, hi0, lo1, hi1, …]`.
    private let astral: [UInt32]

    /// - Parameter ranges: flattened inclusive ranges, sorted and disjoint.
    init(ranges: [UInt32]) {
        var bmp = [UInt64](repeating: 0, count: 1024)
        var astral: [UInt32] = []
        var i = 0
        while i + 1 < ranges.count {
            let lo = ranges[i], hi = ranges[i + 1]
            if lo <= 0xFFFF {
                for c in Int(lo)...Int(min(hi, 0xFFFF)) { bmp[c >> 6] |= 1 << UInt64(c & 63) }
            }
            if hi > 0xFFFF { astral.append(contentsOf: [max(lo, 0x10000), hi]) }
            i += 2
        }
        self.bmp = bmp
        self.astral = astral
    }

    /// A set of the given characters.
    init(_ scalars: String) {
        var ranges: [UInt32] = []
        for value in Set(scalars.unicodeScalars.map(\.value)).sorted() { ranges.append(contentsOf: [value, value]) }
        self.init(ranges: ranges)
    }

    @inline(__always)
    func contains(_ c: UInt32) -> Bool {
        if c <= 0xFFFF {
            return bmp.withUnsafeBufferPointer { ($0[Int(c >> 6)] >> UInt64(c & 63)) & 1 != 0 }
        }
        return containsAstral(c)
    }

    private func containsAstral(_ c: UInt32) -> Bool {
        var low = 0, high = astral.count / 2
        while low < high {
            let mid = (low + high) / 2
            if astral[2 * mid + 1] < c { low = mid + 1 } else { high = mid }
        }
        return low < astral.count / 2 && astral[2 * low] <= c
    }
}

/// The character sets the reference tools use, built once (Swift initializes statics lazily and safely).
enum CharacterClasses {
    /// Python's `str.isspace()`: what `split()`, `strip()` and spaCy's tokenizer treat as whitespace.
    static let space = ScalarSet(ranges: ReferenceTables.pythonSpace)
    /// Python's `str.isalpha()`.
    static let alpha = ScalarSet(ranges: ReferenceTables.pythonAlpha)
    /// Python `re`'s `\w`.
    static let word = ScalarSet(ranges: ReferenceTables.pythonWord)
    /// Python `re`'s `\d` (Unicode decimal digits).
    static let decimal = ScalarSet(ranges: ReferenceTables.pythonDecimal)
    /// Unicode punctuation (general category P*), spaCy's `is_punct`.
    static let punctuation = ScalarSet(ranges: ReferenceTables.unicodePunctuation)
    static let spacyAlpha = ScalarSet(ranges: ReferenceTables.spacyAlpha)
    static let spacyAlphaLower = ScalarSet(ranges: ReferenceTables.spacyAlphaLower)
    static let spacyAlphaUpper = ScalarSet(ranges: ReferenceTables.spacyAlphaUpper)
    static let spacyIcons = ScalarSet(ranges: ReferenceTables.spacyIcons)
    static let spacySuffixBeforeDot = ScalarSet(ranges: ReferenceTables.spacySuffixBeforeDot)
    static let spacyInfixBeforeDot = ScalarSet(ranges: ReferenceTables.spacyInfixBeforeDot)
    static let spacyInfixAfterDot = ScalarSet(ranges: ReferenceTables.spacyInfixAfterDot)
    /// datatrove's `PUNCTUATION_SET` (Gopher's "symbol" words consist only of these).
    static let datatrovePunctuation = ScalarSet(ranges: ReferenceTables.datatrovePunctuation)
    /// datatrove's `TERMINAL_PUNCTUATION` (FineWeb's line-ending test).
    static let terminalPunctuation = ScalarSet(ranges: ReferenceTables.datatroveTerminalPunctuation)
    /// spaCy's sentencizer punctuation.
    static let sentenceEnd = ScalarSet(ranges: ReferenceTables.sentencizerPunctuation)
}
