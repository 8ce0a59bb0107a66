/// A pipeline as declared in `pipelines/NAME.yaml`: where the text comes from, what happens to it,
/// and what shards come out. Every key, its default and its range: `docs/config.md`.
public struct PipelineConfig: Decodable, Sendable {
    /// Format version of the file; only 1 exists.
    public var version: Int
    public var name: String
    /// Output folder (shards, manifest); relative paths are relative to the working directory.
    public var output: Located<String>
    /// Seeds every random choice (mixing, split, order): same config and seed, same bytes.
    /// At most 2^63 − 1, so that it reads back unchanged from SQLite's signed integers.
    public var seed: UInt64 = 0
    /// What a bad record or file does to the run.
    public var onError = ErrorPolicy.skip
    public var sources: [SourceConfig]
    public var clean = CleanConfig()
    /// Filters in the order they run; each entry's `kind` names the filter.
    public var filters: [DeferredConfig] = []
    public var dedup = DedupConfig()
    /// Decontamination against eval sets, after the filters; nil when the pipeline has no `decontaminate:`.
    public var decontaminate: DecontaminateConfig?
    public var tokenizer = TokenizerConfig()
    public var mix = MixConfig()
    public var shards = ShardsConfig()
    /// The curated text written beside the shards; nil when the pipeline has no `text:` section.
    public var text: CuratedTextConfig?
    /// How the build cuts its work into parts (parallelism and resume).
    public var work = WorkConfig()
    /// Pretraining on the built shards (`grist train`); nil when the pipeline has no `train:` section.
    public var train: TrainConfig?

    enum CodingKeys: String, CodingKey, CaseIterable {
        case version, name, output, seed, sources, clean, filters, decontaminate, dedup, tokenizer, mix, shards, text, train
        case work
        case onError = "on_error"
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        version = try c.value(.version, .within(1...1))
        name = try c.value(.name, .nonEmpty)
        output = try c.decode(Located<String>.self, forKey: .output)
        try c.decode(.seed, into: &seed, .within(0...UInt64(Int64.max)))
        try c.decodeIfPresent(.onError, into: &onError)
        sources = try c.decode([SourceConfig].self, forKey: .sources)
        try c.decodeIfPresent(.clean, into: &clean)
        try c.decodeIfPresent(.filters, into: &filters)
        decontaminate = try c.decodeIfPresent(DecontaminateConfig.self, forKey: .decontaminate)
        try c.decodeIfPresent(.dedup, into: &dedup)
        try c.decodeIfPresent(.tokenizer, into: &tokenizer)
        try c.decodeIfPresent(.mix, into: &mix)
        try c.decodeIfPresent(.shards, into: &shards)
        if c.contains(.text) {
            // `text:` with no value, like `text: {}`, writes the text with every option at its default.
            var section = CuratedTextConfig()
            try c.decodeIfPresent(.text, into: &section)
            text = section
        }
        try c.decodeIfPresent(.work, into: &work)
        train = try c.decodeIfPresent(TrainConfig.self, forKey: .train)

        let here = decoder.configLocation ?? ConfigLocation(file: "<config>", line: nil, path: "")
        if sources.isEmpty {
            throw ConfigError("expected at least one source", at: c.location(of: .sources) ?? here)
        }
        var names = Set<String>()
        for source in sources where !names.insert(source.name).inserted {
            throw ConfigError("source name \"\(source.name)\" is used twice",
                              at: source.nameLocation ?? c.location(of: .sources) ?? here)
        }
        for name in dedup.minhash?.priority ?? [] where !names.contains(name) {
            throw ConfigError("dedup priority names \"\(name)\", which is not a source",
                              at: dedup.minhash?.priorityLocation ?? here)
        }
        if tokenizer.train != nil,
           let location = sources.lazy.compactMap({ $0.valTokens != nil ? $0.valTokensLocation : nil }).first
            ?? (mix.valTokens != nil ? mix.valTokensLocation : nil) {
            throw ConfigError("val_tokens cannot be used with tokenizer.train: the vocabulary is trained on the train "
                + "split, and val_tokens can only choose the val split once the tokens are known; use val_fraction",
                at: location)
        }
        if output.value.isEmpty { throw ConfigError("expected a folder path, got nothing", at: output.location ?? here) }
    }
}

/// Whether a bad record stops the run or is skipped, counted and recorded in the manifest.
public enum ErrorPolicy: String, ConfigEnum {
    case skip, fail
}
