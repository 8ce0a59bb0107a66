import GristCore

/// A byte-level BPE vocabulary: merge ranks, token bytes, special tokens and the pre-tokenizer
/// pattern. Immutable, so one instance is shared by every thread; encoding state lives in
/// `BPEEncoder`.
///
/// Merging follows tiktoken: the adjacent pair whose concatenation has the lowest rank merges first.
/// A token's id is its rank, except for `tokenizer.json` vocabularies whose ids are not in merge
/// order; those keep a rank → id table (`idOfRank`).
public final class BPEVocabulary: Sendable {
    /// Short name recorded in shard manifests (`"gpt2"`).
    public let name: String
    /// How text is split into pieces before merging.
    public let pattern: PreTokenizerPattern
    /// Lowercase hex SHA-256 of the file the vocabulary was read from, so a manifest pins it.
    public let fileSHA256: String
    /// Vocabulary size including special tokens: one past the largest id (50257 for GPT-2).
    public let count: Int
    /// The id of `<|endoftext|>`, the document separator, if the vocabulary has one.
    public let endOfText: UInt32?
    /// Special tokens, by increasing id.
    public let specialTokens: [SpecialToken]

    let ranks: RankTable
    /// `idOfRank[r]` is the id of rank `r`; nil when every id equals its rank (tiktoken files).
    let idOfRank: [UInt32]?
    /// `rankOfId[id]`, or `RankTable.missing`; nil when every id equals its rank.
    private let rankOfId: [UInt32]?
    private let specialBytesByID: [UInt32: [UInt8]]

    /// The largest id plus one that fits the 16-bit llm.c shard format.
    public static let uint16Limit = 65_536

    /// Loads a tiktoken ranks file (`base64(token bytes) rank` per line).
    ///
    /// A ranks file names no special tokens: unless `specialTokens` says otherwise, `<|endoftext|>`
    /// gets the id one past the largest rank (50256 for GPT-2, as tiktoken's `gpt2`).
    /// Throws `.io` if the file cannot be read and `.badFormat` (with the line number) if it is
    /// malformed, lacks one of the 256 single-byte tokens, or if a special token id collides.
    public convenience init(tiktokenFile path: String, pattern: PreTokenizerPattern = .gpt2,
                            specialTokens: [String: UInt32]? = nil, name: String = "gpt2") throws {
        let file = try MappedFile(path: path)
        try self.init(tiktokenContents: file.bytes, source: path, pattern: pattern,
                      specialTokens: specialTokens, name: name)
    }

    /// Builds a vocabulary from the contents of a tiktoken ranks file already in memory;
    /// `source` labels errors (a path or a description).
    public convenience init(tiktokenContents contents: UnsafeRawBufferPointer, source: String,
                            pattern: PreTokenizerPattern = .gpt2,
                            specialTokens: [String: UInt32]? = nil,
                            name: String = "gpt2") throws {
        let file = try TiktokenFile(contents: contents, path: source)
        let limit = file.entries.reduce(0) { max($0, Int($1.rank) + 1) }
        let specials = specialTokens ?? ["<|endoftext|>": UInt32(limit)]
        try self.init(entries: file.entries, idOfRank: nil,
                      specialTokens: specials.sorted { $0.value < $1.value }.map { ($0.key, $0.value) },
                      pattern: pattern, name: name, fileSHA256: hexString(SHA256.digest(contents)), source: source)
    }

    /// The common initializer: ordinary tokens as `(bytes, rank)` (unique, non-empty; all 256 single
    /// bytes present), an optional rank → id table, special tokens as `(text, id)`.
    init(entries: [(bytes: ArraySlice<UInt8>, rank: UInt32)], idOfRank: [UInt32]?,
         specialTokens: [(String, UInt32)], pattern: PreTokenizerPattern, name: String,
         fileSHA256: String, source: String) throws {
        let ranks = RankTable(entries: entries)
        for byte in 0..<256 where ranks.singles[byte] == RankTable.missing {
            throw GristError(.badFormat, "the vocabulary has no token for the single byte \(byte)",
                             at: InputPosition(path: source),
                             hint: "byte-level BPE needs all 256 one-byte tokens (a vocabulary of at least 256 + "
                                 + "special tokens)")
        }
        var ordinaryLimit = ranks.rankLimit
        var rankOfId: [UInt32]?
        if let idOfRank {
            precondition(idOfRank.count == ranks.rankLimit, "one id per rank")
            ordinaryLimit = Int(idOfRank.max() ?? 0) + 1
            var inverse = [UInt32](repeating: RankTable.missing, count: ordinaryLimit)
            for (rank, id) in idOfRank.enumerated() where !ranks.bytes(of: rank).isEmpty {
                inverse[Int(id)] = UInt32(rank)
            }
            rankOfId = inverse
        }
        func isOrdinary(_ id: UInt32) -> Bool {
            if let rankOfId { return Int(id) < rankOfId.count && rankOfId[Int(id)] != RankTable.missing }
            return Int(id) < ranks.rankLimit && !ranks.bytes(of: Int(id)).isEmpty
        }

        var specials: [SpecialToken] = []
        var bytesByID: [UInt32: [UInt8]] = [:]
        for (text, id) in specialTokens {
            guard !text.isEmpty else {
                throw GristError(.badFormat, "special token \(id) has an empty name", at: InputPosition(path: source))
            }
            if isOrdinary(id) {
                throw GristError(.badFormat, "special token \(text) has id \(id), which is already an ordinary token",
                                 at: InputPosition(path: source))
            }
            if bytesByID[id] != nil {
                throw GristError(.badFormat, "special token \(text) reuses id \(id)", at: InputPosition(path: source))
            }
            let token = SpecialToken(name: text, id: id)
            specials.append(token)
            bytesByID[id] = token.bytes
        }
        specials.sort { $0.id < $1.id }

        self.name = name
        self.pattern = pattern
        self.fileSHA256 = fileSHA256
        self.count = max(ordinaryLimit, specials.map { Int($0.id) + 1 }.max() ?? 0)
        self.endOfText = specials.first { $0.name == "<|endoftext|>" }?.id
        self.specialTokens = specials
        self.ranks = ranks
        self.idOfRank = idOfRank
        self.rankOfId = rankOfId
        self.specialBytesByID = bytesByID
    }

    /// Whether shards of this vocabulary need 32-bit tokens (an id above 65,535).
    public var needsUInt32: Bool { count > Self.uint16Limit }

    /// The bytes of the ordinary token `id` (empty when `id` is not one).
    @inline(__always)
    func ordinaryBytes(_ id: UInt32) -> UnsafeBufferPointer<UInt8> {
        guard let rankOfId else { return ranks.bytes(of: Int(id)) }
        guard Int(id) < rankOfId.count else { return UnsafeBufferPointer(start: nil, count: 0) }
        return ranks.bytes(of: Int(rankOfId[Int(id)]))
    }

    /// The bytes of `token`, or nil if the id is not in the vocabulary.
    public func tokenBytes(_ token: UInt32) -> [UInt8]? {
        let bytes = ordinaryBytes(token)
        if !bytes.isEmpty { return Array(bytes) }
        return specialBytesByID[token]
    }

    /// The id of the ordinary token whose bytes are exactly `bytes`, if any.
    public func id(of bytes: [UInt8]) -> UInt32? {
        let rank = bytes.withUnsafeBufferPointer { buffer in
            buffer.baseAddress.map { ranks.rank($0, buffer.count) } ?? RankTable.missing
        }
        guard rank != RankTable.missing else { return nil }
        return idOfRank.map { $0[Int(rank)] } ?? rank
    }

    /// Ordinary tokens as `(id, bytes)` by increasing rank (merge order).
    public var ordinaryTokens: [(id: UInt32, bytes: [UInt8])] {
        (0..<ranks.rankLimit).compactMap { rank in
            let bytes = ranks.bytes(of: rank)
            guard !bytes.isEmpty else { return nil }
            return (idOfRank.map { $0[rank] } ?? UInt32(rank), Array(bytes))
        }
    }

    /// The exact bytes `tokens` stand for (special tokens give their text). Ids outside the
    /// vocabulary contribute nothing; use `decodeChecked` to reject them.
    public func decode(_ tokens: some Sequence<UInt32>) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(tokens.underestimatedCount * 4)
        for token in tokens { _ = append(token, to: &out) }
        return out
    }

    /// Like `decode`, but throws `.badFormat` naming the first id outside the vocabulary.
    public func decodeChecked(_ tokens: some Sequence<UInt32>) throws -> [UInt8] {
        var out: [UInt8] = []
        for (index, token) in tokens.enumerated() where !append(token, to: &out) {
            throw GristError(.badFormat, "token id \(token) at index \(index) is not in the \(name) vocabulary (size \(count))")
        }
        return out
    }

    /// Appends the bytes of `token` to `out`; false if it is not in the vocabulary.
    @inline(__always)
    public func append(_ token: UInt32, to out: inout [UInt8]) -> Bool {
        let bytes = ordinaryBytes(token)
        if !bytes.isEmpty {
            out.append(contentsOf: bytes)
            return true
        }
        guard let special = specialBytesByID[token] else { return false }
        out.append(contentsOf: special)
        return true
    }
}
