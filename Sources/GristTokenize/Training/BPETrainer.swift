import GristCore

/// Learns a byte-level BPE vocabulary from text: pre-tokenization (GPT-2's pattern unless told
/// otherwise), then repeatedly merge the
/// most frequent adjacent pair of tokens (ties: the pair with the smaller ids) until the vocabulary
/// has `vocabularySize` tokens, special tokens included.
///
/// Streaming: `add(_:)` counts pieces as text arrives (bounded by `PieceCounter`), `train()` runs the
/// merges on the distinct pieces. Deterministic: the same text in the same order gives the same
/// vocabulary byte for byte. Ids: bytes 0-255 are ids 0-255, merged tokens follow in merge order, the
/// special tokens come last (`<|endoftext|>` first).
///
/// The merge loop is the classic incremental one (as in Hugging Face `tokenizers` and SentencePiece):
/// pair counts, for each pair the words that contain it, and a lazily updated max-heap, so each merge
/// only touches the words that contain its pair.
public struct BPETrainer: ~Copyable {
    public struct Options: Sendable {
        /// Tokens in the result, special tokens included (at least 256 + the special tokens).
        public var vocabularySize: Int
        /// Reserved tokens, given ids after the merges in this order.
        public var specialTokens: [String]
        public var pattern: PreTokenizerPattern
        /// Pieces longer than this are not counted.
        public var maxPieceBytes: Int
        /// Distinct pieces held while counting before the rarest are pruned (bounds memory).
        public var maxDistinctPieces: Int

        public init(vocabularySize: Int, specialTokens: [String] = ["<|endoftext|>"], pattern: PreTokenizerPattern = .gpt2,
                    maxPieceBytes: Int = 256, maxDistinctPieces: Int = 8_000_000) {
            self.vocabularySize = vocabularySize
            self.specialTokens = specialTokens
            self.pattern = pattern
            self.maxPieceBytes = maxPieceBytes
            self.maxDistinctPieces = maxDistinctPieces
        }
    }

    /// What training saw and did.
    public struct Report: Sendable {
        public var bytesSeen = 0
        public var piecesSeen = 0
        public var distinctPieces = 0
        public var piecesTooLong = 0
        public var distinctPruned = 0
        public var merges = 0
        /// Merges whose result already existed as a token (another split of the same bytes).
        public var repeatedMerges = 0
    }

    public let options: Options
    private var counter: PieceCounter
    private var bytesSeen = 0

    /// Throws `.usage` when the vocabulary cannot hold the 256 bytes and the special tokens.
    public init(options: Options) throws {
        let minimum = 256 + options.specialTokens.count
        guard options.vocabularySize >= minimum else {
            throw GristError(.usage, "vocabulary size \(options.vocabularySize) is too small to hold the 256 byte tokens "
                                + "and \(options.specialTokens.count) special tokens",
                             hint: "use a vocabulary size of at least \(minimum)")
        }
        guard options.vocabularySize <= Int(Int32.max) else {
            throw GristError(.usage, "vocabulary size \(options.vocabularySize) is too large")
        }
        var seen = Set<String>()
        for token in options.specialTokens {
            guard !token.isEmpty else { throw GristError(.usage, "a special token is empty") }
            guard seen.insert(token).inserted else { throw GristError(.usage, "special token \(token) is listed twice") }
        }
        guard options.maxPieceBytes >= 1, options.maxDistinctPieces >= 16 else {
            throw GristError(.usage, "maxPieceBytes must be at least 1 and maxDistinctPieces at least 16")
        }
        self.options = options
        counter = PieceCounter(maxPieceBytes: options.maxPieceBytes, maxDistinct: options.maxDistinctPieces)
    }

    /// Pre-tokenizes `text` (one document: pieces never span two calls) and counts its pieces.
    public mutating func add(_ text: UnsafeRawBufferPointer) {
        guard let raw = text.baseAddress, !text.isEmpty else { return }
        bytesSeen += text.count
        let bytes = raw.assumingMemoryBound(to: UInt8.self)
        switch options.pattern {
        case .gpt2: count(PreTokenizer(base: bytes, count: text.count), bytes, text.count)
        case .cl100k: count(CL100KPreTokenizer(base: bytes, count: text.count), bytes, text.count)
        case .o200k: count(O200KPreTokenizer(base: bytes, count: text.count), bytes, text.count)
        }
    }

    @inline(__always)
    private mutating func count<Splitter: PieceSplitter>(_ splitter: Splitter, _ bytes: UnsafePointer<UInt8>, _ n: Int) {
        var start = 0
        while start < n {
            let end = splitter.pieceEnd(from: start)
            counter.add(bytes + start, end - start)
            start = end
        }
    }

    public mutating func add(_ text: [UInt8]) { text.withUnsafeBytes { add($0) } }

    /// Runs the merges and returns the vocabulary with what was done.
    public consuming func train() throws -> (vocabulary: BPEVocabulary, report: Report) {
        var report = Report()
        report.bytesSeen = bytesSeen
        report.piecesSeen = counter.piecesSeen
        report.distinctPieces = counter.distinctCount
        report.piecesTooLong = counter.piecesTooLong
        report.distinctPruned = counter.distinctPruned

        var merger = PairMerger(counter: counter)
        let ordinaryTarget = options.vocabularySize - options.specialTokens.count
        var tokens: [[UInt8]] = (0..<256).map { [UInt8($0)] }
        var idOfBytes: [[UInt8]: UInt32] = [:]
        for (id, bytes) in tokens.enumerated() { idOfBytes[bytes] = UInt32(id) }
        while tokens.count < ordinaryTarget, let (left, right) = merger.bestPair() {
            let joined = tokens[Int(left)] + tokens[Int(right)]
            let id: UInt32
            if let existing = idOfBytes[joined] {
                id = existing
                report.repeatedMerges += 1
            } else {
                id = UInt32(tokens.count)
                tokens.append(joined)
                idOfBytes[joined] = id
            }
            merger.merge(left, right, into: id)
            report.merges += 1
        }

        var text = ""
        text.reserveCapacity(tokens.count * 12)
        for (rank, bytes) in tokens.enumerated() { text += TiktokenFile.line(bytes: bytes, rank: rank) }
        let ranksFile = Array(text.utf8)
        let specials = options.specialTokens.enumerated().map { ($0.element, UInt32(tokens.count + $0.offset)) }
        let vocabulary = try ranksFile.withUnsafeBytes { raw in
            let file = try TiktokenFile(contents: raw, path: "<trained>")
            return try BPEVocabulary(entries: file.entries, idOfRank: nil, specialTokens: specials,
                                     pattern: options.pattern, name: "trained", fileSHA256: hexString(SHA256.digest(raw)),
                                     source: "<trained>")
        }
        return (vocabulary, report)
    }
}
