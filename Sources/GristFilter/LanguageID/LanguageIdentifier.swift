/// Identifies the language of a text with ``LanguageModel``: the language whose n-gram model gives
/// the text the highest likelihood, and a score in 0...1 (a softmax over languages of the mean
/// log-likelihood per n-gram, sharpened so that clean paragraphs score near 1, like fastText's).
///
/// Letters of a script the model does not know (Arabic, Hebrew, Devanagari, Thai, …: a block of 256
/// code points in which no language of the model has a letter) are not forced onto a known language:
/// their share of the text's letters is the score of ``other``, the known languages' scores are scaled
/// by the rest, and a text mostly in such letters is `other`. (Without this, Arabic and Persian
/// paragraphs of the Debian handbook came out as `zh`.)
public struct LanguageIdentifier: Sendable {
    /// The label of a text mostly written in letters the model does not know.
    public static let other = "other"

    /// How much of a document is read (scalars): its language shows in the first few thousand
    /// characters (fastText, datatrove's model, reads everything; scores barely move after this).
    public var maxScalars = 5_000
    /// Sharpness of the score.
    static let temperature: Float = 20

    public init() {}

    /// Every language the model knows (ISO 639-1 codes).
    public static var languages: [String] { LanguageModel.shared.languages }

    /// The most likely language and its score, and every language's score (same order as `languages`);
    /// nil for a text without letters.
    public func identify(_ text: [UInt8]) -> (language: String, score: Double, scores: [Double])? {
        let scalars = ScalarText(utf8: text.count > maxScalars * 4 ? Array(text[0..<maxScalars * 4]) : text).scalars
        return scalars.withUnsafeBufferPointer { identify(UnsafeBufferPointer(rebasing: $0[0..<min($0.count, maxScalars)])) }
    }

    func identify(_ t: UnsafeBufferPointer<UInt32>) -> (language: String, score: Double, scores: [Double])? {
        let model = LanguageModel.shared
        let L = model.languages.count
        var sums = [Int64](repeating: 0, count: L)
        var unknown = 0
        var count = 0
        // Letters, and letters of a script the model does not know.
        var letters = 0, unseenLetters = 0
        let alpha = CharacterClasses.alpha
        var lowered: [UInt32] = []
        sums.withUnsafeMutableBufferPointer { sums in
            model.matrix.withUnsafeBufferPointer { matrix in
                @inline(__always) func add(_ key: UInt64) {
                    count += 1
                    if let row = model.row(key) {
                        let base = row * L
                        for l in 0..<L { sums[l] += Int64(matrix[base + l]) }
                    } else {
                        unknown += 1
                    }
                }
                // The 1- to 3-grams of every word padded with a space on each side, streamed: p1 and
                // p2 are the two characters before the current one (p2 = 0 at a word's first letter).
                var p1: UInt64 = 0x20, p2: UInt64 = 0
                var inWord = false
                // As the model was trained: the text is lowered character by character first, then
                // words are the runs of letters of the lowered text.
                @inline(__always) func step(_ l: UInt32, _ isLetter: Bool) {
                    if isLetter {
                        let x = UInt64(l)
                        letters += 1
                        if x >= 0x80, !model.knowsBlock(of: x) { unseenLetters += 1 }
                        add(x)
                        add(p1 << 21 | x)
                        if p2 != 0 { add(p2 << 42 | p1 << 21 | x) }
                        p2 = p1
                        p1 = x
                        inWord = true
                    } else if inWord {
                        add(p1 << 21 | 0x20)
                        if p2 != 0 { add(p2 << 42 | p1 << 21 | 0x20) }
                        p1 = 0x20
                        p2 = 0
                        inWord = false
                    }
                }
                for c in t {
                    if c < 0x80 {
                        let l = c &- 0x41 < 26 ? c | 0x20 : c
                        step(l, l &- 0x61 < 26)
                        continue
                    }
                    lowered.removeAll(keepingCapacity: true)
                    Self.appendLowercased(c, to: &lowered)
                    for l in lowered { step(l, alpha.contains(l)) }
                }
                if inWord {
                    add(p1 << 21 | 0x20)
                    if p2 != 0 { add(p2 << 42 | p1 << 21 | 0x20) }
                }
            }
        }
        guard count > 0 else { return nil }
        for l in 0..<L { sums[l] += Int64(unknown) * Int64(model.floors[l]) }
        let best = (0..<L).max { sums[$0] < sums[$1] } ?? 0
        let top = sums[best]
        // Softmax of the mean log-likelihood per n-gram (nats), sharpened by `temperature`.
        var exps = sums.map { exp(Double($0 - top) / 100 / Double(count) * Double(Self.temperature)) }
        let otherShare = letters > 0 ? Double(unseenLetters) / Double(letters) : 0
        let total = exps.reduce(0, +) / (1 - otherShare)
        exps = exps.map { $0 / total }
        if otherShare > exps[best] { return (Self.other, otherShare, exps) }
        return (model.languages[best], exps[best], exps)
    }

    /// Python's `c.lower()` for one character.
    @inline(__always)
    static func appendLowercased(_ c: UInt32, to word: inout [UInt32]) {
        if c < 0x80 {
            word.append(c &- 0x41 < 26 ? c | 0x20 : c)
            return
        }
        guard let s = Unicode.Scalar(c), s.properties.changesWhenLowercased else { return word.append(c) }
        for l in s.properties.lowercaseMapping.unicodeScalars { word.append(l.value) }
    }
}

#if canImport(Glibc)
import Glibc
#endif
