/// Words and sentences exactly as datatrove 0.10.1 counts them for English.
///
/// `split_into_words(text)` is spaCy's tokens with whitespace tokens removed (`strip_strings`);
/// `split_into_sentences(text)` is spaCy's sentencizer over the same tokens.
public enum Words {
    /// datatrove's words of `text`, as scalar ranges.
    static func words(_ t: UnsafeBufferPointer<UInt32>) -> [SpacyToken] {
        var tokens: [SpacyToken] = []
        SpacyTokenizer.english.tokenize(t, into: &tokens)
        var words: [SpacyToken] = []
        words.reserveCapacity(tokens.count)
        for token in tokens where !token.isSpace { words.append(token) }
        return words
    }

    /// The number of items `split_into_sentences(text)` returns (1 for an empty text, as datatrove).
    static func sentenceCount(_ t: UnsafeBufferPointer<UInt32>) -> Int {
        var tokens: [SpacyToken] = []
        return sentenceCount(t, tokens: &tokens)
    }

    /// `sentenceCount(t)` with a caller's token buffer, reused from call to call.
    static func sentenceCount(_ t: UnsafeBufferPointer<UInt32>, tokens: inout [SpacyToken]) -> Int {
        SpacyTokenizer.english.tokenize(t, into: &tokens)
        return max(1, Sentencizer.count(t, tokens))
    }

    /// datatrove's words of UTF-8 `text`, as strings (for tests and tools).
    public static func words(of text: String) -> [String] {
        let scalars = text.unicodeScalars.map(\.value)
        return scalars.withUnsafeBufferPointer { t in
            words(t).map { token in
                String(String.UnicodeScalarView(t[Int(token.start)..<Int(token.end)].compactMap(Unicode.Scalar.init)))
            }
        }
    }

    /// The number of sentences datatrove's `split_into_sentences` finds in `text`.
    public static func sentenceCount(of text: String) -> Int {
        let scalars = text.unicodeScalars.map(\.value)
        return scalars.withUnsafeBufferPointer { sentenceCount($0) }
    }
}
