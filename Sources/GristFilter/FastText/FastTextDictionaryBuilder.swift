import Glibc

/// Builds a training dictionary as fastText's `Dictionary::readFromFile` does: every token of the
/// corpus (words, labels, and `</s>` at each newline) is counted; the entries are sorted words before
/// labels, by count descending (with libstdc++'s `std::sort`, which decides the order of equal counts),
/// and those under `minCount` (words) or `minCountLabel` (labels) are dropped. `ntokens` counts every
/// token read, kept or not. As in fastText, a vocabulary past 22.5 million entries is thinned while
/// reading by raising a running minimum count.
struct FastTextDictionaryBuilder {
    static let maxVocabularySize = 30_000_000

    let labelPrefix: [UInt8]
    /// Entry bytes back to back; entry i is `text[textStart[i]..<textStart[i + 1]]`.
    private(set) var text: [UInt8] = []
    private(set) var textStart: [Int32] = [0]
    private(set) var counts: [Int64] = []
    private(set) var isLabel: [Bool] = []
    private(set) var ntokens: Int64 = 0
    /// Open addressing on the token hash: slot → entry, -1 where empty; a power of two, at most half full.
    private var slots = [Int32](repeating: -1, count: 1 << 12)
    private var minThreshold: Int64 = 1

    init(labelPrefix: [UInt8]) {
        self.labelPrefix = labelPrefix
    }

    var size: Int { counts.count }

    /// Counts every token of `corpus` (text in fastText's training format: one example per line).
    mutating func add(corpus: UnsafeBufferPointer<UInt8>) {
        var tokenizer = FastTextTokenizer(corpus)
        while let token = tokenizer.next() {
            switch token {
            case .endOfLine: FastTextDictionary.endOfSentence.withUnsafeBufferPointer { add($0) }
            case .word(let range): add(UnsafeBufferPointer(rebasing: corpus[range]))
            }
            if Double(size) > 0.75 * Double(Self.maxVocabularySize) {
                minThreshold += 1
                threshold(words: minThreshold, labels: minThreshold)
            }
        }
    }

    /// fastText's `Dictionary::add`: one more occurrence of a token.
    mutating func add(_ word: UnsafeBufferPointer<UInt8>) {
        ntokens += 1
        let h = FastTextHash.hash(word)
        let slot = findSlot(word, hash: h)
        let e = slots[slot]
        if e >= 0 {
            counts[Int(e)] += 1
            return
        }
        slots[slot] = Int32(counts.count)
        text.append(contentsOf: word)
        textStart.append(Int32(text.count))
        counts.append(1)
        isLabel.append(Self.hasPrefix(word, labelPrefix))
        if counts.count * 2 > slots.count { rehash(capacity: slots.count * 2) }
    }

    static func hasPrefix(_ word: UnsafeBufferPointer<UInt8>, _ prefix: [UInt8]) -> Bool {
        guard word.count >= prefix.count else { return false }
        for k in 0..<prefix.count where word[k] != prefix[k] { return false }
        return true
    }

    private func findSlot(_ word: UnsafeBufferPointer<UInt8>, hash h: UInt32) -> Int {
        let mask = slots.count - 1
        var id = Int(h) & mask
        return text.withUnsafeBufferPointer { t in
            while true {
                let e = Int(slots[id])
                if e < 0 { return id }
                let start = Int(textStart[e]), end = Int(textStart[e + 1])
                if end - start == word.count && (word.isEmpty || memcmp(t.baseAddress! + start, word.baseAddress!, word.count) == 0) {
                    return id
                }
                id = (id + 1) & mask
            }
        }
    }

    private mutating func rehash(capacity: Int) {
        slots = [Int32](repeating: -1, count: capacity)
        for i in 0..<counts.count {
            let slot = text.withUnsafeBufferPointer { t in
                let word = UnsafeBufferPointer(rebasing: t[Int(textStart[i])..<Int(textStart[i + 1])])
                return findSlot(word, hash: FastTextHash.hash(word))
            }
            slots[slot] = Int32(i)
        }
    }

    /// fastText's `Dictionary::threshold`: sort (words first, then by count descending), then drop the
    /// words under `words` and the labels under `labels` occurrences.
    mutating func threshold(words t: Int64, labels tl: Int64) {
        var order = Array(0..<Int32(counts.count))
        let counts = self.counts, isLabel = self.isLabel
        CxxIntroSort.sort(&order) { a, b in
            let la = isLabel[Int(a)], lb = isLabel[Int(b)]
            if la != lb { return !la && lb }
            return counts[Int(a)] > counts[Int(b)]
        }
        var newText: [UInt8] = []
        var newStart: [Int32] = [0]
        var newCounts: [Int64] = []
        var newIsLabel: [Bool] = []
        for e in order {
            let i = Int(e)
            if isLabel[i] ? counts[i] < tl : counts[i] < t { continue }
            newText += text[Int(textStart[i])..<Int(textStart[i + 1])]
            newStart.append(Int32(newText.count))
            newCounts.append(counts[i])
            newIsLabel.append(isLabel[i])
        }
        text = newText
        textStart = newStart
        self.counts = newCounts
        self.isLabel = newIsLabel
        var capacity = 1 << 12
        while capacity < newCounts.count * 2 { capacity *= 2 }
        rehash(capacity: capacity)
    }

    /// The final dictionary: thresholded by `minCount` and `minCountLabel`, with each word's input rows.
    mutating func dictionary(minCount: Int64, minCountLabel: Int64, minn: Int32, maxn: Int32,
                             bucket: Int32) -> FastTextDictionary {
        threshold(words: minCount, labels: minCountLabel)
        let nlabels = Int32(isLabel.lazy.filter { $0 }.count)
        return FastTextDictionary(text: text, textStart: textStart, counts: counts, isLabel: isLabel,
                                  nwords: Int32(counts.count) - nlabels, nlabels: nlabels, ntokens: ntokens,
                                  minn: minn, maxn: maxn, bucket: bucket, labelPrefix: labelPrefix)
    }
}

/// fastText's `readWord` over a buffer: tokens are runs of bytes other than space, `\n`, `\r`, `\t`,
/// `\v`, `\f` and NUL; each `\n` is also an end-of-line token (`</s>`) after the word it ends.
struct FastTextTokenizer {
    enum Token { case word(Range<Int>), endOfLine }

    let bytes: UnsafeBufferPointer<UInt8>
    private(set) var position: Int

    init(_ bytes: UnsafeBufferPointer<UInt8>, from position: Int = 0) {
        self.bytes = bytes
        self.position = position
    }

    @inline(__always)
    mutating func next() -> Token? {
        let n = bytes.count
        var i = position
        while i < n {
            let c = bytes[i]
            if c == 0x0A {
                position = i + 1
                return .endOfLine
            }
            if !FastTextDictionary.isSpace(c) { break }
            i += 1
        }
        guard i < n else {
            position = n
            return nil
        }
        let start = i
        while i < n && !FastTextDictionary.isSpace(bytes[i]) { i += 1 }
        position = i  // a `\n` that ends the word is read again, as the next token
        return .word(start..<i)
    }
}
