/// The four character classes the GPT-2 pre-tokenizer pattern distinguishes.
///
/// They mirror the Unicode classes of Rust's `regex` crate, which tiktoken uses:
/// `\p{L}` = general categories Lu Ll Lt Lm Lo, `\p{N}` = Nd Nl No, `\s` = the White_Space property.
/// Everything else (punctuation, symbols, marks, controls, unassigned, invalid UTF-8 bytes) is `other`.
///
/// The classes follow Unicode `unicodeVersion`, the version of tiktoken's regex tables, not the
/// (newer) one of the Swift standard library: characters assigned later count as unassigned.
enum CharacterClass: UInt8 {
    case letter = 0
    case number = 1
    case whitespace = 2
    case other = 3

    /// Unicode version of the character tables in tiktoken 0.14 (Rust `regex-syntax` 0.8):
    /// measured, U+1E5D0 (16.0) is a letter there and U+333C5 (17.0) is not.
    static let unicodeVersion = (major: 16, minor: 0)

    /// The class of one Unicode scalar value, from the standard library's Unicode tables.
    static func of(scalar value: UInt32) -> CharacterClass {
        guard let scalar = Unicode.Scalar(value) else { return .other }  // surrogate code points
        let properties = scalar.properties
        guard let age = properties.age,
              (age.major, age.minor) <= (unicodeVersion.major, unicodeVersion.minor) else { return .other }
        if properties.isWhitespace { return .whitespace }
        switch properties.generalCategory {
        case .uppercaseLetter, .lowercaseLetter, .titlecaseLetter, .modifierLetter, .otherLetter:
            return .letter
        case .decimalNumber, .letterNumber, .otherNumber:
            return .number
        default:
            return .other
        }
    }
}

/// Precomputed classes so the pre-tokenizer never calls into Unicode property lookups for
/// ASCII and Basic Multilingual Plane text.
///
/// Entry `v` (for `v < 0x10000`) is the `CharacterClass` raw value of scalar `v`; scalars above the
/// BMP are classified on the fly (they are rare: emoji, historic scripts, CJK extensions).
/// Built once per process on first use (about 65k property lookups, a few milliseconds), never freed.
struct CharacterClassTable: @unchecked Sendable {
    let bmp: UnsafePointer<UInt8>

    static let shared = CharacterClassTable()

    private init() {
        let table = UnsafeMutablePointer<UInt8>.allocate(capacity: 0x10000)
        for value in 0..<UInt32(0x10000) {
            table[Int(value)] = CharacterClass.of(scalar: value).rawValue
        }
        bmp = UnsafePointer(table)
    }
}

/// The finer classes o200k's pattern distinguishes: its two letter classes
/// `[\p{Lu}\p{Lt}\p{Lm}\p{Lo}\p{M}]` and `[\p{Ll}\p{Lm}\p{Lo}\p{M}]` overlap, and marks count as letters
/// there but as "other" in `[^\s\p{L}\p{N}]`. Same Unicode version as `CharacterClass`.
enum FineCharacterClass: UInt8 {
    /// Lu, Lt: only in the first (upper) letter class.
    case upper = 0
    /// Ll: only in the second (lower) letter class.
    case lower = 1
    /// Lm, Lo: in both letter classes.
    case otherLetter = 2
    /// Mn, Mc, Me: in both letter classes, but not `\p{L}`.
    case mark = 3
    case number = 4
    case whitespace = 5
    case other = 6

    static func of(scalar value: UInt32) -> FineCharacterClass {
        guard let scalar = Unicode.Scalar(value) else { return .other }
        let properties = scalar.properties
        guard let age = properties.age,
              (age.major, age.minor) <= (CharacterClass.unicodeVersion.major, CharacterClass.unicodeVersion.minor)
        else { return .other }
        if properties.isWhitespace { return .whitespace }
        switch properties.generalCategory {
        case .uppercaseLetter, .titlecaseLetter: return .upper
        case .lowercaseLetter: return .lower
        case .modifierLetter, .otherLetter: return .otherLetter
        case .nonspacingMark, .spacingMark, .enclosingMark: return .mark
        case .decimalNumber, .letterNumber, .otherNumber: return .number
        default: return .other
        }
    }
}

/// `FineCharacterClass` raw values for the Basic Multilingual Plane, built once on first use.
struct FineCharacterClassTable: @unchecked Sendable {
    let bmp: UnsafePointer<UInt8>

    static let shared = FineCharacterClassTable()

    private init() {
        let table = UnsafeMutablePointer<UInt8>.allocate(capacity: 0x10000)
        for value in 0..<UInt32(0x10000) {
            table[Int(value)] = FineCharacterClass.of(scalar: value).rawValue
        }
        bmp = UnsafePointer(table)
    }
}
