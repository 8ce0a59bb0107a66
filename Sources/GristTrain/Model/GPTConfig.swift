/// The shape of a GPT-2-architecture model: token and position embeddings, pre-LayerNorm blocks of
/// causal self-attention and a GELU MLP, a final LayerNorm, and an output projection tied to the token
/// embedding.
public struct GPTConfig: Sendable, Equatable, Codable {
    /// Transformer blocks.
    public var layers: Int
    /// Attention heads; `channels` must be a multiple of it.
    public var heads: Int
    /// Width of the residual stream (GPT-2 `n_embd`).
    public var channels: Int
    /// Longest sequence the position embedding covers (GPT-2 `n_positions`).
    public var maxContext: Int
    /// Real tokens of the vocabulary (50257 for GPT-2).
    public var vocabularySize: Int
    /// Rows of the token embedding: the vocabulary rounded up to a multiple of 128 for faster matrix
    /// products. The padding rows are zero and are never sampled or scored.
    public var paddedVocabularySize: Int
    /// Whether the q, k, v projection has a bias (GPT-2: yes).
    public var qkvBias: Bool
    /// Residual and embedding dropout rate while training (0 = none, the usual for pretraining).
    public var dropout: Float

    public init(layers: Int, heads: Int, channels: Int, maxContext: Int, vocabularySize: Int = 50257,
                paddedVocabularySize: Int? = nil, qkvBias: Bool = true, dropout: Float = 0) {
        self.layers = layers
        self.heads = heads
        self.channels = channels
        self.maxContext = maxContext
        self.vocabularySize = vocabularySize
        self.paddedVocabularySize = paddedVocabularySize ?? GPTConfig.padded(vocabularySize)
        self.qkvBias = qkvBias
        self.dropout = dropout
    }

    /// `size` rounded up to a multiple of 128.
    public static func padded(_ size: Int) -> Int { (size + 127) / 128 * 128 }

    /// Named presets: `tiny` (demo and tests), `small` (6 layers, 384 wide), `gpt2` (the 124M model).
    public static func preset(_ name: String, vocabularySize: Int = 50257) -> GPTConfig? {
        switch name {
        case "tiny": return GPTConfig(layers: 4, heads: 4, channels: 128, maxContext: 128, vocabularySize: vocabularySize)
        case "small": return GPTConfig(layers: 6, heads: 6, channels: 384, maxContext: 256, vocabularySize: vocabularySize)
        case "gpt2": return GPTConfig(layers: 12, heads: 12, channels: 768, maxContext: 1024, vocabularySize: vocabularySize)
        default: return nil
        }
    }

    public static let presetNames = ["tiny", "small", "gpt2"]

    /// Problems with the shape, as sentences; empty when it is usable.
    public var problems: [String] {
        var out: [String] = []
        if layers < 1 { out.append("layers must be at least 1, got \(layers)") }
        if heads < 1 { out.append("heads must be at least 1, got \(heads)") }
        if channels < 1 || (heads >= 1 && channels % heads != 0) {
            out.append("the width (\(channels)) must be a positive multiple of the number of heads (\(heads))")
        }
        if maxContext < 1 { out.append("the context length must be at least 1, got \(maxContext)") }
        if vocabularySize < 1 { out.append("the vocabulary must have at least 1 token, got \(vocabularySize)") }
        if paddedVocabularySize < vocabularySize {
            out.append("the padded vocabulary (\(paddedVocabularySize)) is smaller than the vocabulary (\(vocabularySize))")
        }
        if !(dropout >= 0 && dropout < 1) { out.append("dropout must be in 0..<1, got \(dropout)") }
        return out
    }

    /// Parameters that are trained (padding rows of the embedding excluded).
    public var parameterCount: Int {
        ParameterLayout(self).count - (paddedVocabularySize - vocabularySize) * channels
    }

    /// Floating-point operations of one forward and backward pass per token at sequence length `t`
    /// (the usual 6·N for the matrix products plus the attention scores and their gradients, 12·L·C·T).
    public func trainingFlopsPerToken(sequenceLength t: Int) -> Double {
        let c = Double(channels), l = Double(layers)
        let matrices = l * 12 * c * c + Double(paddedVocabularySize) * c
        return 6 * matrices + 12 * l * c * Double(t)
    }
}
