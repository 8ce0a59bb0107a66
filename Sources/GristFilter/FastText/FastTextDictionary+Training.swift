extension FastTextDictionary {
    /// fastText's supervised `getLine` while training: the tokens of one line (up to and including its
    /// `</s>`, or to the end of the corpus) become the input rows (each word's rows, or an unknown
    /// word's character n-grams, then the word n-grams) and the label indices (labels of the
    /// dictionary only). Returns the number of tokens read, which drives the learning-rate schedule.
    /// Sets `atEnd` when the corpus ended (fastText's stream then reads from its start on the next call).
    /// `eos` holds the bytes of `</s>`.
    func trainingLine(_ tokenizer: inout FastTextTokenizer, wordNgrams: Int32, eos: UnsafeBufferPointer<UInt8>,
                      rows out: inout [Int32], labels: inout [Int32], hashes: inout [Int32], token: inout [UInt8],
                      atEnd: inout Bool) -> Int {
        out.removeAll(keepingCapacity: true)
        labels.removeAll(keepingCapacity: true)
        hashes.removeAll(keepingCapacity: true)
        var ntokens = 0
        let corpus = tokenizer.bytes
        while true {
            guard let next = tokenizer.next() else {
                atEnd = true
                break
            }
            let word: UnsafeBufferPointer<UInt8>
            switch next {
            case .word(let range): word = UnsafeBufferPointer(rebasing: corpus[range])
            case .endOfLine: word = eos
            }
            ntokens += 1
            let isEnd = word.elementsEqual(eos)
            let h = FastTextHash.hash(word)
            let wid = find(word, hash: h)
            let label = wid >= 0 ? isLabel[Int(wid)] : FastTextDictionaryBuilder.hasPrefix(word, argsLabelPrefix)
            if !label {
                appendRows(of: word, id: wid, isEndOfSentence: isEnd, token: &token, to: &out)
                hashes.append(Int32(bitPattern: h))
            } else if wid >= 0 {
                labels.append(wid - nwords)
            }
            if isEnd { break }
        }
        addWordNgrams(hashes, n: wordNgrams, to: &out)
        return ntokens
    }
}
