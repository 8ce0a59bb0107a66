/// A pipeline as declared in `pipelines/NAME.yaml`: where the text comes from, what happens to it,
/// and what shards come out. Every key, its default and its range: `docs/config.md`.
public struct PipelineConfig: Decodable, Sendable {
    /// Format version of the file; only 1 exists.
    public var version: Int
    public var name: String
    /// Output folder (shards, manifest); relative paths are relative to the working directory.
    public var output: Located<String>
    /// Seeds every random choice (mixing, split, order): same config and seed, same bytes.
    public var seed: UInt64
    /// What a bad record or file does to the run.
    public var onError: ErrorPolicy
    public var sources: [SourceConfig]
    public var clean: CleanConfig
    /// Filters in the order they run; each entry's `kind` names the filter.
    public var filters: [DeferredConfig]
    public var dedup: DedupConfig
    public var tokenizer: TokenizerConfig
    public var mix: MixConfig
    public var shards: ShardsConfig

    enum CodingKeys: String, CodingKey, CaseIterable {
        case version, name, output, seed, sources, clean, filters, dedup, tokenizer, mix, shards
        case onError = "on_error"
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        version = try c.value(.version, .within(1...1))
        name = try c.value(.name, .nonEmpty)
        output = try c.decode(Located<String>.self, forKey: .output)
        seed = try c.value(.seed, default: 0)
        onError = try c.decodeIfPresent(ErrorPolicy.self, forKey: .onError) ?? .skip
        sources = try c.decode([SourceConfig].self, forKey: .sources)
        clean = try c.decodeIfPresent(CleanConfig.self, forKey: .clean) ?? CleanConfig()
        filters = try c.decodeIfPresent([DeferredConfig].self, forKey: .filters) ?? []
        dedup = try c.decodeIfPresent(DedupConfig.self, forKey: .dedup) ?? DedupConfig()
        tokenizer = try c.decodeIfPresent(TokenizerConfig.self, forKey: .tokenizer) ?? TokenizerConfig()
        mix = try c.decodeIfPresent(MixConfig.self, forKey: .mix) ?? MixConfig()
        shards = try c.decodeIfPresent(ShardsConfig.self, forKey: .shards) ?? ShardsConfig()

        let here = decoder.configLocation ?? ConfigLocation(file: "<config>", line: nil, path: "")
        if sources.isEmpty {
            throw ConfigError("expected at least one source", at: c.location(of: .sources) ?? here)
        }
        var names = Set<String>()
        for (index, source) in sources.enumerated() where !names.insert(source.name).inserted {
            var location = c.location(of: .sources) ?? here
            location.path += "[\(index)].name"
            throw ConfigError("source name \"\(source.name)\" is used twice", at: location)
        }
        if output.value.isEmpty { throw ConfigError("expected a folder path, got nothing", at: output.location ?? here) }
    }
}

/// Whether a bad record stops the run or is skipped, counted and recorded in the manifest.
public enum ErrorPolicy: String, ConfigEnum {
    case skip, fail
}

/// One named source of documents: files of one format, and its weight in the mixture.
public struct SourceConfig: Decodable, Sendable {
    public var name: String
    /// Files or glob patterns (`*`, `?`, `[…]`, and `**` for any depth of folders).
    public var paths: [Located<String>]
    public var format: SourceFormat
    /// Relative weight in the mixture; what it means depends on `mix.budget_tokens` (docs/config.md).
    public var weight: Double
    public var text: TextReaderOptions
    public var jsonl: JSONLReaderOptions

    enum CodingKeys: String, CodingKey, CaseIterable { case name, paths, format, weight, text, jsonl }

    public init(name: String, paths: [String], format: SourceFormat, weight: Double = 1,
                text: TextReaderOptions = .init(), jsonl: JSONLReaderOptions = .init()) {
        self.name = name
        self.paths = paths.map { Located($0) }
        self.format = format
        self.weight = weight
        self.text = text
        self.jsonl = jsonl
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        name = try c.value(.name, .nonEmpty)
        paths = try c.decode([Located<String>].self, forKey: .paths)
        format = try c.decode(SourceFormat.self, forKey: .format)
        weight = try c.value(.weight, default: 1.0, .atLeast(0))
        text = try c.decodeIfPresent(TextReaderOptions.self, forKey: .text) ?? .init()
        jsonl = try c.decodeIfPresent(JSONLReaderOptions.self, forKey: .jsonl) ?? .init()
        let here = decoder.configLocation ?? ConfigLocation(file: "<config>", line: nil, path: "")
        if paths.isEmpty { throw ConfigError("expected at least one path", at: c.location(of: .paths) ?? here) }
        if c.contains(.text), format != .text {
            throw ConfigError("\"text\" options given for a source of format \"\(format.rawValue)\"",
                              at: c.location(of: .text) ?? here)
        }
        if c.contains(.jsonl), format != .jsonl {
            throw ConfigError("\"jsonl\" options given for a source of format \"\(format.rawValue)\"",
                              at: c.location(of: .jsonl) ?? here)
        }
    }
}

/// How a source's files are read. Compression (`.gz`, `.zst`) is recognised from the file name.
public enum SourceFormat: String, ConfigEnum {
    case text, jsonl
}

/// Options of the plain-text reader.
public struct TextReaderOptions: Decodable, Sendable {
    public enum Split: String, ConfigEnum {
        /// The whole file is one document.
        case file
        /// Blocks separated by one or more blank lines are documents.
        case paragraphs
    }

    public var split: Split
    /// Documents longer than this are skipped as errors, so one huge file cannot exhaust memory.
    public var maxDocumentBytes: Int

    enum CodingKeys: String, CodingKey, CaseIterable { case split, maxDocumentBytes = "max_document_bytes" }

    public init(split: Split = .file, maxDocumentBytes: Int = 256 << 20) {
        self.split = split
        self.maxDocumentBytes = maxDocumentBytes
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        split = try c.decodeIfPresent(Split.self, forKey: .split) ?? .file
        maxDocumentBytes = try c.value(.maxDocumentBytes, default: 256 << 20, .within(1...(1 << 31)))
    }
}

/// Options of the JSON Lines reader.
public struct JSONLReaderOptions: Decodable, Sendable {
    /// Key of the document text; a dotted path reaches into nested objects (`meta.body`).
    public var textField: String
    /// Key of the document id; when absent from a record, the id is `FILE:LINE`.
    public var idField: String
    /// Records longer than this are skipped as errors, so one huge line cannot exhaust memory.
    public var maxRecordBytes: Int

    enum CodingKeys: String, CodingKey, CaseIterable {
        case textField = "text_field", idField = "id_field", maxRecordBytes = "max_record_bytes"
    }

    public init(textField: String = "text", idField: String = "id", maxRecordBytes: Int = 64 << 20) {
        self.textField = textField
        self.idField = idField
        self.maxRecordBytes = maxRecordBytes
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        textField = try c.value(.textField, default: "text", .nonEmpty)
        idField = try c.value(.idField, default: "id", .nonEmpty)
        maxRecordBytes = try c.value(.maxRecordBytes, default: 64 << 20, .within(1...(1 << 31)))
    }
}

/// Cleaning applied to every document before filtering.
public struct CleanConfig: Decodable, Sendable {
    public enum UnicodeForm: String, ConfigEnum { case nfc, nfkc, none }

    public var unicode: UnicodeForm
    /// Remove C0/C1 control characters other than tab and newline.
    public var removeControl: Bool
    /// Unify line endings, strip trailing spaces, collapse runs of blank lines, trim the document.
    public var normalizeWhitespace: Bool

    enum CodingKeys: String, CodingKey, CaseIterable {
        case unicode, removeControl = "remove_control", normalizeWhitespace = "normalize_whitespace"
    }

    public init(unicode: UnicodeForm = .nfc, removeControl: Bool = true, normalizeWhitespace: Bool = true) {
        self.unicode = unicode
        self.removeControl = removeControl
        self.normalizeWhitespace = normalizeWhitespace
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        unicode = try c.decodeIfPresent(UnicodeForm.self, forKey: .unicode) ?? .nfc
        removeControl = try c.value(.removeControl, default: true)
        normalizeWhitespace = try c.value(.normalizeWhitespace, default: true)
    }
}

/// Deduplication across all sources.
public struct DedupConfig: Decodable, Sendable {
    /// Drop documents whose cleaned text is byte-identical to one seen before.
    public var exact: Bool

    enum CodingKeys: String, CodingKey, CaseIterable { case exact }

    public init(exact: Bool = true) { self.exact = exact }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        exact = try c.value(.exact, default: true)
    }
}

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

/// How sources are combined and split.
public struct MixConfig: Decodable, Sendable {
    /// Share of documents held out for validation, chosen per document by a seeded hash.
    public var valFraction: Double
    /// Total tokens wanted; when set, source weights are shares of it (sources are down- or
    /// up-sampled). When absent, a weight is how many times each kept document is used.
    public var budgetTokens: Int?

    enum CodingKeys: String, CodingKey, CaseIterable {
        case valFraction = "val_fraction", budgetTokens = "budget_tokens"
    }

    public init(valFraction: Double = 0.01, budgetTokens: Int? = nil) {
        self.valFraction = valFraction
        self.budgetTokens = budgetTokens
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        valFraction = try c.value(.valFraction, default: 0.01, .within(0.0..<1.0))
        budgetTokens = try c.optionalValue(.budgetTokens, .greaterThan(0))
    }
}

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
