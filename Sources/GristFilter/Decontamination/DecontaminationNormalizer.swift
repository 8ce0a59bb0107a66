/// How decontamination normalizes text before cutting it into n-grams.
///
/// The default is GPT-3's rule as the issue states it and as lm-evaluation-harness's reproduction
/// of it does (lowercase, punctuation deleted, whitespace words: `don't` is `dont`), with datatrove's
/// refinements that only widen recall without changing what a word says (Unicode punctuation and
/// symbols, diacritics folded, combining marks dropped). datatrove's other rules are options:
/// punctuation as a word boundary (`text.translate(PUNCTUATION → " ")`: `don't` is `don t`), and
/// numbers (every run of digits becomes `0`), off by default: GPT-3 did neither, and the number rule
/// makes tables of figures match each other.
public struct DecontaminationNormalization: Sendable, Hashable, Codable {
    public enum Punctuation: String, Sendable, Hashable, Codable {
        /// GPT-3: deleted (`well-known` → `wellknown`, `don't` → `dont`).
        case delete
        /// datatrove: a word boundary (`well-known` → `well known`, `don't` → `don t`).
        case split
    }
    public var punctuation = Punctuation.delete
    /// `é` → `e`, `ώ` → `ω` (datatrove: NFD, then drop nonspacing marks).
    public var foldDiacritics = true
    /// datatrove's `norm_numbers`: a run of ASCII digits (runs joined by one `.` or `,` included)
    /// becomes one `0`.
    public var normalizeNumbers = false

    public init(punctuation: Punctuation = .delete, foldDiacritics: Bool = true, normalizeNumbers: Bool = false) {
        self.punctuation = punctuation
        self.foldDiacritics = foldDiacritics
        self.normalizeNumbers = normalizeNumbers
    }
}

/// The words of one text: for each, the 64-bit hash of its normalized form and its byte range in the
/// original text. Reused between documents (`removeAll` keeps the capacity).
public struct DecontaminationWords: Sendable {
    public internal(set) var hashes: [UInt64] = []
    /// Byte offset of the word's first scalar in the original text.
    public internal(set) var starts: [Int] = []
    /// Byte offset just past the word's last scalar (trailing combining marks included).
    public internal(set) var ends: [Int] = []

    public init() {}
    public var count: Int { hashes.count }

    public mutating func removeAll() {
        hashes.removeAll(keepingCapacity: true)
        starts.removeAll(keepingCapacity: true)
        ends.removeAll(keepingCapacity: true)
    }
}

/// GPT-3-style normalization over UTF-8 bytes, keeping every word's place in the original text.
///
/// A text is read scalar by scalar (``DecontaminationScalarTable``: ASCII through a 128-entry table,
/// the rest of the BMP through a 64 Ki-entry one): whitespace and controls end words; punctuation and
/// symbols are deleted (or end words, with `punctuation: .split`); combining marks and format
/// characters are skipped; every other scalar is lowercased (and its diacritics folded) and added to
/// the current word's hash. A word's byte range runs from its first kept scalar to its last kept
/// scalar or combining mark: `"don't"` → `don't` (bytes 1..<6), not the quotes. The text must be
/// valid UTF-8 (a document's text is); a truncated sequence at the end is a separator.
public struct DecontaminationNormalizer: Sendable {
    public let normalization: DecontaminationNormalization
    private let table: [UInt16]
    private let ascii: [UInt32]

    public init(_ normalization: DecontaminationNormalization = .init()) {
        self.normalization = normalization
        table = DecontaminationScalarTable.table(foldDiacritics: normalization.foldDiacritics)
        ascii = (0..<128).map { value in
            DecontaminationScalarTable.map(Unicode.Scalar(UInt8(value)), foldDiacritics: false)
        }
    }

    static let wordSeed: UInt64 = 0xCBF2_9CE4_8422_2325
    static let wordPrime: UInt64 = 0x0000_0100_0000_01B3

    /// The murmur3 64-bit finalizer.
    @inline(__always)
    static func mix(_ value: UInt64) -> UInt64 {
        var h = value
        h ^= h >> 33
        h &*= 0xFF51_AFD7_ED55_8CCD
        h ^= h >> 33
        h &*= 0xC4CE_B9FE_1A85_EC53
        h ^= h >> 33
        return h
    }

    /// The scalar at `i` mapped (a lowercase scalar, `separatorMark` or `ignorableMark`) and its length in bytes.
    @inline(__always)
    private func mapped(_ p: UnsafeBufferPointer<UInt8>, _ i: Int) -> (UInt32, Int) {
        let b = p[i]
        if b < 0x80 { return (ascii[Int(b)], 1) }
        let n = p.count
        let value: UInt32
        let length: Int
        if b < 0xE0 {
            guard i + 1 < n else { return (DecontaminationScalarTable.separatorMark, 1) }
            value = UInt32(b & 0x1F) << 6 | UInt32(p[i + 1] & 0x3F)
            length = 2
        } else if b < 0xF0 {
            guard i + 2 < n else { return (DecontaminationScalarTable.separatorMark, n - i) }
            value = UInt32(b & 0x0F) << 12 | UInt32(p[i + 1] & 0x3F) << 6 | UInt32(p[i + 2] & 0x3F)
            length = 3
        } else {
            guard i + 3 < n else { return (DecontaminationScalarTable.separatorMark, n - i) }
            value = UInt32(b & 0x07) << 18 | UInt32(p[i + 1] & 0x3F) << 12 | UInt32(p[i + 2] & 0x3F) << 6
                | UInt32(p[i + 3] & 0x3F)
            length = 4
        }
        if value < 0x10000 {
            let m = table[Int(value)]
            if m >= DecontaminationScalarTable.punctuation {
                return (m == DecontaminationScalarTable.separator ? DecontaminationScalarTable.separatorMark
                        : m == DecontaminationScalarTable.ignorable ? DecontaminationScalarTable.ignorableMark
                        : DecontaminationScalarTable.punctuationMark, length)
            }
            return (UInt32(m), length)
        }
        guard let scalar = Unicode.Scalar(value) else { return (DecontaminationScalarTable.separatorMark, length) }
        return (DecontaminationScalarTable.map(scalar, foldDiacritics: normalization.foldDiacritics), length)
    }

    @inline(__always)
    private static func isDigit(_ m: UInt32) -> Bool { m &- 0x30 < 10 }

    /// Appends the words of `text` to `words` (cleared first).
    public func words(in text: UnsafeBufferPointer<UInt8>, into words: inout DecontaminationWords) {
        words.removeAll()
        scan(text, onScalar: { _ in }) { hash, start, end in
            words.hashes.append(hash)
            words.starts.append(start)
            words.ends.append(end)
        }
    }

    public func words(in text: [UInt8]) -> DecontaminationWords {
        var words = DecontaminationWords()
        text.withUnsafeBufferPointer { self.words(in: $0, into: &words) }
        return words
    }

    /// The normalized words of `text`, spelled out (for tests and reports; the matcher only hashes).
    public func normalizedWords(_ text: String) -> [String] {
        var result: [String] = []
        var current = String.UnicodeScalarView()
        scan(Array(text.utf8), onScalar: { current.append(Unicode.Scalar($0)!) }) { _, _, _ in
            result.append(String(current))
            current = String.UnicodeScalarView()
        }
        return result
    }

    private func scan(_ text: [UInt8], onScalar: (UInt32) -> Void,
                      _ emit: (UInt64, Int, Int) -> Void) {
        text.withUnsafeBufferPointer { scan($0, onScalar: onScalar, emit) }
    }

    @inline(__always)
    private func scan(_ p: UnsafeBufferPointer<UInt8>, onScalar: (UInt32) -> Void,
                      _ emit: (UInt64, Int, Int) -> Void) {
        let n = p.count
        let numbers = normalization.normalizeNumbers
        let splitOnPunctuation = normalization.punctuation == .split
        var i = 0
        var inWord = false
        var hash = Self.wordSeed
        var start = 0
        var end = 0
        var lastWasDigit = false
        while i < n {
            var (m, length) = mapped(p, i)
            if m == DecontaminationScalarTable.punctuationMark {
                if splitOnPunctuation {
                    m = DecontaminationScalarTable.separatorMark
                } else {
                    // Deleted: the word goes on (its end stays at its last kept scalar).
                    if numbers, inWord, lastWasDigit, length == 1, p[i] == 0x2E || p[i] == 0x2C,
                       i + 1 < n, Self.isDigit(UInt32(p[i + 1])) {
                        i += 1
                        continue
                    }
                    if inWord { lastWasDigit = false }
                    i += length
                    continue
                }
            }
            if m == DecontaminationScalarTable.separatorMark {
                if inWord {
                    // datatrove's number pattern: digits, one `.` or `,`, digits are one number.
                    if numbers, lastWasDigit, length == 1, p[i] == 0x2E || p[i] == 0x2C, i + 1 < n, Self.isDigit(UInt32(p[i + 1])) {
                        i += 1
                        continue
                    }
                    emit(Self.mix(hash), start, end)
                    inWord = false
                }
                i += length
                continue
            }
            if m == DecontaminationScalarTable.ignorableMark {
                i += length
                if inWord { end = i }
                continue
            }
            if !inWord {
                inWord = true
                start = i
                hash = Self.wordSeed
                lastWasDigit = false
            }
            i += length
            end = i
            var scalar = m
            if numbers, Self.isDigit(m) {
                if lastWasDigit { continue }
                scalar = 0x30
                lastWasDigit = true
            } else {
                lastWasDigit = false
            }
            hash = (hash ^ UInt64(scalar)) &* Self.wordPrime
            onScalar(scalar)
        }
        if inWord { emit(Self.mix(hash), start, end) }
    }
}
