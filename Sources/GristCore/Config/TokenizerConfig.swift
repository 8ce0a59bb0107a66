/// Which tokenizer turns text into tokens: GPT-2's (bundled), a vocabulary file, or one trained on
/// the corpus during the build.
public struct TokenizerConfig: Decodable, Sendable, ConfigSection {
    public enum Kind: String, ConfigEnum {
        /// Byte-level BPE with GPT-2's pre-tokenization: the bundled GPT-2 vocabulary (exactly tiktoken's
        /// `gpt2`), or the one `ranks`, `vocab` or `train` gives.
        case gpt2
    }

    public var kind = Kind.gpt2
    /// A tiktoken ranks file to use instead of the bundled one (same pattern; `<|endoftext|>` after the last rank).
    public var ranks: Located<String>?
    /// A vocabulary file: a tiktoken ranks file or a Hugging Face `tokenizer.json` (byte-level BPE).
    public var vocab: Located<String>?
    /// Train a vocabulary on the kept documents instead (saved next to the shards).
    public var train: TokenizerTrainConfig?

    enum CodingKeys: String, CodingKey, CaseIterable { case kind, ranks, vocab, train }

    /// GPT-2's bundled vocabulary.
    public init() {}

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        try c.decodeIfPresent(.kind, into: &kind)
        ranks = try c.decodeIfPresent(Located<String>.self, forKey: .ranks)
        vocab = try c.decodeIfPresent(Located<String>.self, forKey: .vocab)
        train = try c.decodeIfPresent(TokenizerTrainConfig.self, forKey: .train)
        let given = [ranks != nil ? CodingKeys.ranks : nil, vocab != nil ? .vocab : nil, train != nil ? .train : nil]
            .compactMap { $0 }
        if given.count > 1, let location = c.location(of: given[1]) ?? decoder.configLocation {
            throw ConfigError("use only one of \(given.map { "\"\($0.stringValue)\"" }.joined(separator: " and "))",
                              at: location)
        }
    }
}

/// How a vocabulary is trained on the corpus (`tokenizer.train`).
public struct TokenizerTrainConfig: Decodable, Sendable, ConfigSection {
    /// The pre-tokenizer pattern the vocabulary is trained and used with.
    public enum Pattern: String, ConfigEnum {
        /// GPT-2's (r50k/p50k).
        case gpt2
        /// tiktoken's cl100k_base pattern.
        case cl100k
        /// tiktoken's o200k_base pattern.
        case o200k
    }

    /// Tokens in the vocabulary, special tokens included; shards use uint32 tokens above 65,536.
    public var vocabSize: Int
    /// At most this many bytes of kept training-split documents, chosen by a seeded hash when there are more.
    public var sampleBytes = TokenizerTrainConfig.defaultSampleBytes
    /// Extra special tokens, after `<|endoftext|>`.
    public var specialTokens: [String] = []
    public var pattern = Pattern.gpt2

    enum CodingKeys: String, CodingKey, CaseIterable {
        case vocabSize = "vocab_size", sampleBytes = "sample_bytes", specialTokens = "special_tokens", pattern
    }

    public static let defaultSampleBytes = 1_000_000_000

    public init(vocabSize: Int) { self.vocabSize = vocabSize }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        try c.decodeIfPresent(.specialTokens, into: &specialTokens)
        let minimum = 257 + specialTokens.count
        vocabSize = try c.value(.vocabSize, .within(minimum...Int(Int32.max)))
        try c.decode(.sampleBytes, into: &sampleBytes, .atLeast(1))
        try c.decodeIfPresent(.pattern, into: &pattern)
        var seen = Set<String>(["<|endoftext|>"])
        for token in specialTokens where token.isEmpty || !seen.insert(token).inserted {
            throw ConfigError(token.isEmpty ? "a special token is empty" : "special token \"\(token)\" is listed twice",
                              at: c.location(of: .specialTokens) ?? decoder.configLocation
                                ?? ConfigLocation(file: "<config>", line: nil, path: "tokenizer.train.special_tokens"))
        }
    }
}
