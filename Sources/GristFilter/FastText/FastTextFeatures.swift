/// How `predict` reads a text's newlines.
public enum FastTextLineReading: Sendable {
    /// As fastText's `predict` reads one line of its input: tokens up to the first newline, which is
    /// the `</s>` token, and nothing after it (the text is read as if it ended with a newline).
    case firstLine
    /// The text with every newline read as a space, then `</s>` at its end: the whole document as one
    /// line (datatrove's `text.replace("\n", " ")` before fastText's predict).
    case joined
}

extension FastTextDictionary {
    @inline(__always)
    static func isSpace(_ c: UInt8) -> Bool {
        c == 0x20 || c == 0x0A || c == 0x0D || c == 0x09 || c == 0x0B || c == 0x0C || c == 0
    }

    /// fastText's `getLine` for prediction: the input rows of a text (each word's rows, or an unknown
    /// word's character n-grams; then the word n-grams of all word hashes). Labels are skipped.
    func features(of text: UnsafeRawBufferPointer, reading: FastTextLineReading, wordNgrams: Int32,
                  rows out: inout [Int32], hashes: inout [Int32], token: inout [UInt8]) {
        out.removeAll(keepingCapacity: true)
        hashes.removeAll(keepingCapacity: true)
        let bytes = text.bindMemory(to: UInt8.self)
        let n = bytes.count
        var start = -1  // start of the current word, -1 when none
        var i = 0
        while i <= n {
            let c: UInt8 = i == n ? 0x0A : bytes[i]  // the text read as if it ended with a newline
            let newline = c == 0x0A && (i == n || reading == .firstLine)
            if newline || Self.isSpace(c) {
                if start >= 0 {
                    addToken(UnsafeBufferPointer(rebasing: bytes[start..<i]), rows: &out, hashes: &hashes, token: &token)
                    start = -1
                }
                if newline {
                    Self.endOfSentence.withUnsafeBufferPointer { addToken($0, rows: &out, hashes: &hashes, token: &token) }
                    break
                }
            } else if start < 0 {
                start = i
            }
            i += 1
        }
        addWordNgrams(hashes, n: wordNgrams, to: &out)
    }

    private func addToken(_ word: UnsafeBufferPointer<UInt8>, rows out: inout [Int32], hashes: inout [Int32],
                          token: inout [UInt8]) {
        let h = FastTextHash.hash(word)
        let wid = find(word, hash: h)
        let label = wid >= 0 ? isLabel[Int(wid)] : Self.hasLabelPrefix(word)
        if label { return }
        appendRows(of: word, id: wid, isEndOfSentence: word.elementsEqual(Self.endOfSentence), token: &token, to: &out)
        hashes.append(Int32(bitPattern: h))
    }

    /// The input rows of a word of a line that is not a label, as fastText's `getLine` adds them: a known
    /// word's id (and its character n-grams), an unknown word's character n-grams (none for `</s>`).
    @inline(__always)
    func appendRows(of word: UnsafeBufferPointer<UInt8>, id wid: Int32, isEndOfSentence: Bool, token: inout [UInt8],
                    to out: inout [Int32]) {
        if wid >= 0 {
            if maxn <= 0 {
                out.append(wid)
            } else {
                rows.withUnsafeBufferPointer { r in
                    out.append(contentsOf: r[Int(rowStart[Int(wid)])..<Int(rowStart[Int(wid) + 1])])
                }
            }
        } else if !isEndOfSentence {
            token.removeAll(keepingCapacity: true)
            token.append(UInt8(ascii: "<"))
            token.append(contentsOf: word)
            token.append(UInt8(ascii: ">"))
            token.withUnsafeBufferPointer { appendSubwords(of: $0, to: &out) }
        }
    }

    private static func hasLabelPrefix(_ word: UnsafeBufferPointer<UInt8>) -> Bool {
        guard word.count >= labelPrefix.count else { return false }
        for k in 0..<labelPrefix.count where word[k] != labelPrefix[k] { return false }
        return true
    }

    /// fastText's `addWordNgrams`: for each word, the hashes of the 2...n word sequences starting at
    /// it (64-bit, from the sign-extended 32-bit word hashes), modulo the bucket count.
    func addWordNgrams(_ hashes: [Int32], n: Int32, to out: inout [Int32]) {
        guard n > 1, bucket > 0 else { return }
        let count = hashes.count
        for i in 0..<count {
            var h = UInt64(bitPattern: Int64(hashes[i]))
            var j = i + 1
            while j < count && j < i + Int(n) {
                h = h &* 116_049_371 &+ UInt64(bitPattern: Int64(hashes[j]))
                if let row = hashedRow(Int32(truncatingIfNeeded: h % UInt64(bucket))) { out.append(row) }
                j += 1
            }
        }
    }
}
