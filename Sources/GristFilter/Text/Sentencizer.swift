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

    /// The token index where each sentence starts (empty for no tokens).
    static func starts(_ t: UnsafeBufferPointer<UInt32>, _ tokens: [SpacyToken]) -> [Int] {
        guard !tokens.isEmpty else { return [] }
        var starts = [0]
        var seenPeriod = false
        for (i, token) in tokens.enumerated() {
            let s = Int(token.start), e = Int(token.end)
            let isEnd = e - s == 1 && CharacterClasses.sentenceEnd.contains(t[s])
            if seenPeriod, !isEnd, !isPunctuation(t, s, e) {
                starts.append(i)
                seenPeriod = false
            } else if isEnd {
                seenPeriod = true
            }
        }
        return starts
    }

    /// datatrove's `split_into_sentences(text)` as ranges of `t`: each piece runs from the end of the
    /// previous sentence to the end of its own; the last runs to the end of the text.
    static func pieces(_ t: UnsafeBufferPointer<UInt32>) -> [(Int, Int)] {
        var tokens: [SpacyToken] = []
        SpacyTokenizer.english.tokenize(t, into: &tokens)
        let starts = starts(t, tokens)
        var ends: [Int] = []
        for (k, _) in starts.enumerated() {
            let last = k + 1 < starts.count ? starts[k + 1] - 1 : tokens.count - 1
            ends.append(Int(tokens[last].end))
        }
        var pieces: [(Int, Int)] = []
        var previous = 0
        for end in ends.dropLast() {
            pieces.append((previous, end))
            previous = end
        }
        pieces.append((previous, t.count))
        return pieces
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
