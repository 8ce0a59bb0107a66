/// One contaminated span of a document: a maximal run of overlapping matched n-grams.
public struct ContaminationMatch: Sendable, Equatable {
    /// Byte range in the original UTF-8 text: from the first scalar of the run's first word to the end
    /// of its last word (trailing combining marks included; surrounding punctuation not).
    public var bytes: Range<Int>
    /// The same range in Unicode scalars (what a Python `str` index counts).
    public var scalars: Range<Int>
    /// Word positions (in the normalized word sequence).
    public var words: Range<Int>
    /// The eval items whose n-grams matched inside the span, in index order, without repeats.
    public var items: [EvalItemRef]
    /// Matched n-grams in the span.
    public var ngrams: Int
}

/// Finds every eval n-gram of an ``EvalSetIndex`` in a document.
///
/// Every word position is tried with every length the index holds (`ngram`, and the lengths of whole
/// short items); matched runs that overlap (share a word) are merged into one ``ContaminationMatch``;
/// runs that merely touch stay apart. One matcher per thread: it keeps its buffers between documents.
public struct ContaminationMatcher: Sendable {
    public let index: EvalSetIndex
    private let normalizer: DecontaminationNormalizer
    private var words = DecontaminationWords()
    private var prefix: [UInt64] = []

    public init(index: EvalSetIndex) {
        self.index = index
        normalizer = DecontaminationNormalizer(index.options.normalization)
    }

    public mutating func matches(in text: [UInt8]) -> [ContaminationMatch] {
        text.withUnsafeBufferPointer { matches(in: $0) }
    }

    public mutating func matches(in text: UnsafeBufferPointer<UInt8>) -> [ContaminationMatch] {
        normalizer.words(in: text, into: &words)
        let lengths = index.lengths
        guard let shortest = lengths.last, words.count >= shortest else { return [] }
        NGramHash.prefixes(words.hashes, into: &prefix)
        var result: [ContaminationMatch] = []
        let wordCount = words.count
        let hasher = index.hasher
        let index = self.index
        prefix.withUnsafeBufferPointer { p in
            index.withTable { keys, mask in
                var spanStart = -1, spanEnd = -1, ngrams = 0
                var refs: [EvalItemRef] = []
                for start in 0...(wordCount - shortest) {
                    for length in lengths where start + length <= wordCount {
                        guard let slot = EvalSetIndex.lookup(keys, mask, hasher.hash(p, start: start, length: length))
                        else { continue }
                        if start >= spanEnd {
                            if spanStart >= 0 { result.append(span(spanStart, spanEnd, ngrams, &refs)) }
                            spanStart = start
                            spanEnd = start + length
                            ngrams = 0
                        } else {
                            spanEnd = max(spanEnd, start + length)
                        }
                        ngrams += 1
                        index.appendItems(slot: slot, to: &refs)
                    }
                }
                if spanStart >= 0 { result.append(span(spanStart, spanEnd, ngrams, &refs)) }
            }
        }
        if !result.isEmpty { fillScalarOffsets(&result, text) }
        return result
    }

    private func span(_ start: Int, _ end: Int, _ ngrams: Int, _ refs: inout [EvalItemRef]) -> ContaminationMatch {
        let items = Array(Set(refs)).sorted()
        refs.removeAll(keepingCapacity: true)
        let bytes = words.starts[start]..<words.ends[end - 1]
        return ContaminationMatch(bytes: bytes, scalars: 0..<0, words: start..<end, items: items, ngrams: ngrams)
    }

    /// One pass over the text up to the last span's end.
    private func fillScalarOffsets(_ matches: inout [ContaminationMatch], _ text: UnsafeBufferPointer<UInt8>) {
        var byte = 0, scalar = 0
        for m in matches.indices {
            scalar += UTF8Offsets.scalarCount(text, byte..<matches[m].bytes.lowerBound)
            let lower = scalar
            scalar += UTF8Offsets.scalarCount(text, matches[m].bytes)
            byte = matches[m].bytes.upperBound
            matches[m].scalars = lower..<scalar
        }
    }
}
