/// The `train:` section of a pipeline: pretraining a GPT-2-architecture model on the shards the pipeline
/// builds (`grist train CONFIG`). Every key is optional; an absent key takes the trainer's default
/// (docs/config.md lists them). `grist train` flags override these values.
public struct TrainConfig: Decodable, Sendable {
    /// The model: a named preset and any overrides of its shape.
    public struct Model: Decodable, Sendable {
        /// `tiny`, `small` or `gpt2` (124M).
        public var preset: Located<String>?
        public var layers: Int?
        public var heads: Int?
        /// Width of the residual stream (GPT-2 `n_embd`).
        public var width: Int?
        /// Longest sequence the model can read (the position embedding's size).
        public var context: Int?
        /// Real tokens of the vocabulary; must match the shards' tokenizer.
        public var vocabSize: Int?
        public var qkvBias: Bool?
        public var dropout: Double?

        enum CodingKeys: String, CodingKey, CaseIterable {
            case preset, layers, heads, width, context, dropout
            case vocabSize = "vocab_size", qkvBias = "qkv_bias"
        }

        public init() {}

        public init(from decoder: any Decoder) throws {
            let c = try decoder.container(keyedBy: CodingKeys.self)
            preset = try c.decodeIfPresent(Located<String>.self, forKey: .preset)
            layers = try c.optionalValue(.layers, .within(1...256))
            heads = try c.optionalValue(.heads, .within(1...256))
            width = try c.optionalValue(.width, .within(1...65536))
            context = try c.optionalValue(.context, .within(1...65536))
            vocabSize = try c.optionalValue(.vocabSize, .within(1...(1 << 20)))
            qkvBias = try c.optionalValue(.qkvBias)
            dropout = try c.optionalValue(.dropout, .within(0.0..<1.0))
        }
    }

    /// How training windows are drawn from the train split.
    public enum Sampling: String, ConfigEnum {
        /// In order, `stride` tokens apart, wrapping around.
        case sequential
        /// At seeded random positions.
        case random
    }

    /// The `grist build` output folder to read shards from (default: the pipeline's `output`).
    public var data: Located<String>?
    /// Where checkpoints, metrics.csv and the export go (default: `DATA/train`).
    public var out: Located<String>?
    public var model: Model
    /// A Hugging Face GPT-2 folder (config.json + model.safetensors) to start from.
    public var initFrom: Located<String>?
    public var batchSize: Int?
    public var seqLen: Int?
    public var gradAccum: Int?
    public var steps: Int?
    public var maxSeconds: Double?
    public var lr: Double?
    public var minLR: Double?
    public var warmupSteps: Int?
    public var weightDecay: Double?
    public var beta1: Double?
    public var beta2: Double?
    public var adamEps: Double?
    public var decayEmbeddings: Bool?
    public var decayNormsAndBiases: Bool?
    public var gradClip: Double?
    public var sampling: Sampling?
    public var stride: Int?
    public var evalEvery: Int?
    public var valBatches: Int?
    public var sampleEvery: Int?
    public var samplePrompt: String?
    public var sampleTokens: Int?
    public var temperature: Double?
    public var topK: Int?
    public var checkpointEvery: Int?
    public var logEvery: Int?
    public var threads: Int?
    /// Seeds initialization, data order, dropout and samples (default: the pipeline's seed).
    public var seed: UInt64?
    /// Also write the final model as a Hugging Face GPT-2 folder here.
    public var exportHF: Located<String>?

    enum CodingKeys: String, CodingKey, CaseIterable {
        case data, out, model, steps, lr, beta1, beta2, sampling, stride, temperature, threads, seed
        case initFrom = "init_from", batchSize = "batch_size", seqLen = "seq_len", gradAccum = "grad_accum"
        case maxSeconds = "max_seconds", minLR = "min_lr", warmupSteps = "warmup_steps", weightDecay = "weight_decay"
        case adamEps = "adam_eps", decayEmbeddings = "decay_embeddings", decayNormsAndBiases = "decay_norms_and_biases"
        case gradClip = "grad_clip", evalEvery = "eval_every", valBatches = "val_batches", sampleEvery = "sample_every"
        case samplePrompt = "sample_prompt", sampleTokens = "sample_tokens", topK = "top_k"
        case checkpointEvery = "checkpoint_every", logEvery = "log_every", exportHF = "export_hf"
    }

    /// Where the `train:` section is, for the checks made once its settings are resolved.
    public var location: ConfigLocation?

    public init() { model = Model() }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        location = decoder.configLocation
        data = try c.decodeIfPresent(Located<String>.self, forKey: .data)
        out = try c.decodeIfPresent(Located<String>.self, forKey: .out)
        model = try c.decodeIfPresent(Model.self, forKey: .model) ?? Model()
        initFrom = try c.decodeIfPresent(Located<String>.self, forKey: .initFrom)
        batchSize = try c.optionalValue(.batchSize, .within(1...65536))
        seqLen = try c.optionalValue(.seqLen, .within(1...65536))
        gradAccum = try c.optionalValue(.gradAccum, .within(1...65536))
        steps = try c.optionalValue(.steps, .atLeast(1))
        maxSeconds = try c.optionalValue(.maxSeconds, .greaterThan(0))
        lr = try c.optionalValue(.lr, .greaterThan(0))
        minLR = try c.optionalValue(.minLR, .atLeast(0))
        warmupSteps = try c.optionalValue(.warmupSteps, .atLeast(0))
        weightDecay = try c.optionalValue(.weightDecay, .atLeast(0))
        beta1 = try c.optionalValue(.beta1, .within(0.0..<1.0))
        beta2 = try c.optionalValue(.beta2, .within(0.0..<1.0))
        adamEps = try c.optionalValue(.adamEps, .greaterThan(0))
        decayEmbeddings = try c.optionalValue(.decayEmbeddings)
        decayNormsAndBiases = try c.optionalValue(.decayNormsAndBiases)
        gradClip = try c.optionalValue(.gradClip, .atLeast(0))
        sampling = try c.decodeIfPresent(Sampling.self, forKey: .sampling)
        stride = try c.optionalValue(.stride, .atLeast(1))
        evalEvery = try c.optionalValue(.evalEvery, .atLeast(0))
        valBatches = try c.optionalValue(.valBatches, .atLeast(1))
        sampleEvery = try c.optionalValue(.sampleEvery, .atLeast(0))
        samplePrompt = try c.optionalValue(.samplePrompt)
        sampleTokens = try c.optionalValue(.sampleTokens, .atLeast(0))
        temperature = try c.optionalValue(.temperature, .atLeast(0))
        topK = try c.optionalValue(.topK, .atLeast(0))
        checkpointEvery = try c.optionalValue(.checkpointEvery, .atLeast(0))
        logEvery = try c.optionalValue(.logEvery, .atLeast(1))
        threads = try c.optionalValue(.threads, .within(1...1024))
        seed = try c.optionalValue(.seed)
        exportHF = try c.decodeIfPresent(Located<String>.self, forKey: .exportHF)
        if let minLR, let lr, minLR > lr {
            throw ConfigError("min_lr (\(minLR)) is larger than lr (\(lr))",
                              at: c.location(of: .minLR) ?? decoder.configLocation ?? ConfigLocation(file: "<config>", line: nil, path: ""))
        }
    }
}
