import Foundation

/// What decontamination's normalization does with each Unicode scalar, precomputed for the Basic
/// Multilingual Plane (U+0000–U+FFFF: 128 KiB, built once on first use) and computed on the spot above it.
///
/// - A **separator** (ends a word): whitespace and controls (general categories `Z*`, `Cc`, and
///   `White_Space`).
/// - **Punctuation**: punctuation and symbols (`P*`, `S*`): deleted or a separator, as
///   ``DecontaminationNormalization/punctuation`` says.
/// - **Ignorable** (skipped inside a word, ends nothing): nonspacing and enclosing marks (`Mn`, `Me`:
///   the combining accents datatrove's NFD-and-strip-`Mn` step removes) and format characters (`Cf`:
///   soft hyphen, zero-width joiners).
/// - Anything else is a word scalar, mapped to its lowercase form (the first scalar of Unicode's
///   lowercase mapping), then, when folding diacritics, to the base scalar of its canonical
///   decomposition when the rest of that decomposition is combining marks (`é` → `e`, `ώ` → `ω`,
///   `й` → `и`). Greek final sigma `ς` is folded to `σ`, so upper- and lowercase spellings agree.
enum DecontaminationScalarTable {
    static let separator: UInt16 = 0xFFFF
    static let ignorable: UInt16 = 0xFFFE
    static let punctuation: UInt16 = 0xFFFD

    /// Without diacritic folding, and with it.
    static let plain = build(foldDiacritics: false)
    static let folded = build(foldDiacritics: true)

    static func table(foldDiacritics: Bool) -> [UInt16] { foldDiacritics ? folded : plain }

    private static func build(foldDiacritics: Bool) -> [UInt16] {
        var table = [UInt16](repeating: 0, count: 0x10000)
        for value in 0..<0x10000 {
            guard let scalar = Unicode.Scalar(UInt32(value)) else {
                table[value] = separator  // surrogate code points never occur in valid UTF-8
                continue
            }
            let mapped = map(scalar, foldDiacritics: foldDiacritics)
            switch mapped {
            case ignorableMark: table[value] = ignorable
            case punctuationMark: table[value] = punctuation
            case 0xFFFD...: table[value] = separator  // and the noncharacters U+FFFE, U+FFFF (sentinels)
            default: table[value] = UInt16(mapped)
            }
        }
        return table
    }

    /// Where precomposed letters with marks are (Latin, Greek, Cyrillic, Hebrew, Indic, kana,
    /// presentation forms): decomposing only these keeps the table quick to build.
    private static let foldable: [Range<UInt32>] = [0xC0..<0x2000, 0x3040..<0x3100, 0xFB1D..<0xFB50]

    static let separatorMark: UInt32 = 0xFFFF_FFFF
    static let ignorableMark: UInt32 = 0xFFFF_FFFE
    static let punctuationMark: UInt32 = 0xFFFF_FFFD

    /// The mapped scalar, `separatorMark`, `punctuationMark` or `ignorableMark` (the slow path, for any scalar).
    static func map(_ scalar: Unicode.Scalar, foldDiacritics: Bool) -> UInt32 {
        switch scalar.properties.generalCategory {
        case .spaceSeparator, .lineSeparator, .paragraphSeparator, .control:
            return separatorMark
        case .connectorPunctuation, .dashPunctuation, .openPunctuation, .closePunctuation,
             .initialPunctuation, .finalPunctuation, .otherPunctuation,
             .mathSymbol, .currencySymbol, .modifierSymbol, .otherSymbol:
            return punctuationMark
        case .nonspacingMark, .enclosingMark, .format:
            return ignorableMark
        default:
            break
        }
        if scalar.properties.isWhitespace { return separatorMark }
        var lower = scalar.properties.lowercaseMapping.unicodeScalars.first ?? scalar
        if lower.value == 0x03C2 { lower = Unicode.Scalar(0x03C3)! }  // ς → σ
        if foldDiacritics, foldable.contains(where: { $0.contains(lower.value) }) {
            let decomposed = String(lower).decomposedStringWithCanonicalMapping.unicodeScalars
            if let base = decomposed.first, decomposed.count > 1,
               decomposed.dropFirst().allSatisfy({ $0.properties.generalCategory == .nonspacingMark }) {
                lower = base
            }
        }
        return lower.value
    }
}
