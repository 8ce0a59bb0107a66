/// The token shards written at the end.
public struct ShardsConfig: Decodable, Sendable, ConfigSection {
    public enum Format: String, ConfigEnum {
        /// llm.c / nanoGPT `.bin`: 256 × int32 header, then uint16 tokens (docs/formats.md).
        case llmc
    }

    public var format = Format.llmc
    /// A shard is closed before the document that would take it past this many tokens.
    public var tokensPerShard = 100_000_000

    enum CodingKeys: String, CodingKey, CaseIterable { case format, tokensPerShard = "tokens_per_shard" }

    public init() {}

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        try c.decodeIfPresent(.format, into: &format)
        try c.decode(.tokensPerShard, into: &tokensPerShard, .within(1...Int(Int32.max)))
    }
}
