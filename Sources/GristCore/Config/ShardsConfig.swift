/// The token shards written at the end.
public struct ShardsConfig: Decodable, Sendable, ConfigSection {
    public enum Format: String, ConfigEnum {
        /// llm.c `.bin`: 256 × int32 header, then uint16 tokens (docs/formats.md). Always written.
        case llmc
        /// Megatron-LM's indexed dataset, `megatron/SPLIT.bin` + `megatron/SPLIT.idx`.
        case megatron
        /// nanoGPT's headerless uint16 `nanogpt/train.bin` and `nanogpt/val.bin`.
        case nanogpt
    }

    /// The formats to write (`formats: [llmc, megatron]`, or `format: megatron` for one), in the order
    /// given. llm.c shards are written whether listed or not: the manifest's placements point into them
    /// and `grist train` reads them; the other formats hold the same documents in the same order.
    public var formats = [Format.llmc]
    /// The first format listed (what `format:` gives).
    public var format: Format { formats.first ?? .llmc }
    /// The formats written besides llm.c's shards, each once, in the order given.
    public var extraFormats: [Format] {
        var seen: Set<String> = []
        return formats.filter { $0 != .llmc && seen.insert($0.rawValue).inserted }
    }
    /// A shard is closed before the document that would take it past this many tokens.
    public var tokensPerShard = 100_000_000
    /// The fewest tokens a shard may hold; nil: the default (`minimumTokens(splitTokens:)`), 0: none.
    public var minTokens: Int?

    /// What llm.c's data loader requires of every shard with its GPT-2 (124M) recipe: B·T·processes + 1
    /// tokens, with B = 64, T = 1024 and 8 processes (`dataloader_init` asserts it of each shard it globs).
    public static let llmcGPT2MinTokens = 64 * 1024 * 8 + 1

    enum CodingKeys: String, CodingKey, CaseIterable {
        case format, formats, tokensPerShard = "tokens_per_shard", minTokens = "min_tokens"
    }

    public init() {}

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        var single: Format?
        try c.decodeIfPresent(.format, into: &single)
        var list: [Format]?
        try c.decodeIfPresent(.formats, into: &list)
        let here = decoder.configLocation ?? ConfigLocation(file: "<config>", line: nil, path: "shards")
        if single != nil, list != nil {
            throw ConfigError("give format or formats, not both (formats: [llmc, megatron] lists several)",
                              at: c.location(of: .formats) ?? here)
        }
        if let list, list.isEmpty {
            throw ConfigError("formats is empty; list at least one of "
                + Format.allCases.map(\.rawValue).joined(separator: ", "), at: c.location(of: .formats) ?? here)
        }
        if let list, Set(list.map(\.rawValue)).count != list.count {
            throw ConfigError("formats lists a format twice", at: c.location(of: .formats) ?? here)
        }
        formats = list ?? single.map { [$0] } ?? formats
        try c.decode(.tokensPerShard, into: &tokensPerShard, .within(1...Int(Int32.max)))
        minTokens = try c.optionalValue(.minTokens, .within(0...Int(Int32.max)))
        if let minTokens, minTokens > tokensPerShard {
            throw ConfigError("min_tokens (\(minTokens)) is larger than tokens_per_shard (\(tokensPerShard)); "
                + "lower it, or raise tokens_per_shard",
                at: c.location(of: .minTokens) ?? decoder.configLocation
                    ?? ConfigLocation(file: "<config>", line: nil, path: "shards.min_tokens"))
        }
    }

    /// The fewest tokens each shard of a split of `splitTokens` tokens must hold: `min_tokens` when given;
    /// by default llm.c's GPT-2 size (`llmcGPT2MinTokens`) when the split has at least that many tokens
    /// and `tokens_per_shard` is not smaller, else none (0). A split smaller than the minimum is one shard.
    public func minimumTokens(splitTokens: Int) -> Int {
        if let minTokens { return minTokens }
        let llmc = Self.llmcGPT2MinTokens
        return tokensPerShard >= llmc && splitTokens >= llmc ? llmc : 0
    }

    /// Whether a split of `splitTokens` tokens (more than 0) is smaller than a `min_tokens` the config
    /// gives: its one shard is below the minimum, which the build warns about. The default never is.
    public func isBelowMinimum(splitTokens: Int) -> Bool {
        splitTokens > 0 && splitTokens < (minTokens ?? 0)
    }
}
