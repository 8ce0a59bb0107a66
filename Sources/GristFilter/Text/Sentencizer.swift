/// spaCy's rule-based `Sentencizer` (spaCy 3.8.18, `spacy/pipeline/sentencizer.pyx`), which datatrove
/// adds after the tokenizer to split sentences.
///
/// A sentence ends after a token that is one of its punctuation characters (`.`, `!`, `?`, `。`, …);
/// the next sentence starts at the first following token that is neither such a character nor
/// punctuation (every character of category P*). Whitespace tokens are not punctuation, so they
/// can start a sentence.
enum Sentencizer {
    /// The number of sentences spaCy finds in a text tokenized as `tokens` (0 for no tokens).
    static func count(_ t: UnsafeBufferPointer<UInt32>, _ tokens: [SpacyToken]) -> Int {
        guard !tokens.isEmpty else { return 0 }
        var sentences = 1
        var seenPeriod = false
        for token in tokens {
            let s = Int(token.start), e = Int(token.end)
            let isEnd = e - s == 1 && CharacterClasses.sentenceEnd.contains(t[s])
            if seenPeriod, !isEnd, !isPunctuation(t, s, e) {
                sentences += 1
                seenPeriod = false
            } else if isEnd {
                seenPeriod = true
            }
        }
        return sentences
    }

    /// spaCy's `is_punct`: every character is in a Unicode punctuation category.
    @inline(__always)
    static func isPunctuation(_ t: UnsafeBufferPointer<UInt32>, _ s: Int, _ e: Int) -> Bool {
        var i = s
        while i < e {
            if !CharacterClasses.punctuation.contains(t[i]) { return false }
            i += 1
        }
        return true
    }
}
