/// Identifies the language of a text with ``LanguageModel``: the language whose n-gram model gives
/// the text the highest likelihood, and a score in 0...1 (a softmax over languages of the mean
/// log-likelihood per n-gram, sharpened so that clean paragraphs score near 1, like fastText's).
public struct LanguageIdentifier: Sendable {
    /// How much of a document is read (scalars): language shows in its first pages.
    public var maxScalars = 20_000
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
        var sums = [Float](repeating: 0, count: L)
        var unknown = 0
        var count = 0
        var word: [UInt32] = [0x20]
        model.matrix.withUnsafeBufferPointer { matrix in
            func flush() {
                guard word.count > 1 else { return }
                word.append(0x20)
                let w = word.count
                for n in 1...3 where n <= w {
                    for i in 0...(w - n) {
                        if n == 1, word[i] == 0x20 { continue }
                        var key: UInt64 = 0
                        for k in i..<(i + n) { key = key << 21 | UInt64(word[k]) }
                        count += 1
                        if let row = model.row(key) {
                            let base = row * L
                            for l in 0..<L { sums[l] += matrix[base + l] }
                        } else {
                            unknown += 1
                        }
                    }
                }
                word.removeAll(keepingCapacity: true)
                word.append(0x20)
            }
            for c in t {
                if CharacterClasses.alpha.contains(c) {
                    Self.appendLowercased(c, to: &word)
                } else {
                    flush()
                }
            }
            flush()
        }
        guard count > 0 else { return nil }
        for l in 0..<L { sums[l] += Float(unknown) * model.floors[l] }
        let best = (0..<L).max { sums[$0] < sums[$1] } ?? 0
        let top = sums[best]
        var exps = sums.map { Double(expf(($0 - top) / Float(count) * Self.temperature)) }
        let total = exps.reduce(0, +)
        exps = exps.map { $0 / total }
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
