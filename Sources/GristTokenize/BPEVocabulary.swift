import GristCore

/// A byte-level BPE vocabulary: merge ranks, token bytes, special tokens and the pre-tokenizer
/// pattern. Immutable, so one instance is shared by every thread; encoding state lives in
/// `BPEEncoder`.
public final class BPEVocabulary: Sendable {
    /// Short name recorded in shard manifests (`"gpt2"`).
    public let name: String
    /// How text is split into pieces before merging.
    public let pattern: PreTokenizerPattern
    /// Lowercase hex SHA-256 of the ranks file, so a manifest pins the exact vocabulary.
    public let fileSHA256: String
    /// Vocabulary size including special tokens: one past the largest id (50257 for GPT-2).
    public let count: Int
    /// The id of `<|endoftext|>`, the document separator, if the vocabulary has one.
    public let endOfText: UInt32?
    /// Special tokens, by increasing id.
    public let specialTokens: [SpecialToken]

    let ranks: RankTable
    private let specialBytesByID: [UInt32: [UInt8]]

    /// Loads a tiktoken ranks file (`base64(token bytes) rank` per line).
    ///
    /// Throws `.io` if the file cannot be read and `.badFormat` (with the line number) if it is
    /// malformed, lacks one of the 256 single-byte tokens, or if a special token id collides.
    public convenience init(tiktokenFile path: String, pattern: PreTokenizerPattern = .gpt2,
                            specialTokens: [String: UInt32] = ["<|endoftext|>": 50256],
                            name: String = "gpt2") throws {
        let file = try MappedFile(path: path)
        try self.init(tiktokenContents: file.bytes, source: path, pattern: pattern,
                      specialTokens: specialTokens, name: name)
    }

    /// Builds a vocabulary from the contents of a tiktoken ranks file already in memory;
    /// `source` labels errors (a path or a description).
    public init(tiktokenContents contents: UnsafeRawBufferPointer, source: String,
                pattern: PreTokenizerPattern = .gpt2,
                specialTokens: [String: UInt32] = ["<|endoftext|>": 50256],
                name: String = "gpt2") throws {
        let file = try TiktokenFile(contents: contents, path: source)
        let ranks = RankTable(entries: file.entries)
        for byte in 0..<256 where ranks.singles[byte] == RankTable.missing {
            throw GristError(.badFormat, "tiktoken ranks file has no token for the single byte \(byte)",
                             at: InputPosition(path: source),
                             hint: "byte-level BPE needs all 256 one-byte tokens")
        }

        var specials: [SpecialToken] = []
        var bytesByID: [UInt32: [UInt8]] = [:]
        for (text, id) in specialTokens.sorted(by: { $0.value < $1.value }) {
            guard !text.isEmpty else {
                throw GristError(.usage, "special token \(id) has an empty name")
            }
            if Int(id) < ranks.rankLimit, !ranks.bytes(of: Int(id)).isEmpty {
                throw GristError(.usage, "special token \(text) has id \(id), which is already an ordinary token",
                                 at: InputPosition(path: source))
            }
            if bytesByID[id] != nil {
                throw GristError(.usage, "special token \(text) reuses id \(id)")
            }
            let token = SpecialToken(name: text, id: id)
            specials.append(token)
            bytesByID[id] = token.bytes
        }

        self.name = name
        self.pattern = pattern
        self.fileSHA256 = hexString(SHA256.digest(contents))
        self.count = max(ranks.rankLimit, specials.map { Int($0.id) + 1 }.max() ?? 0)
        self.endOfText = specialTokens["<|endoftext|>"]
        self.specialTokens = specials
        self.ranks = ranks
        self.specialBytesByID = bytesByID
    }

    /// The bytes of `token`, or nil if the id is not in the vocabulary.
    public func tokenBytes(_ token: UInt32) -> [UInt8]? {
        let bytes = ranks.bytes(of: Int(token))
        if !bytes.isEmpty { return Array(bytes) }
        return specialBytesByID[token]
    }

    /// The id of the ordinary token whose bytes are exactly `bytes`, if any.
    public func rank(of bytes: [UInt8]) -> UInt32? {
        let rank = bytes.withUnsafeBufferPointer { buffer in
            buffer.baseAddress.map { ranks.rank($0, buffer.count) } ?? RankTable.missing
        }
        return rank == RankTable.missing ? nil : rank
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

    @inline(__always)
    private func append(_ token: UInt32, to out: inout [UInt8]) -> Bool {
        let bytes = ranks.bytes(of: Int(token))
        if !bytes.isEmpty {
            out.append(contentsOf: bytes)
            return true
        }
        guard let special = specialBytesByID[token] else { return false }
        out.append(contentsOf: special)
        return true
    }
}
