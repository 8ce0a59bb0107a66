/// The token shards written at the end.
public struct ShardsConfig: Decodable, Sendable {
    public enum Format: String, ConfigEnum {
        /// llm.c / nanoGPT `.bin`: 256 × int32 header, then uint16 tokens (docs/formats.md).
        case llmc
    }

    public var format: Format
    /// A shard is closed before the document that would take it past this many tokens.
    public var tokensPerShard: Int

    enum CodingKeys: String, CodingKey, CaseIterable { case format, tokensPerShard = "tokens_per_shard" }

    public init(format: Format = .llmc, tokensPerShard: Int = 100_000_000) {
        self.format = format
        self.tokensPerShard = tokensPerShard
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        format = try c.decodeIfPresent(Format.self, forKey: .format) ?? .llmc
        tokensPerShard = try c.value(.tokensPerShard, default: 100_000_000, .within(1...Int(Int32.max)))
    }
}
