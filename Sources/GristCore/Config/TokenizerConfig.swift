/// Which tokenizer turns text into tokens.
public struct TokenizerConfig: Decodable, Sendable {
    public enum Kind: String, ConfigEnum {
        /// GPT-2's byte-level BPE, exactly as tiktoken's `gpt2` encoding (ranks ship with Gristmill).
        case gpt2
    }

    public var kind: Kind
    /// A tiktoken ranks file to use instead of the bundled one (same pattern and special tokens).
    public var ranks: Located<String>?

    enum CodingKeys: String, CodingKey, CaseIterable { case kind, ranks }

    public init(kind: Kind = .gpt2) { self.kind = kind }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        kind = try c.decodeIfPresent(Kind.self, forKey: .kind) ?? .gpt2
        ranks = try c.decodeIfPresent(Located<String>.self, forKey: .ranks)
    }
}
