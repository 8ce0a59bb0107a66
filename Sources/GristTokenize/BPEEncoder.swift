import GristCore

/// Turns UTF-8 text into token ids with a shared `BPEVocabulary`; gives exactly tiktoken's ids.
///
/// Cheap to create; use one per thread (methods are `mutating` so an encoder may keep per-thread
/// state such as a cache). Merge scratch lives on the stack for ordinary pieces.
///
/// Input should be valid UTF-8. Invalid bytes are not an error: each byte that does not start a
/// well-formed UTF-8 sequence is treated as a one-byte punctuation-like character, so the tokens
/// still decode to exactly the input bytes (tiktoken itself only accepts valid strings).
public struct BPEEncoder {
    public let vocabulary: BPEVocabulary
    /// Arrays for long pieces, reused from piece to piece (replaced if a copy of this encoder shares them).
    private var heapScratch = HeapMergeScratch()
    /// Recent merge results (fixed size), used unless created with `cache: false`.
    private var cache = MergeCache()
    private let cacheEnabled: Bool

    /// - Parameter cache: keep a small fixed-size cache of merge results (faster on real text; off only
    ///   to measure it).
    public init(vocabulary: BPEVocabulary, cache: Bool) {
        self.vocabulary = vocabulary
        self.cacheEnabled = cache
    }

    public init(vocabulary: BPEVocabulary) {
        self.init(vocabulary: vocabulary, cache: true)
    }

    /// tiktoken's `encode_ordinary`: special-token text is encoded as ordinary text.
    /// Appends the ids to `tokens`.
    public mutating func encodeOrdinary(_ text: UnsafeRawBufferPointer, into tokens: inout [UInt32]) {
        guard let raw = text.baseAddress, !text.isEmpty else { return }
        let bytes = raw.assumingMemoryBound(to: UInt8.self)
        let firstNew = tokens.count
        // One dispatch per text; the piece loop is specialized for each matcher.
        switch vocabulary.pattern {
        case .gpt2: encodePieces(PreTokenizer(base: bytes, count: text.count), bytes, text.count, into: &tokens)
        case .cl100k: encodePieces(CL100KPreTokenizer(base: bytes, count: text.count), bytes, text.count, into: &tokens)
        case .o200k: encodePieces(O200KPreTokenizer(base: bytes, count: text.count), bytes, text.count, into: &tokens)
        }
        // tokenizer.json vocabularies whose ids are not their merge ranks.
        if let idOfRank = vocabulary.idOfRank {
            idOfRank.withUnsafeBufferPointer { ids in
                for i in firstNew..<tokens.count { tokens[i] = ids[Int(tokens[i])] }
            }
        }
    }

    @inline(__always)
    private mutating func encodePieces<Splitter: PieceSplitter>(_ splitter: Splitter, _ bytes: UnsafePointer<UInt8>,
                                                                 _ count: Int, into tokens: inout [UInt32]) {
        let table = vocabulary.ranks
        let singles = table.singles
        let missing = RankTable.missing
        let quadraticLimit = BytePairMerge.quadraticLimit
        if !isKnownUniquelyReferenced(&heapScratch) { heapScratch = HeapMergeScratch() }
        let heapScratch = heapScratch
        if !isKnownUniquelyReferenced(&cache) { cache = MergeCache() }
        let cache = cache, cacheLimit = cacheEnabled ? MergeCache.maxBytes : 0
        tokens.reserveCapacity(tokens.count + count / 4 + 16)

        withUnsafeTemporaryAllocation(
            of: UInt32.self, capacity: BytePairMerge.scratchCount(forLength: quadraticLimit)
        ) { scratch in
            guard let scratch = scratch.baseAddress else { return }
            var start = 0
            while start < count {
                let end = splitter.pieceEnd(from: start)
                let piece = bytes + start
                let length = end - start
                start = end
                if length == 1 {
                    tokens.append(singles[Int(piece[0])])
                    continue
                }
                // Most pieces are whole tokens: one lookup, no merging.
                let hash = RankTable.hash(piece, length)
                let whole = table.rank(piece, length, hash: hash)
                if whole != missing {
                    tokens.append(whole)
                    continue
                }
                if length <= cacheLimit, cache.lookup(piece, length, hash: hash, into: &tokens) { continue }
                let before = tokens.count
                if length <= quadraticLimit {
                    BytePairMerge.mergeQuadratic(piece, length, table: table, scratch: scratch, into: &tokens)
                } else {
                    BytePairMerge.mergeWithHeap(piece, length, table: table, scratch: heapScratch, into: &tokens)
                }
                if length <= cacheLimit {
                    tokens.withUnsafeBufferPointer { all in
                        cache.store(piece, length, hash: hash, result: UnsafeBufferPointer(rebasing: all[before...]))
                    }
                }
            }
        }
    }

    /// tiktoken's `encode_ordinary` on a byte array.
    public mutating func encodeOrdinary(_ text: [UInt8]) -> [UInt32] {
        var tokens: [UInt32] = []
        text.withUnsafeBytes { encodeOrdinary($0, into: &tokens) }
        return tokens
    }

    /// tiktoken's `encode(text, allowed_special=…, disallowed_special=…)`.
    ///
    /// Allowed special tokens found in the text become their ids (the text between them is encoded
    /// as ordinary text). If a disallowed one occurs, throws `.usage` naming it and its byte offset;
    /// `disallowedSpecial: .all` means every special token not allowed. Special tokens that are
    /// neither allowed nor disallowed are encoded as ordinary text.
    public mutating func encode(_ text: [UInt8], allowedSpecial: SpecialTokens = .none,
                                disallowedSpecial: SpecialTokens = .all) throws -> [UInt32] {
        var tokens: [UInt32] = []
        try text.withUnsafeBytes {
            try encode($0, allowedSpecial: allowedSpecial, disallowedSpecial: disallowedSpecial, into: &tokens)
        }
        return tokens
    }

    /// `encode` on raw bytes, appending to `tokens` (nothing is appended when it throws).
    public mutating func encode(_ text: UnsafeRawBufferPointer, allowedSpecial: SpecialTokens = .none,
                                disallowedSpecial: SpecialTokens = .all, into tokens: inout [UInt32]) throws {
        let specials = vocabulary.specialTokens
        let allowed: [SpecialToken]
        switch allowedSpecial.selection {
        case .all: allowed = specials
        case .named(let names): allowed = specials.filter { names.contains($0.name) }
        }
        let disallowed: [[UInt8]]
        switch disallowedSpecial.selection {
        case .all: disallowed = specials.filter { !allowed.contains($0) }.map(\.bytes)
        // Like tiktoken, explicitly named strings are searched for even if not in the vocabulary.
        case .named(let names): disallowed = names.sorted().map { Array($0.utf8) }.filter { !$0.isEmpty }
        }

        let buffer = text.assumingMemoryBound(to: UInt8.self)
        if !disallowed.isEmpty, let hit = SpecialTokenSearch.first(of: disallowed, in: buffer, from: 0) {
            let name = String(decoding: disallowed[hit.needle], as: UTF8.self)
            throw GristError(.usage, "text contains the disallowed special token \(name) at byte offset \(hit.start)",
                             hint: "allow it (allowedSpecial) to encode it as one special token, or encode it "
                                 + "as plain text (encodeOrdinary, or disallowedSpecial: .none)")
        }
        let needles = allowed.map(\.bytes)
        var start = 0
        while true {
            let next = needles.isEmpty ? nil : SpecialTokenSearch.first(of: needles, in: buffer, from: start)
            let chunkEnd = next?.start ?? buffer.count
            encodeOrdinary(UnsafeRawBufferPointer(rebasing: text[start..<chunkEnd]), into: &tokens)
            guard let next else { break }
            tokens.append(allowed[next.needle].id)
            start = next.start + needles[next.needle].count
        }
    }
}
